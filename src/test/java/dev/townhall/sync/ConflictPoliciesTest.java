package dev.townhall.sync;

import dev.townhall.db.Database;
import dev.townhall.sync.internal.FlowApplier;
import dev.townhall.testing.CliHome;
import dev.townhall.testing.CliRun;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.testing.TestCluster;
import dev.townhall.towns.Role;
import dev.townhall.towns.Towns;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import static dev.townhall.testing.OwnerSql.count;
import static dev.townhall.testing.OwnerSql.exec;
import static dev.townhall.testing.OwnerSql.execAs;
import static dev.townhall.testing.OwnerSql.renewNode;
import static dev.townhall.testing.OwnerSql.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Concurrent edits of one row on two databases converge to the answer of the table's policy, whatever the clocks
 * say where the policy ranks the writers, with one conflict kept (both versions, policy, winner); a kept conflict is
 * resolved by hand once, writing the chosen version, audited.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConflictPoliciesTest {
    @RegisterExtension
    final CliHome home = CliHome.isolated();

    private final Database a;
    private final TestCluster cluster;
    private Database b;
    private Towns towns;
    private SyncAgent agent;
    private Peer peerB;

    ConflictPoliciesTest(Database a, TestCluster cluster) {
        this.a = a;
        this.cluster = cluster;
    }

    @BeforeAll
    void open() throws SQLException {
        b = cluster.newDatabase("ConflictPoliciesTestB");
        renewNode(b);
        towns = Towns.open(a);
        for (Database db : new Database[] {a, b}) {
            try (Towns t = Towns.open(db)) {
                t.addUser("flo@example.com", "flo", "Flo", null);
                t.addMember("flo", "fluenti", Role.ADMIN);
                t.addUser("cap@example.com", "cap", "Cap", null);
                t.addMember("cap", "aurora", Role.ADMIN);
            }
        }
        agent = SyncAgent.of(a, new FlowApplier.Options(500, 2, Duration.ofMillis(1)));
        peerB = Peers.of(a).add("b", b.owner(), Optional.empty(), "both");
        agent.runOnce(peerB, b.owner());
    }

    @AfterAll
    void close() {
        towns.close();
    }

    @Test
    void townPrecedenceTheRowsOwnTownWinsEvenWithTheOlderClock() throws SQLException {
        UUID id = insert(a, "crm.contacts", "first_name");
        agent.runOnce(peerB, b.owner());
        update(b, "flo", "fluenti", "crm.contacts", "first_name", id, "ByTheTown");
        update(a, "cap", "aurora", "crm.contacts", "first_name", id, "ByTheCapital");
        assertThat(newestHlc(b, id)).as("the town wrote first").isLessThan(newestHlc(a, id));

        syncTwice();

        assertConverged("crm.contacts", "first_name", id, "ByTheTown");
        assertOneConflict(id, "town_precedence", "ByTheTown", "ByTheCapital");
    }

    @Test
    void townPrecedenceOnASharedRowFollowsTheTownOrderNotTheRowsTown() throws SQLException {
        UUID id = insert(a, "crm.contacts", "first_name");
        exec(a, "UPDATE crm.contacts SET town_id = ?, visibility = 'shared' WHERE id = ?", towns.town("aurora").id(), id);
        agent.runOnce(peerB, b.owner());
        for (Database db : new Database[] {a, b}) {
            exec(db, "INSERT INTO sync.town_order (town, position) VALUES (?, 1), (?, 2)",
                    towns.town("fluenti").id(), towns.town("aurora").id());
        }
        try {
            update(b, "flo", "fluenti", "crm.contacts", "first_name", id, "FirstInTheOrder");
            update(a, "cap", "aurora", "crm.contacts", "first_name", id, "TheRowsTown");
            assertThat(newestHlc(b, id)).isLessThan(newestHlc(a, id));

            syncTwice();

            assertConverged("crm.contacts", "first_name", id, "FirstInTheOrder");
            assertOneConflict(id, "town_precedence", "FirstInTheOrder", "TheRowsTown");
        } finally {
            for (Database db : new Database[] {a, b}) {
                exec(db, "DELETE FROM sync.town_order");
            }
        }
    }

    @Test
    void capitalWinsTheCapitalsWriteBeatsALaterTownWrite() throws SQLException {
        setPolicy("crm.companies", "capital_wins");
        UUID id = insert(a, "crm.companies", "name");
        agent.runOnce(peerB, b.owner());
        update(b, "cap", "aurora", "crm.companies", "name", id, "ByTheCapital");
        update(a, "flo", "fluenti", "crm.companies", "name", id, "ByTheTown");
        assertThat(newestHlc(b, id)).as("the capital wrote first").isLessThan(newestHlc(a, id));

        syncTwice();

        assertConverged("crm.companies", "name", id, "ByTheCapital");
        assertOneConflict(id, "capital_wins", "ByTheCapital", "ByTheTown");
    }

    @Test
    void lastWriteWinsTheLaterClockWinsWhoeverWrote() throws SQLException {
        setPolicy("crm.companies", "last_write_wins");
        UUID id = insert(a, "crm.companies", "name");
        agent.runOnce(peerB, b.owner());
        update(b, "cap", "aurora", "crm.companies", "name", id, "Earlier");
        update(a, "flo", "fluenti", "crm.companies", "name", id, "Later");
        assertThat(newestHlc(b, id)).isLessThan(newestHlc(a, id));

        syncTwice();

        assertConverged("crm.companies", "name", id, "Later");
        assertOneConflict(id, "last_write_wins", "Later", "Earlier");
    }

    @Test
    void resolvingByHandKeepsTheRemoteVersionEverywhereOnceAndAudited() throws SQLException {
        UUID id = insert(a, "crm.contacts", "first_name");
        agent.runOnce(peerB, b.owner());
        update(b, "flo", "fluenti", "crm.contacts", "first_name", id, "Kept");
        update(a, "cap", "aurora", "crm.contacts", "first_name", id, "Refused");
        syncTwice();
        Conflict conflict = Conflicts.of(b).list(Optional.empty(), "decided").stream()
                .filter(c -> c.rowId().equals(id)).findFirst().orElseThrow();

        CliRun listed = CliRun.against(b, "sync", "conflicts", "--status", "decided");
        assertThat(listed.status()).as(listed.err()).isZero();
        assertThat(listed.out()).contains(conflict.id().toString(), "crm.contacts", "town_precedence", "local");

        CliRun resolved = CliRun.against(b, "sync", "conflicts", "--resolve", conflict.id().toString(), "--keep", "remote");
        assertThat(resolved.status()).as(resolved.err()).isZero();
        assertThat(resolved.out()).contains("kept remote");
        assertThat(value(b, "crm.contacts", "first_name", id)).isEqualTo("Refused");
        assertThat(count(b, """
                SELECT count(*) FROM sync.conflicts
                WHERE id = ? AND status = 'resolved' AND winner = 'remote' AND resolved_at IS NOT NULL""", conflict.id()))
                .isEqualTo(1);
        assertThat(count(b, """
                SELECT count(*) FROM core.audit_log
                WHERE action = 'sync.conflict.resolve' AND row_id = ? AND after_data ->> 'winner' = 'remote'""",
                conflict.id())).isEqualTo(1);

        syncTwice();
        assertConverged("crm.contacts", "first_name", id, "Refused");

        CliRun again = CliRun.against(b, "sync", "conflicts", "--resolve", conflict.id().toString(), "--keep", "local");
        assertThat(again.status()).isNotZero();
        assertThat(again.err().strip()).contains("already resolved").doesNotContain("\tat ").hasLineCount(1);
        assertThat(value(b, "crm.contacts", "first_name", id)).isEqualTo("Refused");

        UUID unknown = UUID.randomUUID();
        CliRun missing = CliRun.against(b, "sync", "conflicts", "--resolve", unknown.toString(), "--keep", "remote");
        assertThat(missing.status()).isNotZero();
        assertThat(missing.err().strip()).contains("no sync conflict " + unknown).hasLineCount(1);
    }

    // ------------------------------------------------------------------ helpers

    private void syncTwice() {
        agent.runOnce(peerB, b.owner());
        agent.runOnce(peerB, b.owner());
    }

    private void assertConverged(String table, String column, UUID id, String expected) throws SQLException {
        assertThat(value(a, table, column, id)).as("on A").isEqualTo(expected);
        assertThat(value(b, table, column, id)).as("on B").isEqualTo(expected);
        String row = "SELECT count(*) FROM " + table + " r WHERE id = ? AND to_jsonb(r)::text = ?";
        assertThat(count(b, row, id, image(a, table, id))).as("the same row on both").isEqualTo(1);
    }

    /** One conflict for the row over both databases, with the policy, the winner kept locally and both versions. */
    private void assertOneConflict(UUID id, String policy, String winner, String loser) throws SQLException {
        String sql = """
                SELECT count(*) FROM sync.conflicts
                WHERE row_id = ? AND policy = ? AND winner = 'local' AND status = 'decided'
                  AND (local_version ->> 'first_name' = ? OR local_version ->> 'name' = ?)
                  AND (remote_version ->> 'first_name' = ? OR remote_version ->> 'name' = ?)""";
        assertThat(count(a, sql, id, policy, winner, winner, loser, loser)
                + count(b, sql, id, policy, winner, winner, loser, loser)).isEqualTo(1);
        assertThat(count(a, "SELECT count(*) FROM sync.conflicts WHERE row_id = ?", id)
                + count(b, "SELECT count(*) FROM sync.conflicts WHERE row_id = ?", id)).isEqualTo(1);
    }

    private void setPolicy(String table, String policy) throws SQLException {
        for (Database db : new Database[] {a, b}) {
            exec(db, "UPDATE sync.synced_tables SET policy = ? WHERE table_name = ?", policy, table);
        }
    }

    /** A row of the fluenti town (private), written by the owner. */
    private UUID insert(Database db, String table, String column) throws SQLException {
        UUID id = UUID.randomUUID();
        String extra = table.equals("crm.contacts") ? ", last_name" : "";
        String extraValue = table.equals("crm.contacts") ? ", 'Policy'" : "";
        exec(db, "INSERT INTO " + table + " (id, org_id, town_id, " + column + extra + ") VALUES (?, ?, ?, 'Base'"
                + extraValue + ")", id, towns.orgId(), towns.town("fluenti").id());
        return id;
    }

    /** An update made by a user acting in a town (the context capture reads), on the owner's connection. */
    private static void update(Database db, String user, String town, String table, String column, UUID id, String value)
            throws SQLException {
        assertThat(execAs(db, user, town, "UPDATE " + table + " SET " + column + " = ? WHERE id = ?", value, id))
                .isEqualTo(1);
        assertThat(count(db, "SELECT count(*) FROM sync.changes c JOIN core.towns t ON t.id = c.writer_town_id"
                + " WHERE c.row_id = ? AND t.slug = ? AND c.row_data ->> ? = ?", id, town, column, value))
                .as("the change records the writer's town").isEqualTo(1);
    }

    private static String value(Database db, String table, String column, UUID id) throws SQLException {
        return text(db, "SELECT " + column + " FROM " + table + " WHERE id = ?", id);
    }

    private static String image(Database db, String table, UUID id) throws SQLException {
        return text(db, "SELECT to_jsonb(r)::text FROM " + table + " r WHERE id = ?", id);
    }

    private static long newestHlc(Database db, UUID id) throws SQLException {
        return count(db, "SELECT max(hlc) FROM sync.changes WHERE row_id = ?", id);
    }

}
