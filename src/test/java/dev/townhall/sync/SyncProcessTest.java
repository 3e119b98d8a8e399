package dev.townhall.sync;

import dev.townhall.db.Database;
import dev.townhall.db.Endpoint;
import dev.townhall.testing.CliProcess;
import dev.townhall.testing.CliRun;
import dev.townhall.testing.LoopbackProxy;
import dev.townhall.testing.OwnerSql;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.testing.TestCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static dev.townhall.testing.OwnerSql.count;
import static dev.townhall.testing.OwnerSql.exec;
import static dev.townhall.testing.OwnerSql.renewNode;
import static dev.townhall.testing.OwnerSql.texts;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./townhall sync run --every 1s} as a process of its own between A (the run's cluster) and B (a second
 * cluster): killed with SIGKILL in the middle of ten thousand queued changes it resumes without losing or
 * repeating one; with the network to B cut for many runs while both sides write, it reports B's failure on every run,
 * keeps running, and converges once B is back.
 */
@ExtendWith(PostgresExtension.class)
class SyncProcessTest {
    /** Generous bounds for a run that got stuck; the tests wait for states, never for a time. */
    private static final Duration PATIENCE = Duration.ofMinutes(3);
    private static final String EVERY_SECOND = "1s";
    /**
     * Changes queued for the kill: twenty batches of the CLI's 500, so the kill lands in the middle of the run and
     * most likely of a batch; kept at what applies in under half a minute at today's pace on two cores.
     */
    private static final int QUEUED = 10_000;

    @TempDir
    Path home;

    private Database a;
    private Database b;
    private Peer peerB;
    private final List<CliProcess> processes = new ArrayList<>();

    @BeforeEach
    void twoServers() throws SQLException {
        a = TestCluster.shared().newDatabase("SyncProcessTestA");
        b = TestCluster.sharedPeer().newDatabase("SyncProcessTestB");
        renewNode(a);
        renewNode(b);
    }

    @AfterEach
    void stopProcesses() {
        for (CliProcess p : processes) {
            p.close();
        }
    }

    @Test
    void killedMidBatchTheSyncProcessResumesWithoutLossOrDuplicates() throws Exception {
        peerB = Peers.of(a).add("b", b.owner(), Optional.empty(), "both");
        for (int tx = 0; tx < QUEUED / 1000; tx++) {
            insertContacts(a, 1000, "Queued");
        }

        CliProcess first = sync(b.owner());
        assertThat(first.awaitUntil(p -> contacts(b) >= 1000, PATIENCE)).as(output(first)).isTrue();
        first.kill();
        long before = contacts(b);
        assertThat(before).as("killed with changes still to apply").isLessThan(QUEUED);
        assertThat(progress(b, a)).as("B's cursor for A moved").isPositive();

        CliProcess second = sync(b.owner());
        assertThat(second.awaitUntil(p -> contacts(b) == QUEUED && queuedFor(b) == 0, PATIENCE))
                .as(output(second)).isTrue();
        second.kill();

        String ids = "SELECT id::text FROM crm.contacts ORDER BY id";
        assertThat(texts(b, ids)).as("every row of A on B, once").isEqualTo(texts(a, ids));
        assertThat(count(b, "SELECT count(*) FROM sync.changes WHERE table_name = 'crm.contacts'"))
                .as("each change applied once on B").isEqualTo(QUEUED);
        assertThat(count(b, "SELECT count(DISTINCT row_id) FROM sync.changes WHERE table_name = 'crm.contacts'"))
                .isEqualTo(QUEUED);
        assertThat(count(b, "SELECT count(*) - count(DISTINCT (source_node, change_id)) FROM sync.applied_changes"))
                .isZero();
        assertThat(count(b, "SELECT count(*) FROM sync.parked_changes")).isZero();
        assertThat(Convergence.of(a).verify(peerB, b.owner()).diverged()).isEmpty();
    }

