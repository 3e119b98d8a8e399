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
 * {@code bench compat} at a tiny size on the real database, the old statements sent through real bound logins: every
 * question, path and client count is measured without a single failed request, and the figures file holds every
 * metric. Never asserts speed.
 */
@ExtendWith(PostgresExtension.class)
class CompatBenchmarkTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Database db;

    CompatBenchmarkTest(Database db) {
        this.db = db;
    }

    @Test
    void everyLineCompletesWithoutErrorsAndItsFiguresAreWritten(@TempDir Path out) throws IOException {
        CompatBenchmark.Report report = CompatBenchmark.on(db).run(CompatBenchmark.MIN_MESSAGES,
                LoadGenerator.Plan.requests(4, 16), line -> { });

        assertThat(report.errors()).as("failed requests").isZero();
        assertThat(report.messages()).isGreaterThanOrEqualTo(CompatBenchmark.MIN_MESSAGES);
        assertThat(report.codeMessages()).isPositive();
        assertThat(report.deals()).isPositive();
        for (CompatBenchmark.Query query : CompatBenchmark.Query.values()) {
            for (CompatBenchmark.Path path : CompatBenchmark.Path.values()) {
                for (int clients : CompatBenchmark.CLIENTS) {
                    CompatBenchmark.Line line = report.line(query, path, clients).orElseThrow(() ->
                            new AssertionError("no line for " + query + " " + path + " " + clients));
                    assertThat(line.result().requests()).isEqualTo(16);
                    assertThat(line.result().p99Ms()).isGreaterThanOrEqualTo(line.result().p50Ms()).isPositive();
                }
            }
        }
        assertThat(report.lines()).hasSize(CompatBenchmark.Query.values().length * CompatBenchmark.Path.values().length
                * CompatBenchmark.CLIENTS.size());

        Path file = out.resolve("compat.json");
        report.figures().writeJson(file);
        JsonNode document = JSON.readTree(file.toFile());
        assertThat(document.get("benchmark").asText()).isEqualTo("compat");
        Set<String> seen = new HashSet<>();
        for (JsonNode f : document.get("figures")) {
            JsonNode p = f.get("parameters");
            String metric = f.get("metric").asText();
            seen.add(metric);
            if (metric.equals("errors")) {
                assertThat(f.get("value").asDouble()).as("errors of %s", p).isZero();
            }
            if (metric.equals("latency_p99")) {
                seen.add(p.get("query").asText() + "/" + p.get("path").asText() + "/" + p.get("clients").asInt());
            }
        }
        assertThat(seen).contains("calls_per_second", "latency_p50", "latency_p99", "calls", "errors",
                "p50_view_over_unified", "p50_unified_over_direct", "aurora_messages/compat_view/1",
                "aurora_insert_message/compat_view/8", "extension_code_messages/unified/1",
                "backend_current_mood/direct_jdbc/8", "aurora_deals/compat_view/1");
    }
}
