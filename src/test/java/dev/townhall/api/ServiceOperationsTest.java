package dev.townhall.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.townhall.db.Database;
import dev.townhall.testing.PostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an operator relies on: each key's rate limit (429 with Retry-After, other keys unaffected), {@code /metrics}
 * by route template with the pools and database time, and an access log line per request that names the key's id
 * but never the key.
 */
@ExtendWith(PostgresExtension.class)
class ServiceOperationsTest {
    private final Database db;

    ServiceOperationsTest(Database db) {
        this.db = db;
    }

    @Test
    void eachKeyHasItsOwnTokenBucket() {
        try (ServedTowns served = ServedTowns.start(db, ServerSettings.defaults().withRateLimit(1, 3))) {
            String allan = served.keyOf.get("allan");
            List<HttpResponse<String>> responses = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                responses.add(served.get("/api/v1/me", allan));
            }
            assertThat(responses.subList(0, 3)).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
            HttpResponse<String> limited = responses.stream().filter(r -> r.statusCode() == 429).findFirst()
                    .orElseThrow(() -> new AssertionError("no 429 in 8 requests with a burst of 3"));
            assertThat(ServedTowns.json(limited).path("error").path("code").asText()).isEqualTo("rate_limited");
            assertThat(Integer.parseInt(limited.headers().firstValue("Retry-After").orElseThrow())).isBetween(1, 2);
            assertThat(served.get("/api/v1/me", served.keyOf.get("vera")).statusCode()).as("another key").isEqualTo(200);
            assertThat(served.get("/health", null).statusCode()).as("no key, no bucket").isEqualTo(200);
        }
    }

    @Test
    void metricsAreLabelledByRouteTemplateWithPoolsAndDatabaseTime() {
        try (ServedTowns served = ServedTowns.start(db)) {
            String allan = served.keyOf.get("allan");
            String id = ServedTowns.json(served.get("/api/v1/companies?limit=1", allan)).path("items").get(0)
                    .path("id").asText();
            assertThat(served.get("/api/v1/companies/" + id, allan).statusCode()).isEqualTo(200);
            assertThat(served.get("/nowhere/" + id, allan).statusCode()).isEqualTo(404);
            HttpResponse<String> metrics = served.get("/metrics", null);
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
            assertThat(metrics.body())
                    .contains("http_server_requests_seconds_count{method=\"GET\",route=\"/api/v1/companies/{id}\","
                            + "status=\"200\"}")
                    .contains("route=\"unmatched\",status=\"404\"")
                    .contains("townhall_request_database_seconds_count{route=\"/api/v1/companies/{id}\"}")
                    .contains("hikaricp_connections_active{pool=\"townhall-townhall_app\"}")
                    .contains("townhall_http_threads_max")
                    .doesNotContain(id);
        }
    }

    @Test
    void theAccessLogHasOneLinePerRequestWithTheKeyIdButNeverTheKey() throws Exception {
        try (ServedTowns served = ServedTowns.start(db)) {
            String vera = served.keyOf.get("vera");
            String veraId = ServedTowns.json(served.get("/api/v1/me", vera)).path("key").path("id").asText();
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            PrintStream original = System.err;
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            String log;
            try {
                served.send("POST", "/api/v1/companies", vera, "{\"name\": \"Secret Body Ltd\"}");
                served.get("/api/v1/companies?limit=2", vera);
                served.get("/api/v1/me", "th_AAAAAAAAAAAA_" + "B".repeat(40));
                long deadline = System.nanoTime() + 5_000_000_000L;
                do {
                    Thread.sleep(20);
                    log = captured.toString(StandardCharsets.UTF_8);
                } while (log.lines().filter(l -> l.contains("access")).count() < 3 && System.nanoTime() < deadline);
            } finally {
                System.setErr(original);
            }
            List<String> lines = log.lines().filter(l -> l.contains("access")).toList();
            assertThat(lines).hasSize(3);
            assertThat(lines.get(0)).matches(".*POST /api/v1/companies 403 [0-9.]+ ms key=" + veraId + ".*");
            assertThat(lines.get(1)).matches(".*GET /api/v1/companies 200 [0-9.]+ ms key=" + veraId + ".*");
            assertThat(lines.get(2)).matches(".*GET /api/v1/me 401 [0-9.]+ ms key=-.*");
            assertThat(log).doesNotContain(vera.substring(3)).doesNotContain("B".repeat(40))
                    .doesNotContain("Secret Body").doesNotContain("limit=2");
        }
    }

    @Test
    void theServerListsItsRoutesWithTheKeyTheyNeed() {
        try (ServedTowns served = ServedTowns.start(db)) {
            List<ApiServer.Route> routes = served.server.routes();
            assertThat(routes).contains(new ApiServer.Route("GET", "/health", false),
                    new ApiServer.Route("GET", "/api/v1/companies/{id}", true),
                    new ApiServer.Route("PATCH", "/api/v1/companies/{id}", true),
                    new ApiServer.Route("GET", "/api/v1/analytics/{view}", true));
            assertThat(routes).doesNotContain(new ApiServer.Route("DELETE", "/api/v1/audit/{id}", true));
            assertThat(routes).filteredOn(r -> r.path().startsWith("/api/")).allMatch(ApiServer.Route::needsKey);
        }
    }

    @Test
    void theContractListsExactlyTheRegisteredOperations() throws Exception {
        try (ServedTowns served = ServedTowns.start(db)) {
            JsonNode paths = ServedTowns.json(served.get("/openapi.json", null)).path("paths");
            List<String> documented = new ArrayList<>();
            paths.fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
                if (List.of("get", "post", "put", "patch", "delete").contains(method)) {
                    documented.add(method.toUpperCase() + " " + path.getKey());
                }
            }));
            List<String> registered = served.server.routes().stream().map(r -> r.method() + " " + r.path()).toList();
            assertThat(documented).containsExactlyInAnyOrderElementsOf(registered);
        }
    }
}
