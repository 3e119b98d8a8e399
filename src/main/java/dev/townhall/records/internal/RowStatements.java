package dev.townhall.records.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Identifiers;
import dev.townhall.records.ListQuery;
import dev.townhall.records.Page;
import dev.townhall.records.Row;
import dev.townhall.records.Sort;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.SqlStatement;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The SQL of every operation on one resource's table, run on a handle the caller's town context already set up.
 * Identifiers come only from the {@link TableShape} (quoted by {@link Identifiers}); values only as bind parameters.
 */
public final class RowStatements {
    /** An xid is an unsigned 32-bit number; anything else can never be a row's version. */
    private static final Pattern VERSION = Pattern.compile("[0-9]{1,10}");
    private static final long MAX_XID = 0xFFFF_FFFFL;
    private static final TypeReference<LinkedHashMap<String, Object>> OBJECT = new TypeReference<>() {
    };

    private final TableShape shape;
    private final String table;

    public RowStatements(TableShape shape) {
        this.shape = shape;
        this.table = Identifiers.quoteQualified(shape.table());
    }

    public TableShape shape() {
        return shape;
    }

    // ---- reads ---------------------------------------------------------------------------------------------

    public Page list(Handle h, ListQuery query) {
        List<String> columns = selectedColumns(query.fields());
        Sort sort = query.sort().orElse(shape.defaultSort());
        requireSortable(sort);
        List<String> where = new ArrayList<>();
        Map<String, String> binds = new LinkedHashMap<>();
        int n = 0;
        for (Map.Entry<String, String> filter : query.filters().entrySet()) {
            ColumnShape column = requireFilterable(filter.getKey());
            String param = "f" + n++;
            probe(h, column, param, filter.getValue(), true, () -> TownHallException.forField(ErrorCode.INVALID_INPUT,
                    filter.getKey(), "filter " + filter.getKey() + "='" + filter.getValue() + "' is not a valid "
                            + column.declaredType()));
            where.add("t." + Identifiers.quote(column.name()) + " = " + ColumnValues.expression(column, param));
            binds.put(param, filter.getValue());
        }
        boolean byId = sort.column().equals(TableShape.ID);
        String direction = sort.descending() ? "DESC" : "ASC";
        String after = sort.descending() ? "<" : ">";
        if (query.cursor().isPresent()) {
            Cursor cursor = Cursor.decode(query.cursor().get(), shape.resource(), sort);
            binds.put("after_id", cursor.id().toString());
            if (byId) {
                where.add("t.id " + after + " CAST(:after_id AS uuid)");
            } else {
                ColumnShape column = shape.column(sort.column());
                probe(h, column, "after_value", cursor.sortValue(), true, () -> TownHallException.forField(
                        ErrorCode.INVALID_INPUT, "cursor", "the cursor's position is not a valid " + column.declaredType()));
                where.add("(t." + Identifiers.quote(column.name()) + ", t.id) " + after + " ("
                        + ColumnValues.expression(column, "after_value") + ", CAST(:after_id AS uuid))");
                binds.put("after_value", cursor.sortValue());
            }
        }
        String sortColumn = "t." + Identifiers.quote(sort.column());
        String sql = "SELECT " + selectList(columns) + (byId ? "" : ", " + sortColumn + "::text AS sort_value")
                + " FROM " + table + " t"
                + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                + " ORDER BY " + (byId ? "" : sortColumn + " " + direction + ", ") + "t.id " + direction
                + " LIMIT :limit";
        var statement = h.createQuery(sql).bind("limit", query.limit() + 1);
        bindAll(statement, binds);
        List<Map.Entry<Row, String>> rows = statement
                .map((rs, ctx) -> Map.entry(ROW.map(rs, ctx), byId ? "" : rs.getString("sort_value")))
                .list();
        if (rows.size() <= query.limit()) {
            return new Page(rows.stream().map(Map.Entry::getKey).toList(), Optional.empty());
        }
        Map.Entry<Row, String> last = rows.get(query.limit() - 1);
        Cursor next = new Cursor(shape.resource(), sort.toString(), byId ? null : last.getValue(), last.getKey().id());
        return new Page(rows.subList(0, query.limit()).stream().map(Map.Entry::getKey).toList(),
                Optional.of(next.encode()));
    }

