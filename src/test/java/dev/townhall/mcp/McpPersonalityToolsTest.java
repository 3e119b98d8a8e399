package dev.townhall.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.townhall.api.ApiKeys;
import dev.townhall.db.Database;
import dev.townhall.records.Records;
import dev.townhall.search.Search;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.towns.Role;
import dev.townhall.towns.SampleTowns;
import dev.townhall.towns.Towns;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.townhall.mcp.McpTestClient.ok;
import static dev.townhall.mcp.McpTestClient.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * get_active_prompt and record_mood through the SDK's own client over pipes: their schemas, what they answer,
 * refusals as tool errors, and one audit row per call.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpPersonalityToolsTest {

    private final Database db;
    private Towns towns;
    private McpTestClient kristina;
    private McpTestClient kristinaAsViewer;

    McpPersonalityToolsTest(Database db) {
        this.db = db;
    }

    @BeforeAll
    void sampleTownsAndKeys() {
        towns = Towns.open(db);
        SampleTowns.ensure(towns);
        Records records = Records.load(towns);
        ApiKeys keys = ApiKeys.on(towns);
        McpServices services = new McpServices(towns, records, Search.keywordOnly(), Duration.ofSeconds(5));
        kristina = McpTestClient.connect(keys.authenticate(keys.create("kristina", "fluenti", Optional.empty(),
                Optional.empty(), "mcp").secret(), Optional.empty()), services);
        kristinaAsViewer = McpTestClient.connect(keys.authenticate(keys.create("kristina", "fluenti",
                Optional.of(Role.VIEWER), Optional.empty(), "mcp viewer").secret(), Optional.empty()), services);
    }

    @AfterAll
    void close() {
        kristina.close();
        kristinaAsViewer.close();
        towns.close();
    }

    @Test
    @SuppressWarnings("unchecked")
    void bothToolsAreListedWithTheSchemasMoodsAsTheirEnum() {
        List<McpSchema.Tool> tools = kristina.client().listTools().tools();
        McpSchema.Tool prompt = tools.stream().filter(t -> t.name().equals("get_active_prompt")).findFirst().orElseThrow();
        McpSchema.Tool mood = tools.stream().filter(t -> t.name().equals("record_mood")).findFirst().orElseThrow();
        List<String> schemaMoods = towns.ownerJdbi().withHandle(h -> h.createQuery(
                "SELECT slug FROM ai.moods ORDER BY position").mapTo(String.class).list());
        for (McpSchema.Tool tool : List.of(prompt, mood)) {
            Map<String, Object> properties = (Map<String, Object>) tool.inputSchema().get("properties");
            assertThat(((Map<String, Object>) properties.get("mood")).get("enum")).as(tool.name()).isEqualTo(schemaMoods);
        }
        assertThat((Map<String, Object>) mood.inputSchema().get("properties"))
                .containsOnlyKeys("mood", "signal", "reason", "explanation", "personality");
        assertThat(prompt.annotations().readOnlyHint()).isTrue();
        assertThat(mood.annotations().readOnlyHint()).isFalse();
    }

    @Test
    void recordMoodThenTheActivePromptSpeaksInThatMood() throws IOException {
        JsonNode before = ok(kristina.call("get_active_prompt", Map.of()));
        assertThat(before.get("personality").asText()).isEqualTo("robbie-f");
        assertThat(before.get("mood").asText()).isEqualTo("friendly");

        JsonNode recorded = ok(kristina.call("record_mood", Map.of("signal", "win", "explanation", "the deal closed")));
        assertThat(recorded.get("from_mood").isNull()).isTrue();
        assertThat(recorded.get("to_mood").asText()).isEqualTo("playful");
        JsonNode again = ok(kristina.call("record_mood", Map.of("mood", "focused", "reason", "deep-work-block")));
        assertThat(again.get("from_mood").asText()).isEqualTo("playful");
        assertThat(again.get("to_mood").asText()).isEqualTo("focused");
        assertThat(again.get("instance_id").asText()).isEqualTo(recorded.get("instance_id").asText());
        assertThat(again.get("changed_at").asText()).isNotBlank();

        JsonNode after = ok(kristina.call("get_active_prompt", Map.of()));
        assertThat(after.get("mood").asText()).isEqualTo("focused");
        assertThat(after.get("prompt").asText()).startsWith("You are Robbie").contains("Current mood: Focused");
        JsonNode jobs = ok(kristina.call("get_active_prompt", Map.of("personality", "steve-jobs", "mood", "bossy")));
        assertThat(jobs.get("prompt").asText()).contains("Steve Jobs").contains("Current mood: Bossy");

        List<Map<String, Object>> events = towns.ownerJdbi().withHandle(h -> h.createQuery("""
                        SELECT reason, explanation, interface FROM ai.mood_events
                        WHERE instance_id = CAST(:id AS uuid) ORDER BY occurred_at""")
                .bind("id", recorded.get("instance_id").asText()).mapToMap().list());
        assertThat(events).containsExactly(
                Map.of("reason", "signal:win", "explanation", "the deal closed", "interface", "mcp"),
                mapWithNullExplanation("deep-work-block"));
    }

    @Test
    void refusalsAreToolErrorsWithOneLine() {
        CallToolResult both = kristina.call("record_mood", Map.of("mood", "bossy", "signal", "deadline"));
        assertThat(both.isError()).isTrue();
        assertThat(text(both)).isEqualTo("give exactly one of mood or signal");
        CallToolResult badMood = kristina.call("get_active_prompt", Map.of("mood", "grumpy"));
        assertThat(badMood.isError()).isTrue();
        assertThat(text(badMood)).isEqualTo("mood must be one of friendly, focused, playful, bossy, surprised, blushing,"
                + " got 'grumpy'");
        CallToolResult unknown = kristina.call("get_active_prompt", Map.of("personality", "Zorro"));
        assertThat(unknown.isError()).isTrue();
        assertThat(text(unknown)).isEqualTo("no personality 'Zorro'");
        CallToolResult viewer = kristinaAsViewer.call("record_mood", Map.of("mood", "blushing"));
        assertThat(viewer.isError()).isTrue();
        assertThat(text(viewer)).contains("may only read").doesNotContain("Exception");
    }

    @Test
    void everyCallIsAuditedWithItsOutcome() {
        kristina.call("get_active_prompt", Map.of("personality", "kristina", "mood", "surprised"));
        kristinaAsViewer.call("record_mood", Map.of("mood", "bossy", "explanation", "audited viewer wombat"));
        List<Map<String, Object>> rows = towns.ownerJdbi().withHandle(h -> h.createQuery("""
                        SELECT a.action, a.actor, u.handle AS "user", a.after_data::text AS data
                        FROM core.audit_log a JOIN core.users u ON u.id = a.user_id
                        WHERE a.action IN ('mcp.get_active_prompt', 'mcp.record_mood')
                          AND (a.after_data::text LIKE '%surprised%' OR a.after_data::text LIKE '%audited viewer wombat%')
                        ORDER BY a.at""")
                .mapToMap().list());
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).containsEntry("action", "mcp.get_active_prompt").containsEntry("actor", "mcp")
                .containsEntry("user", "kristina");
        assertThat((String) rows.get(0).get("data")).contains("\"outcome\": \"ok\"");
        assertThat(rows.get(1)).containsEntry("action", "mcp.record_mood");
        assertThat((String) rows.get(1).get("data")).contains("\"outcome\": \"error\"", "FORBIDDEN");
    }

    private static Map<String, Object> mapWithNullExplanation(String reason) {
        Map<String, Object> row = new HashMap<>();
        row.put("reason", reason);
        row.put("explanation", null);
        row.put("interface", "mcp");
        return row;
    }

}
