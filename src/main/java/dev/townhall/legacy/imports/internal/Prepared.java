package dev.townhall.legacy.imports.internal;

import dev.townhall.db.Identifiers;
import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.legacy.imports.internal.Mapping.ColumnMap;
import dev.townhall.legacy.imports.internal.Mapping.TableMap;
import dev.townhall.legacy.imports.internal.Normalisers.Kind;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A mapping checked against the real catalogs: every source table and column exists, every target column exists,
 * is not generated and can hold what its normaliser produces, and every NOT NULL column has a value to fall back
 * on. Built before anything is written; a mismatch is one {@link ErrorCode#CONFIG} error naming the mapping entry.
 */
public final class Prepared {
    /** Sent for a NOT NULL column whose database default is the time of the statement: the run's start. */
    public static final Object RUN_START = new Object();

    /** The columns one mapping writes into one target table, in COPY order. */
    public static final class Shape {
        /** Positions of the columns the importer fills itself; every shape starts with them (see {@code shape}). */
        static final int ID = 0;
        static final int ORG_ID = 1;
        static final int TOWN_ID = 2;

        public final String table;
        public final List<String> columns = new ArrayList<>();
        public final List<PgCatalog.Column> info = new ArrayList<>();
        private final Map<String, Integer> positions = new HashMap<>();

        Shape(String table, PgCatalog.Table catalog, List<String> columnNames) {
            this.table = table;
            for (String name : columnNames) {
                positions.put(name, columns.size());
                columns.add(name);
                info.add(catalog.column(name).orElseThrow());
            }
        }

        public int position(String column) {
            Integer p = positions.get(column);
            if (p == null) {
                throw new IllegalArgumentException(table + " has no mapped column " + column);
            }
            return p;
        }

        public boolean has(String column) {
            return positions.containsKey(column);
        }
    }

    /** One mapped column, resolved. */
    public static final class Column {
        public final ColumnMap map;
        public final int[] sourceIndexes;
        public final List<Normalisers.Def> normalisers;
        public final PgCatalog.Column target;
        public final int position;
        /** Sent when the value is null and the column is NOT NULL; null when the row must then be quarantined. */
        public final Object nullFallback;
        public final boolean required;
        public final Object constant;
        public final Set<String> allowed;
        /** The source columns of {@code fallback_from}, in order. */
        public final int[] fallbackIndexes;

        Column(ColumnMap map, int[] sourceIndexes, List<Normalisers.Def> normalisers, PgCatalog.Column target,
               int position, Object nullFallback, boolean required, Object constant, Set<String> allowed,
               int[] fallbackIndexes) {
            this.map = map;
            this.sourceIndexes = sourceIndexes;
            this.normalisers = normalisers;
            this.target = target;
            this.position = position;
            this.nullFallback = nullFallback;
            this.required = required;
            this.constant = constant;
            this.allowed = allowed;
            this.fallbackIndexes = fallbackIndexes;
        }
    }

    /** One source table, ready to read and map. */
    public static final class Table {
        public final TableMap map;
        public final PgCatalog.Table source;
        public final int keyIndex;
        public final Shape main;
        public final List<Column> columns;
        public final Shape group;
        public final List<Column> groupColumns;
        public final int groupByIndex;
        public final Shape explode;
        public final List<Column> explodeColumns;
        public final int explodeFromIndex;
        /** Source column -> how its slashed and dotted dates are read (text date columns only). */
        public final Map<String, Dates.Orders> dateOrders;

        Table(TableMap map, PgCatalog.Table source, Shape main, List<Column> columns, Shape group,
              List<Column> groupColumns, Shape explode, List<Column> explodeColumns,
              Map<String, Dates.Orders> dateOrders) {
            this.map = map;
            this.source = source;
            this.keyIndex = source.columnNames().indexOf(map.key());
            this.main = main;
            this.columns = columns;
            this.group = group;
            this.groupColumns = groupColumns;
            this.groupByIndex = group == null ? -1 : source.columnNames().indexOf(map.group().by());
            this.explode = explode;
            this.explodeColumns = explodeColumns;
            this.explodeFromIndex = explode == null ? -1 : source.columnNames().indexOf(map.explode().from());
            this.dateOrders = Map.copyOf(dateOrders);
        }

        /** How the dates of source column {@code column} are read. */
        public Dates.Orders dateOrders(String column) {
            return dateOrders.getOrDefault(column, Dates.Orders.DEFAULT);
        }

        public String qualified() {
            return map.qualified();
        }
    }

    public final Mapping mapping;
    public final UUID orgId;
    public final UUID townId;
    public final Map<String, Table> tables = new LinkedHashMap<>();
    /** Target table -> its catalog entry. */
    public final Map<String, PgCatalog.Table> targets = new HashMap<>();
    /** How every text date column's day/month order was decided, for the run's report. */
    public final List<dev.townhall.legacy.imports.ImportReport.DateOrder> dateOrders = new ArrayList<>();

    private Prepared(Mapping mapping, UUID orgId, UUID townId) {
        this.mapping = mapping;
        this.orgId = orgId;
        this.townId = townId;
    }

    private TownHallException error(String path, String problem) {
        return new TownHallException(ErrorCode.CONFIG, "mapping file " + mapping.origin() + ": " + path + ": " + problem);
    }

    /**
     * Checks {@code mapping} against the source databases ({@code sources}: source name to an open connection)
     * and the TownHall database ({@code target}, the owner role), in the order the tables must be imported.
     */
    public static Prepared prepare(Mapping mapping, Map<String, Connection> sources, Connection target,
                                   List<TableMap> order) throws SQLException {
        UUID[] ids = orgAndTown(mapping, target);
        Prepared p = new Prepared(mapping, ids[0], ids[1]);
        for (TableMap t : order) {
            p.tables.put(t.qualified(), p.prepareTable(t, sources.get(t.source()), target));
        }
        return p;
    }

    private static UUID[] orgAndTown(Mapping mapping, Connection target) throws SQLException {
        try (var ps = target.prepareStatement("""
                SELECT o.id, t.id FROM core.organizations o
                LEFT JOIN core.towns t ON t.org_id = o.id AND t.slug = ?
                WHERE o.slug = ?""")) {
            ps.setString(1, mapping.town());
            ps.setString(2, mapping.organisation());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new TownHallException(ErrorCode.NOT_FOUND, "mapping file " + mapping.origin()
                            + " imports into organisation '" + mapping.organisation() + "', which does not exist"
                            + " (./townhall migrate creates testpilot)");
                }
                if (rs.getObject(2) == null) {
                    throw new TownHallException(ErrorCode.NOT_FOUND, "mapping file " + mapping.origin()
                            + " imports into town '" + mapping.town() + "', which organisation '"
                            + mapping.organisation() + "' does not have");
                }
                return new UUID[] {rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)};
            }
        }
    }

    private Table prepareTable(TableMap t, Connection source, Connection target) throws SQLException {
        String path = "sources." + t.source() + " (" + t.table() + ")";
        PgCatalog.Table src = PgCatalog.table(source, t.table()).orElseThrow(() -> new TownHallException(
                ErrorCode.CONFIG, "source " + t.source() + " has no table " + t.table() + " (mapping file "
                + mapping.origin() + ")"));
        for (String col : t.sourceColumns()) {
            if (src.column(col).isEmpty()) {
                throw error(path, "source table " + t.table() + " has no column " + col + " (it has "
                        + src.columnNames() + ")");
            }
        }
        if (t.changedAt() != null) {
            String type = src.column(t.changedAt()).orElseThrow().type();
            boolean time = type.equals("timestamp") || type.equals("timestamptz") || type.equals("date");
            boolean number = type.equals("int8") || type.equals("int4");
            if (t.changedAtUnit() == Mapping.TimeUnit.TIMESTAMP ? !time : !number) {
                throw error(path + ".changed_at", "column " + t.changedAt() + " is " + type + "; changed_at needs a "
                        + "timestamp/date column, or {column, unit: epoch_millis|epoch_seconds} for a number column");
            }
        }
        PgCatalog.Table main = targetTable(target, t.target(), path + ".target");
        Shape mainShape = shape(t.target(), main, t.columns(), t.group() == null ? null : t.group().link(), path);
        List<Column> columns = columns(t, src, main, mainShape, t.columns(), path + ".columns", target);
        Shape groupShape = null;
        List<Column> groupColumns = List.of();
        if (t.group() != null) {
            PgCatalog.Table g = targetTable(target, t.group().target(), path + ".group.target");
            groupShape = shape(t.group().target(), g, t.group().columns(), null, path + ".group");
            groupColumns = columns(t, src, g, groupShape, t.group().columns(), path + ".group.columns", target);
        }
        Shape explodeShape = null;
        List<Column> explodeColumns = List.of();
        if (t.explode() != null) {
            PgCatalog.Table x = targetTable(target, t.explode().target(), path + ".explode.target");
            explodeShape = shape(t.explode().target(), x, t.explode().columns(), t.explode().link(), path + ".explode");
            explodeColumns = columns(t, src, x, explodeShape, t.explode().columns(), path + ".explode.columns", target);
        }
        return new Table(t, src, mainShape, columns, groupShape, groupColumns, explodeShape, explodeColumns,
                dateOrders(t, src, source));
    }

    private static final Set<String> TEXT_TYPES = Set.of("text", "citext", "varchar", "bpchar");

    /**
     * Reads, once per text column that a date normaliser reads, how many of its slashed and dotted dates are
     * unambiguously day-first or month-first (a part above 12), and decides each column's order from that
     * ({@link Dates#infer}); the decisions go into the run's report.
     */
    private Map<String, Dates.Orders> dateOrders(TableMap t, PgCatalog.Table src, Connection source)
            throws SQLException {
        Set<String> columns = new java.util.TreeSet<>();
        for (ColumnMap c : t.allColumns()) {
            for (String normaliser : c.normalise()) {
                List<Integer> dateInputs = Normalisers.get(normaliser).dateInputs();
                dateInputs.stream().filter(i -> i < c.from().size()).forEach(i -> columns.add(c.from().get(i)));
                if (!dateInputs.isEmpty()) {
                    columns.addAll(c.fallbackFrom());
                }
            }
        }
        Map<String, Dates.Orders> orders = new HashMap<>();
        for (String column : columns) {
            String type = src.column(column).orElseThrow().type();
            if (!TEXT_TYPES.contains(type)) {
                continue; // a timestamp or number column holds no day/month text
            }
            long[] evidence = new long[4]; // slashes day-first, month-first; dots day-first, month-first
            try (Statement s = source.createStatement(); ResultSet rs = s.executeQuery("""
                    SELECT m[2],
                           count(*) FILTER (WHERE m[1]::int BETWEEN 13 AND 31 AND m[3]::int BETWEEN 1 AND 12),
                           count(*) FILTER (WHERE m[3]::int BETWEEN 13 AND 31 AND m[1]::int BETWEEN 1 AND 12)
                    FROM (SELECT regexp_match(btrim(%s), '^(\\d{1,2})([/.])(\\d{1,2})\\2\\d{4}') AS m FROM %s) d
                    WHERE m IS NOT NULL GROUP BY m[2]""".formatted(Identifiers.quote(column),
                    Identifiers.quote(t.table())))) {
                while (rs.next()) {
                    int at = rs.getString(1).equals("/") ? 0 : 2;
                    evidence[at] = rs.getLong(2);
                    evidence[at + 1] = rs.getLong(3);
                }
            }
            Dates.Inference slashes = Dates.infer('/', evidence[0], evidence[1]);
            Dates.Inference dots = Dates.infer('.', evidence[2], evidence[3]);
            for (Dates.Inference i : List.of(slashes, dots)) {
                dateOrders.add(new dev.townhall.legacy.imports.ImportReport.DateOrder(t.qualified(), column,
                        String.valueOf(i.separator()), i.order().name().toLowerCase(java.util.Locale.ROOT),
                        i.dayFirstValues(), i.monthFirstValues(), i.basis()));
            }
            orders.put(column, new Dates.Orders(slashes.order(), dots.order(), slashes.note(), dots.note()));
        }
        return orders;
    }

    private PgCatalog.Table targetTable(Connection target, String name, String path) throws SQLException {
        PgCatalog.Table table = targets.get(name);
        if (table == null) {
            table = PgCatalog.table(target, name).orElseThrow(() -> error(path, "the TownHall database has no table "
                    + name + " (is it migrated?)"));
            for (String required : List.of("id", "org_id", "town_id")) {
                if (table.column(required).isEmpty()) {
                    throw error(path, name + " has no " + required + " column; only tenant tables can be imported into");
                }
            }
            targets.put(name, table);
        }
        return table;
    }

    private Shape shape(String name, PgCatalog.Table table, List<ColumnMap> columns, String link, String path) {
        List<String> names = new ArrayList<>(List.of("id", "org_id", "town_id")); // Shape.ID, ORG_ID, TOWN_ID
        if (link != null) {
            if (table.column(link).isEmpty()) {
                throw error(path + ".link", name + " has no column " + link);
            }
            names.add(link);
        }
        for (ColumnMap c : columns) {
            if (names.contains(c.target())) {
                throw error(c.path(), "column " + c.target() + " is filled by the importer itself");
            }
            PgCatalog.Column col = table.column(c.target()).orElseThrow(() -> error(c.path(), name
                    + " has no column " + c.target()));
            if (col.generated()) {
                throw error(c.path(), name + "." + c.target() + " is a generated column and cannot be written");
            }
            names.add(c.target());
        }
        return new Shape(name, table, names);
    }

    private List<Column> columns(TableMap t, PgCatalog.Table src, PgCatalog.Table target, Shape shape,
                                 List<ColumnMap> maps, String path, Connection targetConnection) throws SQLException {
        List<Column> columns = new ArrayList<>();
        for (ColumnMap c : maps) {
            PgCatalog.Column col = target.column(c.target()).orElseThrow();
            int[] indexes = c.from().stream().mapToInt(f -> src.columnNames().indexOf(f)).toArray();
            List<Normalisers.Def> defs = c.normalise().stream().map(Normalisers::get).toList();
            Kind produced = produced(c, defs);
            if (!compatible(produced, col)) {
                throw error(c.path(), "produces " + produced.name().toLowerCase() + " but " + shape.table + "."
                        + c.target() + " is " + col.type());
            }
            if (!c.defaultFrom().isEmpty() && !TEXT_TYPES.contains(col.type())) {
                throw error(c.path() + ".default_from", "makes text, but " + shape.table + "." + c.target() + " is "
                        + col.type());
            }
            Object constant = c.isConstant() ? convert(c.constant(), col, c.path() + ".value") : null;
            Object fallback = null;
            boolean required = c.required();
            if (c.hasDefault() && c.defaultValue() != null) {
                fallback = convert(c.defaultValue(), col, c.path() + ".default");
            } else if (col.notNull()) {
                fallback = databaseDefault(targetConnection, shape.table, col);
                // a NOT NULL column without any default can only be filled from the source: a value is required
                required |= fallback == null;
            }
            Set<String> allowed = c.inTable() == null ? null : allowedValues(targetConnection, c.inTable(), c.path());
            int[] fallbackIndexes = c.fallbackFrom().stream().mapToInt(f -> src.columnNames().indexOf(f)).toArray();
            columns.add(new Column(c, indexes, defs, col, shape.position(c.target()), fallback, required, constant,
                    allowed, fallbackIndexes));
        }
        return columns;
    }

    private static Kind produced(ColumnMap c, List<Normalisers.Def> defs) {
        if (c.ref() != null) {
            return Kind.UUID;
        }
        if (c.map() != null && defs.stream().noneMatch(Normalisers.Def::appliesMap)) {
            boolean lists = c.map().values().stream().anyMatch(v -> v instanceof List);
            return lists ? Kind.TEXT_ARRAY : Kind.TEXT;
        }
        if (!defs.isEmpty()) {
            Kind last = defs.get(defs.size() - 1).output();
            // json_array feeding an element-wise normaliser yields that normaliser's kind for the kept element
            return last;
        }
        return Kind.TEXT;
    }

    private static boolean compatible(Kind kind, PgCatalog.Column col) {
        String type = col.type();
        return switch (kind) {
            case TEXT -> type.equals("text") || type.equals("citext") || type.equals("varchar") || type.equals("bpchar")
                    || col.isNumeric() || col.isBoolean() || type.equals("uuid") || col.isJson();
            case INTEGER -> col.isNumeric();
            case DECIMAL -> type.equals("numeric") || type.equals("float4") || type.equals("float8");
            case TIMESTAMP -> type.equals("timestamptz") || type.equals("timestamp");
            case DATE -> type.equals("date") || type.equals("timestamptz");
            case UUID -> type.equals("uuid");
            case JSON -> col.isJson();
            case TEXT_ARRAY -> type.equals("_text") || type.equals("_citext") || type.equals("_varchar");
        };
    }

    /** A mapping file's constant as the Java value the column takes. */
    private Object convert(Object value, PgCatalog.Column col, String path) {
        try {
            return switch (col.type()) {
                case "int2", "int4", "int8" -> Long.parseLong(value.toString());
                case "numeric", "float4", "float8" -> new BigDecimal(value.toString());
                case "bool" -> Boolean.valueOf(value.toString());
                case "uuid" -> UUID.fromString(value.toString());
                case "timestamptz", "timestamp" -> Instant.parse(value.toString());
                case "date" -> LocalDate.parse(value.toString());
                case "json", "jsonb" -> value instanceof Json ? value : Json.of(Json.tree(value));
                default -> {
                    if (col.isArray()) {
                        if (!(value instanceof List<?> list)) {
                            throw new IllegalArgumentException("a list is needed");
                        }
                        yield List.copyOf(list);
                    }
                    yield value.toString();
                }
            };
        } catch (RuntimeException e) {
            throw error(path, "'" + value + "' does not fit " + col.name() + " (" + col.type() + ")");
        }
    }

    /**
     * The value PostgreSQL would use for {@code col}: constants are evaluated once; {@code now()} and friends become
     * the run's start; anything else (a function of the session) is not guessed: null.
     */
    private Object databaseDefault(Connection c, String table, PgCatalog.Column col) throws SQLException {
        String expr = col.defaultExpr();
        if (expr == null) {
            return null;
        }
        String lower = expr.toLowerCase();
        if (lower.contains("now()") || lower.contains("current_timestamp") || lower.contains("statement_timestamp")
                || lower.contains("transaction_timestamp")) {
            return RUN_START;
        }
        if (lower.contains("(") && !lower.matches("^'[^']*'::[a-z_ .\\[\\]]+$")) {
            return null; // a function call (acting_org_id(), gen_random_uuid() ...): not a constant
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT (" + expr + ")::text")) {
            rs.next();
            String text = rs.getString(1);
            return text == null ? null : ValueCodec.fromText(text, col);
        }
    }

    private Set<String> allowedValues(Connection c, String inTable, String path) throws SQLException {
        String[] parts = inTable.split("\\.");
        if (PgCatalog.table(c, parts[0] + "." + parts[1]).flatMap(t -> t.column(parts[2])).isEmpty()) {
            throw error(path + ".in_table", "the TownHall database has no column " + inTable);
        }
        Set<String> values = new HashSet<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT " + Identifiers.quote(parts[2])
                + "::text FROM " + Identifiers.quoteQualified(parts[0] + "." + parts[1]))) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return Set.copyOf(values);
    }
}
