package dev.townhall.sync;

import dev.townhall.db.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** One statement as a database's owner, on a connection of its own: what the sync tests read and write with. */
final class OwnerSql {
    private OwnerSql() {
    }

    static void exec(Database db, String sql, Object... args) throws SQLException {
        try (Connection c = db.owner().connect(); PreparedStatement ps = prepare(c, sql, args)) {
            ps.execute();
        }
    }

    /** The first column of the first row as a number (a count, a clock value). */
    static long count(Database db, String sql, Object... args) throws SQLException {
        try (Connection c = db.owner().connect(); PreparedStatement ps = prepare(c, sql, args);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The first column of the first row as text, or null when there is no row. */
    static String text(Database db, String sql, Object... args) throws SQLException {
        try (Connection c = db.owner().connect(); PreparedStatement ps = prepare(c, sql, args);
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** A new copy of a database shares its template's node id: give it one of its own. */
    static void renewNode(Database db) throws SQLException {
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
