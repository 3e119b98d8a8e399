package dev.townhall.sync;

import dev.townhall.db.Database;
import dev.townhall.testing.TestCluster;
import dev.townhall.towns.Towns;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random interleavings of concurrent transactions (take an id, write, commit, roll back) with reads at random
 * points and small batches: everything read, taken together, is exactly the committed changes, each once, and no
 * rolled-back change ever. jqwik does not run JUnit Jupiter extensions: the database comes from the run's shared cluster.
 */
class ChangeReaderPropertyTest {
    static final int SLOTS = 4;

    enum Kind { TAKE_ID, WRITE, COMMIT, ROLLBACK, READ }

    record Step(Kind kind, int slot) {
    }

    private static Database db;
    private static Towns towns;
    private static ChangeLog log;
    private static long cursor = ChangeLog.start();

    @BeforeContainer
    static void start() {
        db = TestCluster.shared().newDatabase("ChangeReaderPropertyTest");
        towns = Towns.open(db);
        log = ChangeLog.of(db);
    }

    @AfterContainer
    static void stop() {
        if (towns != null) {
            towns.close();
        }
    }

    @Property(tries = 60)
    void theReadsTogetherAreExactlyTheCommittedChanges(@ForAll("schedules") List<Step> steps,
                                                       @ForAll @IntRange(min = 1, max = 4) int batchSize) throws SQLException {
        List<Connection> slots = new ArrayList<>();
        List<List<UUID>> pending = new ArrayList<>();
        Set<UUID> committed = new HashSet<>();
        Set<UUID> written = new HashSet<>();
        List<UUID> read = new ArrayList<>();
        try {
            for (int i = 0; i < SLOTS; i++) {
                Connection c = db.owner().connect();
                c.setAutoCommit(false);
                slots.add(c);
                pending.add(new ArrayList<>());
            }
            for (Step step : steps) {
                Connection c = slots.get(step.slot());
                List<UUID> mine = pending.get(step.slot());
                switch (step.kind()) {
                    case TAKE_ID -> execute(c, "SELECT pg_current_xact_id()");
                    case WRITE -> {
                        UUID id = insert(c);
                        mine.add(id);
                        written.add(id);
                    }
                    case COMMIT -> {
                        c.commit();
                        committed.addAll(mine);
                        mine.clear();
                    }
                    case ROLLBACK -> {
                        c.rollback();
                        mine.clear();
                    }
                    case READ -> read(batchSize, written, read);
                }
            }
            for (int i = 0; i < SLOTS; i++) {
                slots.get(i).commit();
                committed.addAll(pending.get(i));
            }
            while (read(batchSize, written, read)) {
                // drain: read until a batch comes back empty
            }
        } finally {
            for (Connection c : slots) {
                c.close();
            }
        }
        assertThat(read).doesNotHaveDuplicates();
        assertThat(new HashSet<>(read)).isEqualTo(committed);
    }

    /** One batch from the shared cursor; true when it held any change. */
    private static boolean read(int batchSize, Set<UUID> written, List<UUID> read) {
        Batch batch = log.read(cursor, batchSize, PeerFilter.everything());
        assertThat(batch.cursor()).isGreaterThanOrEqualTo(cursor);
        cursor = batch.cursor();
        batch.changes().stream().map(Change::rowId).filter(written::contains).forEach(read::add);
        return !batch.changes().isEmpty();
    }

    @Provide
    Arbitrary<List<Step>> schedules() {
        return Combinators.combine(Arbitraries.of(Kind.TAKE_ID, Kind.WRITE, Kind.WRITE, Kind.WRITE, Kind.COMMIT, Kind.ROLLBACK,
                        Kind.READ, Kind.READ), Arbitraries.integers().between(0, SLOTS - 1))
                .as(Step::new).list().ofMinSize(5).ofMaxSize(40);
    }

    private static UUID insert(Connection c) throws SQLException {
        UUID id = UUID.randomUUID();
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO crm.contacts (id, org_id, town_id, first_name, last_name) VALUES (?, ?, ?, 'Prop', 'Case')")) {
            ps.setObject(1, id);
            ps.setObject(2, towns.orgId());
            ps.setObject(3, towns.town("fluenti").id());
            ps.executeUpdate();
        }
        return id;
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.execute();
        }
    }
}
