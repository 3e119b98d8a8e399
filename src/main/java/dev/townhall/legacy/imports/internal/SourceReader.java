package dev.townhall.legacy.imports.internal;

import dev.townhall.db.Identifiers;
import dev.townhall.legacy.imports.internal.Mapping.TableMap;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams one legacy table in key order through a server-side cursor (pgjdbc fetch size), optionally starting
 * after a checkpoint, only rows changed since a moment, or only the latest N rows. Rows of a table without a
 * unique key are numbered within their key by content hash, which gives each a stable source id.
 */
public final class SourceReader implements AutoCloseable {
    static final int FETCH_SIZE = 500;

    /**
     * What to read. {@code afterKey}/{@code afterOrdinal}: resume after this row; {@code since}: changed since;
     * {@code keys}: only the rows with these keys (null: every key).
     */
    public record Selection(String afterKey, long afterOrdinal, Instant since, Integer latest, List<String> keys) {
        public static final Selection ALL = new Selection(null, 0, null, null, null);

        public Selection(String afterKey, long afterOrdinal, Instant since, Integer latest) {
            this(afterKey, afterOrdinal, since, latest, null);
        }

        public Selection {
            keys = keys == null ? null : List.copyOf(keys);
        }

        public Selection after(String key, long ordinal) {
            return new Selection(key, ordinal, since, latest, keys);
        }

        /** Only the rows with these keys (as the table holds them). */
        public static Selection keys(List<String> keys) {
            return new Selection(null, 0, null, null, keys);
        }
    }

    private final Prepared.Table table;
    private final PreparedStatement statement;
    private final ResultSet rs;
    private final int columns;

    private SourceReader(Prepared.Table table, PreparedStatement statement, ResultSet rs) {
        this.table = table;
        this.statement = statement;
        this.rs = rs;
        this.columns = table.source.columns().size();
    }

    /** Opens the cursor; {@code c} must not be in autocommit mode (a cursor needs a transaction). */
    public static SourceReader open(Connection c, Prepared.Table table, Selection selection) throws SQLException {
        List<Object> params = new ArrayList<>();
        String sql = select(table, selection, params, false);
        PreparedStatement ps = c.prepareStatement(sql);
        ps.setFetchSize(FETCH_SIZE);
        for (int i = 0; i < params.size(); i++) {
            ps.setObject(i + 1, params.get(i));
        }
        try {
            return new SourceReader(table, ps, ps.executeQuery());
        } catch (SQLException e) {
            ps.close();
            throw e;
        }
    }

