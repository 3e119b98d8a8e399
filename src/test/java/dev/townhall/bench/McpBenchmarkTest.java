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
 * {@code bench mcp} at a tiny size on the real server and database: every tool, path and client count is measured
 * without a single failed call (a tool error counts as one), and the figures file holds every metric. Never asserts
 * speed.
 */
@ExtendWith(PostgresExtension.class)
class McpBenchmarkTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Database db;

    McpBenchmarkTest(Database db) {
        this.db = db;
    }

    @Test
    void everyLineCompletesWithoutErrorsAndItsFiguresAreWritten(@TempDir Path out) throws IOException {
        McpBenchmark.Report report = McpBenchmark.on(db).run(ApiBenchmark.MIN_CONTACTS,
                LoadGenerator.Plan.requests(4, 16), line -> { });

        assertThat(report.errors()).as("failed calls").isZero();
        for (McpBenchmark.Tool tool : McpBenchmark.Tool.values()) {
            for (McpBenchmark.Path path : McpBenchmark.Path.values()) {
                for (int clients : McpBenchmark.CLIENTS) {
                    if (path.asks(tool)) {
                        McpBenchmark.Line line = report.line(tool, path, clients).orElseThrow(() ->
                                new AssertionError("no line for " + tool + " " + path + " " + clients));
                        assertThat(line.result().requests()).isEqualTo(16);
                        assertThat(line.result().p99Ms()).isGreaterThanOrEqualTo(line.result().p50Ms()).isPositive();
                    } else {
                        assertThat(report.line(tool, path, clients)).isEmpty();
                    }
                }
            }
        }
        assertThat(report.lines()).hasSize(2 * (2 * 4 - 1));

        Path file = out.resolve("mcp.json");
        report.figures().writeJson(file);
        JsonNode document = JSON.readTree(file.toFile());
        assertThat(document.get("benchmark").asText()).isEqualTo("mcp");
        Set<String> seen = new HashSet<>();
        for (JsonNode f : document.get("figures")) {
            JsonNode p = f.get("parameters");
            String metric = f.get("metric").asText();
            seen.add(metric);
            if (metric.equals("errors")) {
                assertThat(f.get("value").asDouble()).as("errors of %s", p).isZero();
            }
            if (metric.equals("latency_p99")) {
                seen.add(p.get("tool").asText() + "/" + p.get("path").asText() + "/" + p.get("clients").asInt());
            }
        }
        assertThat(seen).contains("calls_per_second", "latency_p50", "latency_p99", "calls", "errors",
                "p50_overhead_over_service", "search_memory/mcp_stdio/1", "search_memory/mcp_http/8",
                "get_record/mcp_http/1", "get_record/direct_jdbc/8", "search_memory/service/1");
    }
}
