package dev.townhall.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.townhall.db.Database;
import dev.townhall.schema.ReleaseLock;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.towns.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every route of the service over real HTTP against a real database: the system routes, who a key is, search,
 * analytics (capital only), the overview, migrations, and a row's whole life (create, read, list, patch, put,
 * delete) with versions, including two concurrent changes from one version.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiServerTest {
    private final Database db;
    private ServedTowns served;

    ApiServerTest(Database db) {
        this.db = db;
    }

    @BeforeAll
    void serve() {
        served = ServedTowns.start(db);
    }

    @AfterAll
    void stop() {
        served.close();
    }

    private String allan() {
        return served.keyOf.get("allan");
    }

    @Test
    void healthSaysOkWithTheMigrationCounts() {
        HttpResponse<String> health = served.get("/health", null);
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        JsonNode body = ServedTowns.json(health);
        assertThat(body.path("status").asText()).isEqualTo("ok");
        assertThat(body.path("migrations").path("pending").asInt()).isZero();
        assertThat(body.path("migrations").path("applied").asInt()).isPositive();
    }

    @Test
    void contractAndDocsAndConsoleAreServedWithoutAKey() {
        HttpResponse<String> openapi = served.get("/openapi.json", null);
        assertThat(openapi.statusCode()).isEqualTo(200);
        assertThat(openapi.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(ServedTowns.json(openapi).path("openapi").asText()).isEqualTo("3.1.0");
        HttpResponse<String> docs = served.get("/api-docs", null);
        assertThat(docs.statusCode()).isEqualTo(200);
        assertThat(docs.body()).contains("/openapi.json").doesNotContain("https://");
        HttpResponse<String> console = served.get("/", null);
        assertThat(console.statusCode()).isEqualTo(200);
        assertThat(console.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    }

    @Test
    void unknownPathsAndMethodsAnswerTheJsonErrorBody() {
        for (HttpResponse<String> response : List.of(served.get("/no/such/page", null),
                served.get("/api/v1/no-such-resource", allan()),
                served.send("PUT", "/api/v1/companies", allan(), "{}"),
                served.send("POST", "/health", null, "{}"))) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
            JsonNode error = ServedTowns.json(response).path("error");
            assertThat(error.path("code").asText()).isEqualTo("not_found");
            assertThat(error.has("field")).isTrue();
        }
        HttpResponse<String> readOnly = served.send("DELETE", "/api/v1/audit/" + java.util.UUID.randomUUID(), allan(),
                null, "If-Match", "\"1\"");
        assertThat(readOnly.statusCode()).as("a read-only resource refuses writes").isEqualTo(403);
        assertThat(ServedTowns.json(readOnly).path("error").path("field").asText()).isEqualTo("resource");
    }

    @Test
    void requestsJettyRefusesItselfAnswerTheJsonErrorBodyToo() throws Exception {
        for (String request : List.of("NOT A REQUEST LINE\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "y".repeat(20_000) + "\r\n\r\n")) {
            try (Socket socket = new Socket("127.0.0.1", served.server.port())) {
                socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(response).startsWith("HTTP/1.1 4");
                assertThat(response).contains("application/json").contains("{\"error\":{\"code\":\"invalid_input\"");
            }
        }
    }

    @Test
    void meSaysWhoTheKeyActsAsAndWhichTownsItMayName() {
        JsonNode me = ServedTowns.json(served.get("/api/v1/me", allan()));
        assertThat(me.path("user").path("handle").asText()).isEqualTo("allan");
        assertThat(me.path("town").path("slug").asText()).isEqualTo("aurora");
        assertThat(me.path("role").asText()).isEqualTo("owner");
        assertThat(me.path("towns").findValuesAsText("slug")).contains("aurora");
        assertThat(me.path("key").path("prefix").asText()).isEqualTo(allan().substring(3, 15));
        assertThat(me.toString()).doesNotContain(allan());

        served.towns.addMember("andre", "fluenti", Role.VIEWER);
        String andre = served.keyOf.get("andre");
        JsonNode elsewhere = ServedTowns.json(served.send("GET", "/api/v1/me", andre, null, "TownHall-Town", "fluenti"));
        assertThat(elsewhere.path("town").path("slug").asText()).isEqualTo("fluenti");
        assertThat(elsewhere.path("role").asText()).isEqualTo("viewer");
        assertThat(elsewhere.path("towns").findValuesAsText("slug")).contains("collaboration", "fluenti");
        HttpResponse<String> notMember = served.send("GET", "/api/v1/me", andre, null, "TownHall-Town", "aurora");
        assertThat(notMember.statusCode()).isEqualTo(403);
        assertThat(ServedTowns.json(notMember).path("error").path("code").asText()).isEqualTo("forbidden");
    }

    @Test
    void searchFindsWhatTheCallerMayReadAndNamesBadParameters() {
        String company = served.owner("SELECT name FROM crm.companies WHERE town_id = "
                + "(SELECT id FROM core.towns WHERE slug = 'aurora') ORDER BY name LIMIT 1").get(0);
        String word = company.split(" ")[0];
        HttpResponse<String> found = served.get("/api/v1/search?mode=keyword&types=companies&q=" + word, allan());
        assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
        JsonNode body = ServedTowns.json(found);
        assertThat(body.path("mode").asText()).isEqualTo("keyword");
        assertThat(body.path("hits").findValuesAsText("title")).contains(company);

        JsonNode singular = ServedTowns.json(served.get("/api/v1/search?mode=keyword&types=company,contact&q=" + word,
                allan()));
        assertThat(singular.path("hits").findValuesAsText("title")).as("entity type names work too").contains(company);

        HttpResponse<String> fluenti = served.get("/api/v1/search?mode=keyword&types=companies&q=" + word,
                served.keyOf.get("vera"));
        assertThat(ServedTowns.json(fluenti).path("hits").findValuesAsText("title")).doesNotContain(company);

        Map<String, String> bad = Map.of(
                "/api/v1/search?q=", "q",
                "/api/v1/search?q=x&mode=psychic", "mode",
                "/api/v1/search?q=x&types=planets", "types",
                "/api/v1/search?q=x&limit=0", "limit",
                "/api/v1/search?q=x&limit=ten", "limit",
                "/api/v1/search?q=x&mode=semantic", "mode",
                "/api/v1/search?q=x&colour=blue", "colour");
        bad.forEach((path, field) -> {
            HttpResponse<String> refused = served.get(path, allan());
            assertThat(refused.statusCode()).as(path + " " + refused.body()).isEqualTo(400);
            assertThat(ServedTowns.json(refused).path("error").path("field").asText()).as(path).isEqualTo(field);
        });
    }

    @Test
    void analyticsAreForTheCapitalOnly() {
        for (String view : List.of("capacity_heatmap", "deal_risk_analysis", "revenue_metrics", "team_workload",
                "ai_costs")) {
            HttpResponse<String> capital = served.get("/api/v1/analytics/" + view, allan());
            assertThat(capital.statusCode()).as(view + " " + capital.body()).isEqualTo(200);
            assertThat(ServedTowns.json(capital).path("items").isArray()).isTrue();
            HttpResponse<String> town = served.get("/api/v1/analytics/" + view, served.keyOf.get("kristina"));
            assertThat(town.statusCode()).as(view).isEqualTo(403);
            assertThat(ServedTowns.json(town).path("error").path("code").asText()).isEqualTo("forbidden");
        }
        JsonNode workload = ServedTowns.json(served.get("/api/v1/analytics/team_workload?limit=1000", allan()));
        assertThat(workload.path("items").findValuesAsText("role")).contains("owner");
        HttpResponse<String> unknown = served.get("/api/v1/analytics/pg_shadow", allan());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(ServedTowns.json(unknown).path("error").path("field").asText()).isEqualTo("view");
    }

    @Test
    void overviewCountsWhatTheCallerSees() {
        JsonNode vera = ServedTowns.json(served.get("/api/v1/towns/overview", served.keyOf.get("vera")));
        JsonNode companies = vera.path("tables").path("crm.companies");
        assertThat(companies.path("fluenti").asLong()).isPositive();
        assertThat(companies.has("collaboration")).as("another town's private rows").isFalse();
    }

    @Test
    void migrationsListAppliedAndPendingChangesetsAndTheRelease() {
        JsonNode migrations = ServedTowns.json(served.get("/api/v1/migrations", served.keyOf.get("vera")));
        assertThat(migrations.path("current").asBoolean()).isTrue();
        assertThat(migrations.path("pending").size()).isZero();
        assertThat(migrations.path("applied").get(0).path("id").asText()).isEqualTo("core-000-extensions");
        assertThat(migrations.path("applied").get(0).has("executed_at")).isTrue();
        List<ReleaseLock.Entry> released = ReleaseLock.shipped().entries();
        String newest = released.get(released.size() - 1).release();
        assertThat(migrations.path("release").path("database").asText()).isEqualTo(newest);
        assertThat(migrations.path("release").path("build").asText()).isEqualTo(newest);
    }

    @Test
    void aRowsLifeWithVersions() {
        HttpResponse<String> created = served.send("POST", "/api/v1/companies", allan(),
                ServedTowns.json(Map.of("name", "Lifecycle AB")));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode row = ServedTowns.json(created);
        String id = row.path("id").asText();
        String version = row.path("_version").asText();
        assertThat(created.headers().firstValue("Location")).hasValue("/api/v1/companies/" + id);
        assertThat(created.headers().firstValue("ETag")).hasValue("\"" + version + "\"");

        HttpResponse<String> read = served.get("/api/v1/companies/" + id, allan());
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.headers().firstValue("ETag")).hasValue("\"" + version + "\"");
        assertThat(ServedTowns.json(read).path("name").asText()).isEqualTo("Lifecycle AB");

        JsonNode page = ServedTowns.json(served.get("/api/v1/companies?id=" + id + "&fields=name", allan()));
        assertThat(page.path("items").size()).isEqualTo(1);
        assertThat(page.path("items").get(0).path("_version").asText()).isEqualTo(version);
        assertThat(page.has("next_cursor")).isTrue();

        HttpResponse<String> noIfMatch = served.send("PATCH", "/api/v1/companies/" + id, allan(),
                ServedTowns.json(Map.of("name", "Renamed AB")));
        assertThat(noIfMatch.statusCode()).isEqualTo(428);
        assertThat(ServedTowns.json(noIfMatch).path("error").path("code").asText()).isEqualTo("precondition_required");

        HttpResponse<String> patched = served.send("PATCH", "/api/v1/companies/" + id, allan(),
                ServedTowns.json(Map.of("name", "Renamed AB")), "If-Match", "\"" + version + "\"");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        String patchedVersion = ServedTowns.json(patched).path("_version").asText();
        assertThat(patchedVersion).isNotEqualTo(version);

        HttpResponse<String> stale = served.send("PATCH", "/api/v1/companies/" + id, allan(),
                ServedTowns.json(Map.of("name", "Stale AB")), "If-Match", "\"" + version + "\"");
        assertThat(stale.statusCode()).isEqualTo(412);
        assertThat(served.owner("SELECT name FROM crm.companies WHERE id = '" + id + "'")).containsExactly("Renamed AB");

        HttpResponse<String> replaced = served.send("PUT", "/api/v1/companies/" + id, allan(),
                ServedTowns.json(Map.of("name", "Replaced AB")), "If-Match", "W/\"" + patchedVersion + "\"");
        assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
        String replacedVersion = replaced.headers().firstValue("ETag").orElseThrow();

        HttpResponse<String> viewer = served.send("DELETE", "/api/v1/companies/" + id, served.newKey("allan",
                "aurora", Optional.of(Role.VIEWER)), null, "If-Match", replacedVersion);
        assertThat(viewer.statusCode()).as(viewer.body()).isIn(403, 404);
        HttpResponse<String> deleted = served.send("DELETE", "/api/v1/companies/" + id, allan(), null,
                "If-Match", replacedVersion);
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
        assertThat(served.get("/api/v1/companies/" + id, allan()).statusCode()).isEqualTo(404);
    }

    @TestFactory
    Stream<DynamicTest> everyResourceListsAndReadsItsRowsWithVersions() {
        return served.records.resources().stream().map(resource -> DynamicTest.dynamicTest(resource.name(), () -> {
            HttpResponse<String> list = served.get("/api/v1/" + resource.name() + "?limit=2", allan());
            assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
            JsonNode page = ServedTowns.json(list);
            assertThat(page.path("items").isArray()).isTrue();
            assertThat(page.has("next_cursor")).isTrue();
            if (page.path("items").size() > 0) {
                JsonNode first = page.path("items").get(0);
                HttpResponse<String> one = served.get("/api/v1/" + resource.name() + "/" + first.path("id").asText(),
                        allan());
                assertThat(one.statusCode()).as(one.body()).isEqualTo(200);
                assertThat(one.headers().firstValue("ETag")).hasValue("\"" + first.path("_version").asText() + "\"");
            }
        }));
    }

    @Test
    void ofTwoConcurrentPatchesFromOneVersionExactlyOneWins() throws Exception {
        JsonNode row = ServedTowns.json(served.send("POST", "/api/v1/companies", allan(),
                ServedTowns.json(Map.of("name", "Race AB"))));
        String path = "/api/v1/companies/" + row.path("id").asText();
        String etag = "\"" + row.path("_version").asText() + "\"";
        int racers = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            List<Future<Integer>> outcomes = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                String name = "Race AB " + i;
                Callable<Integer> patch = () -> {
                    start.await();
                    return served.send("PATCH", path, allan(), ServedTowns.json(Map.of("name", name)),
                            "If-Match", etag).statusCode();
                };
                outcomes.add(pool.submit(patch));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> outcome : outcomes) {
                statuses.add(outcome.get());
            }
            assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
            assertThat(statuses).filteredOn(s -> s == 412).hasSize(racers - 1);
        } finally {
            pool.shutdownNow();
        }
    }
}
