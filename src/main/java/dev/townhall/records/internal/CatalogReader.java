package dev.townhall.records.internal;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.records.Sort;
import org.jdbi.v3.core.Handle;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads one table's shape from the system catalogs: columns and their types, NOT NULL, generated columns,
 * defaults, the leading column of each index, and the columns of each constraint. Decides which columns are
 * hidden and which may be written.
 */
public final class CatalogReader {
    /** Types never shown: full-text vectors and embeddings are derived, large and meaningless to a caller. */
    private static final Set<String> HIDDEN_TYPES = Set.of("tsvector", "vector", "halfvec", "sparsevec");
    /** Columns never shown by name: the organisation is implied by the town; secrets and their hashes never leave. */
    private static final Set<String> HIDDEN_NAMES = Set.of("org_id", "password_hash");
    /** Columns a body never sets: the database or the context fills them. */
    private static final Set<String> SYSTEM_COLUMNS = Set.of("id", "org_id", "town_id", "created_at", "updated_at");
    private static final String CREATED_AT = "created_at";

    private CatalogReader() {
    }

    public static TableShape read(Handle h, String resource, String table, boolean writable) {
        if (h.createQuery("SELECT to_regclass(:table) IS NOT NULL").bind("table", table).mapTo(Boolean.class).one()
                == Boolean.FALSE) {
            throw new TownHallException(ErrorCode.MIGRATION_FAILED, "table " + table + " of resource '" + resource
                    + "' does not exist; run ./townhall migrate");
        }
        Map<String, ColumnShape> columns = new LinkedHashMap<>();
        boolean[] orgAndTown = new boolean[2];
        h.createQuery("""
                        SELECT a.attname, format_type(a.atttypid, -1) AS cast_type,
                               format_type(a.atttypid, a.atttypmod) AS declared_type,
                               t.typname, t.typcategory, e.typname AS element_name, e.typcategory AS element_category,
                               a.attnotnull, a.attgenerated <> '' OR a.attidentity <> '' AS generated, a.atthasdef
                        FROM pg_catalog.pg_attribute a
                        JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
                        LEFT JOIN pg_catalog.pg_type e ON e.oid = t.typelem AND t.typcategory = 'A'
                        WHERE a.attrelid = CAST(:table AS regclass) AND a.attnum > 0 AND NOT a.attisdropped
                        ORDER BY a.attnum""")
                .bind("table", table)
                .map((rs, ctx) -> {
                    String name = rs.getString("attname");
                    orgAndTown[0] |= name.equals("org_id");
                    orgAndTown[1] |= name.equals("town_id");
                    if (hidden(name, rs.getString("typname"))) {
                        return null;
                    }
                    String category = rs.getString("typcategory");
                    ColumnShape.Kind kind = kind(rs.getString("typname"), category);
                    ColumnShape.Kind elementKind = kind == ColumnShape.Kind.ARRAY
                            ? kind(rs.getString("element_name"), rs.getString("element_category")) : ColumnShape.Kind.TEXT;
                    boolean castCanFail = kind == ColumnShape.Kind.ARRAY
                            ? castCanFail(elementKind, rs.getString("element_category")) : castCanFail(kind, category);
                    return new ColumnShape(name, rs.getString("cast_type"), rs.getString("declared_type"), kind,
                            elementKind, castCanFail, rs.getBoolean("attnotnull"), rs.getBoolean("generated"),
                            rs.getBoolean("atthasdef"));
                })
                .list()
                .forEach(c -> {
                    if (c != null) {
                        columns.put(c.name(), c);
                    }
                });
        ColumnShape id = columns.get(TableShape.ID);
        if (id == null || !id.castType().equals("uuid")) {
            throw new IllegalStateException(table + " has no uuid id column; a resource needs one");
        }

        Set<String> filterable = new LinkedHashSet<>();
        Set<String> sortable = new LinkedHashSet<>();
        h.createQuery("""
                        SELECT a.attname, am.amname
                        FROM pg_catalog.pg_index i
                        JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
                        JOIN pg_catalog.pg_am am ON am.oid = ic.relam
                        JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
                        WHERE i.indrelid = CAST(:table AS regclass) AND i.indpred IS NULL AND i.indisvalid""")
                .bind("table", table)
                .map((rs, ctx) -> Map.entry(rs.getString("attname"), rs.getString("amname")))
                .list()
                .forEach(index -> {
                    ColumnShape column = columns.get(index.getKey());
                    if (column == null) {
                        return;
                    }
                    // btree and hash answer equality on the value itself; GIN and GiST answer containment, not '='
                    if (index.getValue().equals("btree") || index.getValue().equals("hash")) {
                        filterable.add(column.name());
                    }
                    if (index.getValue().equals("btree") && column.notNull()) {
                        sortable.add(column.name());
                    }
                });
        sortable.add(TableShape.ID);

        Set<String> writableColumns = new LinkedHashSet<>();
        if (writable) {
            columns.values().stream()
                    .filter(c -> !c.generated() && !SYSTEM_COLUMNS.contains(c.name()))
                    .forEach(c -> writableColumns.add(c.name()));
        }

        Map<String, List<String>> keyColumns = new LinkedHashMap<>();
        h.createQuery("""
                        SELECT c.conname AS name, array_agg(a.attname ORDER BY k.n) AS columns
                        FROM pg_catalog.pg_constraint c
                        CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY k(attnum, n)
                        JOIN pg_catalog.pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
                        WHERE c.conrelid = CAST(:table AS regclass)
                        GROUP BY c.conname
                        UNION ALL
                        SELECT ic.relname, array_agg(a.attname ORDER BY k.n)
                        FROM pg_catalog.pg_index i
                        JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
                        CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, n)
                        JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                        WHERE i.indrelid = CAST(:table AS regclass) AND i.indisunique
                          AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint c WHERE c.conindid = i.indexrelid)
                        GROUP BY ic.relname""")
                .bind("table", table)
                .map((rs, ctx) -> Map.entry(rs.getString("name"), List.of((String[]) rs.getArray("columns").getArray())))
                .list()
                .forEach(key -> keyColumns.put(key.getKey(), key.getValue().stream()
                        .filter(c -> columns.containsKey(c) && !c.equals("town_id")).toList()));

        Sort defaultSort = sortable.contains(CREATED_AT) ? new Sort(CREATED_AT, true) : new Sort(TableShape.ID, false);
        return new TableShape(resource, table, writable, Collections.unmodifiableMap(columns), ordered(columns, filterable),
                ordered(columns, sortable), Collections.unmodifiableSet(writableColumns), orgAndTown[0], orgAndTown[1],
                Collections.unmodifiableMap(keyColumns), defaultSort);
    }

