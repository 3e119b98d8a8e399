package dev.townhall.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.townhall.db.Database;
import dev.townhall.search.EmbeddingProvider;
import dev.townhall.search.EmbeddingProviders;
import dev.townhall.search.EmbeddingSettings;
import dev.townhall.search.EmbeddingWorker;
import dev.townhall.search.Search;
import dev.townhall.testing.PostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Search by meaning over HTTP with the local model, within what each caller may read. */
@ExtendWith(PostgresExtension.class)
class SemanticSearchApiTest {
    private final Database db;

    SemanticSearchApiTest(Database db) {
        this.db = db;
    }

    @Test
    void semanticAndHybridSearchAnswerWithTheModelAndStayInsideTheCallersTowns() {
        try (EmbeddingProvider model = EmbeddingProviders.create(EmbeddingSettings.of(Map.of()));
             ServedTowns served = ServedTowns.start(db, ServerSettings.defaults(), Search.with(model))) {
            EmbeddingWorker.create(served.towns, model).run(served.towns.towns(), EmbeddingWorker.entityTypes(List.of()));
            List<String> aurora = served.owner("SELECT id FROM crm.companies WHERE town_id ="
                    + " (SELECT id FROM core.towns WHERE slug = 'aurora') AND visibility = 'private'");
            for (String mode : List.of("semantic", "hybrid")) {
                HttpResponse<String> allan = served.get("/api/v1/search?mode=" + mode + "&types=companies&q=company",
                        served.keyOf.get("allan"));
                assertThat(allan.statusCode()).as(allan.body()).isEqualTo(200);
                JsonNode body = ServedTowns.json(allan);
                assertThat(body.path("model").asText()).isEqualTo(model.model());
                assertThat(body.path("hits").findValuesAsText("id")).isNotEmpty();
                JsonNode andre = ServedTowns.json(served.get("/api/v1/search?mode=" + mode
                        + "&types=companies&q=company", served.keyOf.get("andre")));
                assertThat(andre.path("hits").findValuesAsText("id")).doesNotContainAnyElementsOf(aurora);
            }
        }
    }
}
