package dev.townhall.sync;

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

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static dev.townhall.testing.OwnerSql.count;
import static dev.townhall.testing.OwnerSql.exec;
import static dev.townhall.testing.OwnerSql.renewNode;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The continuous loop on two databases of the test cluster: started in a thread, it carries a write on either side to
 * the other without being asked again, and ends when stopped; a peer that cannot be reached is reported and does not
 * stop the others; pruning runs once per prune interval, not every round.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContinuousSyncTest {
    private static final FlowApplier.Options FAST = new FlowApplier.Options(500, 2, Duration.ofMillis(1));
    /** Generous: the loop needs a round or two; a slow CI machine must not fail the test. */
    private static final long AWAIT_MS = 30_000;

    private final Database a;
    private final TestCluster cluster;
    private Database b;
    private Towns towns;
    private SyncAgent agent;

    ContinuousSyncTest(Database a, TestCluster cluster) {
        this.a = a;
        this.cluster = cluster;
    }

    @BeforeAll
    void open() throws SQLException {
        b = cluster.newDatabase("ContinuousSyncTestB");
        renewNode(b);
        towns = Towns.open(a);
        agent = SyncAgent.of(a, FAST);
        agent.runOnce(Peers.of(a).add("b", b.owner(), Optional.empty(), "both"), b.owner());
    }

    @AfterAll
    void close() {
        towns.close();
    }

    @Test
    void writesOnEitherSideArriveWhileTheLoopRunsAndItStopsWhenAsked() throws Exception {
        ContinuousSync loop = ContinuousSync.of(a, agent, endpoints(Map.of("b", b.owner())), Duration.ofMillis(20),
                Duration.ofHours(1));
        CountDownLatch stop = new CountDownLatch(1);
        List<ContinuousSync.Round> rounds = new CopyOnWriteArrayList<>();
        List<Throwable> thrown = new CopyOnWriteArrayList<>();
        Thread thread = new Thread(() -> {
            try {
                loop.run(stop, rounds::add);
            } catch (Throwable t) {
                thrown.add(t);
            }
        }, "continuous-sync-test");
        thread.start();
        try {
            UUID fromA = insertContact(a, "Cora");
            UUID fromB = insertContact(b, "Bruno");
            assertThat(awaitRow(b, fromA)).as("A's write reached B without another call").isTrue();
            assertThat(awaitRow(a, fromB)).as("B's write reached A").isTrue();
        } finally {
            stop.countDown();
            thread.join(AWAIT_MS);
        }
        assertThat(thread.isAlive()).as("the loop ended when stopped").isFalse();
        assertThat(thrown).isEmpty();
        assertThat(rounds).anyMatch(ContinuousSync.Round::readSomething);
        assertThat(rounds).allMatch(r -> r.failures().isEmpty());
        assertThat(rounds.stream().filter(r -> r.pruned().isPresent()).count())
                .as("pruned in the first round only: the prune interval is an hour").isEqualTo(1);
    }

    @Test
    void aPeerThatCannotBeReachedIsReportedAndTheOthersStillSync() throws SQLException {
        Database down = cluster.newDatabase("ContinuousSyncTestDown");
        renewNode(down);
        Peers.of(a).add("down", down.owner(), Optional.empty(), "both");
        try {
            ContinuousSync loop = ContinuousSync.of(a, agent, endpoints(Map.of("b", b.owner(), "down", unreachable(down))));
            UUID fromA = insertContact(a, "Dora");

            ContinuousSync.Round round = loop.round();

            assertThat(round.failures()).singleElement().satisfies(f -> assertThat(f.peer()).contains("down"));
            assertThat(round.runs()).extracting(RunReport::peer).containsExactly("b");
            assertThat(count(b, "SELECT count(*) FROM crm.contacts WHERE id = ?", fromA)).isEqualTo(1);
            assertThat(round.pruned()).hasValueSatisfying(p -> assertThat(p.blockedBy()).isPresent());
        } finally {
            Peers.of(a).remove("down");
        }
    }

    /** Each peer's owner endpoint, found by name in {@code owners}. */
    private static Function<Peer, Optional<Endpoint>> endpoints(Map<String, Endpoint> owners) {
        return peer -> Optional.ofNullable(owners.get(peer.name()));
    }

    /** {@code db}'s owner at a port nothing listens on: a peer that is down. */
    private static Endpoint unreachable(Database db) {
        Endpoint owner = db.owner();
        return new Endpoint(owner.host(), 1, owner.database(), owner.user(), owner.password());
    }

    private UUID insertContact(Database db, String firstName) throws SQLException {
        UUID id = UUID.randomUUID();
        exec(db, "INSERT INTO crm.contacts (id, org_id, town_id, first_name, last_name) VALUES (?, ?, ?, ?, 'Loop')",
                id, towns.orgId(), towns.town("fluenti").id(), firstName);
        return id;
    }

    private static boolean awaitRow(Database db, UUID id) throws SQLException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(AWAIT_MS);
        while (System.nanoTime() < deadline) {
            if (count(db, "SELECT count(*) FROM crm.contacts WHERE id = ?", id) == 1) {
                return true;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }
}
