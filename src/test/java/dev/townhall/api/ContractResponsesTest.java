package dev.townhall.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.townhall.api.console.ConsoleData;
import dev.townhall.api.contract.OpenApiContract;
import dev.townhall.api.internal.ServiceRoutes;
import dev.townhall.db.Database;
import dev.townhall.records.Resource;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URLEncoder;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every response the service gives is the one its contract ({@code /openapi.json}) documents: every registered GET
 * route with real rows (each row resource listed, paged, with fields selected, and read by id; every analytics view;
 * search; the system routes), a create, patch, replace and delete of every writable resource, and the usual errors.
 * Each response's status must be documented for its operation, its documented headers present, and its body valid
 * against the documented schema (JSON Schema 2020-12, formats asserted). Row schemas forbid undocumented properties,
 * so a column added to a table without adding it to the contract fails here.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContractResponsesTest {
    private static final String PREFIX = "/api/v1/";
    /** A well-formed key that does not exist. */
    private static final String WRONG_KEY = "th_AAAAAAAAAAAA_" + "B".repeat(40);

    private final Database db;
    private final TestCluster cluster;
    private ServedTowns served;
    private OpenApiContract contract;
    private String allan;

    ContractResponsesTest(Database db, TestCluster cluster) {
        this.db = db;
        this.cluster = cluster;
    }

    @BeforeAll
    void serveTownsWithRowsEverywhere() {
        served = ServedTowns.start(db);
        allan = served.keyOf.get("allan");
        // import runs, reconciliation lines and quarantined rows, with the CRM rows the import brings
        ConsoleData.importLegacy(cluster, db, "contract");
        ConsoleData.logSmallTownActivities(served.towns);
        contract = OpenApiContract.of(served.get("/openapi.json", null).body());
        Map<String, String> seeds = bodies("seed", served.towns.addUser("seed-" + UUID.randomUUID() + "@example.com",
                null, "Seed", null));
        for (Map.Entry<String, String> seed : seeds.entrySet()) {
            HttpResponse<String> created = served.send("POST", PREFIX + seed.getKey(), allan, seed.getValue());
            assertThat(created.statusCode()).as(seed.getKey() + ": " + created.body()).isEqualTo(201);
        }
    }

    @AfterAll
    void stop() {
        served.close();
    }

    @Test
    void everyGetRouteAnswersAsDocumented() {
        List<String> violations = new ArrayList<>();
        Set<String> answered = new LinkedHashSet<>();
        for (ApiServer.Route route : served.server.routes()) {
            if (!route.method().equals("GET")) {
                continue;
            }
            String key = route.needsKey() ? allan : null;
            for (String path : pathsOf(route.path(), key)) {
                HttpResponse<String> response = served.get(path, key);
                violations.addAll(contract.violations("GET", route.path(), response));
                if (response.statusCode() == 200) {
                    answered.add(route.path());
                }
            }
        }
        assertThat(violations).as(String.join("\n", violations)).isEmpty();
        assertThat(answered).as("GET routes that answered 200")
                .containsExactlyInAnyOrderElementsOf(served.server.routes().stream()
                        .filter(r -> r.method().equals("GET")).map(ApiServer.Route::path).toList());
    }

    @Test
    void everyWritableResourceRoundTripsAsDocumented() {
        List<String> violations = new ArrayList<>();
        UUID newcomer = served.towns.addUser("round-trip-" + UUID.randomUUID() + "@example.com", null, "Round", null);
        Map<String, String> bodies = bodies("round trip", newcomer);
        assertThat(bodies.keySet()).as("a body for every writable resource")
                .containsExactlyInAnyOrderElementsOf(served.records.resources().stream().filter(Resource::writable)
                        .map(Resource::name).toList());
        for (Map.Entry<String, String> entry : bodies.entrySet()) {
            String collection = PREFIX + entry.getKey();
            String item = collection + "/{id}";
            String body = entry.getValue();
            violations.addAll(contract.requestViolations("POST", collection, body));
            HttpResponse<String> created = check(violations, "POST", collection, collection, body);
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String path = collection + "/" + ServedTowns.json(created).path("id").asText();

            String patch = patchOf(entry.getKey());
            violations.addAll(contract.requestViolations("PATCH", item, patch));
            HttpResponse<String> patched = check(violations, "PATCH", item, path, patch, "If-Match", etag(created));
            assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);

            violations.addAll(contract.requestViolations("PUT", item, body));
            HttpResponse<String> replaced = check(violations, "PUT", item, path, body, "If-Match", etag(patched));
            assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);

            HttpResponse<String> deleted = check(violations, "DELETE", item, path, null, "If-Match", etag(replaced));
            assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
            assertThat(check(violations, "GET", item, path, null).statusCode()).isEqualTo(404);
        }
        assertThat(violations).as(String.join("\n", violations)).isEmpty();
    }

    @Test
    void errorsAnswerAsDocumented() {
        List<String> violations = new ArrayList<>();
        String companies = PREFIX + "companies";
        String company = companies + "/{id}";
        HttpResponse<String> created = served.send("POST", companies, allan, "{\"name\": \"Errors Ltd\"}");
        String path = companies + "/" + ServedTowns.json(created).path("id").asText();
        String stale = etag(created);
        assertThat(served.send("PATCH", path, allan, "{\"name\": \"Errors Ltd 2\"}", "If-Match", stale).statusCode())
                .isEqualTo(200);
        String vera = served.keyOf.get("vera");

        List<Exchange> exchanges = List.of(
                new Exchange(401, "GET", PREFIX + "me", PREFIX + "me", null, null),
                new Exchange(401, "GET", companies, companies, WRONG_KEY, null),
                new Exchange(404, "GET", company, companies + "/" + UUID.randomUUID(), allan, null),
                new Exchange(404, "GET", company, companies + "/not-a-uuid", allan, null),
                new Exchange(404, "GET", PREFIX + "analytics/{view}", PREFIX + "analytics/no_such_view", allan, null),
                new Exchange(403, "GET", PREFIX + "analytics/{view}", PREFIX + "analytics/revenue_metrics", vera, null),
                new Exchange(400, "GET", companies, companies + "?sort=nmae", allan, null),
                new Exchange(400, "GET", companies, companies + "?cursor=nonsense", allan, null),
                new Exchange(400, "GET", PREFIX + "search", PREFIX + "search?q=robot&mode=psychic", allan, null),
                new Exchange(400, "POST", companies, companies, allan, "{\"name\": \"X\", \"nmae\": \"Y\"}"),
                new Exchange(400, "POST", companies, companies, allan, "{\"name\": "),
                new Exchange(403, "POST", companies, companies, vera, "{\"name\": \"Viewer Ltd\"}"),
                new Exchange(403, "POST", PREFIX + "towns", PREFIX + "towns", allan, "{\"name\": \"New Town\"}"),
                new Exchange(422, "POST", PREFIX + "deals", PREFIX + "deals", allan, "{\"probability\": 10}"),
                new Exchange(412, "PATCH", company, path, allan, "{\"name\": \"Too Late\"}", "If-Match", stale),
                new Exchange(428, "PATCH", company, path, allan, "{\"name\": \"No Version\"}"),
                new Exchange(428, "DELETE", company, path, allan, null),
                new Exchange(412, "DELETE", company, path, allan, null, "If-Match", stale),
                new Exchange(415, "POST", companies, companies, allan, "name=Form", "Content-Type",
                        "application/x-www-form-urlencoded"),
                new Exchange(413, "POST", companies, companies, allan, "{\"name\": \"" + "x".repeat(1_100_000) + "\"}"));
        for (Exchange exchange : exchanges) {
            HttpResponse<String> response = served.send(exchange.method(), exchange.path(), exchange.key(),
                    exchange.body(), exchange.headers());
            assertThat(response.statusCode()).as(exchange + ": " + response.body()).isEqualTo(exchange.status());
            violations.addAll(contract.violations(exchange.method(), exchange.template(), response));
        }
        assertThat(violations).as(String.join("\n", violations)).isEmpty();
    }

    /** The checker itself: a row with an undocumented column, a missing one or a wrong type, or an undocumented status, fails. */
    @Test
    void aResponseTheContractDoesNotDescribeIsAViolation() {
        String companies = PREFIX + "companies";
        String item = companies + "/{id}";
        String id = ServedTowns.json(served.get(companies + "?limit=1", allan)).path("items").get(0).path("id").asText();
        HttpResponse<String> real = served.get(companies + "/" + id, allan);
        assertThat(contract.violations("GET", item, real)).isEmpty();

        Function<Function<ObjectNode, Object>, List<String>> doctored = change -> {
            ObjectNode row = (ObjectNode) ServedTowns.json(real);
            change.apply(row);
            return contract.violations("GET", item, 200, real.headers(), ServedTowns.json(row));
        };
        assertThat(doctored.apply(row -> row.put("secret_column", "x"))).singleElement().asString()
                .contains("secret_column");
        assertThat(doctored.apply(row -> row.remove("name"))).singleElement().asString().contains("name");
        assertThat(doctored.apply(row -> row.put("touch_count", "seven"))).singleElement().asString()
                .contains("touch_count");
        assertThat(doctored.apply(row -> row.put("created_at", "yesterday"))).singleElement().asString()
                .contains("created_at");
        assertThat(doctored.apply(row -> row.put("visibility", "public"))).singleElement().asString()
                .contains("visibility");
        assertThat(contract.violations("GET", item, 418, real.headers(), real.body())).singleElement().asString()
                .contains("status 418 is not documented");
        HttpHeaders noEtag = HttpHeaders.of(Map.of("Content-Type", List.of("application/json")), (name, value) -> true);
        assertThat(contract.violations("GET", item, 200, noEtag, real.body())).singleElement().asString()
                .contains("ETag");
        assertThat(contract.requestViolations("POST", companies, "{\"name\": \"X\", \"id\": \"" + id + "\"}"))
                .singleElement().asString().contains("id");
    }

    // ---- the requests ----------------------------------------------------------------------------------------

    /** The paths to ask for a GET route: lists plain, paged and with fields; rows by id; every analytics view. */
    private List<String> pathsOf(String template, String key) {
        if (template.equals(PREFIX + "analytics/{view}")) {
            return ServiceRoutes.ANALYTICS_VIEWS.stream().map(view -> PREFIX + "analytics/" + view).toList();
        }
        if (template.equals(PREFIX + "search")) {
            return List.of(PREFIX + "search?q=robot&mode=keyword", PREFIX + "search?q=robot%20arm&mode=keyword&limit=3");
        }
        Optional<Resource> resource = served.records.resources().stream()
                .filter(r -> template.equals(PREFIX + r.name()) || template.equals(PREFIX + r.name() + "/{id}"))
                .findFirst();
        if (resource.isEmpty()) {
            assertThat(template).as("a GET route with path parameters this test does not know how to fill")
                    .doesNotContain("{");
            return List.of(template);
        }
        String collection = PREFIX + resource.get().name();
        JsonNode items = ServedTowns.json(served.get(collection + "?limit=500", key)).path("items");
        assertThat(items.size()).as(collection + " has rows to read").isPositive();
        if (template.endsWith("{id}")) {
            return List.of(0, items.size() / 2, items.size() - 1).stream().distinct()
                    .map(i -> collection + "/" + items.get(i).path("id").asText()).toList();
        }
        String someColumns = resource.get().columns().stream().filter(c -> !c.equals("id")).limit(2)
                .reduce((a, b) -> a + "," + b).orElseThrow();
        List<String> paths = new ArrayList<>(List.of(collection, collection + "?limit=500",
                collection + "?limit=2&fields=" + someColumns));
        String cursor = ServedTowns.json(served.get(collection + "?limit=1", key)).path("next_cursor").asText(null);
        if (cursor != null) {
            paths.add(collection + "?limit=1&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
        }
        return paths;
    }

    /**
     * A body for every writable resource, filling more than the required columns (numbers, arrays, jsonb, enums,
     * timestamps) so that their shapes are checked too; {@code newcomer} is a user to make a member of aurora.
     */
    private Map<String, String> bodies(String label, UUID newcomer) {
        HttpResponse<String> conversation = served.send("POST", PREFIX + "conversations", allan,
                "{\"title\": \"" + label + " conversation\"}");
        String conversationId = ServedTowns.json(conversation).path("id").asText();
        Map<String, String> bodies = new LinkedHashMap<>();
        bodies.put("companies", """
                {"name": "%s Ltd", "annual_revenue": 1234567.89, "employee_count": 12, "revenue_currency": "EUR",
                 "tags": ["robots", "b2b"], "last_touch_at": "2025-03-01T10:00:00Z"}""".formatted(label));
        bodies.put("contacts", """
                {"first_name": "%s", "last_name": "Person", "email": "person@example.com", "is_vip": true}"""
                .formatted(label));
        bodies.put("deals", """
                {"name": "%s deal", "probability": 25, "amount_cents": 1250000, "expected_close_date": "2025-06-30"}"""
                .formatted(label));
        bodies.put("activities", """
                {"activity_type": "call", "occurred_at": "2025-03-01T10:00:00Z", "sentiment": 0.5,
                 "metadata": {"channel": "phone"}, "subject": "%s call"}""".formatted(label));
        bodies.put("tasks", """
                {"title": "%s task", "due_at": "2025-03-02T09:00:00Z", "estimated_minutes": 30}""".formatted(label));
        bodies.put("calendar-events", """
                {"title": "%s event", "starts_at": "2025-03-01T10:00:00Z", "ends_at": "2025-03-01T11:00:00Z",
                 "attendee_emails": ["a@example.com"]}""".formatted(label));
        bodies.put("meetings", """
                {"title": "%s meeting", "started_at": "2025-03-01T10:00:00Z", "duration_minutes": 45,
                 "agenda": "1. numbers", "attendee_count": 3}""".formatted(label));
        bodies.put("conversations", """
                {"title": "%s chat", "tags": ["support"], "metadata": {"topic": "contract"}}""".formatted(label));
        bodies.put("messages", """
                {"conversation_id": "%s", "role": "user", "content": "%s message", "token_count": 3}"""
                .formatted(conversationId, label));
        bodies.put("knowledge", """
                {"title": "%s entry", "content": "How the contract is checked.", "tags": ["api"]}""".formatted(label));
        bodies.put("sticky-notes", """
                {"content": "%s note", "is_pinned": true, "confidence": 0.75}""".formatted(label));
        bodies.put("memberships", """
                {"user_id": "%s", "role": "viewer"}""".formatted(newcomer));
        return bodies;
    }

    /** A change of one column per writable resource. */
    private static String patchOf(String resource) {
        return switch (resource) {
            case "companies" -> "{\"industry\": \"Robotics\"}";
            case "contacts" -> "{\"job_title\": \"Buyer\"}";
            case "deals" -> "{\"next_step\": \"Call back\"}";
            case "activities" -> "{\"direction\": \"outbound\"}";
            case "tasks" -> "{\"status\": \"done\", \"completed_at\": \"2025-03-02T10:00:00Z\"}";
            case "calendar-events" -> "{\"location\": \"Room 1\"}";
            case "meetings" -> "{\"summary\": \"Agreed.\"}";
            case "conversations" -> "{\"is_archived\": true}";
            case "messages" -> "{\"model_used\": \"by hand\"}";
            case "knowledge" -> "{\"category\": \"howto\"}";
            case "sticky-notes" -> "{\"color\": \"blue\"}";
            case "memberships" -> "{\"is_active\": false}";
            default -> throw new AssertionError("no PATCH body for " + resource + "; add one");
        };
    }

    private HttpResponse<String> check(List<String> violations, String method, String template, String path,
                                       String body, String... headers) {
        HttpResponse<String> response = served.send(method, path, allan, body, headers);
        violations.addAll(contract.violations(method, template, response));
        return response;
    }

    private static String etag(HttpResponse<String> response) {
        return response.headers().firstValue("ETag").orElseThrow(() -> new AssertionError("no ETag: " + response));
    }

    /** One request, the status it must get and the operation (path template) it is an exchange of. */
    private record Exchange(int status, String method, String template, String path, String key, String body,
                            String... headers) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }
}
