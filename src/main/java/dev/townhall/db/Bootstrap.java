package dev.townhall.db;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import org.postgresql.PGConnection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Makes a server ready for migrations: the three TownHall roles, the database owned by the owner role, and the
 * extensions (which need a superuser, so migrations only assume them). Safe to run any number of times.
 */
public final class Bootstrap {
    /** Extensions TownHall needs; created here because most of them need a superuser. */
    public static final List<String> EXTENSIONS = List.of("vector", "pgcrypto", "pg_stat_statements", "citext");

    private Bootstrap() {
    }

    /** What {@link #ensure} changed; empty when everything was already in place. */
    public record Report(List<String> changes) {
    }

    public static Report ensure(Database db) {
        List<String> changes = new ArrayList<>();
        Endpoint admin = db.admin();
        try (Connection c = admin.connect()) {
            boolean superuser = isSuperuser(c);
            if (db.isLocal() || canCreateRoles(c)) {
                ensureRole(c, Database.OWNER_ROLE, db.isLocal() && superuser ? "LOGIN NOSUPERUSER NOCREATEROLE BYPASSRLS"
                        : "LOGIN", db.intendedPassword(Database.OWNER_ROLE), db.isLocal(), changes);
                ensureRole(c, Database.APP_ROLE, "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS",
                        db.intendedPassword(Database.APP_ROLE), true, changes);
                ensureRole(c, Database.ANALYTICS_ROLE, "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS",
                        db.intendedPassword(Database.ANALYTICS_ROLE), true, changes);
                ensureRole(c, Database.COMPAT_ROLE, "NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS",
                        Optional.empty(), true, changes);
            }
            if (db.isLocal() && !databaseExists(c, db.databaseName())) {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE DATABASE " + Identifiers.quote(db.databaseName()) + " OWNER "
                            + Identifiers.quote(Database.OWNER_ROLE));
                }
                changes.add("created database " + db.databaseName());
            }
        } catch (SQLException e) {
            throw failure(admin, e);
        }
        Endpoint inDatabase = admin.withDatabase(db.databaseName());
        try (Connection c = inDatabase.connect(); Statement s = c.createStatement()) {
            for (String extension : EXTENSIONS) {
                if (!extensionInstalled(c, extension)) {
                    s.execute("CREATE EXTENSION IF NOT EXISTS " + Identifiers.quote(extension));
                    changes.add("created extension " + extension);
                }
            }
            if (isSuperuser(c)) {
                // All towns share the application role, and PostgreSQL shows a role's own statements to every
                // session of it, utility statements (COPY …) with their literals: statement statistics are for
                // the operator, not for the application.
                s.execute("REVOKE ALL ON pg_stat_statements, pg_stat_statements_info FROM PUBLIC");
                s.execute("REVOKE ALL ON FUNCTION pg_stat_statements(boolean) FROM PUBLIC");
                String owner = Identifiers.quote(Database.OWNER_ROLE);
                s.execute("GRANT SELECT ON pg_stat_statements, pg_stat_statements_info TO " + owner);
                s.execute("GRANT EXECUTE ON FUNCTION pg_stat_statements(boolean) TO " + owner);
                // ./townhall doctor reads as the owner: without this, pg_stat_activity hides other roles' transaction
                // starts (the application's long transactions) and pg_stat_statements their statement texts
                s.execute("GRANT pg_read_all_stats TO " + owner);
            }
            if (db.isLocal()) {
                String name = Identifiers.quote(db.databaseName());
                s.execute("REVOKE ALL ON DATABASE " + name + " FROM PUBLIC");
                s.execute("GRANT CONNECT, TEMPORARY ON DATABASE " + name + " TO " + Identifiers.quote(Database.APP_ROLE)
                        + ", " + Identifiers.quote(Database.ANALYTICS_ROLE));
                s.execute("GRANT CONNECT ON DATABASE " + name + " TO " + Identifiers.quote(Database.COMPAT_ROLE));
            }
        } catch (SQLException e) {
            throw failure(inDatabase, e);
        }
        return new Report(List.copyOf(changes));
    }

    private static void ensureRole(Connection c, String role, String attributes, Optional<String> password,
                                   boolean manageAttributes, List<String> changes) throws SQLException {
        boolean exists;
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
            ps.setString(1, role);
            try (ResultSet rs = ps.executeQuery()) {
                exists = rs.next();
            }
        }
        try (Statement s = c.createStatement()) {
            if (!exists) {
                s.execute("CREATE ROLE " + Identifiers.quote(role) + " " + attributes);
                changes.add("created role " + role);
            } else if (manageAttributes) {
                s.execute("ALTER ROLE " + Identifiers.quote(role) + " " + attributes);
            }
        }
        if (password.isPresent()) {
            // hashed on the client (SCRAM), so the password never appears in SQL text or the server log
            c.unwrap(PGConnection.class).alterUserPassword(role, password.get().toCharArray(), "scram-sha-256");
        }
    }

    private static boolean isSuperuser(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    private static boolean canCreateRoles(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    private static boolean databaseExists(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static boolean extensionInstalled(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_extension WHERE extname = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }


    private static TownHallException failure(Endpoint where, SQLException e) {
        if ("0A000".equals(e.getSQLState()) || "58P01".equals(e.getSQLState())) {
            return new TownHallException(ErrorCode.BINARIES_MISSING, "an extension TownHall needs is not installed on "
                    + where.host() + ":" + where.port() + " (" + e.getMessage() + "); run scripts/install-deps", e);
        }
        if ("42501".equals(e.getSQLState())) {
            return new TownHallException(ErrorCode.FORBIDDEN, where.user() + " may not prepare the TownHall database ("
                    + e.getMessage() + "); connect as a user that owns it or can create roles and extensions", e);
        }
        return new TownHallException(ErrorCode.INTERNAL, "preparing " + where.describe() + " failed: " + e.getMessage(), e);
    }
}