    /** How many rows the selection holds (ignoring where it resumes). */
    public static long count(Connection c, Prepared.Table table, Selection selection) throws SQLException {
        List<Object> params = new ArrayList<>();
        String sql = "SELECT count(*) FROM (" + select(table, new Selection(null, 0, selection.since(),
                selection.latest()), params, true) + ") n";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Every source id of the table, in key order (for the reconciliation). */
    public static List<String> sourceIds(Connection c, Prepared.Table table) throws SQLException {
        TableMap t = table.map;
        String key = Identifiers.quote(t.key());
        String sql = t.keyUnique()
                ? "SELECT " + key + "::text, 1 FROM " + Identifiers.quote(t.table()) + " ORDER BY " + key
                : "SELECT coalesce(" + key + "::text, ''), row_number() OVER (PARTITION BY coalesce(" + key
                + "::text, '') ORDER BY md5(t::text)) FROM " + Identifiers.quote(t.table()) + " t";
        List<String> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setFetchSize(10_000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(SourceRow.sourceId(rs.getString(1), rs.getLong(2), t.keyUnique()));
                }
            }
        }
        return ids;
    }

    /** Per row, in key order: its source id and the named columns' values (only those are sent). */
    public static List<String[]> columns(Connection c, Prepared.Table table, List<String> columns) throws SQLException {
        List<Object> params = new ArrayList<>();
        String inner = select(table, Selection.ALL, params, false);
        StringBuilder sql = new StringBuilder("SELECT q.__k, q.__n");
        for (String col : columns) {
            sql.append(", q.").append(Identifiers.quote(col)).append("::text");
        }
        sql.append(" FROM (").append(inner).append(") q");
        List<String[]> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            ps.setFetchSize(10_000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String[] row = new String[columns.size() + 1];
                    row[0] = SourceRow.sourceId(rs.getString(1), rs.getLong(2), table.map.keyUnique());
                    for (int i = 0; i < columns.size(); i++) {
                        row[i + 1] = rs.getString(i + 3);
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    private static String select(Prepared.Table table, Selection sel, List<Object> params, boolean forCount) {
        TableMap t = table.map;
        String key = "t." + Identifiers.quote(t.key());
        String keyType = table.source.column(t.key()).orElseThrow().type();
        String k = t.keyUnique() ? key + "::text" : "coalesce(" + key + "::text, '')";
        String n = t.keyUnique() ? "1::bigint" : "row_number() OVER (PARTITION BY coalesce(" + key
                + "::text, '') ORDER BY md5(t::text))";
        String order = t.keyUnique() ? key : k;
        StringBuilder inner = new StringBuilder("SELECT t.*, ").append(k).append(" AS __k, ").append(n)
                .append(" AS __n, ").append(order).append(" AS __ord");
        if (sel.latest() != null) {
            String recency = t.latestBy() == null ? "" : "t." + Identifiers.quote(t.latestBy()) + " DESC NULLS LAST, ";
            inner.append(", row_number() OVER (ORDER BY ").append(recency).append(order).append(" DESC, md5(t::text))")
                    .append(" AS __recent");
        }
        inner.append(" FROM ").append(Identifiers.quote(t.table())).append(" t");
        StringBuilder sql = new StringBuilder("SELECT * FROM (").append(inner).append(") s WHERE true");
        if (sel.afterKey() != null) {
            if (t.keyUnique()) {
                sql.append(" AND s.__ord > CAST(? AS ").append(keyType).append(")");
                params.add(sel.afterKey());
            } else {
                sql.append(" AND (s.__ord, s.__n) > (?, ?)");
                params.add(sel.afterKey());
                params.add(sel.afterOrdinal());
            }
        }
        if (sel.since() != null && t.changedAt() != null) {
            String col = "s." + Identifiers.quote(t.changedAt());
            String type = table.source.column(t.changedAt()).orElseThrow().type();
            switch (t.changedAtUnit()) {
                case EPOCH_MILLIS -> {
                    sql.append(" AND ").append(col).append(" >= ?");
                    params.add(sel.since().toEpochMilli());
                }
                case EPOCH_SECONDS -> {
                    sql.append(" AND ").append(col).append(" >= ?");
                    params.add(sel.since().getEpochSecond());
                }
                default -> {
                    String bound = "CAST(? AS timestamptz)";
                    if (!type.equals("timestamptz")) {
                        bound = "(" + bound + " AT TIME ZONE '" + t.zone().getId().replace("'", "''") + "')";
                        if (type.equals("date")) {
                            bound = bound + "::date";
                        }
                    }
                    sql.append(" AND ").append(col).append(" >= ").append(bound);
                    params.add(sel.since().toString());
                }
            }
        }
        if (sel.latest() != null) {
            sql.append(" AND s.__recent <= ?");
            params.add(sel.latest().longValue());
        }
        if (sel.keys() != null) {
            // after the numbering of repeated keys above, so a row keeps the source id a full read gives it
            sql.append(" AND s.__k = ANY (?)");
            params.add(sel.keys().toArray(String[]::new));
        }
        if (!forCount) {
            sql.append(" ORDER BY s.__ord, s.__n");
        }
        return sql.toString();
    }

    /** The next row, or null at the end. */
    public SourceRow next() throws SQLException {
        if (!rs.next()) {
            return null;
        }
        String[] values = new String[columns];
        for (int i = 0; i < columns; i++) {
            values[i] = rs.getString(i + 1);
        }
        return new SourceRow(rs.getString(columns + 1), rs.getLong(columns + 2), table.map.keyUnique(), values, null);
    }

    @Override
    public void close() throws SQLException {
        try {
            rs.close();
        } finally {
            statement.close();
        }
    }
}
