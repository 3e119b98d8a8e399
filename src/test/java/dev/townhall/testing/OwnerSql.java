package dev.townhall.testing;

import dev.townhall.db.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** One statement as a database's owner, on a connection of its own: what tests set up and check with. */
public final class OwnerSql {
    private OwnerSql() {
    }

    public static void exec(Database db, String sql, Object... args) throws SQLException {
        try (Connection c = db.owner().connect(); PreparedStatement ps = prepare(c, sql, args)) {
            ps.execute();
        }
    }

    /** The first column of the first row as a number (a count, a clock value). */
    public static long count(Database db, String sql, Object... args) throws SQLException {
        try (Connection c = db.owner().connect(); PreparedStatement ps = prepare(c, sql, args);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The first column of the first row as text, or null when there is no row. */
    public static String text(Database db, String sql, Object... args) throws SQLException {
        try (Connection c = db.owner().connect(); PreparedStatement ps = prepare(c, sql, args);
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** The first column of every row, as text, in the query's order. */
    public static List<String> texts(Database db, String sql, Object... args) throws SQLException {
        try (Connection c = db.owner().connect(); PreparedStatement ps = prepare(c, sql, args);
             ResultSet rs = ps.executeQuery()) {
            List<String> texts = new ArrayList<>();
            while (rs.next()) {
                texts.add(rs.getString(1));
            }
            return texts;
        }
    }

    /**
     * One statement in one transaction on the owner's connection, made by {@code user} acting in {@code town} (the
     * context change capture records as the writer's town); returns the rows it changed.
     */
    public static int execAs(Database db, String user, String town, String sql, Object... args) throws SQLException {
        try (Connection c = db.owner().connect()) {
            return execAs(c, user, town, sql, args);
        }
    }

    /** As {@link #execAs(Database, String, String, String, Object...)}, on a connection of the owner's that is reused. */
    public static int execAs(Connection c, String user, String town, String sql, Object... args) throws SQLException {
        c.setAutoCommit(false);
        try {
            try (PreparedStatement ps = prepare(c, """
                    SELECT set_config('townhall.user_id', u.id::text, true), set_config('townhall.town_id', t.id::text, true)
                    FROM core.users u JOIN core.towns t ON t.org_id = u.org_id WHERE u.handle = ? AND t.slug = ?""",
                    user, town); ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalArgumentException("no user " + user + " with a town " + town);
                }
            }
            int changed;
            try (PreparedStatement ps = prepare(c, sql, args)) {
                changed = ps.executeUpdate();
            }
            c.commit();
            return changed;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** A new copy of a database shares its template's node id: give it one of its own. */
    public static void renewNode(Database db) throws SQLException {
        exec(db, "SELECT sync.renew_local_node()");
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
        return ps;
    }
}
