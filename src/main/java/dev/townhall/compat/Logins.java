package dev.townhall.compat;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Database;
import dev.townhall.db.Endpoint;
import dev.townhall.db.Identifiers;
import dev.townhall.towns.Town;
import dev.townhall.towns.Towns;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.postgresql.PGConnection;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Bound logins for old services ({@code ./townhall logins}): a database login that acts as one user in one town,
 * whatever it sets. Each is a LOGIN role in the group {@value Database#COMPAT_ROLE} (whose grants reach the
 * compatibility schemas and nothing else), with its {@code search_path} set to one compatibility schema in the
 * TownHall database, and a row in {@code core.login_bindings} naming its user and town; the context functions read
 * that row through {@code session_user} and ignore the {@code townhall.*} settings for such a login.
 *
 * <p>Roles are made and dropped through the administrator endpoint (the owner role cannot create roles), the role,
 * its setting, its binding and the audit row in one transaction. Works on the pools of the {@link Towns} it is made
 * on for lookups; it opens none of its own.
 */
public final class Logins {
    /** The schema a login sees unless told otherwise: the old Aurora app's. */
    public static final String DEFAULT_SCHEMA = "aurora_compat";
    /** The compatibility schemas a login may have as its search_path, one per old app. */
    public static final List<String> SCHEMAS = List.of(DEFAULT_SCHEMA, "backend_compat", "extension_compat");
    /** What {@code core.login_bindings} accepts: lower-case, a letter first, at most PostgreSQL's 63 bytes. */
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{2,62}");
    /** Prefixes of PostgreSQL's own roles and of TownHall's, which a login must never be mistaken for. */
    private static final Pattern RESERVED = Pattern.compile("(pg_|townhall_).*");
    private static final int PASSWORD_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Database db;
    private final Towns towns;

    private Logins(Database db, Towns towns) {
        this.db = db;
        this.towns = towns;
    }

    /** Bound logins of the database {@code db}, for the organisation {@code towns} works in. */
    public static Logins on(Database db, Towns towns) {
        return new Logins(db, towns);
    }

