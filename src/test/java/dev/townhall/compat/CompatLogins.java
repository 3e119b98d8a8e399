package dev.townhall.compat;

import dev.townhall.db.Database;
import dev.townhall.db.Identifiers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one way the compatibility tests log in as an old app: a throwaway LOGIN role in {@code townhall_compat} whose
 * search path is one compatibility schema, with the user and town set for the session as the application sets its
 * context. Stand-in for the bound logins of {@code ./townhall logins}; at merge this body becomes a call to that
 * service, and every compatibility test keeps going through here.
 */
final class CompatLogins {
    private static final AtomicInteger LOGINS = new AtomicInteger();

    private CompatLogins() {
    }

    /** A connection as a new login bound to {@code userHandle} in {@code townSlug}, reading {@code schema} first. */
    static Connection connect(Database db, String userHandle, String townSlug, String schema) throws SQLException {
        UUID user;
        UUID town;
        try (Connection owner = db.owner().connect()) {
            user = lookup(owner, "SELECT id FROM core.users WHERE handle = ?", userHandle);
            town = lookup(owner, "SELECT id FROM core.towns WHERE slug = ?", townSlug);
        }
        String role = "compat_" + userHandle.replaceAll("[^a-z0-9]", "_") + "_" + LOGINS.incrementAndGet();
        String password = UUID.randomUUID().toString();
        try (Connection admin = db.admin().connect(); Statement s = admin.createStatement()) {
            s.execute("CREATE ROLE " + Identifiers.quote(role) + " LOGIN PASSWORD '" + password + "' IN ROLE "
                    + Identifiers.quote(Database.COMPAT_ROLE));
            s.execute("ALTER ROLE " + Identifiers.quote(role) + " IN DATABASE " + Identifiers.quote(db.databaseName())
                    + " SET search_path = " + Identifiers.quote(schema) + ", public");
        }
        Connection c = db.admin().withDatabase(db.databaseName()).as(role, password).connect();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT set_config('townhall.user_id', ?, false), set_config('townhall.town_id', ?, false)")) {
            ps.setString(1, user.toString());
            ps.setString(2, town.toString());
            ps.executeQuery().close();
        }
        return c;
    }

    private static UUID lookup(Connection owner, String sql, String key) throws SQLException {
        try (PreparedStatement ps = owner.prepareStatement(sql)) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalArgumentException("no row for " + key + ": " + sql);
                }
                return rs.getObject(1, UUID.class);
            }
        }
    }
}