    public Optional<Row> get(Handle h, UUID id) {
        return h.createQuery("SELECT " + selectList(allColumns()) + " FROM " + table + " t WHERE t.id = :id")
                .bind("id", id).map(ROW).findOne();
    }

    /** The row's current version as the caller sees it; empty when the caller cannot see the row. */
    public Optional<String> currentVersion(Handle h, UUID id) {
        return h.createQuery("SELECT t.xmin::text FROM " + table + " t WHERE t.id = :id")
                .bind("id", id).mapTo(String.class).findOne();
    }

    // ---- writes --------------------------------------------------------------------------------------------

    /** Checks a body against the writable columns: every property known, writable and of the column's JSON type. */
    public void checkBody(Map<String, Object> body) {
        for (Map.Entry<String, Object> property : body.entrySet()) {
            String name = property.getKey();
            if (!shape.writableColumns().contains(name)) {
                String why = shape.columns().containsKey(name) ? "'" + name + "' is set by the database, not by a body"
                        : "unknown property '" + name + "' for " + shape.resource();
                throw TownHallException.forField(ErrorCode.INVALID_INPUT, name, why + "; writable: "
                        + String.join(", ", shape.writableColumns()));
            }
            ColumnValues.checkShape(shape.column(name), property.getValue(), name);
        }
    }

    public Row insert(Handle h, Map<String, Object> body) {
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        if (shape.orgColumn()) {
            names.add("org_id");
            values.add("(SELECT core.acting_org_id())");
        }
        if (shape.townColumn()) {
            names.add("town_id");
            values.add("(SELECT core.acting_town_id())");
        }
        Map<String, String> binds = new LinkedHashMap<>();
        int n = 0;
        for (String name : shape.writableColumns()) {
            if (body.containsKey(name)) {
                String param = "v" + n++;
                names.add(Identifiers.quote(name));
                values.add(writeValue(h, name, param, body.get(name), binds));
            }
        }
        String sql = "INSERT INTO " + table + " AS t "
                + (names.isEmpty() ? "DEFAULT VALUES" : "(" + String.join(", ", names) + ") VALUES ("
                + String.join(", ", values) + ")")
                + " RETURNING " + selectList(allColumns());
        var statement = h.createQuery(sql);
        bindAll(statement, binds);
        return statement.map(ROW).one();
    }

    /**
     * Changes the row if its version is still {@code version}: the given columns, or with {@code replace} every
     * writable column (those not given back to their default). Empty when no row with that id and version could be
     * changed; {@link #currentVersion} tells why.
     */
    public Optional<Row> update(Handle h, UUID id, String version, Map<String, Object> changes, boolean replace) {
        if (!isXid(version)) {
            return Optional.empty();
        }
        List<String> assignments = new ArrayList<>();
        Map<String, String> binds = new LinkedHashMap<>();
        int n = 0;
        for (String name : shape.writableColumns()) {
            String column = Identifiers.quote(name);
            if (changes.containsKey(name)) {
                String param = "v" + n++;
                assignments.add(column + " = " + writeValue(h, name, param, changes.get(name), binds));
            } else if (replace) {
                assignments.add(column + " = DEFAULT");
            }
        }
        if (assignments.isEmpty()) {
            // nothing to change: answer as an update would, without making a new row version
            return get(h, id).filter(row -> row.version().equals(version));
        }
        String sql = "UPDATE " + table + " AS t SET " + String.join(", ", assignments)
                + " WHERE t.id = :id AND t.xmin = CAST(:version AS xid) RETURNING " + selectList(allColumns());
        var statement = h.createQuery(sql).bind("id", id).bind("version", version);
        bindAll(statement, binds);
        return statement.map(ROW).findOne();
    }

