package dev.townhall.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.townhall.api.ApiKeys;
import dev.townhall.code.CodeHit;
import dev.townhall.code.CodeMemory;
import dev.townhall.code.CodeQuery;
import dev.townhall.code.NewBlock;
import dev.townhall.db.Database;
import dev.townhall.records.Records;
import dev.townhall.search.Search;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.towns.Role;
import dev.townhall.towns.SampleTowns;
import dev.townhall.towns.Towns;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static dev.townhall.mcp.McpTestClient.ok;
import static dev.townhall.mcp.McpTestClient.refusal;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * code_memory_search and save_code_block through the SDK's client over pipes: what each answers, that a fluenti key
 * never finds aurora's private code memory nor points a block at it, that refusals are tool errors with one line,
 * that a viewer key saves nothing, and the audit rows.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpCodeToolsTest {
    private final Database db;
    private Towns towns;
    private McpTestClient kristina;
    private McpTestClient kristinaViewer;
    private UUID auroraConversation;
    private UUID auroraBlock;

    McpCodeToolsTest(Database db) {
        this.db = db;
    }

    @BeforeAll
    void aurorasPrivateCodeAndFluentiKeys() {
        towns = Towns.open(db);
        SampleTowns.ensure(towns);
        auroraConversation = towns.as("allan@aurora").inTransaction(h -> h.createQuery("""
                        INSERT INTO code.conversations (title, repository) VALUES ('billing', 'aurora/billing') RETURNING id""")
                .mapTo(UUID.class).one());
        auroraBlock = new CodeMemory().saveBlock(towns.as("allan@aurora"), NewBlock.of("numbatledger.close()"));
        ApiKeys keys = ApiKeys.on(towns);
        McpServices services = new McpServices(towns, Records.load(towns), Search.keywordOnly(), Duration.ofSeconds(5));
        kristina = McpTestClient.connect(keys.authenticate(
                keys.create("kristina", "fluenti", Optional.empty(), Optional.empty(), "mcp").secret(), Optional.empty()),
                services);
        kristinaViewer = McpTestClient.connect(keys.authenticate(
                keys.create("kristina", "fluenti", Optional.of(Role.VIEWER), Optional.empty(), "mcp viewer").secret(),
                Optional.empty()), services);
    }

    @AfterAll
    void close() {
        kristina.close();
        kristinaViewer.close();
        towns.close();
    }

    @Test
    @SuppressWarnings("unchecked")
    void bothToolsAreListedWithTheirInputSchemas() {
        Map<String, McpSchema.Tool> tools = new HashMap<>();
        kristina.tools().forEach(t -> tools.put(t.name(), t));
        McpSchema.Tool search = tools.get("code_memory_search");
        assertThat(search.annotations().readOnlyHint()).isTrue();
        assertThat(search.inputSchema().get("required")).isEqualTo(List.of("query"));
        assertThat((Map<String, Object>) search.inputSchema().get("properties"))
                .containsOnlyKeys("query", "kinds", "language", "repository", "limit");
        McpSchema.Tool save = tools.get("save_code_block");
        assertThat(save.annotations().readOnlyHint()).isFalse();
        assertThat(save.annotations().destructiveHint()).isFalse();
        assertThat(save.inputSchema().get("required")).isEqualTo(List.of("content"));
        assertThat((Map<String, Object>) save.inputSchema().get("properties")).containsOnlyKeys("content", "language",
                "file_path", "title", "block_type", "conversation_id", "message_id", "tags", "start_line", "end_line");
    }

    @Test
    void aSavedBlockIsFoundBySearchAndAnotherTownsPrivateBlockNever() {
        JsonNode saved = ok(kristina.call("save_code_block", Map.of("content", "export function numbatRetry() {}",
                "language", "typescript", "file_path", "web/src/retry.ts", "title", "numbatledger retry", "block_type",
                "snippet", "tags", List.of("retry"), "start_line", 3, "end_line", 4)));
        assertThat(saved.get("block_type").asText()).isEqualTo("snippet");

        JsonNode found = ok(kristina.call("code_memory_search", Map.of("query", "numbatledger")));
        assertThat(ids(found.get("hits"))).containsExactly(saved.get("id").asText());
        JsonNode hit = found.get("hits").get(0);
        assertThat(hit.get("kind").asText()).isEqualTo("block");
        assertThat(hit.get("title").asText()).isEqualTo("numbatledger retry");
        assertThat(hit.get("language").asText()).isEqualTo("typescript");
        assertThat(hit.get("file_path").asText()).isEqualTo("web/src/retry.ts");
        assertThat(hit.has("conversation_id")).isFalse();
        assertThat(hit.get("score").asDouble()).isPositive();
        // the same words find aurora's block for aurora's owner, and nothing of it for a fluenti key
        assertThat(new CodeMemory().search(towns.as("allan@aurora"), CodeQuery.of("numbatledger close")))
                .extracting(CodeHit::id).containsExactly(auroraBlock);
        assertThat(ids(ok(kristina.call("code_memory_search", Map.of("query", "numbatledger close", "kinds",
                List.of("blocks"), "limit", 5))).get("hits"))).doesNotContain(auroraBlock.toString());
        assertThat(ok(kristina.call("code_memory_search", Map.of("query", "numbatledger", "kinds", List.of("patterns"))))
                .get("hits")).isEmpty();
    }

    @Test
    void refusalsAreToolErrorsWithOneClearLine() {
        assertThat(refusal(kristina.call("save_code_block", Map.of("content", " "))))
                .isEqualTo("content must be a non-empty string");
        assertThat(refusal(kristina.call("save_code_block", Map.of("content", "x", "block_type", "poem"))))
                .isEqualTo("block_type must be one of snippet, diff, command, file, test, got 'poem'");
        assertThat(refusal(kristina.call("save_code_block", Map.of("content", "x", "start_line", 0))))
                .isEqualTo("start_line counts from 1, got 0");
        assertThat(refusal(kristina.call("save_code_block", Map.of("content", "x", "start_line", 9, "end_line", 2))))
                .isEqualTo("end_line must be at least start_line (9), got 2");
        assertThat(refusal(kristina.call("save_code_block", Map.of("content", "x", "conversation_id", "nope"))))
                .isEqualTo("conversation_id must be a UUID, got 'nope'");
        assertThat(refusal(kristina.call("save_code_block",
                Map.of("content", "x", "conversation_id", auroraConversation.toString()))))
                .isEqualTo("conversation_id names no code conversation of this town: " + auroraConversation);
        assertThat(refusal(kristina.call("code_memory_search", Map.of("query", "x", "kinds", List.of("poems")))))
                .isEqualTo("kinds must name messages, blocks, patterns, got 'poems'");
        assertThat(refusal(kristina.call("code_memory_search", Map.of("query", "x", "limit", 500))))
                .isEqualTo("limit must be 1 to 50, got 500");
        assertThat(refusal(kristina.call("code_memory_search", Map.of()))).isEqualTo("query must be a non-empty string");
    }

    @Test
    void aViewerKeySearchesButSavesNothing() {
        assertThat(ok(kristinaViewer.call("code_memory_search", Map.of("query", "viewerblock"))).get("hits")).isEmpty();
        assertThat(refusal(kristinaViewer.call("save_code_block", Map.of("content", "echo viewerblock"))))
                .contains("may only read");
        assertThat(ok(kristina.call("code_memory_search", Map.of("query", "viewerblock"))).get("hits")).isEmpty();
    }

    @Test
    void everyCallIsAuditedWithItsOutcome() {
        kristina.call("code_memory_search", Map.of("query", "audited dingo"));
        kristina.call("save_code_block", Map.of("content", "audited dingo()", "block_type", "poem"));
        kristinaViewer.call("save_code_block", Map.of("content", "audited dingo viewer"));
        List<Map<String, Object>> rows = towns.ownerJdbi().withHandle(h -> h.createQuery("""
                        SELECT a.action, t.slug AS town, u.handle AS "user", a.after_data::text AS data
                        FROM core.audit_log a JOIN core.towns t ON t.id = a.town_id JOIN core.users u ON u.id = a.user_id
                        WHERE a.action LIKE 'mcp.%' AND a.after_data::text LIKE '%audited dingo%'
                        ORDER BY a.at, a.id""")
                .mapToMap().list());
        assertThat(rows).extracting(r -> r.get("action"))
                .containsExactly("mcp.code_memory_search", "mcp.save_code_block", "mcp.save_code_block");
        assertThat(rows).allSatisfy(r -> assertThat(r).containsEntry("town", "fluenti").containsEntry("user", "kristina"));
        assertThat((String) rows.get(0).get("data")).contains("\"outcome\": \"ok\"");
        assertThat((String) rows.get(1).get("data")).contains("\"outcome\": \"error\"", "INVALID_INPUT");
        assertThat((String) rows.get(2).get("data")).contains("\"outcome\": \"error\"", "FORBIDDEN");
    }

    private static List<String> ids(JsonNode hits) {
        List<String> ids = new ArrayList<>();
        hits.forEach(hit -> ids.add(hit.get("id").asText()));
        return ids;
    }
}
