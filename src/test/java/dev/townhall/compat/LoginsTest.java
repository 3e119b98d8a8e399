package dev.townhall.compat;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Database;
import dev.townhall.db.Endpoint;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.towns.SampleTowns;
import dev.townhall.towns.Towns;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Bound logins against a real server: a login connects with the URL it was given and acts as its user in its town
 * whatever it sets, changes role to nobody else, reads only what its group was granted, and is gone after revoke.
 * Kristina is an admin of fluenti; allan owns aurora, the capital (a context that would see every town).
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoginsTest {
    private final Database db;
    private Towns towns;
    private Logins logins;
    private UUID kristina;
    private UUID allan;
    private UUID fluenti;
    private UUID aurora;
    /** Made once: a read-write and a read-only login of kristina in fluenti. */
    private String serviceUrl;
    private String readOnlyUrl;

    LoginsTest(Database db) {
        this.db = db;
    }

    @BeforeAll
    void kristinasServices() throws SQLException {
        towns = Towns.open(db);
        Map<String, UUID> people = SampleTowns.ensure(towns);
        kristina = people.get("kristina");
        allan = people.get("allan");
        fluenti = towns.town("fluenti").id();
        aurora = towns.town("aurora").id();
        // what the compatibility schemas' changesets grant the group, in miniature: a table to read, one to write
        try (Connection owner = db.owner().connect(); Statement s = owner.createStatement()) {
            s.execute("GRANT USAGE ON SCHEMA crm, work TO townhall_compat");
            s.execute("GRANT SELECT ON crm.companies TO townhall_compat");
            s.execute("GRANT SELECT, INSERT ON work.tasks TO townhall_compat");
            s.execute("GRANT INSERT ON core.audit_log TO townhall_compat");
        }
        logins = Logins.on(db, towns);
        serviceUrl = logins.create("lt_fluenti_svc", "kristina", "fluenti", Optional.empty(), false).url();
        readOnlyUrl = logins.create("lt_fluenti_ro", "kristina@testpilot.example", "fluenti",
                Optional.of("backend_compat"), true).url();
    }

    @AfterAll
    void dropLogins() {
        for (LoginInfo login : logins.list()) {
            logins.revoke(login.name());
        }
        towns.close();
    }

    @Test
    void theUrlConnectsAsTheBoundUserInTheBoundTownWithTheCompatibilitySchemaFirst() throws SQLException {
        assertThat(serviceUrl).matches("postgresql://lt_fluenti_svc:[A-Za-z0-9_-]{43}@127\\.0\\.0\\.1:[0-9]+/"
                + db.databaseName());
        try (Connection c = connect(serviceUrl)) {
            assertBound(c, "admin");
            assertThat(text(c, "SHOW search_path")).isEqualTo("aurora_compat, public");
            assertThat(text(c, "SELECT session_user::text")).isEqualTo("lt_fluenti_svc");
        }
        try (Connection c = connect(readOnlyUrl)) {
            assertBound(c, "viewer");
            assertThat(text(c, "SHOW search_path")).isEqualTo("backend_compat, public");
        }
    }

    @Test
    void noContextSettingMovesABoundLoginToAnotherUserOrTown() throws SQLException {
        List<String> attempts = List.of(
                "SET townhall.user_id = '" + allan + "'",
                "SET townhall.town_id = '" + aurora + "'",
                "SET townhall.role_cap = 'owner'",
                "SET townhall.user_id = ''",
                "SELECT set_config('townhall.user_id', '" + allan + "', false)",
                "SELECT set_config('townhall.town_id', '" + aurora + "', false)",
                "SELECT set_config('townhall.role_cap', 'owner', false)",
                "RESET townhall.user_id",
                "RESET townhall.town_id",
                "RESET townhall.role_cap",
                "RESET ALL",
                "SET ROLE townhall_compat",
                "RESET ROLE");
        try (Connection c = connect(serviceUrl)) {
            exec(c, "SET townhall.user_id = '" + allan + "'");
            exec(c, "SET townhall.town_id = '" + aurora + "'");
            assertBound(c, "admin");
            for (String attempt : attempts) {
                exec(c, attempt);
                assertBound(c, "admin");
            }
            // allan's whole context at once, transaction-local, the way the application sets it
            c.setAutoCommit(false);
            exec(c, "SELECT set_config('townhall.user_id', '" + allan + "', true), set_config('townhall.town_id', '"
                    + aurora + "', true), set_config('townhall.role_cap', '', true)");
            assertBound(c, "admin");
            c.rollback();
        }
    }

    @Test
    void aBoundLoginCannotChangeRoleOrSessionAuthorization() throws SQLException {
        try (Connection c = connect(serviceUrl)) {
            for (String attempt : List.of("SET ROLE townhall_app", "SET ROLE townhall_owner", "SET ROLE postgres",
                    "SET ROLE townhall_analytics", "SET ROLE lt_fluenti_ro", "SET SESSION AUTHORIZATION townhall_owner",
                    "SET SESSION AUTHORIZATION postgres", "SET LOCAL ROLE townhall_app")) {
                SQLException refused = catchThrowableOfType(SQLException.class, () -> exec(c, attempt));
                assertThat((Throwable) refused).as(attempt).isNotNull();
                assertThat(refused.getSQLState()).as(attempt).isEqualTo("42501");
            }
            assertThat(text(c, "SELECT current_user::text")).isEqualTo("lt_fluenti_svc");
            assertThat(rows(c, "SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb, rolreplication, NOT rolinherit"
                    + " FROM pg_roles WHERE rolname = current_user").get(0)).containsOnly(false);
            assertThat(rows(c, "SELECT r.rolname::text FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid"
                    + " WHERE m.member = (SELECT oid FROM pg_roles WHERE rolname = current_user)"))
                    .as("the login's groups").containsExactly(new Object[] {Database.COMPAT_ROLE});
        }
    }

    @Test
    void aBoundLoginSeesAndWritesOnlyItsTownAndIsAuditedAsItsUser() throws SQLException {
        try (Connection c = connect(serviceUrl)) {
            exec(c, "SET townhall.user_id = '" + allan + "'");
            exec(c, "SET townhall.town_id = '" + aurora + "'");
            exec(c, "SET townhall.bulk = 'on'"); // the owner's switch for unaudited bulk loads: not this login's
            assertThat(count(c, "SELECT count(*) FROM crm.companies WHERE town_id = '" + fluenti + "'")).isPositive();
            assertThat(count(c, "SELECT count(*) FROM crm.companies WHERE town_id <> '" + fluenti + "'")).isZero();
            UUID task = UUID.fromString(text(c, "INSERT INTO work.tasks (title, status) VALUES ('from the old app', 'todo')"
                    + " RETURNING id::text"));
            try (Connection owner = db.owner().connect()) {
                assertThat(text(owner, "SELECT town_id::text FROM work.tasks WHERE id = '" + task + "'"))
                        .isEqualTo(fluenti.toString());
                assertThat(text(owner, "SELECT user_id::text || ' ' || actor FROM core.audit_log"
                        + " WHERE table_name = 'work.tasks' AND row_id = '" + task + "'"))
                        .isEqualTo(kristina + " user");
            }
        }
    }

    @Test
    void aReadOnlyLoginWritesNothingWhateverCapItSets() throws SQLException {
        try (Connection c = connect(readOnlyUrl)) {
            assertThat(count(c, "SELECT count(*) FROM work.tasks")).isPositive();
            for (String attempt : List.of("SELECT 1", "SET townhall.role_cap = 'owner'", "SET townhall.role_cap = ''",
                    "RESET townhall.role_cap", "SET townhall.role_cap = 'garbage'")) {
                exec(c, attempt);
                assertBound(c, "viewer");
                SQLException refused = catchThrowableOfType(SQLException.class, () -> exec(c,
                        "INSERT INTO work.tasks (title, status) VALUES ('should not land', 'todo')"));
                assertThat((Throwable) refused).as(attempt).isNotNull();
                assertThat(refused.getMessage()).as(attempt).contains("row-level security");
            }
        }
    }

    @Test
    void aBoundLoginReadsNothingItsGroupWasNotGranted() throws SQLException {
        try (Connection c = connect(serviceUrl)) {
            // the tables behind the compatibility views are granted (compat/040); everything else is not
            for (String query : List.of("SELECT count(*) FROM core.api_keys", "SELECT password_hash FROM core.users",
                    "SELECT count(*) FROM core.sessions", "SELECT count(*) FROM core.login_bindings",
                    "SELECT count(*) FROM legacy.id_map", "SELECT count(*) FROM crm.activities",
                    "SELECT count(*) FROM memory.knowledge_base", "SELECT count(*) FROM work.meetings",
                    "SELECT * FROM core.find_login('kristina', 'kristina')", "SELECT * FROM core.find_api_key('x')",
                    "SELECT * FROM core.find_session('x')", "SELECT * FROM core.find_api_key_caller('x', NULL)",
                    "UPDATE crm.contacts SET first_name = 'x'", "DELETE FROM work.tasks",
                    "CREATE TABLE public.mine (id int)", "CREATE TEMP TABLE mine (id int)")) {
                SQLException refused = catchThrowableOfType(SQLException.class, () -> exec(c, query));
                assertThat((Throwable) refused).as(query).isNotNull();
                assertThat(refused.getSQLState()).as(query).isEqualTo("42501");
            }
        }
    }

    @Test
    void aMemberOfTheGroupWithoutABindingSeesNothing() throws SQLException {
        try (Connection admin = db.admin().connect()) {
            exec(admin, "CREATE ROLE lt_unbound LOGIN PASSWORD 'unbound-test-password' IN ROLE townhall_compat");
        }
        try (Connection c = connect(db.admin().withDatabase(db.databaseName()).as("lt_unbound", "unbound-test-password"))) {
            exec(c, "SET townhall.user_id = '" + kristina + "'");
            exec(c, "SET townhall.town_id = '" + fluenti + "'");
            assertThat(rows(c, "SELECT core.acting_user_id(), core.acting_town_id(), core.role_cap()").get(0))
                    .containsExactly(null, null, "viewer");
            assertThat(count(c, "SELECT count(*) FROM crm.companies")).isZero();
        } finally {
            try (Connection admin = db.admin().connect()) {
                exec(admin, "DROP ROLE lt_unbound");
            }
        }
    }

    @Test
    void otherSessionsKeepTheirSettingsContext() throws SQLException {
        // the superuser counts as a member of every role in pg_has_role(); it must not lose its context
        for (Endpoint endpoint : List.of(db.admin().withDatabase(db.databaseName()), db.app(), db.owner())) {
            try (Connection c = connect(endpoint)) {
                exec(c, "SET townhall.user_id = '" + allan + "'");
                exec(c, "SET townhall.town_id = '" + aurora + "'");
                exec(c, "SET townhall.role_cap = 'viewer'");
                assertThat(rows(c, "SELECT core.acting_user_id()::text, core.acting_town_id()::text, core.acting_role()::text")
                        .get(0)).as(endpoint.user()).containsExactly(allan.toString(), aurora.toString(), "viewer");
            }
        }
    }

    @Test
    void mistakesAreOneLineAndCreateNothing() throws SQLException {
        logins.create("lt_taken", "kristina", "fluenti", Optional.empty(), false);
        assertRefused(() -> logins.create("lt_taken", "kristina", "fluenti", Optional.empty(), false),
                ErrorCode.INVALID_INPUT, "already exists", "lt_taken", 1);
        assertRefused(() -> logins.create("postgres", "kristina", "fluenti", Optional.empty(), false),
                ErrorCode.INVALID_INPUT, "already exists", "postgres", 1);
        assertRefused(() -> logins.create("townhall_app", "kristina", "fluenti", Optional.empty(), false),
                ErrorCode.INVALID_INPUT, "reserved", "townhall_app", 1);
        assertRefused(() -> logins.create("Bad Name\"; DROP ROLE postgres; --", "kristina", "fluenti", Optional.empty(),
                false), ErrorCode.INVALID_INPUT, "lower-case", "Bad Name\"; DROP ROLE postgres; --", 0);
        assertRefused(() -> logins.create("lt_no_user", "nobody", "fluenti", Optional.empty(), false),
                ErrorCode.NOT_FOUND, "no user 'nobody'", "lt_no_user", 0);
        assertRefused(() -> logins.create("lt_no_town", "kristina", "atlantis", Optional.empty(), false),
                ErrorCode.NOT_FOUND, "no town 'atlantis'", "lt_no_town", 0);
        assertRefused(() -> logins.create("lt_not_member", "vera", "aurora", Optional.empty(), false),
                ErrorCode.INVALID_INPUT, "not an active member of aurora", "lt_not_member", 0);
        assertRefused(() -> logins.create("lt_bad_schema", "kristina", "fluenti", Optional.of("crm"), false),
                ErrorCode.INVALID_INPUT, "must be one of aurora_compat, backend_compat, extension_compat",
                "lt_bad_schema", 0);
        assertThat(logins.list()).extracting(LoginInfo::name)
                .doesNotContain("lt_no_user", "lt_no_town", "lt_not_member", "lt_bad_schema");
    }

    @Test
    void listShowsALoginAndRevokeEndsItsSessionsAndItsUrl() throws SQLException {
        String url = logins.create("lt_revoked", "kristina", "fluenti", Optional.of("extension_compat"), true).url();
        assertThat(logins.list()).filteredOn(l -> l.name().equals("lt_revoked")).singleElement()
                .satisfies(l -> {
                    assertThat(l.user()).isEqualTo("kristina");
                    assertThat(l.town()).isEqualTo("fluenti");
                    assertThat(l.schema()).isEqualTo("extension_compat");
                    assertThat(l.readOnly()).isTrue();
                });
        try (Connection open = connect(url)) {
            assertBound(open, "viewer");
            LoginInfo revoked = logins.revoke("lt_revoked");
            assertThat(revoked.name()).isEqualTo("lt_revoked");
            assertThatThrownBy(() -> text(open, "SELECT 1")).as("the open session is ended")
                    .isInstanceOf(SQLException.class);
        }
        assertThat(roleCount("lt_revoked")).isZero();
        assertThat(logins.list()).extracting(LoginInfo::name).doesNotContain("lt_revoked");
        assertThat(catchThrowableOfType(TownHallException.class, () -> Endpoint.parse(url).connect()).code())
                .isEqualTo(ErrorCode.DB_AUTH);
        try (Connection owner = db.owner().connect()) {
            assertThat(rows(owner, "SELECT action FROM core.audit_log WHERE table_name = 'core.login_bindings'"
                    + " AND actor = 'cli' AND town_id = '" + fluenti + "'"))
                    .extracting(r -> (String) r[0]).contains("login.create", "login.revoke");
        }
        for (String notBound : List.of("lt_revoked", "townhall_app", "postgres")) {
            assertThat(catchThrowableOfType(TownHallException.class, () -> logins.revoke(notBound)).code())
                    .as(notBound).isEqualTo(ErrorCode.NOT_FOUND);
        }
        assertThat(roleCount("townhall_app")).isEqualTo(1);
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private void assertBound(Connection c, String role) throws SQLException {
        assertThat(rows(c, "SELECT core.acting_user_id()::text, core.acting_town_id()::text, core.acting_role()::text")
                .get(0)).containsExactly(kristina.toString(), fluenti.toString(), role);
    }

    private void assertRefused(Runnable create, ErrorCode code, String message, String name, int rolesAfter)
            throws SQLException {
        long bindings = logins.list().size();
        TownHallException e = catchThrowableOfType(TownHallException.class, create::run);
        assertThat(e).as(name).isNotNull();
        assertThat(e.code()).as(name).isEqualTo(code);
        assertThat(e.getMessage()).as(name).contains(message).doesNotContain("\n");
        assertThat(roleCount(name)).as(name).isEqualTo(rolesAfter);
        assertThat(logins.list()).as(name).hasSize((int) bindings);
    }

    private long roleCount(String name) throws SQLException {
        try (Connection admin = db.admin().connect();
             PreparedStatement ps = admin.prepareStatement("SELECT count(*) FROM pg_roles WHERE rolname = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Connection connect(String url) {
        return Endpoint.parse(url).connect();
    }

    private static Connection connect(Endpoint endpoint) {
        return endpoint.connect();
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String text(Connection c, String sql) throws SQLException {
        return (String) rows(c, sql).get(0)[0];
    }

    private static long count(Connection c, String sql) throws SQLException {
        return ((Number) rows(c, sql).get(0)[0]).longValue();
    }

    private static List<Object[]> rows(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            List<Object[]> out = new ArrayList<>();
            while (rs.next()) {
                Object[] row = new Object[n];
                for (int i = 0; i < n; i++) {
                    Object value = rs.getObject(i + 1);
                    row[i] = value == null ? null : value instanceof String || value instanceof Number
                            || value instanceof Boolean ? value : value.toString();
                }
                out.add(row);
            }
            return out;
        }
    }
}
