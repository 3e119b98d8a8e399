package dev.townhall.towns;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** Plain JDBC for the isolation tests: parameters by position, rows as Object[]; nothing clever. */
final class Sql {
    static final UUID ORG = UUID.fromString("00000000-0000-4000-8000-000000000001");
    static final UUID AURORA = UUID.fromString("00000000-0000-4000-8000-00000000000a");
    static final UUID FLUENTI = UUID.fromString("00000000-0000-4000-8000-00000000000f");
    static final UUID COLLABORATION = UUID.fromString("00000000-0000-4000-8000-00000000000c");

    private Sql() {
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, params)) {
            return ps.executeUpdate();
        }
    }

    static List<Object[]> rows(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
            int n = rs.getMetaData().getColumnCount();
            List<Object[]> out = new ArrayList<>();
            while (rs.next()) {
                Object[] row = new Object[n];
                for (int i = 0; i < n; i++) {
                    Object value = rs.getObject(i + 1);
                    row[i] = value instanceof Array array ? array.getArray() : value;
                }
                out.add(row);
            }
            return out;
        }
    }

    @SuppressWarnings("unchecked")
    static <T> List<T> column(Connection c, String sql, Object... params) throws SQLException {
        List<T> out = new ArrayList<>();
        for (Object[] row : rows(c, sql, params)) {
            out.add((T) row[0]);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static <T> T one(Connection c, String sql, Object... params) throws SQLException {
        List<Object[]> rows = rows(c, sql, params);
        if (rows.size() != 1) {
            throw new IllegalStateException("expected one row from " + sql + ", got " + rows.size());
        }
        return (T) rows.get(0)[0];
    }

    static long count(Connection c, String sql, Object... params) throws SQLException {
        return ((Number) one(c, sql, params)).longValue();
    }

    /** Sets the town context for the current transaction, exactly as {@link TownContext} does. */
    static void enter(Connection c, UUID user, UUID town) throws SQLException {
        rows(c, "SELECT set_config('townhall.user_id', ?, true), set_config('townhall.town_id', ?, true)",
                user == null ? "" : user.toString(), town == null ? "" : town.toString());
    }

    static Array uuids(Connection c, Collection<UUID> ids) throws SQLException {
        return c.createArrayOf("uuid", ids.toArray());
    }

    /** A SQL string literal (for values the tests make up themselves, never for input from outside). */
    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
        return ps;
    }
}