    /**
     * Makes the login {@code name} acting as {@code userRef} (handle, username or email) in {@code townSlug}, where
     * the user must be an active member; {@code schema} (default {@value #DEFAULT_SCHEMA}) becomes its
     * search_path; {@code readOnly} makes it act as a viewer. Every check comes first: a mistake creates nothing.
     * The URL returned holds a random password that is stored nowhere (the server keeps a SCRAM verifier).
     */
    public CreatedLogin create(String name, String userRef, String townSlug, Optional<String> schema, boolean readOnly) {
        String login = requireName(name);
        String searchSchema = schema.map(String::strip).orElse(DEFAULT_SCHEMA);
        if (!SCHEMAS.contains(searchSchema)) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, "schema", "a login's schema must be one of "
                    + String.join(", ", SCHEMAS) + "; got '" + searchSchema + "'");
        }
        UUID user = towns.userId(userRef);
        Town town = towns.town(townSlug);
        if (!isActiveMember(user, town.id())) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, "town", userRef + " is not an active member of "
                    + townSlug + "; a login acts as its user in its town (add a membership with ./townhall members add)");
        }
        if (roleExists(login)) {
            throw nameTaken(login);
        }
        String password = newPassword();
        LoginInfo info = inAdminTransaction(h -> {
            h.execute("CREATE ROLE " + Identifiers.quote(login) + " LOGIN INHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE"
                    + " NOREPLICATION NOBYPASSRLS IN ROLE " + Identifiers.quote(Database.COMPAT_ROLE));
            // hashed on the client (SCRAM), so the password never appears in SQL text or the server log
            h.getConnection().unwrap(PGConnection.class).alterUserPassword(login, password.toCharArray(), "scram-sha-256");
            h.execute("ALTER ROLE " + Identifiers.quote(login) + " IN DATABASE " + Identifiers.quote(db.databaseName())
                    + " SET search_path = " + Identifiers.quote(searchSchema) + ", public");
            UUID id = h.createQuery("""
                            INSERT INTO core.login_bindings (role_name, org_id, town_id, user_id, read_only, schema_name)
                            VALUES (:name, :org, :town, :user, :readOnly, :schema) RETURNING id""")
                    .bind("name", login).bind("org", towns.orgId()).bind("town", town.id()).bind("user", user)
                    .bind("readOnly", readOnly).bind("schema", searchSchema)
                    .mapTo(UUID.class).one();
            towns.audit(h, town.id(), "login.create", "core.login_bindings", id);
            return find(h, login).orElseThrow();
        });
        Endpoint admin = db.admin();
        return new CreatedLogin(info, "postgresql://" + login + ":" + password + "@" + admin.host() + ":" + admin.port()
                + "/" + db.databaseName());
    }

    /** Every bound login of the organisation, by name. */
    public List<LoginInfo> list() {
        return towns.ownerJdbi().withHandle(h -> infos(h, Optional.empty()));
    }

    /**
     * Drops the bound login {@code name} and its binding; its open sessions are ended, and its URL no longer
     * connects. {@link ErrorCode#NOT_FOUND} for any name that is not a bound login of this organisation (so no other
     * role can be dropped through here).
     */
    public LoginInfo revoke(String name) {
        String login = name == null ? "" : name.strip();
        LoginInfo info = towns.ownerJdbi().withHandle(h -> find(h, login)).orElseThrow(() -> new TownHallException(
                ErrorCode.NOT_FOUND, "no bound login '" + login + "' (see ./townhall logins list)"));
        Optional<Long> roleOid = inAdminTransaction(h -> {
            UUID id = h.createQuery("""
                            DELETE FROM core.login_bindings WHERE role_name = :name AND org_id = :org
                            RETURNING id""")
                    .bind("name", login).bind("org", towns.orgId()).mapTo(UUID.class).one();
            Optional<Long> oid = h.createQuery("SELECT oid::bigint FROM pg_roles WHERE rolname = :name")
                    .bind("name", login).mapTo(Long.class).findOne();
            h.execute("DROP ROLE IF EXISTS " + Identifiers.quote(login));
            towns.audit(h, towns.town(info.town()).id(), "login.revoke", "core.login_bindings", id);
            return oid;
        });
        // after the commit, so no session can start in between; a dropped role's open sessions would live on
        roleOid.ifPresent(oid -> inAdminTransaction(h -> h.createQuery("SELECT count(pg_terminate_backend(pid))"
                + " FROM pg_stat_activity WHERE usesysid = CAST(:oid AS oid)").bind("oid", oid).mapTo(Long.class).one()));
        return info;
    }

    private static String requireName(String name) {
        String login = name == null ? "" : name.strip();
        if (!NAME.matcher(login).matches()) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, "name", "a login's name must be 3 to 63 lower-case"
                    + " letters, digits or '_', starting with a letter; got '" + login + "'");
        }
        if (RESERVED.matcher(login).matches()) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, "name", "'" + login + "' is reserved: names"
                    + " starting with pg_ or townhall_ belong to PostgreSQL and TownHall");
        }
        return login;
    }

    private static TownHallException nameTaken(String login) {
        return TownHallException.forField(ErrorCode.INVALID_INPUT, "name", "a database role named '" + login
                + "' already exists; choose another name");
    }

    private boolean isActiveMember(UUID user, UUID town) {
        return towns.ownerJdbi().withHandle(h -> h.createQuery("""
                        SELECT EXISTS (
                            SELECT 1 FROM core.memberships m
                            JOIN core.users u ON u.id = m.user_id AND u.org_id = m.org_id
                            JOIN core.towns t ON t.id = m.town_id AND t.org_id = m.org_id
                            WHERE m.user_id = :user AND m.town_id = :town AND m.org_id = :org
                              AND m.is_active AND u.is_active AND t.status = 'active')""")
                .bind("user", user).bind("town", town).bind("org", towns.orgId()).mapTo(Boolean.class).one());
    }

    private boolean roleExists(String login) {
        return towns.ownerJdbi().withHandle(h -> h.createQuery("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :name)")
                .bind("name", login).mapTo(Boolean.class).one());
    }

    private Optional<LoginInfo> find(Handle h, String login) {
        return infos(h, Optional.of(login)).stream().findFirst();
    }

    private List<LoginInfo> infos(Handle h, Optional<String> login) {
        return h.createQuery("""
                        SELECT b.role_name, coalesce(u.handle, u.email::text), t.slug, b.schema_name, b.read_only, b.created_at
                        FROM core.login_bindings b
                        JOIN core.users u ON u.id = b.user_id
                        JOIN core.towns t ON t.id = b.town_id
                        WHERE b.org_id = :org AND (CAST(:name AS text) IS NULL OR b.role_name = :name)
                        ORDER BY b.role_name""")
                .bind("org", towns.orgId()).bind("name", login.orElse(null))
                .map((rs, ctx) -> new LoginInfo(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getBoolean(5), rs.getObject(6, OffsetDateTime.class).toInstant()))
                .list();
    }

    private interface AdminWork<T> {
        T run(Handle h) throws SQLException;
    }

    /** Runs {@code work} in one transaction as the administrator, in the TownHall database. */
    private <T> T inAdminTransaction(AdminWork<T> work) {
        Endpoint admin = db.admin().withDatabase(db.databaseName());
        try (Connection c = admin.connect(); Handle h = Jdbi.open(c)) {
            return h.inTransaction(tx -> work.run(tx));
        } catch (SQLException e) {
            throw adminFailure(admin, e);
        } catch (JdbiException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw adminFailure(admin, sql);
            }
            throw e;
        }
    }

    private static TownHallException adminFailure(Endpoint admin, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return switch (state) {
            case "42710" -> TownHallException.forField(ErrorCode.INVALID_INPUT, "name", "a database role of that name"
                    + " already exists; choose another name", e);
            case "42501" -> new TownHallException(ErrorCode.FORBIDDEN, admin.user() + " may not create or drop roles"
                    + " (" + e.getMessage() + "); use a login with CREATEROLE", e);
            case "2BP01" -> new TownHallException(ErrorCode.CONFLICT, "the login still holds privileges granted to it"
                    + " directly (" + e.getMessage() + "); revoke them first (grant to " + Database.COMPAT_ROLE
                    + " instead)", e);
            default -> new TownHallException(ErrorCode.INTERNAL, "changing logins on " + admin.describe() + " failed: "
                    + e.getMessage(), e);
        };
    }

    private static String newPassword() {
        byte[] bytes = new byte[PASSWORD_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
