package dev.townhall.sync;

import dev.townhall.db.Database;
import dev.townhall.testing.PostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** The packed hybrid logical clock: unique across sessions, increasing per session and across reconnects. */
@ExtendWith(PostgresExtension.class)
class HlcTest {
    private static final long MS = 1L << 16;
    private final Database db;

    HlcTest(Database db) {
        this.db = db;
    }

    @Test
    void concurrentSessionsNeverGetTheSameValueAndEachSeesItsOwnIncrease() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Long>>> sessions = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                sessions.add(pool.submit((Callable<List<Long>>) () -> draw(500)));
            }
            Set<Long> all = new HashSet<>();
            for (Future<List<Long>> session : sessions) {
                List<Long> values = session.get();
                assertThat(values).isSortedAccordingTo(Long::compare).doesNotHaveDuplicates();
                all.addAll(values);
            }
            assertThat(all).hasSize(2000);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aNewSessionContinuesAboveTheLastValueAndNeverBehindPhysicalTime() throws SQLException {
        long before = draw(3).get(2);
        long physical = query("SELECT sync.physical_hlc()");
        long after = draw(1).get(0);
        assertThat(after).isGreaterThan(before).isGreaterThanOrEqualTo(physical);
        assertThat(query("SELECT sync.hlc_ms(" + after + ")")).isEqualTo(after >> 16);
    }

    @Test
    void aRemoteClockTooFarAheadIsRefusedAndLeavesTheClockAlone() throws SQLException {
        long farAhead = query("SELECT sync.physical_hlc()") + 3_600_000 * MS;
        assertThat(observe(farAhead)).isFalse();
        assertThat(draw(1).get(0)).isLessThan(farAhead - 3_000_000 * MS);
    }

    @Test
    void aRemoteClockSlightlyAheadAdvancesTheLocalOne() throws SQLException {
        long nearAhead = query("SELECT sync.physical_hlc()") + 10_000 * MS + 7;
        assertThat(observe(nearAhead)).isTrue();
        assertThat(draw(1).get(0)).isGreaterThan(nearAhead);
    }

    @Test
    void theTextFormSortsLikeTheNumber() throws SQLException {
        try (Connection c = db.owner().connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT sync.hlc_to_text(sync.hlc_pack(1764686581123, 42)), sync.next_hlc() ~ ('^[0-9]{15}-[0-9]{6}-' || sync.local_node_id())");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("001764686581123-000042");
            assertThat(rs.getBoolean(2)).as("next_hlc is the clock's text plus this node's id").isTrue();
        }
    }

    private List<Long> draw(int n) throws SQLException {
        List<Long> values = new ArrayList<>();
        try (Connection c = db.owner().connect(); PreparedStatement ps = c.prepareStatement("SELECT sync.hlc_now()")) {
            for (int i = 0; i < n; i++) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    values.add(rs.getLong(1));
                }
            }
        }
        return values;
    }

    private boolean observe(long remote) throws SQLException {
        try (Connection c = db.owner().connect(); PreparedStatement ps = c.prepareStatement("SELECT sync.hlc_observe(?)")) {
            ps.setLong(1, remote);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private long query(String sql) throws SQLException {
        try (Connection c = db.owner().connect(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
