package dev.townhall.sync;

import dev.townhall.db.Database;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.towns.Towns;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A reader never skips a transaction that commits after a later-numbered one, and never splits one across batches. */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChangeReaderTest {
    private final Database db;
    private Towns towns;
    private ChangeLog log;
    private long cursor = ChangeLog.start();
    private final List<UUID> read = new ArrayList<>();

    ChangeReaderTest(Database db) {
        this.db = db;
    }

    @BeforeAll
    void open() {
        towns = Towns.open(db);
        log = ChangeLog.of(db);
    }

    @AfterAll
    void close() {
        towns.close();
    }

    @Test
    void anEarlierTransactionStillRunningHoldsBackALaterCommittedOne() throws SQLException {
        try (Connection t1 = writer(); Connection t2 = writer()) {
            UUID first = insert(t1);
            UUID second = insert(t2);
            t2.commit();
            readAll();
            assertThat(read).as("T2 committed, but T1 (lower txid) still runs").doesNotContain(first, second);
            t1.commit();
            readAll();
            assertThat(read).containsSubsequence(first, second);
            assertThat(read).filteredOn(id -> id.equals(first) || id.equals(second)).hasSize(2);
        }
    }

    @Test
    void aTransactionWithTheLowerIdThatWritesLaterIsNotSkipped() throws SQLException {
        try (Connection early = writer(); Connection late = writer()) {
            txid(early);
            UUID committedFirst = insert(late);
            late.commit();
            readAll();
            assertThat(read).doesNotContain(committedFirst);
            UUID committedLast = insert(early);
            early.commit();
            readAll();
            assertThat(read).contains(committedFirst, committedLast).doesNotHaveDuplicates();
        }
    }

    @Test
    void aRolledBackTransactionIsNeverRead() throws SQLException {
        UUID gone;
        try (Connection t = writer()) {
            gone = insert(t);
            t.rollback();
        }
        readAll();
        assertThat(read).doesNotContain(gone);
    }

    @Test
    void batchesEndAtTransactionBoundariesAndABigTransactionComesWhole() throws SQLException {
        List<UUID> written = new ArrayList<>();
        try (Connection t = writer()) {
            for (int i = 0; i < 3; i++) {
                written.add(insert(t));
            }
            t.commit();
        }
        try (Connection t = writer()) {
            written.add(insert(t));
            t.commit();
        }
        readAll();
        long from = ChangeLog.start();
        List<List<UUID>> batches = new ArrayList<>();
        while (true) {
            Batch batch = log.read(from, 2, PeerFilter.everything());
            if (batch.changes().isEmpty()) {
                break;
            }
            batches.add(batch.changes().stream().map(Change::rowId).filter(written::contains).toList());
            from = batch.cursor();
        }
        assertThat(batches).contains(written.subList(0, 3), List.of(written.get(3)));
    }

    @Test
    void aPeerNeverReceivesItsOwnChangesNorTownsItDoesNotHold() throws SQLException {
        UUID id;
        try (Connection t = writer()) {
            id = insert(t);
            t.commit();
        }
        UUID fluenti = towns.town("fluenti").id();
        UUID aurora = towns.town("aurora").id();
        assertThat(rows(new PeerFilter(java.util.Optional.empty(), Set.of(fluenti), false))).contains(id);
        assertThat(rows(new PeerFilter(java.util.Optional.empty(), Set.of(aurora), true))).doesNotContain(id);
        UUID self = localNode();
        assertThat(rows(new PeerFilter(java.util.Optional.of(self), Set.of(), true))).doesNotContain(id);
    }

    private List<UUID> rows(PeerFilter filter) {
        return log.read(ChangeLog.start(), 100_000, filter).changes().stream().map(Change::rowId).toList();
    }

    private void readAll() {
        Batch batch = log.read(cursor, 1000, PeerFilter.everything());
        batch.changes().forEach(c -> read.add(c.rowId()));
        assertThat(batch.cursor()).isGreaterThanOrEqualTo(cursor);
        cursor = batch.cursor();
    }

    private Connection writer() throws SQLException {
        Connection c = db.owner().connect();
        c.setAutoCommit(false);
        return c;
    }

    private UUID insert(Connection c) throws SQLException {
        UUID id = UUID.randomUUID();
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO crm.contacts (id, org_id, town_id, first_name, last_name) VALUES (?, ?, ?, 'Reader', 'Case')")) {
            ps.setObject(1, id);
            ps.setObject(2, towns.orgId());
            ps.setObject(3, towns.town("fluenti").id());
            ps.executeUpdate();
        }
        return id;
    }

    private static void txid(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_current_xact_id()")) {
            ps.executeQuery().close();
        }
    }

    private UUID localNode() throws SQLException {
        try (Connection c = db.owner().connect(); PreparedStatement ps = c.prepareStatement("SELECT sync.local_node_id()");
             var rs = ps.executeQuery()) {
            rs.next();
            return rs.getObject(1, UUID.class);
        }
    }
}
