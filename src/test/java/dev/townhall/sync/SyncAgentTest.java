package dev.townhall.sync;

import dev.townhall.TownHallException;
import dev.townhall.db.Database;
import dev.townhall.db.Endpoint;
import dev.townhall.sync.internal.FlowApplier;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.testing.TestCluster;
import dev.townhall.towns.Towns;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import static dev.townhall.testing.OwnerSql.count;
import static dev.townhall.testing.OwnerSql.exec;
import static dev.townhall.testing.OwnerSql.renewNode;
import static dev.townhall.testing.OwnerSql.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two (or three) TownHall databases of the test cluster, each with its own node id, synced by the agent of A:
 * changes travel both ways once, never echo, conflicts converge by HLC with both versions kept, a town replica
 * receives only its town, and a child that arrives before its parent is parked and applied later, not lost.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SyncAgentTest {
    private static final FlowApplier.Options FAST = new FlowApplier.Options(500, 2, Duration.ofMillis(1));

    private final Database a;
    private final TestCluster cluster;
    private Database b;
    private Towns towns;
    private SyncAgent agent;
    private Peer peerB;

    SyncAgentTest(Database a, TestCluster cluster) {
        this.a = a;
        this.cluster = cluster;
    }

    @BeforeAll
    void open() throws SQLException {
        b = cluster.newDatabase("SyncAgentTestB");
        renewNode(b);
        towns = Towns.open(a);
        agent = SyncAgent.of(a, FAST);
        peerB = Peers.of(a).add("b", b.owner(), Optional.empty(), "both");
        agent.runOnce(peerB, b.owner());
    }

    @AfterAll
    void close() {
        towns.close();
    }

    @Test
    void aRowInsertedAndUpdatedInOneTransactionArrivesWithTheSourcesUpdatedAt() throws SQLException {
        UUID id;
        try (Connection c = a.owner().connect()) {
            c.setAutoCommit(false);
            id = insertContact(c, "fluenti", "Ines", null);
            try (PreparedStatement ps = c.prepareStatement("UPDATE crm.contacts SET first_name = 'Inez' WHERE id = ?")) {
                ps.setObject(1, id);
                ps.execute();
            }
            c.commit();
        }
        agent.runOnce(peerB, b.owner());
        // the update's image carries the insert's updated_at: applying it must not stamp the apply time
        assertThat(row(b, id)).contains("\"Inez\"").isEqualTo(row(a, id));
    }

    @Test
    void insertUpdateAndDeleteOnAArriveOnBWithTheSameValues() throws SQLException {
        UUID id = insertContact(a, "fluenti", "Ada");
        agent.runOnce(peerB, b.owner());
        assertThat(row(b, id)).isNotNull().isEqualTo(row(a, id));

        exec(a, "UPDATE crm.contacts SET first_name = 'Adele' WHERE id = ?", id);
        RunReport report = agent.runOnce(peerB, b.owner());
        assertThat(report.pushed().applied()).isEqualTo(1);
        assertThat(row(b, id)).contains("\"Adele\"").isEqualTo(row(a, id));

        exec(a, "DELETE FROM crm.contacts WHERE id = ?", id);
        agent.runOnce(peerB, b.owner());
        assertThat(row(b, id)).isNull();
    }

    @Test
    void aChangeOnBArrivesOnA() throws SQLException {
        UUID id = insertContact(b, "aurora", "Bea");
        RunReport report = agent.runOnce(peerB, b.owner());
        assertThat(report.pulled().applied()).isEqualTo(1);
        assertThat(row(a, id)).isNotNull().isEqualTo(row(b, id));
    }

    @Test
    void runningAgainAppliesNothingTwiceAndNothingEchoes() throws SQLException {
        UUID fromA = insertContact(a, "fluenti", "Echo");
        UUID fromB = insertContact(b, "fluenti", "Ohce");
        agent.runOnce(peerB, b.owner());

        RunReport again = agent.runOnce(peerB, b.owner());
        assertThat(again.pulled()).as("B's copy of A's change is not sent back").isEqualTo(FlowReport.NONE);
        assertThat(again.pushed()).isEqualTo(FlowReport.NONE);
        assertThat(loggedChanges(a, fromA)).as("A logged its own insert once, nothing came back").isEqualTo(1);
        assertThat(loggedChanges(b, fromB)).isEqualTo(1);
        assertThat(loggedChanges(a, fromB)).isEqualTo(1);
    }

    @Test
    void concurrentUpdatesConvergeToTheHigherClockAndKeepBothVersions() throws SQLException {
        UUID id = insertContact(a, "fluenti", "Base");
        agent.runOnce(peerB, b.owner());
        exec(a, "UPDATE crm.contacts SET first_name = 'FromA' WHERE id = ?", id);
        exec(b, "UPDATE crm.contacts SET first_name = 'FromB' WHERE id = ?", id);
        long hlcA = newestHlc(a, id);
        long hlcB = newestHlc(b, id);
        String winner = hlcA > hlcB ? "FromA" : "FromB";
        String loser = hlcA > hlcB ? "FromB" : "FromA";

        agent.runOnce(peerB, b.owner());
        agent.runOnce(peerB, b.owner());

        assertThat(row(a, id)).contains("\"" + winner + "\"").isEqualTo(row(b, id));
        String conflicts = """
                SELECT count(*) FROM sync.conflicts
                WHERE row_id = ? AND policy = 'town_precedence' AND winner = 'local'
                  AND local_version ->> 'first_name' = ? AND remote_version ->> 'first_name' = ?""";
        assertThat(count(a, conflicts, id, winner, loser) + count(b, conflicts, id, winner, loser)).isEqualTo(1);
    }

    @Test
    void aTownReplicaNeverReceivesAnotherTownsPrivateRow() throws SQLException {
        Database replica = cluster.newDatabase("SyncAgentTestReplica");
        renewNode(replica);
        Peer fluentiOnly = Peers.of(a).add("fluenti-replica", replica.owner(), Optional.of("fluenti"), "push");
        UUID fluenti = insertContact(a, "fluenti", "Fia");
        UUID aurora = insertContact(a, "aurora", "Aura");

        RunReport report = agent.runOnce(fluentiOnly, replica.owner());

        assertThat(report.pulled()).isEqualTo(FlowReport.NONE);
        assertThat(row(replica, fluenti)).isNotNull();
        assertThat(row(replica, aurora)).isNull();
        assertThat(loggedChanges(replica, aurora)).as("not even as a logged change").isZero();
    }

    @Test
    void statusCountsAChangeCommittedBehindARunningTransactionAsInFlight() throws SQLException {
        agent.runOnce(peerB, b.owner());
        try (Connection early = a.owner().connect()) {
            early.setAutoCommit(false);
            insertCompany(early, UUID.randomUUID()); // holds the horizon back until it ends
            insertContact(a, "fluenti", "Behind");

            PeerStatus.Flow push = agent.status(peerB, Optional.of(b.owner())).push();
            assertThat(push.queued()).hasValue(0);
            assertThat(push.inFlight()).hasValue(1);
            early.rollback();
        }
        PeerStatus.Flow push = agent.status(peerB, Optional.of(b.owner())).push();
        assertThat(push.queued()).hasValue(1);
        assertThat(push.inFlight()).hasValue(0);
        agent.runOnce(peerB, b.owner());
    }

    @Test
    void aPeerAtAnotherMigrationVersionIsRefusedNamingTheSideToMigrate() throws SQLException {
        Database behind = cluster.newDatabase("SyncAgentTestBehind");
        renewNode(behind);
        exec(behind, "DELETE FROM databasechangelog WHERE id = 'sync-134-fn-renew-local-node'");
        assertThatThrownBy(() -> Peers.of(a).add("behind", behind.owner(), Optional.empty(), "both"))
                .isInstanceOf(TownHallException.class)
                .hasMessageContaining("peer behind is at another migration version")
                .hasMessageContaining("migrate the peer");
        assertThat(Peers.of(a).find("behind")).isEmpty();
    }

    @Test
    void aChildReadBeforeItsParentIsParkedThenAppliedNotLost() throws SQLException {
        UUID parent = UUID.randomUUID();
        UUID child;
        try (Connection early = a.owner().connect(); Connection late = a.owner().connect()) {
            early.setAutoCommit(false);
            late.setAutoCommit(false);
            insertCompany(early, UUID.randomUUID()); // the early transaction takes the lower txid
            insertCompany(late, parent);
            late.commit();
            child = insertContact(early, "fluenti", "Orphan", parent);
            early.commit();
        }
        RunReport report = agent.runOnce(peerB, b.owner());

        assertThat(report.pushed().parked()).as("the child failed its batch and was set aside").isEqualTo(1);
        assertThat(row(b, parent)).isNull(); // parent is a company, not a contact
        assertThat(count(b, "SELECT count(*) FROM crm.contacts WHERE id = ? AND company_id IS NOT NULL", child))
                .as("retried after its parent arrived").isEqualTo(1);
        assertThat(count(b, "SELECT count(*) FROM sync.parked_changes WHERE row_id = ?", child)).isZero();
    }

    @Test
    void deletesWrittenTogetherThatCascadeIntoOtherRowsAreAppliedOneByOneWithTheirOrigin() throws SQLException {
        Database replica = cluster.newDatabase("SyncAgentTestCascade");
        renewNode(replica);
        Peer push = Peers.of(a).add("cascade-replica", replica.owner(), Optional.empty(), "push");
        UUID kept = UUID.randomUUID();
        UUID gone = UUID.randomUUID();
        try (Connection c = a.owner().connect()) {
            c.setAutoCommit(false);
            insertCompany(c, kept);
            insertCompany(c, gone);
            c.commit();
        }
        agent.runOnce(push, replica.owner());
        // only the replica has a contact of the company: deleting it there sets the contact's company_id to NULL
        UUID contact;
        try (Connection c = replica.owner().connect()) {
            contact = insertContact(c, "fluenti", "Cascade", gone);
        }
        exec(a, "DELETE FROM crm.companies WHERE id IN (?, ?)", kept, gone);

        RunReport report = agent.runOnce(push, replica.owner());

        assertThat(report.pushed().applied()).isEqualTo(2);
        assertThat(report.pushed().parked()).isZero();
        assertThat(count(replica, "SELECT count(*) FROM crm.companies WHERE id IN (?, ?)", kept, gone)).isZero();
        assertThat(count(replica, "SELECT count(*) FROM crm.contacts WHERE id = ? AND company_id IS NULL", contact))
                .isEqualTo(1);
        assertThat(text(replica, "SELECT origin_node::text FROM sync.changes WHERE row_id = ? ORDER BY id DESC LIMIT 1",
                contact)).as("the cascade is logged as the delete's, like any write of an applied change")
                .isEqualTo(Peers.nodeId(a.owner()).toString());
    }

    // ------------------------------------------------------------------ helpers

    private UUID insertContact(Database db, String town, String firstName) throws SQLException {
        try (Connection c = db.owner().connect()) {
            return insertContact(c, town, firstName, null);
        }
    }

    private UUID insertContact(Connection c, String town, String firstName, UUID company) throws SQLException {
        UUID id = UUID.randomUUID();
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO crm.contacts (id, org_id, town_id, first_name, last_name, company_id)
                VALUES (?, ?, ?, ?, 'Sync', ?)""")) {
            ps.setObject(1, id);
            ps.setObject(2, towns.orgId());
            ps.setObject(3, towns.town(town).id());
            ps.setString(4, firstName);
            ps.setObject(5, company);
            ps.executeUpdate();
        }
        return id;
    }

    private void insertCompany(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO crm.companies (id, org_id, town_id, name) VALUES (?, ?, ?, 'Sync Co')")) {
            ps.setObject(1, id);
            ps.setObject(2, towns.orgId());
            ps.setObject(3, towns.town("fluenti").id());
            ps.executeUpdate();
        }
    }

    /** The contact's whole row as JSON text, or null. */
    private static String row(Database db, UUID id) throws SQLException {
        return text(db, "SELECT to_jsonb(r)::text FROM crm.contacts r WHERE id = ?", id);
    }

    private static long loggedChanges(Database db, UUID id) throws SQLException {
        return count(db, "SELECT count(*) FROM sync.changes WHERE row_id = ?", id);
    }

    private static long newestHlc(Database db, UUID id) throws SQLException {
        return count(db, "SELECT max(hlc) FROM sync.changes WHERE row_id = ?", id);
    }

}
