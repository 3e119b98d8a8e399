package dev.townhall.sync;

import dev.townhall.TownHallException;
import dev.townhall.db.Database;
import dev.townhall.sync.internal.FlowApplier;
import dev.townhall.testing.LoopbackProxy;
import dev.townhall.testing.TestCluster;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static dev.townhall.testing.OwnerSql.count;
import static dev.townhall.testing.OwnerSql.exec;
import static dev.townhall.testing.OwnerSql.renewNode;
import static dev.townhall.testing.OwnerSql.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Generated schedules of writes (insert, update, delete of a few contacts) on A (the run's cluster) and B (a second
 * cluster, reached through a loopback link that can be cut), with syncs at random points, some in one direction only,
 * sync attempts while B is unreachable and runs whose link drops part way. After a final sync until quiet both sides hold exactly the model's rows:
 * under last-write-wins, per row the state left by its write with the highest (hlc, origin) as logged by the side
 * that made it, a delete leaving no row. Nothing lost, nothing applied twice.
 *
 * <p>Why that is the policy's answer: a change is applied when its base saw the row's current version (then its hlc
 * is higher anyway, clocks observe what they apply) and otherwise ranks against it, equal ranks going to the later
 * (hlc, origin); so every side ends at the highest.
 */
class SyncSchedulePropertyTest {
    private static final int ROWS = 3;
    /** Small batches, so a sync of a few changes is still several batches. */
    private static final FlowApplier.Options SMALL_BATCHES = new FlowApplier.Options(2, 2, Duration.ofMillis(1));

    enum Side { A, B }

    enum Kind { WRITE, DELETE, SYNC, PUSH_ONLY, PULL_ONLY, PEER_DOWN, CUT_MID_RUN }

    /** {@code row}: which row a write touches; {@code bytes}: how far into a run the link is cut (CUT_MID_RUN). */
    record Step(Kind kind, Side side, int row, int bytes) {
    }

    /** One write as its side logged it: the row's image after it (null: deleted) and its clock. */
    record Write(String image, long hlc, String origin) {
        boolean laterThan(Write other) {
            return hlc != other.hlc ? hlc > other.hlc : origin.compareTo(other.origin) > 0;
        }
    }

    private static Database a;
    private static Database b;
    private static LoopbackProxy link;
    private static SyncAgent agent;
    private static Peer peerB;

    @BeforeContainer
    static void twoServers() throws SQLException {
        a = TestCluster.shared().newDatabase("SyncSchedulePropertyTestA");
        b = TestCluster.sharedPeer().newDatabase("SyncSchedulePropertyTestB");
        renewNode(a);
        renewNode(b);
        for (Database db : new Database[] {a, b}) {
            exec(db, "UPDATE sync.synced_tables SET policy = 'last_write_wins' WHERE table_name = 'crm.contacts'");
        }
        link = LoopbackProxy.to(b.owner());
        agent = SyncAgent.of(a, SMALL_BATCHES);
        peerB = Peers.of(a).add("b", link.endpointFor(b.owner()), Optional.empty(), "both");
    }

    @AfterContainer
    static void cutLink() {
        if (link != null) {
            link.close();
        }
    }

    @Property(tries = 10)
    void everyScheduleConvergesToTheNewestWriteOfEachRow(@ForAll("schedules") List<Step> steps) throws SQLException {
        List<UUID> rows = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            rows.add(UUID.randomUUID());
        }
        Map<UUID, Write> newest = new HashMap<>();
        for (Step step : steps) {
            switch (step.kind()) {
                case WRITE, DELETE -> {
                    Database side = step.side() == Side.A ? a : b;
                    UUID id = rows.get(step.row());
                    write(side, id, step.kind() == Kind.DELETE).ifPresent(w -> newest.merge(id, w,
                            (known, made) -> made.laterThan(known) ? made : known));
                }
                case SYNC -> agent.runOnce(peerB, link.endpointFor(b.owner()));
                case PUSH_ONLY -> agent.runOnce(oneWay("push"), link.endpointFor(b.owner()));
                case PULL_ONLY -> agent.runOnce(oneWay("pull"), link.endpointFor(b.owner()));
                case CUT_MID_RUN -> {
                    // the link drops after so many bytes, wherever the run is (a batch half applied on B, say);
                    // a run that needs fewer bytes just completes
                    link.cutAfter(step.bytes());
                    try {
                        agent.runOnce(peerB, link.endpointFor(b.owner()));
                        Statistics.label("runs with a cut link").collect("done before the cut");
                    } catch (TownHallException cut) {
                        // what a run reports when its link drops; anything else fails the property
                        Statistics.label("runs with a cut link").collect("cut part way");
                    } finally {
                        link.restore();
                    }
                }
                case PEER_DOWN -> {
                    link.cut();
                    try {
                        assertThatThrownBy(() -> agent.runOnce(peerB, link.endpointFor(b.owner())))
                                .isInstanceOf(TownHallException.class);
                    } finally {
                        link.restore();
                    }
                }
            }
        }
        syncUntilQuiet();