    /** Deletes the row if its version is still {@code version}; false when no such row could be deleted. */
    public boolean delete(Handle h, UUID id, String version) {
        if (!isXid(version)) {
            return false;
        }
        return h.createUpdate("DELETE FROM " + table + " AS t WHERE t.id = :id AND t.xmin = CAST(:version AS xid)")
                .bind("id", id).bind("version", version).execute() > 0;
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private String writeValue(Handle h, String name, String param, Object value, Map<String, String> binds) {
        ColumnShape column = shape.column(name);
        String text = ColumnValues.bindText(column, value);
        probe(h, column, param, text, false, null);
        binds.put(param, text);
        return ColumnValues.expression(column, param);
    }

    /**
     * Converts {@code text} to the column's type on its own, when that can fail, so the value at fault is named:
     * refused with {@code refusal} when given, else as {@code UNPROCESSABLE} naming the column. Text from a URL
     * ({@code fromUrl}) can also fail to be a boolean; a JSON boolean never does.
     */
    private void probe(Handle h, ColumnShape column, String param, String text, boolean fromUrl,
                       Supplier<TownHallException> refusal) {
        boolean canFail = column.castCanFail() || (fromUrl && column.kind() == ColumnShape.Kind.BOOLEAN);
        if (text == null || !canFail) {
            return;
        }
        try {
            h.createQuery("SELECT " + ColumnValues.expression(column, param) + " IS NULL").bind(param, text)
                    .mapTo(Boolean.class).one();
        } catch (JdbiException e) {
            if (refusal != null) {
                throw refusal.get();
            }
            RuntimeException translated = DatabaseErrors.translate(e, shape, List.of(column.name()));
            if (translated instanceof TownHallException named && named.field().isEmpty()) {
                throw TownHallException.forField(named.code(), column.name(), column.name() + ": " + named.getMessage(), e);
            }
            throw translated;
        }
    }

    private static void bindAll(SqlStatement<?> statement, Map<String, String> binds) {
        binds.forEach(statement::bind);
    }

    private static boolean isXid(String version) {
        return version != null && VERSION.matcher(version).matches() && Long.parseLong(version) <= MAX_XID;
    }

    private List<String> allColumns() {
        return List.copyOf(shape.columns().keySet());
    }

    private List<String> selectedColumns(Optional<List<String>> fields) {
        if (fields.isEmpty()) {
            return allColumns();
        }
        List<String> unknown = fields.get().stream().filter(f -> !shape.columns().containsKey(f)).toList();
        if (!unknown.isEmpty()) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, "fields", "unknown field '" + unknown.get(0)
                    + "' for " + shape.resource() + "; fields: " + String.join(", ", shape.columns().keySet()));
        }
        List<String> columns = new ArrayList<>();
        columns.add(TableShape.ID);
        shape.columns().keySet().stream()
                .filter(c -> !c.equals(TableShape.ID) && fields.get().contains(c))
                .forEach(columns::add);
        return columns;
    }

    private ColumnShape requireFilterable(String name) {
        if (!shape.filterable().contains(name)) {
            String why = shape.columns().containsKey(name)
                    ? "'" + name + "' cannot be filtered: filters need a column that leads an index"
                    : "unknown filter '" + name + "' for " + shape.resource();
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, name, why + "; filterable: "
                    + String.join(", ", shape.filterable()));
        }
        return shape.column(name);
    }

    private void requireSortable(Sort sort) {
        if (!shape.sortable().contains(sort.column())) {
            String why = shape.columns().containsKey(sort.column())
                    ? "cannot sort by '" + sort.column() + "': sorting needs a never-null column that leads an index"
                    : "unknown sort column '" + sort.column() + "'";
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, "sort", why + "; sortable: "
                    + String.join(", ", shape.sortable()));
        }
    }

    /** The id, the version and the chosen columns as one JSON object, built by PostgreSQL in column order. */
    private static String selectList(List<String> columns) {
        StringBuilder sql = new StringBuilder("t.id AS id, t.xmin::text AS version, (SELECT row_to_json(v) FROM (SELECT ");
        for (int i = 0; i < columns.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("t.").append(Identifiers.quote(columns.get(i)));
        }
        return sql.append(") v) AS doc").toString();
    }

    private static final RowMapper<Row> ROW = (rs, ctx) -> {
        try {
            Map<String, Object> values = ColumnValues.JSON.readValue(rs.getString("doc"), OBJECT);
            return new Row(rs.getObject("id", UUID.class), rs.getString("version"), Collections.unmodifiableMap(values));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("PostgreSQL's row_to_json gave JSON Jackson cannot read", e);
        }
    };
}