    static boolean hidden(String name, String typeName) {
        String lower = name.toLowerCase(Locale.ROOT);
        return HIDDEN_TYPES.contains(typeName) || HIDDEN_NAMES.contains(lower) || lower.endsWith("_hash")
                || lower.contains("password") || lower.contains("secret");
    }

    private static ColumnShape.Kind kind(String typeName, String category) {
        if (typeName != null && (typeName.equals("json") || typeName.equals("jsonb"))) {
            return ColumnShape.Kind.JSON;
        }
        return switch (category == null ? "" : category) {
            case "A" -> ColumnShape.Kind.ARRAY;
            case "B" -> ColumnShape.Kind.BOOLEAN;
            case "N" -> ColumnShape.Kind.NUMBER;
            default -> ColumnShape.Kind.TEXT;
        };
    }

    /** Text into a string type and booleans into boolean always convert; JSON text from Jackson is always valid JSON. */
    private static boolean castCanFail(ColumnShape.Kind kind, String category) {
        return switch (kind) {
            case TEXT -> !"S".equals(category);
            case NUMBER, ARRAY -> true;
            case BOOLEAN, JSON -> false;
        };
    }

    /** {@code names} in table order. */
    private static Set<String> ordered(Map<String, ColumnShape> columns, Set<String> names) {
        Set<String> inOrder = new LinkedHashSet<>();
        columns.keySet().stream().filter(names::contains).forEach(inOrder::add);
        return Collections.unmodifiableSet(inOrder);
    }
}
