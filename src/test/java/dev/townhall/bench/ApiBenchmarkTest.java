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
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bench api} at a tiny size on the real server and database: every query, path and concurrency is measured
 * without a single failed request, and the figures file holds every metric. Never asserts speed.
 */
@ExtendWith(PostgresExtension.class)
class ApiBenchmarkTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Database db;

    ApiBenchmarkTest(Database db) {
        this.db = db;
    }

    @Test
    void everyLineCompletesWithoutErrorsAndItsFiguresAreWritten(@TempDir Path out) throws IOException {
        ApiBenchmark.Report report = ApiBenchmark.on(db).run(ApiBenchmark.MIN_CONTACTS * 5,
                LoadGenerator.Plan.requests(5, 20), line -> { });

        assertThat(report.errors()).as("failed requests").isZero();
        for (ApiBenchmark.Query query : ApiBenchmark.Query.values()) {
            for (ApiBenchmark.Path path : ApiBenchmark.Path.values()) {
                for (int connections : ApiBenchmark.CONNECTIONS) {
                    if (path.asks(query)) {
                        ApiBenchmark.Line line = report.line(query, path, connections).orElseThrow(() ->
                                new AssertionError("no line for " + query + " " + path + " " + connections));
                        assertThat(line.result().requests()).isEqualTo(20);
                        assertThat(line.result().p99Ms()).isGreaterThanOrEqualTo(line.result().p50Ms()).isPositive();
                    } else {
                        assertThat(report.line(query, path, connections)).isEmpty();
                    }
                }
            }
        }
        assertThat(report.lines()).hasSize(3 * (4 * 3 - 1));
        assertThat(report.steps()).containsOnlyKeys(ApiBenchmark.Step.values());
        report.steps().values().forEach(step -> assertThat(step.requests()).isEqualTo(20));
        assertThat(report.notes()).isPositive();
        assertThat(report.pointReadsPerSecond()).isPositive();

        Path file = out.resolve("api.json");
        report.figures().writeJson(file);
        JsonNode document = JSON.readTree(file.toFile());
        assertThat(document.get("benchmark").asText()).isEqualTo("api");
        Set<String> seen = new HashSet<>();
        for (JsonNode f : document.get("figures")) {
            JsonNode p = f.get("parameters");
            assertThat(p.get("requests").asInt()).isEqualTo(20);
            assertThat(p.get("contacts").asLong()).isPositive();
            String metric = f.get("metric").asText();
            seen.add(metric);
            if (metric.equals("errors")) {
                assertThat(f.get("value").asDouble()).as("errors of %s", p).isZero();
            }
            if (metric.equals("requests_per_second") && p.has("path")) {
                seen.add(p.get("query").asText() + "/" + p.get("path").asText() + "/" + p.get("connections").asInt());
            }
        }
        assertThat(seen).contains("requests_per_second", "latency_p50", "latency_p99", "requests", "errors",
                "point_read_p50_overhead", "point_read_p50_http_itself", "point_read_step_p50", "point_read/http/16", "list_later_page/direct_jdbc/64",
                "hybrid_search/app_jdbc/1", "hybrid_search/http/64");
    }
}
