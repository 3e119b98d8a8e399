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
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./townhall bench search} end to end on the test cluster: the three layouts are measured side by side and
 * TownHall's layout gives the 1 % town its full k with high recall. Behaviour only, never timing.
 */
@ExtendWith(PostgresExtension.class)
class BenchSearchTest {
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
    void comparesTheLayoutsAndGivesTheSmallTownItsFullK() throws IOException {
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
    void badCountsAreOneLineAndNonZero() {
        for (String[] args : new String[][] {{"--rows", "0"}, {"--queries", "0"}}) {
            CliRun bad = CliRun.of("bench", "search", args[0], args[1]);
            assertThat(bad.status()).as(String.join(" ", args)).isNotZero();
            assertThat(bad.err().strip()).contains(args[0] + " must be").doesNotContain("\n");
        }
    }
}
