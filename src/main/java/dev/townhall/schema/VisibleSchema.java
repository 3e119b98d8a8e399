package dev.townhall.schema;

import dev.townhall.towns.TownContext;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The tables and views a context may read, with their columns: the summary an assistant needs before it writes a
 * query (the MCP server's schema resource). Read through the context, so privileges decide what is listed; rows are
 * still filtered by row-level security when queried.
 */
public record VisibleSchema(List<Relation> relations) {
    /** A comment is cut to its first line and this many characters: a summary, not the documentation. */
    private static final int COMMENT_CHARS = 160;

    /** A table or view: {@code kind} is {@code table}, {@code view} or {@code materialized view}. */
    public record Relation(String schema, String name, String kind, String comment, List<Column> columns) {
        public String qualifiedName() {
            return schema + "." + name;
        }
    }

    public record Column(String name, String type, boolean notNull) {
    }

    public static VisibleSchema read(TownContext context) {
        List<ColumnRow> rows = context.inTransaction(h -> h.createQuery("""
                        SELECT n.nspname, c.relname,
                               CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' ELSE 'table' END,
                               coalesce(obj_description(c.oid, 'pg_class'), ''),
                               a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull
                        FROM pg_class c
                        JOIN pg_namespace n ON n.oid = c.relnamespace
                        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                        WHERE c.relkind IN ('r', 'p', 'v', 'm')
                          AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'public')
                          AND n.nspname NOT LIKE 'pg\\_%'
                          AND has_schema_privilege(n.oid, 'USAGE')
                          AND has_table_privilege(c.oid, 'SELECT')
                        ORDER BY n.nspname, c.relname, a.attnum""")
                .map((rs, ctx) -> new ColumnRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        new Column(rs.getString(5), rs.getString(6), rs.getBoolean(7))))
                .list());
        Map<String, List<ColumnRow>> byRelation = new LinkedHashMap<>();
        rows.forEach(row -> byRelation.computeIfAbsent(row.schema() + "." + row.relation(), k -> new ArrayList<>()).add(row));
        return new VisibleSchema(byRelation.values().stream().map(columns -> {
            ColumnRow first = columns.get(0);
            return new Relation(first.schema(), first.relation(), first.kind(), firstLine(first.comment()),
                    columns.stream().map(ColumnRow::column).toList());
        }).toList());
    }

    private record ColumnRow(String schema, String relation, String kind, String comment, Column column) {
    }

    /** This summary without the relations {@code left out} names. */
    public VisibleSchema without(Predicate<Relation> leftOut) {
        return new VisibleSchema(relations.stream().filter(leftOut.negate()).toList());
    }

    /** One paragraph per relation: its name, kind and comment, then its columns ({@code name type}, {@code !} when NOT NULL). */
    public String asText() {
        StringBuilder text = new StringBuilder("""
                Tables and views you may query, by schema. Rows are filtered to what you may see (row-level security).
                A column marked ! is NOT NULL.
                """);
        for (Relation relation : relations) {
            text.append('\n').append(relation.qualifiedName());
            if (!relation.kind().equals("table")) {
                text.append(" (").append(relation.kind()).append(')');
            }
            if (!relation.comment().isEmpty()) {
                text.append(": ").append(relation.comment());
            }
            text.append("\n  ");
            List<String> columns = relation.columns().stream()
                    .map(c -> c.name() + " " + c.type() + (c.notNull() ? "!" : "")).toList();
            text.append(String.join(", ", columns)).append('\n');
        }
        return text.toString();
    }

    private static String firstLine(String comment) {
        String line = comment.lines().findFirst().orElse("").strip();
        return line.length() <= COMMENT_CHARS ? line : line.substring(0, COMMENT_CHARS - 1) + "…";
    }
}
