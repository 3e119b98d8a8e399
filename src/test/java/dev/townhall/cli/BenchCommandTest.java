package dev.townhall.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.townhall.testing.CliHome;
import dev.townhall.testing.CliRun;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.testing.TestCluster;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./townhall bench …} end to end on the run's throwaway cluster (the benchmarks make scratch databases, so
 * they need a local cluster: the CLI's home is pointed at the test cluster's directory). Checks what is printed and
 * written, never how fast anything was.
 */
@ExtendWith(PostgresExtension.class)
class BenchCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path out;

    @RegisterExtension
    final CliHome cliHome = CliHome.settable();

    @BeforeEach
    void useTheTestCluster(TestCluster cluster) {
        cliHome.set(cluster);
    }

    @Test
    void benchHelpListsEveryBenchmarkWithADescription() {
        CliRun help = CliRun.of("bench", "--help");
        assertThat(help.status()).isZero();
        assertThat(help.out()).doesNotContain("(migrate)");
        for (String benchmark : List.of("migrate", "rls", "import", "search", "sync", "backup")) {
            assertThat(help.out()).as(benchmark).containsPattern("(?m)^ +" + benchmark + " +\\S.*$");
        }
    }

    @Test
    void benchMigrateWritesItsFiguresAsJson() throws IOException {
        Path file = out.resolve("figures/migrate.json");
        CliRun run = CliRun.of("bench", "migrate", "--runs", "1", "--json", file.toString());
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("bench migrate:", "median");

        JsonNode document = JSON.readTree(file.toFile());
        assertThat(document.get("benchmark").asText()).isEqualTo("migrate");
        assertThat(document.get("measured_at").asText()).isNotBlank();
        JsonNode median = figure(document, "median");
        assertThat(median.get("unit").asText()).isEqualTo("s");
        assertThat(median.get("value").asDouble()).isPositive();
        assertThat(median.get("parameters").get("runs").asInt()).isEqualTo(1);
        assertThat(median.get("parameters").get("changesets").asInt()).isPositive();
        assertThat(figure(document, "tables").get("value").asDouble()).isPositive();
        for (JsonNode f : document.get("figures")) {
            assertThat(f.fieldNames()).toIterable()
                    .containsExactlyInAnyOrder("benchmark", "metric", "unit", "value", "parameters");
            assertThat(f.get("benchmark").asText()).isEqualTo("migrate");
        }
    }

    @Test
    void benchRlsComparesOwnerAndAppAndWritesItsFigures() throws IOException {
        Path file = out.resolve("rls.json");
        CliRun run = CliRun.of("bench", "rls", "--rows", "1000", "--iterations", "2", "--json", file.toString());
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("bench rls:", "point lookup by id");

        JsonNode document = JSON.readTree(file.toFile());
        assertThat(document.get("benchmark").asText()).isEqualTo("rls");
        List<String> metrics = new ArrayList<>();
        for (JsonNode f : document.get("figures")) {
            metrics.add(f.get("metric").asText());
            assertThat(f.get("unit").asText()).isEqualTo("ms");
            assertThat(f.get("value").asDouble()).isPositive();
            assertThat(f.get("parameters").get("iterations").asInt()).isEqualTo(2);
            assertThat(f.get("parameters").get("query").asText()).isNotBlank();
        }
        assertThat(metrics).contains("owner", "app_filtered", "app_rls_only").hasSize(3 * 4);
    }

    @Test
    void withoutJsonNothingIsWrittenAndABadValueIsOneLine() {
        CliRun bad = CliRun.of("bench", "migrate", "--runs", "0");
        assertThat(bad.status()).isNotZero();
        assertThat(bad.err().strip()).contains("--runs must be at least 1").doesNotContain("\n");
        assertThat(out).isEmptyDirectory();
    }

    @Test
    void benchSearchComparesTheLayoutsAndGivesTheSmallTownItsFullK() throws IOException {
        Path file = out.resolve("search.json");
        CliRun run = CliRun.of("bench", "search", "--rows", "3000", "--queries", "20", "--json", file.toString());
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("bench search:", "recall@10", "index build:", "embedding, bare model");

        JsonNode document = JSON.readTree(file.toFile());
        assertThat(document.get("benchmark").asText()).isEqualTo("search");
        Map<String, Double> recall = new HashMap<>();
        Map<String, Double> results = new HashMap<>();
        for (JsonNode f : document.get("figures")) {
            JsonNode p = f.get("parameters");
            assertThat(p.get("rows").asLong()).isEqualTo(3000);
            assertThat(p.get("queries").asInt()).isEqualTo(20);
            String key = p.path("layout").asText() + "/" + p.path("asker").asText();
            switch (f.get("metric").asText()) {
                case "recall_at_10" -> recall.put(key, f.get("value").asDouble());
                case "results_returned" -> results.put(key, f.get("value").asDouble());
                default -> { }
            }
        }
        for (String layout : new String[] {"townhall", "naive", "naive_iterative", "exact"}) {
            for (String asker : new String[] {"big_town", "small_town", "capital"}) {
                assertThat(recall).as("recall of %s for %s", layout, asker).containsKey(layout + "/" + asker);
            }
        }
        assertThat(recall.get("exact/small_town")).isEqualTo(1.0);
        assertThat(recall.get("townhall/small_town")).as("TownHall's recall@10 for the 1 % town")
                .isGreaterThanOrEqualTo(0.95);
        assertThat(results.get("townhall/small_town")).as("TownHall returns the full k to the 1 % town").isEqualTo(10.0);
    }

    @Test
    void benchSearchRefusesZeroRowsOrQueriesInOneLine() {
        for (String[] args : new String[][] {{"--rows", "0"}, {"--queries", "0"}}) {
            CliRun bad = CliRun.of("bench", "search", args[0], args[1]);
            assertThat(bad.status()).as(String.join(" ", args)).isNotZero();
            assertThat(bad.err().strip()).contains(args[0] + " must be").doesNotContain("\n");
        }
    }
    @Test
    void benchSyncRefusesATooSmallBacklogOrNoTimeInOneLine() {
        for (String[] args : new String[][] {{"--backlog", "10"}, {"--seconds", "0"}}) {
            CliRun bad = CliRun.of("bench", "sync", args[0], args[1]);
            assertThat(bad.status()).as(String.join(" ", args)).isNotZero();
            assertThat(bad.err().strip()).contains(args[0] + " must be").doesNotContain("\n");
        }
    }

    private static JsonNode figure(JsonNode document, String metric) {
        for (JsonNode f : document.get("figures")) {
            if (f.get("metric").asText().equals(metric)) {
                return f;
            }
        }
        throw new AssertionError("no figure " + metric + " in " + document);
    }
}
