package dev.townhall.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.townhall.api.ApiKeys;
import dev.townhall.db.Database;
import dev.townhall.records.Records;
import dev.townhall.search.Search;
import dev.townhall.testing.PostgresExtension;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sql tool over the SDK's own client: it answers what the key's user may see and nothing else, refuses every
 * way to write or to act as someone else, changes nothing when it refuses, caps rows and time, and audits each call.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpSqlToolTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Tables a refused query might have changed, counted as the owner before and after. */
    private static final List<String> WATCHED_TABLES = List.of("memory.sticky_notes", "work.tasks", "crm.contacts");

    private final Database db;
    private Towns towns;
    private McpTestClient fluenti;
    private McpTestClient aurora;
    private McpTestClient fluentiImpatient;
    private UUID auroraTown;
    private UUID auroraNote;
    private UUID fluentiNote;

    McpSqlToolTest(Database db) {
        this.db = db;
    }

    @BeforeAll
    void sampleTownsWithPrivateNotesAndKeys() {
        towns = Towns.open(db);
        SampleTowns.ensure(towns);
        Records records = Records.load(towns);
        ApiKeys keys = ApiKeys.on(towns);
        auroraTown = towns.towns().stream().filter(t -> t.slug().equals("aurora")).findFirst().orElseThrow().id();
        auroraNote = records.create(towns.as("allan@aurora"), "sticky-notes",
                Map.of("content", "Quokka pricing, aurora only")).id();
        fluentiNote = records.create(towns.as("kristina@fluenti"), "sticky-notes",
                Map.of("content", "Wombat plan, fluenti")).id();
        McpServices services = new McpServices(towns, records, Search.keywordOnly(), Duration.ofSeconds(5));
        fluenti = McpTestClient.connect(keys.authenticate(keys.create("kristina", "fluenti", Optional.empty(), Optional.empty(),
                "mcp").secret(), Optional.empty()), services);
        aurora = McpTestClient.connect(keys.authenticate(keys.create("allan", "aurora", Optional.empty(), Optional.empty(),
                "mcp").secret(), Optional.empty()), services);
        fluentiImpatient = McpTestClient.connect(keys.authenticate(keys.create("kristina", "fluenti", Optional.empty(),
                Optional.empty(), "mcp impatient").secret(), Optional.empty()),
                new McpServices(towns, records, Search.keywordOnly(), Duration.ofMillis(300)));
    }

    @AfterAll
    void close() {
        fluenti.close();
        aurora.close();
        fluentiImpatient.close();
        towns.close();
    }

    @Test
    @SuppressWarnings("unchecked")
    void isListedAsAReadOnlyToolTakingAQueryAndARowCap() {
        McpSchema.Tool sql = fluenti.client().listTools().tools().stream().filter(t -> t.name().equals("sql"))
                .findFirst().orElseThrow();
        assertThat(sql.annotations().readOnlyHint()).isTrue();
        assertThat(sql.inputSchema().get("required")).isEqualTo(List.of("query"));
        assertThat((Map<String, Object>) sql.inputSchema().get("properties")).containsOnlyKeys("query", "max_rows");
        assertThat(sql.description()).contains("row-level security", "crm", "memory");
    }

    @Test
    void aFluentiKeyNeverSeesAnAuroraPrivateRowWhileAuroraDoes() throws IOException {
        String query = "SELECT id, content FROM memory.sticky_notes ORDER BY content";
        List<String> seenByFluenti = firstColumn(ok(fluenti.call("sql", Map.of("query", query))));
        assertThat(seenByFluenti).contains(fluentiNote.toString()).doesNotContain(auroraNote.toString());
        assertThat(firstColumn(ok(aurora.call("sql", Map.of("query", query))))).contains(auroraNote.toString());
    }

    @Test
    void forgingTheActingTownWithinTheQueryIsRefusedAndRevealsNothing() {
        String aurora = auroraTown.toString();
        for (String forged : List.of(
                "SELECT set_config('townhall.town_id', '" + aurora + "', true),"
                        + " (SELECT string_agg(content, ',') FROM memory.sticky_notes)",
                "SELECT pg_catalog.set_config('townhall.role_cap', '', true) AS x",
                "SELECT query_to_xml('SELECT set_config(''townhall.town_id'', ''" + aurora + "'', true),"
                        + " content FROM memory.sticky_notes', true, true, '')",
                "SELECT * FROM ts_stat('SELECT to_tsvector(set_config(''townhall.town_id'', ''" + aurora + "'', true))')",
                "SELECT \"set_config\"('townhall.town_id', '" + aurora + "', true)")) {
            CallToolResult refused = fluenti.call("sql", Map.of("query", forged));
            assertThat(refused.isError()).as(forged).isTrue();
            assertThat(text(refused)).as(forged).contains("may not call").doesNotContain("Quokka");
        }
    }

    @Test
    void refusesStackedStatementsWritesSessionChangesAndUnsafeFunctionsAndChangesNothing() {
        Map<String, Long> before = counts();
        Map<String, String> refusals = new LinkedHashMap<>();
        refusals.put("SELECT 1; DELETE FROM memory.sticky_notes", "one statement only");
        refusals.put("SELECT 1 /* ; */ ; DELETE FROM memory.sticky_notes", "one statement only");
        refusals.put("INSERT INTO work.tasks (title) VALUES ('sneaky')", "must start with SELECT");
        refusals.put("WITH gone AS (UPDATE work.tasks SET title = 'taken' RETURNING id) SELECT * FROM gone",
                "may not use UPDATE");
        refusals.put("WITH gone AS (DELETE FROM memory.sticky_notes RETURNING id) SELECT count(*) FROM gone",
                "may not use DELETE");
        refusals.put("SET townhall.town_id = '" + auroraTown + "'", "must start with SELECT");
        refusals.put("SELECT 1 FROM work.tasks FOR UPDATE", "may not use UPDATE");
        refusals.put("COPY memory.sticky_notes TO STDOUT", "must start with SELECT");
        refusals.put("DO $$ BEGIN DELETE FROM memory.sticky_notes; END $$", "must start with SELECT");
        refusals.put("SELECT nextval('crm.no_such_sequence')", "may not call nextval");
        refusals.put("SELECT crm.refresh_town_engagement(core.acting_town_id())", "may not call refresh_town_engagement");
        refusals.put("SELECT gen_salt('bf'), pg_advisory_lock(42)", "may not call pg_advisory_lock");
        refusals.put("SELECT pg_sleep(10)", "may not call pg_sleep");
        refusals.put("SELECT password_hash FROM core.find_login('testpilot', 'allan')",
                "may not call find_login (SECURITY DEFINER");
        refusals.put("SELECT query FROM pg_stat_activity", "may not read pg_stat_activity");
        refusals.put("SELECT to_jsonb(u) FROM core.users AS u", "may not read users: it holds credentials");
        refusals.put("SELECT * FROM core.\"api_keys\"", "may not read api_keys: it holds credentials");
        refusals.put("TABLE core.sessions", "may not read sessions: it holds credentials");
        refusals.put("SELECT table_to_xml('core.users', true, false, '')", "may not call table_to_xml");
        refusals.put("SELECT 1 AS x -- " + "y".repeat(8_000), "at most 8000");
        refusals.forEach((query, why) -> {
            CallToolResult refused = fluenti.call("sql", Map.of("query", query));
            assertThat(refused.isError()).as(query).isTrue();
            assertThat(text(refused)).as(query).contains(why).doesNotContain("Exception", "\n");
        });
        assertThat(counts()).isEqualTo(before);
        assertThat(audited("%sneaky%")).contains("\"outcome\": \"error\"", "INVALID_INPUT");
    }

    @Test
    void aDatabaseErrorIsOneLineAndAForbiddenTableIsForbidden() {
        CallToolResult missing = fluenti.call("sql", Map.of("query", "SELECT * FROM crm.no_such_table"));
        assertThat(missing.isError()).isTrue();
        assertThat(text(missing)).isEqualTo("query failed: relation \"crm.no_such_table\" does not exist");
        CallToolResult syntax = fluenti.call("sql", Map.of("query", "SELECT FROM WHERE"));
        assertThat(syntax.isError()).isTrue();
        assertThat(text(syntax)).startsWith("query failed: syntax error").doesNotContain("\n");
        CallToolResult forbidden = fluenti.call("sql", Map.of("query", "SELECT rolpassword FROM pg_authid"));
        assertThat(forbidden.isError()).isTrue();
        assertThat(text(forbidden)).isEqualTo("query failed: permission denied for table pg_authid");
        assertThat(audited("%pg_authid%")).contains("FORBIDDEN");
    }

    @Test
    void aQueryOverItsTimeIsCancelled() {
        CallToolResult slow = fluentiImpatient.call("sql",
                Map.of("query", "SELECT count(*) FROM generate_series(1, 1000000000000) AS g"));
        assertThat(slow.isError()).isTrue();
        assertThat(text(slow)).contains("was cancelled");
        assertThat(audited("%1000000000000%")).contains("TIMEOUT");
    }

    @Test
    void answersAtMostMaxRowsAndABoundedAmountOfTextAndSaysWhenThereWasMore() throws IOException {
        String fifty = "SELECT g FROM generate_series(1, 50) AS g ORDER BY g";
        JsonNode capped = ok(fluenti.call("sql", Map.of("query", fifty, "max_rows", 10)));
        assertThat(capped.get("row_count").asInt()).isEqualTo(10);
        assertThat(capped.get("rows")).hasSize(10);
        assertThat(capped.get("truncated").asBoolean()).isTrue();
        assertThat(firstColumn(capped)).startsWith("1", "2", "3");
        JsonNode all = ok(fluenti.call("sql", Map.of("query", fifty + ";")));
        assertThat(all.get("row_count").asInt()).isEqualTo(50);
        assertThat(all.get("truncated").asBoolean()).isFalse();
        JsonNode wide = ok(fluenti.call("sql", Map.of("query", "SELECT repeat('z', 1000) FROM generate_series(1, 500)",
                "max_rows", 1000)));
        assertThat(wide.get("row_count").asInt()).isGreaterThan(100).isLessThan(500);
        assertThat(wide.get("truncated").asBoolean()).isTrue();
        CallToolResult tooMany = fluenti.call("sql", Map.of("query", fifty, "max_rows", 5000));
        assertThat(tooMany.isError()).isTrue();
        assertThat(text(tooMany)).isEqualTo("max_rows must be between 1 and 1000, got 5000");
    }

    @Test
    void answersValuesAsJsonAndCutsLongOnes() throws IOException {
        JsonNode answer = ok(fluenti.call("sql", Map.of("query", """
                SELECT 7 AS i, 2.50::numeric AS n, true AS b, NULL AS z, 'NaN'::float8 AS nan,
                       '2026-01-02 03:04:05+00'::timestamptz AT TIME ZONE 'UTC' AS at, repeat('y', 3000) AS long,
                       gen_random_uuid() AS u -- the trailing comment must not swallow the wrapper""")));
        assertThat(answer.get("columns")).extracting(JsonNode::asText)
                .containsExactly("i", "n", "b", "z", "nan", "at", "long", "u");
        JsonNode row = answer.get("rows").get(0);
        assertThat(row.get(0).isInt()).isTrue();
        assertThat(row.get(1).asText()).isEqualTo("2.50");
        assertThat(row.get(2).asBoolean()).isTrue();
        assertThat(row.get(3).isNull()).isTrue();
        assertThat(row.get(4).asText()).isEqualTo("NaN");
        assertThat(row.get(5).asText()).isEqualTo("2026-01-02 03:04:05");
        assertThat(row.get(6).asText()).startsWith("yyyy").endsWith("…[cut, 3000 characters in all]").hasSize(2000
                + "…[cut, 3000 characters in all]".length());
        assertThat(UUID.fromString(row.get(7).asText())).isNotNull();
        assertThat(audited("%the trailing comment%")).contains("\"outcome\": \"ok\"");
    }

    /**
     * What the tool leaves to the catalog: a query calls functions only by name (each checked) and through
     * operators, casts, type input and project functions that run SQL of their own; none of these may be VOLATILE.
     */
    @Test
    void noOperatorCastOrTypeInputRunsAVolatileFunctionAndNoStableProjectFunctionRunsSqlText() {
        List<String> hidden = towns.ownerJdbi().withHandle(h -> h.createQuery("""
                        SELECT 'operator ' || o.oprname || ' ' || p.proname FROM pg_operator o
                        JOIN pg_proc p ON p.oid = o.oprcode WHERE p.provolatile = 'v'
                        UNION ALL
                        SELECT 'cast ' || p.proname FROM pg_cast c JOIN pg_proc p ON p.oid = c.castfunc
                        WHERE p.provolatile = 'v'
                        UNION ALL
                        SELECT 'type ' || t.typname FROM pg_type t JOIN pg_proc p ON p.oid IN (t.typinput, t.typmodin)
                        WHERE p.provolatile = 'v'
                        UNION ALL
                        SELECT 'function ' || n.nspname || '.' || p.proname FROM pg_proc p
                        JOIN pg_namespace n ON n.oid = p.pronamespace
                        WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND p.provolatile <> 'v'
                          AND p.prolang IN (SELECT oid FROM pg_language WHERE lanname IN ('sql', 'plpgsql'))
                          AND (p.prosrc ILIKE '%set_config%' OR p.prosrc ILIKE '%execute%')""")
                .mapTo(String.class).list());
        assertThat(hidden).isEmpty();
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private Map<String, Long> counts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        // constant table names from this class, never input
        WATCHED_TABLES.forEach(table -> counts.put(table, towns.ownerJdbi().withHandle(h ->
                h.createQuery("SELECT count(*) FROM " + table).mapTo(Long.class).one())));
        return counts;
    }

    /** The audit row of the one sql call whose arguments match {@code like}, as text. */
    private String audited(String like) {
        return towns.ownerJdbi().withHandle(h -> h.createQuery("""
                        SELECT after_data::text FROM core.audit_log
                        WHERE action = 'mcp.sql' AND after_data::text LIKE :like""")
                .bind("like", like).mapTo(String.class).one());
    }

    private static JsonNode ok(CallToolResult result) throws IOException {
        assertThat(result.isError()).as(text(result)).isFalse();
        return JSON.readTree(text(result));
    }

    private static String text(CallToolResult result) {
        return ((McpSchema.TextContent) result.content().get(0)).text();
    }

    private static List<String> firstColumn(JsonNode answer) {
        List<String> values = new ArrayList<>();
        answer.get("rows").forEach(row -> values.add(row.get(0).asText()));
        return values;
    }
}
