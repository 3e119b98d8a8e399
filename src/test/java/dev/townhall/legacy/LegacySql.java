package dev.townhall.legacy;

import dev.townhall.db.Endpoint;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small query helpers for the legacy tests: each call opens its own connection to the database named. */
public final class LegacySql {
    private LegacySql() {
    }

    public static long count(Endpoint db, String sql) {
        return Long.parseLong(text(db, sql));
    }

    /** Runs {@code setup} and then the query on one connection (for session-local objects such as pg_temp functions). */
    public static long count(Endpoint db, String setup, String sql) {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute(setup);
            try (ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed: " + e.getMessage(), e);
        }
    }

    public static String text(Endpoint db, String sql) {
        List<String> values = column(db, sql);
        if (values.size() != 1) {
            throw new IllegalStateException("expected one row from " + sql + ", got " + values.size());
        }
        return values.get(0);
    }

    /** The first column of every row. */
    public static List<String> column(Endpoint db, String sql) {
        List<String> values = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed: " + e.getMessage(), e);
        }
        return values;
    }

    public static void execute(Endpoint db, String sql) {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed: " + e.getMessage(), e);
        }
    }

    /** An md5 of each table's full content (every column of every row, duplicates included, order ignored). */
    public static Map<String, String> contentHashes(Endpoint db, List<String> tables) {
        Map<String, String> hashes = new LinkedHashMap<>();
        for (String table : tables) {
            hashes.put(table, text(db, "SELECT md5(string_agg(md5(t::text), '' ORDER BY md5(t::text))) FROM "
                    + table + " t"));
        }
        return hashes;
    }

    /** Drops the database if it is there; tests call it before and after, so reruns start clean. */
    public static void dropDatabase(Endpoint admin, String name) {
        execute(admin, "DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
    }

    public static boolean databaseExists(Endpoint admin, String name) {
        return count(admin, "SELECT count(*) FROM pg_database WHERE datname = '" + name + "'") == 1;
    }
}
