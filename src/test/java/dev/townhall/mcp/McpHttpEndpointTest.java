package dev.townhall.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.townhall.api.ApiKeys;
import dev.townhall.api.ApiServer;
import dev.townhall.api.CreatedKey;
import dev.townhall.api.ServerSettings;
import dev.townhall.db.Database;
import dev.townhall.records.Records;
import dev.townhall.search.Search;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.towns.SampleTowns;
import dev.townhall.towns.Towns;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The SDK's own client over streamable HTTP against {@code ./townhall serve}'s server: it lists the tools and calls
 * them as the key's caller; wrong, revoked and expired keys, other keys in a session, and pages or host names outside
 * the allow-lists are refused with the API's JSON errors; every call is audited with the key's prefix.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpHttpEndpointTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INITIALIZE = """
            {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-06-18",
             "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}}}""";

    private final Database db;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<McpSyncClient> clients = new ArrayList<>();
    private Towns towns;
    private ApiKeys keys;
    private ApiServer server;
    private CreatedKey kristina;
    private CreatedKey allan;
    private UUID auroraContact;

    McpHttpEndpointTest(Database db) {
        this.db = db;
    }

    @BeforeAll
    void serve() {
        towns = Towns.open(db);
        SampleTowns.ensure(towns);
        Records records = Records.load(towns);
        keys = ApiKeys.on(towns);
        auroraContact = records.create(towns.as("allan@aurora"), "contacts",
                Map.of("first_name", "Ottilie", "last_name", "Otter")).id();
        records.create(towns.as("kristina@fluenti"), "sticky-notes", Map.of("content", "Narwhal launch notes"));
        kristina = keys.create("kristina", "fluenti", Optional.empty(), Optional.empty(), "mcp http");
        allan = keys.create("allan", "aurora", Optional.empty(), Optional.empty(), "mcp http");
        server = ApiServer.start(db, towns, keys, records, Search.keywordOnly(),
                ServerSettings.defaults().withPort(0).withRateLimit(1_000_000, 1_000_000));
    }

    @AfterAll
    void stop() {
        clients.forEach(McpSyncClient::closeGracefully);
        server.close();
        towns.close();
    }

    @Test
    void theClientListsTheToolsAndCallsThemAsTheKeysCaller() throws IOException {
        McpSyncClient client = connect(kristina.secret());
        assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name)
                .contains("search_memory", "get_record", "list_recent_activity", "remember", "log_activity",
                        "create_task", "update_task");

        JsonNode found = ok(call(client, "search_memory", Map.of("query", "narwhal", "mode", "keyword")));
        assertThat(found.get("hits")).hasSize(1);

        CallToolResult hidden = call(client, "get_record", Map.of("type", "contact", "id", auroraContact.toString()));
        assertThat(hidden.isError()).isTrue();
        assertThat(text(hidden)).contains("no contacts row");
        JsonNode own = ok(call(connect(allan.secret()), "get_record",
                Map.of("type", "contact", "id", auroraContact.toString())));
        assertThat(own.get("record").get("first_name").asText()).isEqualTo("Ottilie");

        JsonNode task = ok(call(client, "create_task", Map.of("title", "Feed the narwhal")));
        String town = towns.ownerJdbi().withHandle(h -> h.createQuery("""
                        SELECT t.slug FROM work.tasks k JOIN core.towns t ON t.id = k.town_id WHERE k.id = :id""")
                .bind("id", UUID.fromString(task.get("id").asText())).mapTo(String.class).one());
        assertThat(town).isEqualTo("fluenti");
    }

    @Test
    void everyCallIsAuditedWithTheKeysPrefix() {
        call(connect(kristina.secret()), "search_memory", Map.of("query", "audited walrus", "mode", "keyword"));
        List<Map<String, Object>> rows = towns.ownerJdbi().withHandle(h -> h.createQuery("""
                        SELECT a.action, a.actor, t.slug AS town, a.after_data ->> 'key_prefix' AS prefix
                        FROM core.audit_log a JOIN core.towns t ON t.id = a.town_id
                        WHERE a.action LIKE 'mcp.%' AND a.after_data::text LIKE '%audited walrus%'""")
                .mapToMap().list());
        assertThat(rows).singleElement().satisfies(row -> assertThat(row)
                .containsEntry("action", "mcp.search_memory").containsEntry("actor", "mcp")
                .containsEntry("town", "fluenti").containsEntry("prefix", kristina.info().prefix()));
    }

    @Test
    void wrongRevokedAndExpiredKeysAreRefusedWithTheApisError() {
        CreatedKey revoked = keys.create("kristina", "fluenti", Optional.empty(), Optional.empty(), "to revoke");
        keys.revoke(revoked.info().prefix());
        CreatedKey expired = keys.create("kristina", "fluenti", Optional.empty(), Optional.of(Duration.ofMinutes(1)),
                "expired");
        towns.ownerJdbi().useHandle(h -> h.createUpdate("""
                        UPDATE core.api_keys SET created_at = now() - interval '2 days', expires_at = now() - interval '1 day'
                        WHERE id = :id""").bind("id", expired.info().id()).execute());
        String wrong = "th_AAAAAAAAAAAA_" + "B".repeat(40);
        for (String key : List.of(wrong, revoked.secret(), expired.secret())) {
            assertThatThrownBy(() -> connect(key)).as(key.substring(0, 8)).isInstanceOf(RuntimeException.class);
            HttpResponse<String> raw = post(key, INITIALIZE);
            assertThat(raw.statusCode()).isEqualTo(401);
            assertThat(raw.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"townhall\"");
            assertThat(errorCode(raw)).isEqualTo("unauthenticated");
        }
        HttpResponse<String> none = send("POST", null, INITIALIZE);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(errorCode(none)).isEqualTo("unauthenticated");
    }

    @Test
    void aKeyRevokedDuringASessionIsRefusedAtItsNextRequest() {
        CreatedKey key = keys.create("kristina", "fluenti", Optional.empty(), Optional.empty(), "revoked later");
        McpSyncClient client = connect(key.secret());
        assertThat(call(client, "search_memory", Map.of("query", "narwhal", "mode", "keyword")).isError()).isFalse();
        keys.revoke(key.info().prefix());
        assertThatThrownBy(() -> call(client, "search_memory", Map.of("query", "narwhal", "mode", "keyword")))
                .isInstanceOf(RuntimeException.class);
    }

    @Test
    void aSessionAnswersOnlyTheKeyThatOpenedIt() {
        HttpResponse<String> opened = post(kristina.secret(), INITIALIZE);
        assertThat(opened.statusCode()).as(opened.body()).isEqualTo(200);
        String session = opened.headers().firstValue("Mcp-Session-Id").orElseThrow();
        String list = "{\"jsonrpc\": \"2.0\", \"id\": 2, \"method\": \"tools/list\"}";

        HttpResponse<String> other = post(allan.secret(), list, "Mcp-Session-Id", session);
        HttpResponse<String> unknown = post(allan.secret(), list, "Mcp-Session-Id", UUID.randomUUID().toString());
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(errorCode(other)).isEqualTo("not_found");
        assertThat(other.body()).isEqualTo(unknown.body());
        HttpResponse<String> owner = post(kristina.secret(), list, "Mcp-Session-Id", session);
        assertThat(owner.statusCode()).as(owner.body()).isEqualTo(200);
        assertThat(owner.body()).contains("search_memory");

        HttpResponse<String> ended = send("DELETE", kristina.secret(), null, "Mcp-Session-Id", session);
        assertThat(ended.statusCode()).isEqualTo(200);
        assertThat(post(kristina.secret(), list, "Mcp-Session-Id", session).statusCode()).isEqualTo(404);
    }

    @Test
    void aMessageOverTheApisBodyLimitIsRefused() {
        String huge = "{\"jsonrpc\": \"2.0\", \"method\": \"notifications/x\", \"params\": {\"pad\": \""
                + "x".repeat(ServerSettings.MAX_BODY_BYTES) + "\"}}";
        HttpResponse<String> refused = post(kristina.secret(), huge);
        assertThat(refused.statusCode()).isEqualTo(413);
        assertThat(errorCode(refused)).isEqualTo("payload_too_large");
    }

    @Test
    void getOpensNoStreamAndAnswers405() {
        HttpResponse<String> response = send("GET", kristina.secret(), null, "Accept", "text/event-stream");
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("POST, DELETE");
    }

    @Test
    void aPageFromAnotherOriginIsRefusedBeforeItsKeyIsLookedAt() {
        for (String key : new String[]{kristina.secret(), null}) {
            HttpResponse<String> refused = post(key, INITIALIZE, "Origin", "http://evil.example");
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
            assertThat(errorCode(refused)).isEqualTo("forbidden");
            assertThat(ServedJson.read(refused.body()).path("error").path("field").asText()).isEqualTo("Origin");
        }
        HttpResponse<String> otherPort = post(kristina.secret(), INITIALIZE, "Origin", "http://localhost:1");
        assertThat(otherPort.statusCode()).isEqualTo(403);
        HttpResponse<String> local = post(kristina.secret(), INITIALIZE, "Origin", "http://localhost:" + server.port());
        assertThat(local.statusCode()).as(local.body()).isEqualTo(200);
    }

    @Test
    void aHostNameOutsideTheAllowListIsRefused() throws IOException {
        String rebound = rawPost("evil.example:" + server.port());
        assertThat(rebound).startsWith("HTTP/1.1 403").contains("\"code\":\"forbidden\"", "\"field\":\"Host\"");
        assertThat(rawPost("localhost:" + server.port())).startsWith("HTTP/1.1 200");
    }

    @Test
    void requestsAreCountedInTheMetricsUnderTheirRoute() {
        post(kristina.secret(), INITIALIZE);
        HttpResponse<String> metrics = send("GET", null, null);
        assertThat(metrics.body()).containsPattern("route=\"/mcp\"");
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private McpSyncClient connect(String key) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport
                .builder("http://127.0.0.1:" + server.port())
                .endpoint(McpHttpEndpoint.PATH)
                .httpRequestCustomizer((request, method, uri, body, context) ->
                        request.header("Authorization", "Bearer " + key))
                .build();
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30)).build();
        try {
            client.initialize();
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
        clients.add(client);
        return client;
    }

    private static CallToolResult call(McpSyncClient client, String tool, Map<String, Object> arguments) {
        return client.callTool(McpSchema.CallToolRequest.builder(tool).arguments(arguments).build());
    }

    private static JsonNode ok(CallToolResult result) throws IOException {
        assertThat(result.isError()).as(text(result)).isFalse();
        return JSON.readTree(text(result));
    }

    private static String text(CallToolResult result) {
        return ((McpSchema.TextContent) result.content().get(0)).text();
    }

    private HttpResponse<String> post(String key, String body, String... headers) {
        List<String> all = new ArrayList<>(List.of("Content-Type", "application/json",
                "Accept", "application/json, text/event-stream"));
        all.addAll(List.of(headers));
        return send("POST", key, body, all.toArray(new String[0]));
    }

    private HttpResponse<String> send(String method, String key, String body, String... headers) {
        String path = method.equals("GET") && key == null && body == null ? "/metrics" : McpHttpEndpoint.PATH;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An initialize with {@code host} as its Host header (java.net.http will not send a chosen Host). */
    private String rawPost(String host) throws IOException {
        byte[] body = INITIALIZE.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /mcp HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + kristina.secret()
                    + "\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n"
                    + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String errorCode(HttpResponse<String> response) {
        return ServedJson.read(response.body()).path("error").path("code").asText();
    }

    /** Response bodies as JSON trees. */
    private static final class ServedJson {
        static JsonNode read(String body) {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }
}
