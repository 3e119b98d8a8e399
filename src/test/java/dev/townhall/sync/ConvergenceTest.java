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
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import static dev.townhall.testing.OwnerSql.count;
import static dev.townhall.testing.OwnerSql.exec;
import static dev.townhall.testing.OwnerSql.renewNode;
import static dev.townhall.testing.OwnerSql.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sync verify} on real databases: clean after a sync, finds a divergence that sync cannot see (a write logged
 * as if it came from the other side, so it is never sent there) naming table and id, and a town replica is compared
 * only over its town.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConvergenceTest {
    private static final FlowApplier.Options FAST = new FlowApplier.Options(500, 2, Duration.ofMillis(1));
    private static final String CONTACTS = "crm.contacts";

    private final Database a;
    private final TestCluster cluster;
    private Database b;
    private Towns towns;
    private SyncAgent agent;
    private Peer peerB;

    ConvergenceTest(Database a, TestCluster cluster) {
        this.a = a;
        this.cluster = cluster;
    }

    @BeforeAll
    void open() throws SQLException {
        b = cluster.newDatabase("ConvergenceTestB");
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
    void afterASyncBothSidesHoldTheSameRows() throws SQLException {
        UUID fromA = insertContact(a, "fluenti", "Vera", null);
        UUID fromB = insertContact(b, "aurora", "Vito", null);
        exec(a, "UPDATE crm.contacts SET first_name = 'Verena' WHERE id = ?", fromA);
        agent.runOnce(peerB, b.owner());

        VerifyReport report = Convergence.of(a).verify(peerB, b.owner());

        assertThat(report.diverged()).isEmpty();
        assertThat(report.converged()).isTrue();
        VerifyReport.Table contacts = table(report, CONTACTS);
        assertThat(contacts.rowsHere()).isEqualTo(count(a, "SELECT count(*) FROM crm.contacts"))
                .isEqualTo(contacts.rowsThere()).isPositive();
        assertThat(row(b, fromA)).contains("Verena");
        assertThat(row(a, fromB)).isNotNull();
    }

    @Test
    void anInjectedDivergenceIsFoundNamingTableAndIds() throws SQLException {
        UUID changed = insertContact(a, "fluenti", "Dora", null);
        UUID deletedOnB = insertContact(a, "fluenti", "Dana", null);
        agent.runOnce(peerB, b.owner());
        UUID nodeA = Peers.nodeId(a.owner());
        // each write is logged as if it came from the other node, so sync never sends it there
        UUID onlyOnA = insertContact(a, "fluenti", "Anna", peerB.nodeId());
        UUID onlyOnB = insertContact(b, "fluenti", "Bert", nodeA);
        asFrom(b, nodeA, "UPDATE crm.contacts SET first_name = 'Drift' WHERE id = ?", changed);
        asFrom(b, nodeA, "DELETE FROM crm.contacts WHERE id = ?", deletedOnB);
        agent.runOnce(peerB, b.owner());

        VerifyReport report = Convergence.of(a).verify(peerB, b.owner());

        assertThat(report.converged()).isFalse();
        assertThat(report.diverged()).extracting(VerifyReport.Table::name).containsExactly(CONTACTS);
        VerifyReport.Table contacts = table(report, CONTACTS);
        assertThat(contacts.missingThereIds()).containsExactlyInAnyOrder(onlyOnA, deletedOnB);
        assertThat(contacts.missingHereIds()).containsExactly(onlyOnB);
        assertThat(contacts.differentIds()).containsExactly(changed);
        assertThat(contacts.rowsHere() - contacts.rowsThere()).isEqualTo(1);

        // repaired by hand, as sync's own traffic: both sides agree again
        asFrom(a, peerB.nodeId(), "DELETE FROM crm.contacts WHERE id = ?", onlyOnA);
        asFrom(b, nodeA, "DELETE FROM crm.contacts WHERE id = ?", onlyOnB);
        asFrom(b, nodeA, "UPDATE crm.contacts SET first_name = 'Dora' WHERE id = ?", changed);
        asFrom(a, peerB.nodeId(), "DELETE FROM crm.contacts WHERE id = ?", deletedOnB);
        assertThat(Convergence.of(a).verify(peerB, b.owner()).converged()).isTrue();
    }

    @Test
    void aTownReplicaIsComparedOnlyOverItsTown() throws SQLException {
        Database replica = cluster.newDatabase("ConvergenceTestReplica");
        renewNode(replica);
        Peer fluentiOnly = Peers.of(a).add("fluenti-replica", replica.owner(), Optional.of("fluenti"), "push");
        UUID fluenti = insertContact(a, "fluenti", "Fia", null);
        UUID aurora = insertContact(a, "aurora", "Aura", null);
        agent.runOnce(fluentiOnly, replica.owner());
        assertThat(row(replica, aurora)).as("never sent").isNull();

        VerifyReport report = Convergence.of(a).verify(fluentiOnly, replica.owner());

        assertThat(report.diverged()).as("aurora's rows here are not the replica's to hold").isEmpty();
        VerifyReport.Table contacts = table(report, CONTACTS);
        assertThat(contacts.rowsHere()).isEqualTo(contacts.rowsThere())
                .isLessThan(count(a, "SELECT count(*) FROM crm.contacts"));
        assertThat(row(replica, fluenti)).isNotNull();

        asFrom(replica, Peers.nodeId(a.owner()), "DELETE FROM crm.contacts WHERE id = ?", fluenti);
        assertThat(table(Convergence.of(a).verify(fluentiOnly, replica.owner()), CONTACTS).missingThereIds())
                .containsExactly(fluenti);
    }

    // ------------------------------------------------------------------ helpers

    private static VerifyReport.Table table(VerifyReport report, String name) {
        return report.tables().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    /** Inserts a contact; with {@code asFrom} logged as that node's change. */
    private UUID insertContact(Database db, String town, String firstName, UUID asFrom) throws SQLException {
        UUID id = UUID.randomUUID();
        String insert = "INSERT INTO crm.contacts (id, org_id, town_id, first_name, last_name) VALUES (?, ?, ?, ?, 'Verify')";
        Object[] args = {id, towns.orgId(), towns.town(town).id(), firstName};
        if (asFrom == null) {
            exec(db, insert, args);
        } else {
            asFrom(db, asFrom, insert, args);
        }
        return id;
    }

    /** Runs the statement as the sync agent applies a change of {@code origin}: logged with that origin. */
    private static String row(Database db, UUID id) throws SQLException {
        return text(db, "SELECT to_jsonb(r)::text FROM crm.contacts r WHERE id = ?", id);
    }

    /** Runs the statement as the sync agent applies a change of {@code origin}: logged with that origin. */
    private static void asFrom(Database db, UUID origin, String sql, Object... args) throws SQLException {
        try (Connection c = db.owner().connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT set_config('townhall.sync_origin', ?, true), set_config('townhall.sync_hlc', sync.hlc_now()::text, true)")) {
                ps.setString(1, origin.toString());
                ps.execute();
            }
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                ps.execute();
            }
            c.commit();
        }
    }

}
