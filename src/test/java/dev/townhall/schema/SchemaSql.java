package dev.townhall.schema;

import dev.townhall.db.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One owner connection for the schema tests, with the session time zone pinned to UTC (so "n days ago" and the
 * views' UTC days mean the same thing whatever the JVM's zone). The owner bypasses row-level security, so tests
 * write any town's rows explicitly. Statements take {@code ?} parameters; failures keep the SQL in the message.
 */
final class SchemaSql implements AutoCloseable {
    private final Connection connection;

    private SchemaSql(Connection connection) {
        this.connection = connection;
    }

    static SchemaSql owner(Database db) {
        SchemaSql sql = new SchemaSql(db.owner().connect());
        sql.exec("SET TIME ZONE 'UTC'");
        return sql;
    }

    Connection connection() {
        return connection;
    }

    /** Runs one statement (or several without parameters); returns the update count of the first. */
    int exec(String sql, Object... params) {
        try (PreparedStatement s = prepare(sql, params)) {
            s.execute();
            return Math.max(0, s.getUpdateCount());
        } catch (SQLException e) {
            throw new IllegalStateException(describe(sql, e), e);
        }
    }

    /** Like {@link #exec} but lets the {@link SQLException} through, for tests that expect one. */
    void execRaw(String sql) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            s.execute();
        }
    }

    List<Map<String, Object>> rows(String sql, Object... params) {
        try (PreparedStatement s = prepare(sql, params); ResultSet rs = s.executeQuery()) {
            ResultSetMetaData meta = rs.getMetaData();
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.put(meta.getColumnLabel(i), rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(describe(sql, e), e);
        }
    }

    /** The one row a query returns; fails on zero or several. */
    Map<String, Object> row(String sql, Object... params) {
        List<Map<String, Object>> rows = rows(sql, params);
        if (rows.size() != 1) {
            throw new IllegalStateException("expected one row, got " + rows.size() + " from: " + sql);
        }
        return rows.get(0);
    }

    /** The first column of the one row a query returns, converted by the driver to {@code type}. */
    <T> T value(Class<T> type, String sql, Object... params) {
        try (PreparedStatement s = prepare(sql, params); ResultSet rs = s.executeQuery()) {
            if (!rs.next()) {
                throw new IllegalStateException("no row from: " + sql);
            }
            T value = rs.getObject(1, type);
            if (rs.next()) {
                throw new IllegalStateException("more than one row from: " + sql);
            }
            return value;
        } catch (SQLException e) {
            throw new IllegalStateException(describe(sql, e), e);
        }
    }

    /** The first column of every row, as text. */
    List<String> texts(String sql, Object... params) {
        List<String> values = new ArrayList<>();
        for (Map<String, Object> row : rows(sql, params)) {
            Object v = row.values().iterator().next();
            values.add(v == null ? null : v.toString());
        }
        return values;
    }

    /** Runs {@code work} in a transaction that is always rolled back, so scenarios leave nothing behind. */
    void rolledBack(SqlWork work) {
        try {
            connection.setAutoCommit(false);
            try {
                work.run();
            } finally {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("transaction control failed: " + e.getMessage(), e);
        }
    }

    /** Runs {@code work} in one committed transaction (one {@code now()} for every statement in it). */
    void inTransaction(SqlWork work) {
        try {
            connection.setAutoCommit(false);
            boolean done = false;
            try {
                work.run();
                connection.commit();
                done = true;
            } finally {
                if (!done) {
                    connection.rollback();
                }
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("transaction control failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing a test connection twice or after the server went away changes nothing for the test
        }
    }

    private PreparedStatement prepare(String sql, Object... params) throws SQLException {
        PreparedStatement s = connection.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            s.setObject(i + 1, params[i]);
        }
        return s;
    }

    private static String describe(String sql, SQLException e) {
        return e.getSQLState() + " " + e.getMessage() + "\n  in: " + sql;
    }

    /** A block of test statements; may throw what AssertJ throws. */
    @FunctionalInterface
    interface SqlWork {
        void run();
    }
}
