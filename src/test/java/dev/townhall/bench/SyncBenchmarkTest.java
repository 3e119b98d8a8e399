package dev.townhall.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.townhall.db.Database;
import dev.townhall.testing.PostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bench sync} at a tiny size on the test cluster, through real TownHall sync and a real publication and
 * subscription: every phase and catch-up is measured for both replications with every change arriving, the figures
 * file holds every metric, and nothing is left behind (no scratch database, no slot that would pin WAL). Never
 * asserts speed.
 */
@ExtendWith(PostgresExtension.class)
class SyncBenchmarkTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Database db;

    SyncBenchmarkTest(Database db) {
        this.db = db;
    }

    @Test
    void bothReplicationsDeliverEveryChangeAndTheFiguresAreWritten(@TempDir Path out) throws IOException, SQLException {
        List<SyncBenchmark.Progress> progress = new ArrayList<>();
        SyncBenchmark.Report report = SyncBenchmark.on(db).run(
                new SyncBenchmark.Settings(Duration.ofSeconds(1), SyncBenchmark.MIN_BACKLOG), line -> { }, progress::add);

        assertThat(report.failures()).as("changes that never arrived").isZero();
        for (SyncBenchmark.Replication r : SyncBenchmark.Replication.values()) {
            for (int writers : SyncBenchmark.WRITERS) {
                SyncBenchmark.Phase p = report.phase(r, writers).orElseThrow(() ->
                        new AssertionError("no phase for " + r + " with " + writers + " writers"));
                assertThat(p.transactions()).isPositive();
                assertThat(p.changes()).as("an insert per transaction, an update for all but each writer's first")
                        .isEqualTo(2 * p.transactions() - writers);
                assertThat(p.deliveredPerSecond()).isPositive();
                assertThat(p.lagP50Ms()).isPositive();
                assertThat(p.lagP99Ms()).isGreaterThanOrEqualTo(p.lagP50Ms());
                assertThat(p.lagMaxMs()).isGreaterThanOrEqualTo(p.lagP99Ms());
            }
            SyncBenchmark.CatchUp c = report.catchUp(r).orElseThrow();
            assertThat(c.complete()).isTrue();
            assertThat(c.changes()).isEqualTo(SyncBenchmark.MIN_BACKLOG);
            assertThat(c.seconds()).isPositive();
        }

        Path file = out.resolve("sync.json");
        report.figures().writeJson(file);
        JsonNode document = JSON.readTree(file.toFile());
        assertThat(document.get("benchmark").asText()).isEqualTo("sync");
        Set<String> seen = new HashSet<>();
        for (JsonNode f : document.get("figures")) {
            JsonNode p = f.get("parameters");
            seen.add(f.get("metric").asText() + "/" + p.get("replication").asText()
                    + (p.has("writers") ? "/" + p.get("writers").asInt() : ""));
        }
        assertThat(seen).contains("changes_per_second/townhall/1", "changes_per_second/native/4", "lag_p50/townhall/4",
                "lag_p99/native/1", "catch_up/townhall", "catch_up/native", "unseen/townhall/4");

        try (Connection c = db.cluster().orElseThrow().superuserEndpoint().connect(); Statement s = c.createStatement()) {
            assertThat(count(s, "SELECT count(*) FROM pg_database WHERE datname LIKE 'townhall_bench_sync%'")).isZero();
            assertThat(count(s, "SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE 'townhall_bench_sync%'"))
                    .isZero();
        }
    }

    private static long count(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