    @Test
    void aPeerCutOffForManyRunsWhileBothSidesWriteConvergesOnceBack() throws Exception {
        try (LoopbackProxy network = LoopbackProxy.to(b.owner())) {
            Endpoint throughNetwork = network.endpointFor(b.owner());
            peerB = Peers.of(a).add("b", throughNetwork, Optional.empty(), "both");
            List<UUID> before = insertContacts(a, 200, "Before");
            CliProcess sync = sync(throughNetwork);
            assertThat(sync.awaitUntil(p -> contacts(b) == before.size(), PATIENCE)).as(output(sync)).isTrue();

            network.cut();
            int linesAtCut = sync.lines().size();
            List<UUID> offlineA = new ArrayList<>();
            List<UUID> offlineB = new ArrayList<>();
            for (int round = 0; round < 5; round++) {
                offlineA.addAll(insertContacts(a, 200, "OfflineA"));
                offlineB.addAll(insertContacts(b, 200, "OfflineB"));
            }
            UUID[] renamedOnA = before.subList(0, 50).toArray(UUID[]::new);
            UUID[] deletedOnB = before.subList(50, 100).toArray(UUID[]::new);
            exec(a, "UPDATE crm.contacts SET first_name = 'RenamedOnA' WHERE id = ANY (?)", (Object) renamedOnA);
            exec(b, "DELETE FROM crm.contacts WHERE id = ANY (?)", (Object) deletedOnB);
            assertThat(sync.awaitUntil(p -> failuresOfB(p, linesAtCut) >= 3, PATIENCE))
                    .as("B's failure reported run after run: " + output(sync)).isTrue();
            assertThat(sync.isAlive()).as("a peer that is down does not stop the process").isTrue();

            network.restore();
            assertThat(sync.awaitUntil(p -> converged(throughNetwork), PATIENCE)).as(output(sync)).isTrue();
            sync.kill();

            for (Database db : new Database[] {a, b}) {
                assertThat(count(db, "SELECT count(*) FROM crm.contacts"))
                        .isEqualTo(before.size() - deletedOnB.length + offlineA.size() + offlineB.size());
                assertThat(count(db, "SELECT count(*) FROM crm.contacts WHERE first_name = 'RenamedOnA'"))
                        .isEqualTo(renamedOnA.length);
                assertThat(count(db, "SELECT count(*) FROM crm.contacts WHERE id = ANY (?)", (Object) deletedOnB)).isZero();
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    /** {@code sync run --every 1s} on A, reaching B at {@code peer}. */
    private CliProcess sync(Endpoint peer) {
        CliProcess p = CliProcess.start(home, a, Map.of("TOWNHALL_PEER_B_URL", CliRun.databaseUrl(peer)),
                "sync", "run", "--every", EVERY_SECOND);
        processes.add(p);
        return p;
    }

    private static long failuresOfB(CliProcess p, int from) {
        List<String> lines = p.lines();
        return lines.subList(Math.min(from, lines.size()), lines.size()).stream()
                .filter(line -> line.contains(" b: failed: ")).count();
    }

    private boolean converged(Endpoint peer) {
        return Convergence.of(a).verify(peerB, peer).converged();
    }

    private static long contacts(Database db) {
        try {
            return count(db, "SELECT count(*) FROM crm.contacts");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A's changes for B not yet applied there. */
    private long queuedFor(Database peer) {
        return SyncAgent.of(a).status(peerB, Optional.of(peer.owner())).push().queued().orElseThrow();
    }

    private static long progress(Database at, Database source) throws SQLException {
        return count(at, "SELECT coalesce(max(cursor), 0) FROM sync.peer_progress WHERE source_node = ?",
                UUID.fromString(OwnerSql.text(source, "SELECT sync.local_node_id()::text")));
    }

    private static String output(CliProcess p) {
        return String.join("\n", p.lines());
    }

    /** {@code n} fluenti contacts in one transaction. */
    private static List<UUID> insertContacts(Database db, int n, String firstName) throws SQLException {
        return texts(db, """
                INSERT INTO crm.contacts (org_id, town_id, first_name, last_name)
                SELECT t.org_id, t.id, ?, 'Process ' || i FROM core.towns t, generate_series(1, ?) i
                WHERE t.slug = 'fluenti'
                RETURNING id::text""", firstName, n).stream().map(UUID::fromString).toList();
    }
}