        assertThat(Convergence.of(a).verify(peerB, b.owner()).diverged()).isEmpty();
        for (UUID id : rows) {
            String expected = Optional.ofNullable(newest.get(id)).map(Write::image).orElse(null);
            assertThat(image(a, id)).as("row %s on A", id).isEqualTo(expected);
            assertThat(image(b, id)).as("row %s on B", id).isEqualTo(expected);
        }
        UUID[] all = rows.toArray(UUID[]::new);
        for (Database db : new Database[] {a, b}) {
            assertThat(count(db, """
                    SELECT count(*) - count(DISTINCT (origin_node, hlc)) FROM sync.changes WHERE row_id = ANY (?)""",
                    (Object) all)).as("no change logged twice").isZero();
            assertThat(count(db, "SELECT count(*) FROM sync.parked_changes WHERE row_id = ANY (?)", (Object) all))
                    .isZero();
        }
    }

    /**
     * Inserts the row if this side has none, else updates it (or deletes it); a delete of a row this side does not
     * hold writes nothing. Returns the write as logged here.
     */
    private static Optional<Write> write(Database side, UUID id, boolean delete) throws SQLException {
        boolean present = count(side, "SELECT count(*) FROM crm.contacts WHERE id = ?", id) == 1;
        String value = "v" + UUID.randomUUID().toString().substring(0, 8);
        if (!present && delete) {
            return Optional.empty();
        } else if (!present) {
            exec(side, """
                    INSERT INTO crm.contacts (id, org_id, town_id, first_name, last_name)
                    SELECT ?, t.org_id, t.id, ?, 'Schedule' FROM core.towns t WHERE t.slug = 'fluenti'""", id, value);
        } else if (delete) {
            exec(side, "DELETE FROM crm.contacts WHERE id = ?", id);
        } else {
            exec(side, "UPDATE crm.contacts SET first_name = ? WHERE id = ?", value, id);
        }
        String newest = "SELECT %s FROM sync.changes WHERE row_id = ? ORDER BY id DESC LIMIT 1";
        return Optional.of(new Write(image(side, id), count(side, newest.formatted("hlc"), id),
                text(side, newest.formatted("origin_node::text"), id)));
    }

    /** Syncs until a run reads nothing either way (bounded: a schedule has few changes). */
    private static void syncUntilQuiet() {
        for (int run = 0; run < 10; run++) {
            RunReport report = agent.runOnce(peerB, link.endpointFor(b.owner()));
            if (report.pulled().read() == 0 && report.pushed().read() == 0) {
                return;
            }
        }
        throw new AssertionError("sync did not settle in 10 runs");
    }

    private static Peer oneWay(String direction) {
        return new Peer(peerB.id(), peerB.name(), peerB.role(), peerB.nodeId(), peerB.endpoint(), peerB.townIds(),
                peerB.includeShared(), direction);
    }

    private static String image(Database db, UUID id) throws SQLException {
        return text(db, "SELECT to_jsonb(r)::text FROM crm.contacts r WHERE id = ?", id);
    }

    @Provide
    Arbitrary<List<Step>> schedules() {
        return Combinators.combine(
                        Arbitraries.of(Kind.WRITE, Kind.WRITE, Kind.WRITE, Kind.DELETE, Kind.SYNC, Kind.PUSH_ONLY,
                                Kind.PULL_ONLY, Kind.PEER_DOWN, Kind.CUT_MID_RUN),
                        Arbitraries.of(Side.class), Arbitraries.integers().between(0, ROWS - 1),
                        Arbitraries.integers().between(1_000, 40_000))
                .as(Step::new).list().ofMinSize(4).ofMaxSize(16);
    }
}
