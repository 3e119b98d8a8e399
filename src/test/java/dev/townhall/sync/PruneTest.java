package dev.townhall.sync;

import dev.townhall.db.Database;
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
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static dev.townhall.testing.OwnerSql.count;
import static dev.townhall.testing.OwnerSql.exec;
import static dev.townhall.testing.OwnerSql.renewNode;
import static dev.townhall.testing.OwnerSql.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two databases of their own (pruning the shared test database would change what other tests read), A and B: A's
 * change log loses what B has read, except the newest change of each row per origin, and nothing B has not read.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PruneTest {
    private static final FlowApplier.Options FAST = new FlowApplier.Options(500, 2, Duration.ofMillis(1));

    private final TestCluster cluster;
    private Database a;
    private Database b;
    private Towns towns;
    private SyncAgent agent;
    private Peer peerB;

    PruneTest(TestCluster cluster) {
        this.cluster = cluster;
    }

    @BeforeAll
    void open() throws SQLException {
        a = cluster.newDatabase("PruneTestA");
        b = cluster.newDatabase("PruneTestB");
        renewNode(a);
        renewNode(b);
        towns = Towns.open(a);
        agent = SyncAgent.of(a, FAST);
        peerB = Peers.of(a).add("b", b.owner(), Optional.empty(), "both");
    }

    @AfterAll
    void close() {
        towns.close();
    }

    @Test
    void changesBothSidesHaveReadArePrunedAndLaterChangesStillSync() throws SQLException {
        UUID contact = insertContact(a, "Ada");
        rename(a, contact, "Adah");
        UUID fromB = insertContact(b, "Bea");
        agent.runOnce(peerB, b.owner());

        PruneReport report = agent.prune(List.of(peerB));

        assertThat(report.blockedBy()).isEmpty();
        assertThat(report.changes()).isPositive();
        assertThat(report.appliedKeys()).isPositive();
        // the insert B has read is gone; the update, the row's newest version, stays for conflict detection
        assertThat(operations(a, contact)).containsExactly("update");
        assertThat(count(a, "SELECT count(*) FROM sync.applied_changes WHERE source_node = ?", peerB.nodeId())).isZero();

        rename(a, contact, "Adele");
        rename(b, fromB, "Beatrix");
        agent.runOnce(peerB, b.owner());
        assertThat(firstName(b, contact)).isEqualTo("Adele");
        assertThat(firstName(a, fromB)).isEqualTo("Beatrix");
        assertThat(agent.prune(List.of(peerB)).blockedBy()).isEmpty();
        assertThat(operations(a, contact)).containsExactly("update");
    }

    @Test
    void aChangeNoPeerHasReadIsKept() throws SQLException {
        agent.runOnce(peerB, b.owner());
        UUID contact = insertContact(a, "Cleo");
        rename(a, contact, "Clea");

        PruneReport report = agent.prune(List.of(peerB));

        assertThat(report.blockedBy()).isEmpty();
        assertThat(operations(a, contact)).containsExactly("insert", "update");
    }

    @Test
    void aListedPeerThatHasNotReadUsOrHavingNoReaderAtAllBlocksPruning() throws SQLException {
        agent.runOnce(peerB, b.owner());
        UUID contact = insertContact(a, "Dora");
        rename(a, contact, "Dorothea");
        agent.runOnce(peerB, b.owner());
        Database c = cluster.newDatabase("PruneTestC");
        renewNode(c);
        Peer neverSynced = Peers.of(a).add("c", c.owner(), Optional.empty(), "both");
        try {
            PruneReport unread = agent.prune(List.of(peerB, neverSynced));
            PruneReport alone = SyncAgent.of(c, FAST).prune(List.of());

            assertThat(unread.blockedBy()).hasValue("peer c has not read our changes yet");
            assertThat(alone.blockedBy()).hasValue("no peers");
            assertThat(List.of(unread.changes(), alone.changes())).containsOnly(0L);
            assertThat(operations(a, contact)).containsExactly("insert", "update");
        } finally {
            Peers.of(a).remove("c");
        }
    }

    @Test
    void aReaderThatRunsItsOwnAgentHoldsPruningBackAtWhatItReadEvenWhenItCannotBeReached() throws SQLException {
        Database hub = cluster.newDatabase("PruneTestHub");
        Database laptop = cluster.newDatabase("PruneTestLaptop");
        renewNode(hub);
        renewNode(laptop);
        Peer hubPeer = Peers.of(laptop).add("hub", hub.owner(), Optional.empty(), "pull");
        UUID read = insertContact(hub, "Read");
        rename(hub, read, "Read twice");
        SyncAgent.of(laptop, FAST).runOnce(hubPeer, hub.owner());
        UUID unread = insertContact(hub, "Unread");
        rename(hub, unread, "Unread twice");

        PruneReport report = SyncAgent.of(hub, FAST).prune(List.of());

        assertThat(report.blockedBy()).as("the hub lists no peer and reaches none").isEmpty();
        assertThat(operations(hub, read)).containsExactly("update");
        assertThat(operations(hub, unread)).as("not read by the laptop yet").containsExactly("insert", "update");
    }

    private UUID insertContact(Database db, String firstName) throws SQLException {
        UUID id = UUID.randomUUID();
        exec(db, """
                INSERT INTO crm.contacts (id, org_id, town_id, first_name, last_name)
                VALUES (?, ?, ?, ?, 'Prune')""", id, towns.orgId(), towns.town("fluenti").id(), firstName);
        return id;
    }

    private static void rename(Database db, UUID id, String firstName) throws SQLException {
        exec(db, "UPDATE crm.contacts SET first_name = ? WHERE id = ?", firstName, id);
    }

    private static String firstName(Database db, UUID id) throws SQLException {
        return text(db, "SELECT first_name FROM crm.contacts WHERE id = ?", id);
    }

    private static List<String> operations(Database db, UUID rowId) throws SQLException {
        try (Connection c = db.owner().connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT operation FROM sync.changes WHERE table_name = 'crm.contacts' AND row_id = ? ORDER BY id")) {
            ps.setObject(1, rowId);
            try (ResultSet rs = ps.executeQuery()) {
                List<String> operations = new ArrayList<>();
                while (rs.next()) {
                    operations.add(rs.getString(1));
                }
                return operations;
            }
        }
    }

}
