package dev.townhall.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.townhall.db.Database;
import dev.townhall.db.Identifiers;
import dev.townhall.records.Resource;
import dev.townhall.testing.PostgresExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad requests against every route the server registered ({@link ApiServer#routes()}), so a new route is covered
 * without touching this test: bad credentials answer 401 with one JSON error and nothing else; another town's row
 * answers exactly like a random id; bad bodies, types, fields, sizes, media types and SQL-looking filters and
 * sorts answer 4xx naming the field; changes without {@code If-Match} answer 428; writes to a read-only resource
 * answer 403 whatever they carry; and none of them changes a row (each table's contents are fingerprinted before
 * and after).
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputMatrixTest {
    private static final String ACTOR = "kristina@fluenti";
    private static final String API = "/api/v1/";
    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private final Database db;
    private ServedTowns served;
    private String kristina;
    /** Authorization header values that must all fail (null: no header). */
    private final Map<String, String> badCredentials = new LinkedHashMap<>();
    private final Set<String> secrets = new HashSet<>();

    BadInputMatrixTest(Database db) {
        this.db = db;
    }

    @BeforeAll
    void serve() {
        served = ServedTowns.start(db);
        kristina = served.keyOf.get("kristina");
        String revoked = served.newKey("kristina", "fluenti", Optional.empty());
        served.keys.revoke(revoked.substring(3, 15));
        String expired = served.newKey("kristina", "fluenti", Optional.empty());
        served.owner("UPDATE core.api_keys SET created_at = now() - interval '2 days', expires_at = now() - interval"
                + " '1 day' WHERE key_prefix = '" + expired.substring(3, 15) + "'");
        badCredentials.put("no key", null);
        badCredentials.put("basic scheme", "Basic a3Jpc3RpbmE6c2VjcmV0");
        badCredentials.put("empty bearer", "Bearer ");
        badCredentials.put("garbage", "Bearer not-a-key");
        badCredentials.put("wrong secret", "Bearer " + kristina.substring(0, 16) + random(40));
        badCredentials.put("unknown prefix", "Bearer th_" + random(12) + "_" + random(40));
        badCredentials.put("revoked key", "Bearer " + revoked);
        badCredentials.put("expired key", "Bearer " + expired);
        badCredentials.put("key in another case", "Bearer " + kristina.toUpperCase().replace("TH_", "th_"));
        secrets.addAll(List.of(revoked.substring(16), expired.substring(16), kristina.substring(16)));
    }

    @AfterAll
    void stop() {
        served.close();
    }

    private static String random(int length) {
        SecureRandom random = new SecureRandom();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.append(ALPHANUMERIC.charAt(random.nextInt(ALPHANUMERIC.length())));
        }
        return text.toString();
    }

    // ---- the route table -----------------------------------------------------------------------------------

    private List<ApiServer.Route> keyedRoutes() {
        return served.server.routes().stream().filter(ApiServer.Route::needsKey).toList();
    }

    /**
     * The keyed routes of the JSON API, whose bodies and versions this matrix knows; {@code /mcp} carries JSON-RPC
     * messages the SDK checks (McpHttpEndpointTest), so it meets only the credential and query checks here.
     */
    private List<ApiServer.Route> apiRoutes() {
        return keyedRoutes().stream().filter(route -> route.path().startsWith(API)).toList();
    }

    /** The resource of a row route ({@code /api/v1/companies/{id}} → companies), empty for the other routes. */
    private Optional<Resource> resourceOf(ApiServer.Route route) {
        if (!route.path().startsWith(API)) {
            return Optional.empty();
        }
        String rest = route.path().substring(API.length());
        String name = rest.split("/")[0];
        return served.records.resources().stream().filter(r -> r.name().equals(name)).findFirst();
    }

    /** The route's path with a real row's id (so a refusal is not just "no such row") and a real view. */
    private String concrete(ApiServer.Route route) {
        String path = route.path().replace("{view}", "team_workload");
        if (path.contains("{id}")) {
            String table = resourceOf(route).orElseThrow().table();
            List<String> ids = served.owner("SELECT id FROM " + Identifiers.quoteQualified(table) + " LIMIT 1");
            path = path.replace("{id}", ids.isEmpty() ? UUID.randomUUID().toString() : ids.get(0));
        }
        return path;
    }

    private static boolean takesBody(ApiServer.Route route) {
        return route.method().equals("POST") || route.method().equals("PATCH") || route.method().equals("PUT");
    }

    /** A write to a read-only resource: refused with 403 before its body or version is looked at. */
    private boolean readOnlyWrite(ApiServer.Route route) {
        return !route.method().equals("GET") && resourceOf(route).map(r -> !r.writable()).orElse(false);
    }

    private void assertReadOnlyRefusal(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
        JsonNode error = error(response);
        assertThat(error.path("code").asText()).isEqualTo("forbidden");
        assertThat(error.path("field").asText()).isEqualTo("resource");
    }

    private static boolean needsVersion(ApiServer.Route route) {
        return route.method().equals("PATCH") || route.method().equals("PUT") || route.method().equals("DELETE");
    }

    /** Every row of the route's table, hashed: equal before and after means the request changed nothing. */
    private String fingerprint(ApiServer.Route route) {
        return resourceOf(route).map(resource -> served.owner("SELECT count(*) || ':' || coalesce(md5(string_agg(t::text,"
                + " ',' ORDER BY t.id)), '') FROM " + Identifiers.quoteQualified(resource.table()) + " t").get(0))
                .orElse("");
    }

    private HttpResponse<String> send(ApiServer.Route route, String path, String authorization, String body,
                                      String... headers) {
        List<String> all = new ArrayList<>(List.of(headers));
        if (authorization != null) {
            all.addAll(List.of("Authorization", authorization));
        }
        return served.send(route.method(), path, null, body, all.toArray(new String[0]));
    }

    private static JsonNode error(HttpResponse<String> response) {
        JsonNode body = ServedTowns.json(response);
        assertThat(body.size()).as("only the error: " + response.body()).isEqualTo(1);
        return body.path("error");
    }

    // ---- 401 -----------------------------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> everyKeyedRouteRefusesEveryBadCredentialAndLeaksNothing() {
        return keyedRoutes().stream().map(route -> DynamicTest.dynamicTest(route.method() + " " + route.path(), () -> {
            String path = concrete(route);
            String before = fingerprint(route);
            Set<String> bodies = new HashSet<>();
            badCredentials.forEach((label, authorization) -> {
                HttpResponse<String> response = send(route, path, authorization, takesBody(route) ? "{}" : null,
                        "If-Match", "\"1\"");
                assertThat(response.statusCode()).as(label + ": " + response.body()).isEqualTo(401);
                JsonNode error = error(response);
                assertThat(error.path("code").asText()).as(label).isEqualTo("unauthenticated");
                assertThat(response.headers().firstValue("WWW-Authenticate")).as(label).hasValue("Bearer realm=\"townhall\"");
                assertThat(response.headers().firstValue("ETag")).as(label).isEmpty();
                assertThat(response.headers().firstValue("Location")).as(label).isEmpty();
                secrets.forEach(secret -> assertThat(response.body()).as(label).doesNotContain(secret));
                if (authorization != null && authorization.startsWith("Bearer ") && authorization.length() > 7) {
                    bodies.add(response.body());
                }
            });
            assertThat(bodies).as("every rejected bearer key gets the same answer").hasSize(1);
            assertThat(fingerprint(route)).isEqualTo(before);
        }));
    }

    // ---- another town's row looks like no row ----------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> anotherTownsRowAnswersExactlyLikeARandomId() {
        List<DynamicTest> tests = new ArrayList<>();
        Set<String> covered = new HashSet<>();
        for (ApiServer.Route route : apiRoutes()) {
            if (!route.path().endsWith("{id}")) {
                continue;
            }
            Resource resource = resourceOf(route).orElseThrow();
            Optional<String> hidden = hiddenRow(resource);
            if (hidden.isEmpty()) {
                continue;
            }
            covered.add(resource.name());
            tests.add(DynamicTest.dynamicTest(route.method() + " " + route.path(), () -> {
                String before = fingerprint(route);
                String body = takesBody(route) ? "{}" : null;
                String randomId = UUID.randomUUID().toString();
                HttpResponse<String> theirs = send(route, route.path().replace("{id}", hidden.get()),
                        "Bearer " + kristina, body, "If-Match", "\"1\"");
                HttpResponse<String> nobodys = send(route, route.path().replace("{id}", randomId),
                        "Bearer " + kristina, body, "If-Match", "\"1\"");
                assertThat(theirs.statusCode()).as(theirs.body()).isEqualTo(readOnlyWrite(route) ? 403 : 404);
                assertThat(theirs.body().replace(hidden.get(), "ID")).isEqualTo(nobodys.body().replace(randomId, "ID"));
                assertThat(endToEndHeaders(theirs)).isEqualTo(endToEndHeaders(nobodys));
                assertThat(fingerprint(route)).isEqualTo(before);
            }));
        }
        assertThat(covered).as("resources with rows kristina may not see").contains("companies", "contacts");
        return tests.stream();
    }

    /**
     * Header names without the hop-by-hop {@code Connection}: Jetty adds {@code Connection: close} when a
     * request body has not fully arrived by the time the answer is sent, a race of the transport, not the API.
     */
    private static Set<String> endToEndHeaders(HttpResponse<String> response) {
        Set<String> names = new HashSet<>(response.headers().map().keySet());
        names.remove("connection");
        return names;
    }

    /** A row of the resource's table that exists but that kristina, acting in fluenti, cannot see. */
    private Optional<String> hiddenRow(Resource resource) {
        String sql = "SELECT id::text FROM " + Identifiers.quoteQualified(resource.table());
        Set<String> visible = new HashSet<>(served.towns.as(ACTOR).inTransaction(h ->
                h.createQuery(sql).mapTo(String.class).list()));
        return served.owner(sql).stream().filter(id -> !visible.contains(id)).findFirst();
    }

    // ---- bodies --------------------------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> badBodiesAreRefusedNamingWhatIsWrongAndChangeNothing() {
        return apiRoutes().stream().filter(BadInputMatrixTest::takesBody).map(route -> DynamicTest.dynamicTest(
                route.method() + " " + route.path(), () -> {
                    String path = concrete(route);
                    String before = fingerprint(route);
                    if (readOnlyWrite(route)) {
                        for (String body : new String[]{"{\"name\": ", "{\"no_such_column\": 1}", "[]"}) {
                            assertReadOnlyRefusal(send(route, path, "Bearer " + kristina, body, "If-Match", "\"1\""));
                        }
                        assertReadOnlyRefusal(send(route, path, "Bearer " + kristina, "{}", "Content-Type", "text/plain"));
                        assertThat(fingerprint(route)).isEqualTo(before);
                        return;
                    }
                    Map<String, Integer> statuses = new LinkedHashMap<>();
                    statuses.put("{\"name\": ", 400);
                    statuses.put("{} trailing", 400);
                    statuses.put("[{\"name\": \"x\"}]", 400);
                    statuses.put("\"a string\"", 400);
                    statuses.put("42", 400);
                    statuses.put("null", 400);
                    statuses.put("{\"a\": 1, \"a\": 2}", 400);
                    statuses.forEach((body, status) -> {
                        HttpResponse<String> response = send(route, path, "Bearer " + kristina, body, "If-Match", "\"1\"");
                        assertThat(response.statusCode()).as(body + " → " + response.body()).isEqualTo(status);
                        assertThat(error(response).path("code").asText()).isEqualTo("invalid_input");
                    });
                    HttpResponse<String> unknown = send(route, path, "Bearer " + kristina,
                            "{\"no_such_column\": 1}", "If-Match", "\"1\"");
                    assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(400);
                    assertThat(error(unknown).path("field").asText()).isEqualTo("no_such_column");
                    textColumn(resourceOf(route).orElseThrow()).ifPresent(column -> {
                        HttpResponse<String> wrongType = send(route, path, "Bearer " + kristina,
                                "{\"" + column + "\": {\"nested\": [1, 2]}}", "If-Match", "\"1\"");
                        assertThat(wrongType.statusCode()).as(wrongType.body()).isEqualTo(400);
                        assertThat(error(wrongType).path("field").asText()).isEqualTo(column);
                    });
                    for (String type : new String[]{"text/plain", "application/x-www-form-urlencoded",
                            "application/json; charset=latin1"}) {
                        HttpResponse<String> media = send(route, path, "Bearer " + kristina, "{}", "Content-Type",
                                type, "If-Match", "\"1\"");
                        assertThat(media.statusCode()).as(type).isEqualTo(415);
                        assertThat(error(media).path("code").asText()).isEqualTo("unsupported_media_type");
                    }
                    String huge = "{\"name\": \"" + "x".repeat(ServerSettings.MAX_BODY_BYTES) + "\"}";
                    HttpResponse<String> tooLarge = send(route, path, "Bearer " + kristina, huge, "If-Match", "\"1\"");
                    assertThat(tooLarge.statusCode()).isEqualTo(413);
                    assertThat(error(tooLarge).path("code").asText()).isEqualTo("payload_too_large");
                    assertThat(fingerprint(route)).isEqualTo(before);
                }));
    }

    /** A writable column of a text type, for a body that gives it an object. */
    private Optional<String> textColumn(Resource resource) {
        String[] table = resource.table().split("\\.");
        List<String> texts = served.owner("SELECT column_name FROM information_schema.columns WHERE table_schema = '"
                + table[0] + "' AND table_name = '" + table[1] + "' AND data_type IN ('text', 'character varying')"
                + " ORDER BY ordinal_position");
        return texts.stream().filter(resource.writableColumns()::contains).findFirst();
    }

    @Test
    void oversizeBodiesGetTheirAnswerAndLeaveTheConnectionUsable() {
        String huge = "{\"name\": \"" + "x".repeat(ServerSettings.MAX_BODY_BYTES + 100_000) + "\"}";
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> response = served.send("POST", "/api/v1/companies", kristina, huge);
            assertThat(response.statusCode()).isEqualTo(413);
            assertThat(ServedTowns.json(response).path("error").path("code").asText()).isEqualTo("payload_too_large");
            assertThat(served.get("/api/v1/me", kristina).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aChunkedBodyOverTheLimitIsRefusedWhileItIsRead() throws Exception {
        byte[] huge = ("{\"name\": \"" + "x".repeat(ServerSettings.MAX_BODY_BYTES) + "\"}").getBytes();
        HttpRequest request = HttpRequest.newBuilder(URI.create(served.server.url() + "api/v1/companies"))
                .header("Authorization", "Bearer " + kristina).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(huge))).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(ServedTowns.json(response).path("error").path("code").asText()).isEqualTo("payload_too_large");
    }

    // ---- versions ------------------------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> changesWithoutIfMatchAnswer428() {
        return apiRoutes().stream().filter(BadInputMatrixTest::needsVersion).map(route -> DynamicTest.dynamicTest(
                route.method() + " " + route.path(), () -> {
                    String path = concrete(route);
                    String before = fingerprint(route);
                    HttpResponse<String> response = send(route, path, "Bearer " + kristina,
                            takesBody(route) ? "{}" : null);
                    if (readOnlyWrite(route)) {
                        assertReadOnlyRefusal(response);
                    } else {
                        assertThat(response.statusCode()).as(response.body()).isEqualTo(428);
                        JsonNode error = error(response);
                        assertThat(error.path("code").asText()).isEqualTo("precondition_required");
                        assertThat(error.path("field").asText()).isEqualTo("If-Match");
                    }
                    assertThat(fingerprint(route)).isEqualTo(before);
                }));
    }

    // ---- lists ---------------------------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> sqlLookingFiltersAndSortsAreRefusedNamingTheParameter() {
        return keyedRoutes().stream().filter(r -> r.method().equals("GET") && resourceOf(r).isPresent()
                && !r.path().endsWith("{id}")).map(route -> DynamicTest.dynamicTest(route.path(), () -> {
            String before = fingerprint(route);
            Map<String, String> refused = new LinkedHashMap<>();
            refused.put("name%27%3B%20DROP%20TABLE%20crm.companies%3B--=1", "name'; DROP TABLE crm.companies;--");
            refused.put("sort=id%3B%20DROP%20TABLE%20crm.companies", "sort");
            refused.put("sort=-(SELECT%201)", "sort");
            refused.put("sort=pg_sleep(10)", "sort");
            refused.put("id=%27%20OR%201%3D1%20--", "id");
            refused.put("limit=1%20OR%201%3D1", "limit");
            refused.put("limit=100000", "limit");
            refused.put("cursor=%27%3B%20SELECT%201", "cursor");
            refused.put("fields=id,(SELECT%20password)", "fields");
            refused.put("limit=5&limit=6", "limit");
            refused.forEach((query, field) -> {
                HttpResponse<String> response = served.get(route.path() + "?" + query, kristina);
                assertThat(response.statusCode()).as(query + " → " + response.body()).isEqualTo(400);
                JsonNode error = error(response);
                assertThat(error.path("code").asText()).isEqualTo("invalid_input");
                assertThat(error.path("field").asText()).as(query).isEqualTo(field);
            });
            assertThat(fingerprint(route)).isEqualTo(before);
        }));
    }

    @TestFactory
    Stream<DynamicTest> routesWithoutQueryParametersRefuseThem() {
        return keyedRoutes().stream().filter(r -> !r.path().endsWith("/search") && (r.path().contains("{")
                || resourceOf(r).isEmpty())).map(route -> DynamicTest.dynamicTest(route.method() + " " + route.path(),
                () -> {
                    String before = fingerprint(route);
                    HttpResponse<String> response = send(route, concrete(route) + "?debug=1", "Bearer " + kristina,
                            takesBody(route) ? "{}" : null, "If-Match", "\"1\"");
                    if (readOnlyWrite(route)) {
                        assertReadOnlyRefusal(response);
                    } else {
                        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
                        assertThat(error(response).path("field").asText()).isEqualTo("debug");
                    }
                    assertThat(fingerprint(route)).isEqualTo(before);
                }));
    }
}
