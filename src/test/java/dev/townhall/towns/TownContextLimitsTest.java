package dev.townhall.towns;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Database;
import dev.townhall.testing.PostgresExtension;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static dev.townhall.towns.Sql.AURORA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A context's limits are kept by the database: a role cap lowers the membership role every policy sees and never
 * raises it, a viewer cap writes nothing at all (not even a viewer's own profile), a capped context cannot touch
 * API keys, and a statement timeout cancels a statement that runs over it.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TownContextLimitsTest {
    private final Database db;
    private Towns towns;
    private Map<String, UUID> people;

    TownContextLimitsTest(Database db) {
        this.db = db;
    }

    @BeforeAll
    void people() {
        towns = Towns.open(db);
        people = SampleTowns.ensure(towns);
    }

    @AfterAll
    void close() {
        towns.close();
    }

    @Test
    void aCapLowersTheRoleEveryPolicySeesAndNeverRaisesIt() {
        assertThat(role(towns.as("allan@aurora"))).isEqualTo("owner");
        assertThat(role(towns.as("allan@aurora").limitedTo(Role.ADMIN))).isEqualTo("admin");
        assertThat(role(towns.as("allan@aurora").limitedTo(Role.VIEWER))).isEqualTo("viewer");
        assertThat(role(towns.as("allan@aurora").limitedTo(Role.VIEWER).limitedTo(Role.OWNER)))
                .as("a second, higher cap does not lift the first").isEqualTo("viewer");
        assertThat(role(towns.as("vera@fluenti").limitedTo(Role.OWNER))).as("a cap never raises").isEqualTo("viewer");
        assertThat(fact(towns.as("vera@fluenti").limitedTo(Role.OWNER), "core.acting_can_write()")).isFalse();
        assertThat(role(towns.as("andre@collaboration").limitedTo(Role.SERVICE)))
                .as("an equal-ranked cap changes nothing").isEqualTo("member");
        assertThat(fact(towns.as("allan@aurora").limitedTo(Role.ADMIN), "core.acting_can_admin(core.acting_town_id())"))
                .isTrue();
        assertThat(fact(towns.as("allan@aurora").limitedTo(Role.MEMBER),
                "core.acting_can_admin(core.acting_town_id()) OR core.acting_is_capital_admin()"))
                .as("a member-capped owner administers nothing").isFalse();
    }

    @Test
    void theDatabaseRefusesWritesUnderAViewerCapSetByAnyClient() throws SQLException {
        UUID company = towns.as("allan@aurora").inTransaction(h -> insertCompany(h, "Capped Ltd"));
        try (Connection c = db.app().connect()) {
            c.setAutoCommit(false);
            // a client that sets only the cap (not read-only): the policies alone refuse it
            Sql.enter(c, people.get("allan"), AURORA);
            Sql.exec(c, "SELECT set_config('townhall.role_cap', 'viewer', true)");
            assertThat(Sql.<String>one(c, "SELECT core.acting_role()::text")).isEqualTo("viewer");
            assertThat(Sql.count(c, "SELECT count(*) FROM crm.companies WHERE id = ?", company)).as("still reads").isOne();
            assertThat(Sql.update(c, "UPDATE crm.companies SET industry = 'x' WHERE id = ?", company)).isZero();
            assertThat(Sql.update(c, "DELETE FROM crm.companies WHERE id = ?", company)).isZero();
            assertThatThrownBy(() -> Sql.update(c, "INSERT INTO crm.companies (name) VALUES ('Sneaky')"))
                    .isInstanceOf(SQLException.class).extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
            c.rollback();
            for (String garbage : new String[] {"superuser", "OWNER", "owner; drop", " "}) {
                Sql.enter(c, people.get("allan"), AURORA);
                Sql.rows(c, "SELECT set_config('townhall.role_cap', ?, true)", garbage);
                assertThat(Sql.<String>one(c, "SELECT core.acting_role()::text")).as("cap '%s' fails closed", garbage)
                        .isEqualTo("viewer");
                c.rollback();
            }
        }
    }

    @Test
    void aViewerCapRunsReadOnlyAndCannotBeLifted() {
        UUID company = towns.as("allan@aurora").inTransaction(h -> insertCompany(h, "Read Only Ltd"));
        TownContext viewer = towns.as("allan@aurora").limitedTo(Role.VIEWER);
        long seen = viewer.inTransaction(h -> h.createQuery("SELECT count(*) FROM crm.companies WHERE id = :id")
                .bind("id", company).mapTo(Long.class).one());
        assertThat(seen).isOne();
        for (String write : new String[] {
                "INSERT INTO crm.companies (name) VALUES ('Nope')",
                "UPDATE crm.companies SET industry = 'x' WHERE id = '" + company + "'",
                "DELETE FROM crm.companies WHERE id = '" + company + "'",
                // rows a viewer may otherwise change: their own profile and settings
                "UPDATE core.users SET first_name = 'Mallory' WHERE id = core.acting_user_id()",
                "INSERT INTO core.settings (org_id, user_id, key, value) VALUES (core.acting_org_id(), core.acting_user_id(), 'ui.theme', '\"dark\"')"}) {
            assertThatThrownBy(() -> viewer.inTransaction(h -> h.execute(write))).as(write)
                    .isInstanceOf(TownHallException.class)
                    .satisfies(e -> assertThat(((TownHallException) e).code()).isEqualTo(ErrorCode.FORBIDDEN));
        }
        assertThatThrownBy(() -> viewer.inTransaction(h -> {
            h.execute("SET TRANSACTION READ WRITE");
            return h.execute("INSERT INTO crm.companies (name) VALUES ('Lifted')");
        })).as("read-only cannot be undone after the first statement").isInstanceOf(Exception.class);
        String next = towns.as("allan@aurora").inTransaction(h -> h.createQuery(
                        "SELECT current_setting('transaction_read_only') || '/' || coalesce(current_setting('townhall.role_cap', true), '')")
                .mapTo(String.class).one());
        assertThat(next).as("the limits are transaction-local").isEqualTo("off/");
    }

    @Test
    void aCappedContextCannotMintOrLiftKeysButAnUncappedOneMayMakeItsOwn() {
        UUID allan = people.get("allan");
        TownContext member = towns.as("allan@aurora").limitedTo(Role.MEMBER);
        assertThatThrownBy(() -> member.inTransaction(h -> insertKey(h, allan, "capped_mint1")))
                .hasMessageContaining("row-level security");
        towns.as("allan@aurora").inTransaction(h -> insertKey(h, allan, "uncapped_ok1"));
        int lifted = member.inTransaction(h -> h.execute(
                "UPDATE core.api_keys SET role_cap = NULL, expires_at = NULL WHERE user_id = core.acting_user_id()"));
        int deleted = member.inTransaction(h -> h.execute("DELETE FROM core.api_keys WHERE user_id = core.acting_user_id()"));
        assertThat(lifted).as("a capped context changes no key of its user").isZero();
        assertThat(deleted).isZero();
    }

    @Test
    void aStatementTimeoutCancelsTheStatementAsATimeout() {
        TownContext limited = towns.as("allan@aurora").withStatementTimeout(Duration.ofMillis(100));
        assertThat(limited.statementTimeout()).contains(Duration.ofMillis(100));
        String timeout = limited.inTransaction(h -> h.createQuery("SELECT current_setting('statement_timeout')")
                .mapTo(String.class).one());
        assertThat(timeout).isEqualTo("100ms");
        assertThatThrownBy(() -> limited.inTransaction(h -> h.execute("SELECT pg_sleep(2)")))
                .isInstanceOf(TownHallException.class)
                .hasMessageContaining("100 ms")
                .satisfies(e -> assertThat(((TownHallException) e).code()).isEqualTo(ErrorCode.TIMEOUT));
        assertThat(limited.limitedTo(Role.VIEWER).statementTimeout()).as("limits combine").contains(Duration.ofMillis(100));
        assertThatThrownBy(() -> towns.as("allan@aurora").withStatementTimeout(Duration.ZERO))
                .isInstanceOf(TownHallException.class).hasMessageContaining("at least 1ms");
    }

    private static boolean fact(TownContext context, String expression) {
        return context.inTransaction(h -> h.createQuery("SELECT " + expression).mapTo(Boolean.class).one());
    }

    private static String role(TownContext context) {
        return context.inTransaction(h -> h.createQuery("SELECT core.acting_role()::text").mapTo(String.class).one());
    }

    private static UUID insertCompany(Handle h, String name) {
        return h.createQuery("INSERT INTO crm.companies (name) VALUES (:name) RETURNING id")
                .bind("name", name).mapTo(UUID.class).one();
    }

    private static int insertKey(Handle h, UUID user, String prefix) {
        return h.createUpdate("""
                        INSERT INTO core.api_keys (org_id, town_id, user_id, name, key_prefix, key_hash)
                        VALUES (core.acting_org_id(), core.acting_town_id(), :user, 'minted', :prefix, repeat('0', 64))""")
                .bind("user", user).bind("prefix", prefix).execute();
    }
}
