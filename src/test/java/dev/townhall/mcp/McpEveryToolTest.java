package dev.townhall.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.townhall.api.ApiKeys;
import dev.townhall.api.ApiServer;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static dev.townhall.mcp.McpTestClient.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SDK's own client, over stdio and over streamable HTTP, lists the tools and resources and calls every one with
 * good arguments: each answers without a tool error, and each call leaves its audit row. A tool added to the server
 * without a call here fails the test, so the list cannot silently fall behind.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpEveryToolTest {
    enum Transport { STDIO, HTTP }

    private final Database db;
    private final List<AutoCloseable> open = new ArrayList<>();
    private Towns towns;
    private Records records;
    private ApiKeys keys;
    private ApiServer server;
    private String key;
    private String contactId;
    private String taskId;

    McpEveryToolTest(Database db) {
        this.db = db;
    }

    @BeforeAll
    void serve() {
        towns = Towns.open(db);
        SampleTowns.ensure(towns);
        records = Records.load(towns);
        keys = ApiKeys.on(towns);
        contactId = records.create(towns.as("kristina@fluenti"), "contacts",
                Map.of("first_name", "Petra", "last_name", "Pangolin")).id().toString();
        taskId = records.create(towns.as("kristina@fluenti"), "tasks", Map.of("title", "Count the pangolins")).id()
                .toString();
        key = keys.create("kristina", "fluenti", Optional.empty(), Optional.empty(), "every tool").secret();
        server = ApiServer.start(db, towns, keys, records, Search.keywordOnly(),
                ServerSettings.defaults().withPort(0).withRateLimit(1_000_000, 1_000_000));
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        server.close();
        towns.close();
    }

    /** Good arguments for each tool; a function of the client where they depend on an earlier answer. */
    private Map<String, Function<McpSyncClient, Map<String, Object>>> calls() {
        Map<String, Function<McpSyncClient, Map<String, Object>>> calls = new LinkedHashMap<>();
        calls.put("search_memory", c -> Map.of("query", "pangolin", "mode", "keyword"));
        calls.put("get_record", c -> Map.of("type", "contact", "id", contactId));
        calls.put("list_recent_activity", c -> Map.of("of", "contact", "id", contactId));
        calls.put("remember", c -> Map.of("kind", "note", "text", "Pangolins prefer ants"));
        calls.put("log_activity", c -> Map.of("type", "call", "subject", "Pangolin call", "contact_id", contactId));
        calls.put("create_task", c -> Map.of("title", "Buy ants"));
        calls.put("update_task", c -> {
            JsonNode task = ok(call(c, "get_record", Map.of("type", "task", "id", taskId)));
            return Map.of("id", taskId, "version", task.get("_version").asText(), "changes", Map.of("status", "doing"));
        });
        calls.put("get_active_prompt", c -> Map.of());
        calls.put("record_mood", c -> Map.of("signal", "win"));
        calls.put("code_memory_search", c -> Map.of("query", "pangolin"));
        calls.put("save_code_block", c -> Map.of("content", "count(pangolins)", "language", "python"));
        calls.put("sql", c -> Map.of("query", "SELECT first_name FROM crm.contacts ORDER BY first_name"));
        return calls;
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void theClientListsEveryToolAndCallsEachOneSuccessfully(Transport transport) {
        McpSyncClient client = connect(transport);
        Map<String, Function<McpSyncClient, Map<String, Object>>> calls = calls();
        assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name)
                .containsExactlyInAnyOrderElementsOf(calls.keySet());
        long auditedBefore = audited();
        int made = 0;
        for (var entry : calls.entrySet()) {
            McpSchema.CallToolResult result = call(client, entry.getKey(), entry.getValue().apply(client));
            assertThat(result.isError()).as(entry.getKey() + ": " + McpTestClient.text(result)).isFalse();
            made++;
        }
        // update_task's arguments come from one more get_record call
        assertThat(audited() - auditedBefore).isEqualTo(made + 1);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void theClientListsAndReadsEveryResource(Transport transport) {
        McpSyncClient client = connect(transport);
        List<McpSchema.Resource> resources = client.listResources().resources();
        assertThat(resources).extracting(McpSchema.Resource::uri)
                .containsExactlyInAnyOrder("townhall://towns", "townhall://schema");
        for (McpSchema.Resource resource : resources) {
            McpSchema.ReadResourceResult read = client.readResource(new McpSchema.ReadResourceRequest(resource.uri()));
            assertThat(read.contents()).singleElement().satisfies(content ->
                    assertThat(((McpSchema.TextResourceContents) content).text()).isNotBlank());
        }
    }

    private long audited() {
        return towns.ownerJdbi().withHandle(h -> h.createQuery("""
                        SELECT count(*) FROM core.audit_log a JOIN core.users u ON u.id = a.user_id
                        WHERE a.action LIKE 'mcp.%' AND u.handle = 'kristina'""")
                .mapTo(Long.class).one());
    }

    private static McpSchema.CallToolResult call(McpSyncClient client, String tool, Map<String, Object> arguments) {
        return client.callTool(McpSchema.CallToolRequest.builder(tool).arguments(arguments).build());
    }

    private McpSyncClient connect(Transport transport) {
        if (transport == Transport.STDIO) {
            McpTestClient stdio = McpTestClient.connect(keys.authenticate(key, Optional.empty()),
                    new McpServices(towns, records, Search.keywordOnly(), Duration.ofSeconds(5)));
            open.add(stdio);
            return stdio.client();
        }
        McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder(server.url())
                        .endpoint(McpHttpEndpoint.PATH)
                        .httpRequestCustomizer((request, method, uri, body, context) ->
                                request.header("Authorization", "Bearer " + key))
                        .build())
                .requestTimeout(Duration.ofSeconds(30)).build();
        client.initialize();
        open.add(client::closeGracefully);
        return client;
    }
}
