package dev.townhall.schema;

import dev.townhall.db.Database;
import dev.townhall.testing.PostgresExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.util.PSQLException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The functions the seeds name, against their contract in docs/schema.md ("Functions the seeds name"):
 * {@code ai.get_active_prompt(personality, mood)} in its three documented cases, and
 * {@code ai.calculate_mood(signal, gandhi_genghis, flirt_level, energy)} branch by branch and over an exhaustive
 * grid checked against a model of the documented rules. Catalogue changes run in rolled-back transactions.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SchemaFunctionsTest {
    static final Set<String> MOODS = Set.of("friendly", "focused", "playful", "bossy", "surprised", "blushing");
    static final String PLAYFUL_LINE = "\n\nCurrent mood: Playful - light, witty and energetic";
    static final String BOSSY_LINE = "\n\nCurrent mood: Bossy - direct and demanding; pushes for decisions and deadlines";

    private final Database db;
    private SchemaSql sql;
    private String robbieF;

    SchemaFunctionsTest(Database db) {
        this.db = db;
    }

    @BeforeAll
    void connect() {
        sql = SchemaSql.owner(db);
        robbieF = sql.value(String.class, "SELECT system_prompt FROM ai.personalities WHERE slug = 'robbie-f'");
    }

    @AfterAll
    void close() {
        sql.close();
    }

    // ------------------------------------------------------------------------------------------ get_active_prompt

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"robbie-f", "Robbie F", "ROBBIE-F", "robbie f", "  Robbie F  "})
    void aPersonalityIsFoundBySlugOrNameIgnoringCase(String personality) {
        assertThat(prompt(personality, null)).isEqualTo(robbieF);
    }

    @Test
    void anUnknownInactiveOrMissingPersonalityHasNoPrompt() {
        assertThat(prompt("nobody", null)).isNull();
        assertThat(prompt("nobody", "playful")).isNull();
        assertThat(prompt(null, "playful")).isNull();
        assertThat(prompt("", null)).isNull();
        sql.rolledBack(() -> {
            assertThat(prompt("kristina", "focused")).isNotNull();
            sql.exec("UPDATE ai.personalities SET is_active = false WHERE slug = 'kristina'");
            assertThat(prompt("kristina", "focused")).isNull();
            assertThat(prompt("Kristina", null)).isNull();
            // an active prompt of an inactive personality does not bring it back
            insertPrompt("kristina", "focused", 1, "Kristina, focused", true);
            assertThat(prompt("kristina", "focused")).isNull();
        });
    }

    @Test
    void aKnownMoodAddsItsLineToTheBasePrompt() {
        assertThat(prompt("robbie-f", "playful")).isEqualTo(robbieF + PLAYFUL_LINE);
        assertThat(prompt("Robbie F", " PLAYFUL ")).as("mood slugs are case-insensitive too").isEqualTo(robbieF + PLAYFUL_LINE);
        assertThat(prompt("robbie-f", "bossy")).isEqualTo(robbieF + BOSSY_LINE);
    }

    @Test
    void anUnknownOrAbsentMoodGivesTheBasePromptAlone() {
        assertThat(prompt("robbie-f", "grumpy")).isEqualTo(robbieF);
        assertThat(prompt("robbie-f", null)).isEqualTo(robbieF);
        assertThat(sql.value(String.class, "SELECT ai.get_active_prompt('robbie-f')")).as("mood defaults to NULL").isEqualTo(robbieF);
    }

    @Test
    void anActiveMoodAgnosticPromptIsTheBasePrompt() {
        sql.rolledBack(() -> {
            insertPrompt("robbie-f", null, 1, "Old base, inactive", false);
            assertThat(prompt("robbie-f", null)).as("an inactive prompt is ignored").isEqualTo(robbieF);
            insertPrompt("robbie-f", null, 2, "Robbie base v2", true);
            assertThat(prompt("robbie-f", null)).isEqualTo("Robbie base v2");
            assertThat(prompt("robbie-f", "playful")).isEqualTo("Robbie base v2" + PLAYFUL_LINE);
            assertThat(prompt("robbie-m", "playful")).as("other personalities keep their own base")
                    .isEqualTo(sql.value(String.class, "SELECT system_prompt FROM ai.personalities WHERE slug = 'robbie-m'") + PLAYFUL_LINE);
        });
    }

    @Test
    void anExactActivePromptIsReturnedAsIs() {
        sql.rolledBack(() -> {
            insertPrompt("robbie-f", null, 1, "Robbie base", true);
            insertPrompt("robbie-f", "playful", 1, "Playful Robbie, draft", false);
            assertThat(prompt("robbie-f", "playful")).as("an inactive exact prompt is ignored").isEqualTo("Robbie base" + PLAYFUL_LINE);
            insertPrompt("robbie-f", "playful", 2, "Playful Robbie", true);
            assertThat(prompt("robbie-f", "playful")).isEqualTo("Playful Robbie");
            assertThat(prompt("Robbie F", "Playful")).isEqualTo("Playful Robbie");
            assertThat(prompt("robbie-f", "bossy")).as("another mood falls back").isEqualTo("Robbie base" + BOSSY_LINE);
            assertThat(prompt("robbie-m", "playful")).as("another personality is unaffected").doesNotContain("Playful Robbie");
            assertThat(prompt("robbie-f", null)).isEqualTo("Robbie base");
        });
    }

    @Test
    void atMostOnePromptIsActivePerPersonalityAndMood() {
        sql.rolledBack(() -> {
            insertPrompt("robbie-f", "bossy", 1, "Bossy v1", true);
            insertPrompt("robbie-f", null, 1, "Base v1", true);
            assertThatThrownBy(() -> sql.execRaw("""
                    INSERT INTO ai.prompts (personality_id, mood, version, content, is_active)
                    SELECT id, 'bossy', 2, 'Bossy v2', true FROM ai.personalities WHERE slug = 'robbie-f'"""))
                    .isInstanceOf(PSQLException.class).hasMessageContaining("prompts_one_active_idx");
        });
        sql.rolledBack(() -> {
            insertPrompt("robbie-f", null, 1, "Base v1", true);
            assertThatThrownBy(() -> sql.execRaw("""
                    INSERT INTO ai.prompts (personality_id, mood, version, content, is_active)
                    SELECT id, NULL, 2, 'Base v2', true FROM ai.personalities WHERE slug = 'robbie-f'"""))
                    .as("mood NULL counts as one mood (NULLS NOT DISTINCT)")
                    .isInstanceOf(PSQLException.class).hasMessageContaining("prompts_one_active_idx");
        });
        sql.rolledBack(() -> {
            // switching versions: deactivate, then activate
            insertPrompt("robbie-f", "bossy", 1, "Bossy v1", true);
            insertPrompt("robbie-f", "bossy", 2, "Bossy v2", false);
            sql.exec("""
                    UPDATE ai.prompts SET is_active = (version = 2)
                    WHERE mood = 'bossy' AND personality_id = (SELECT id FROM ai.personalities WHERE slug = 'robbie-f')""");
            assertThat(prompt("robbie-f", "bossy")).isEqualTo("Bossy v2");
        });
    }

    // ------------------------------------------------------------------------------------------ calculate_mood

    @ParameterizedTest(name = "calculate_mood({0}, {1}, {2}, {3}) = {4}")
    @CsvSource(nullValues = "NULL", textBlock = """
            # signal        gandhi_genghis  flirt  energy  expected
            surprise,       NULL,           NULL,  NULL,   surprised
            unexpected,     10,             1,     0,      surprised
            shock,          1,              10,    100,    surprised
            compliment,     5,              4,     50,     blushing
            praise,         5,              3,     50,     friendly
            flirt,          5,              NULL,  50,     blushing
            compliment,     5,              0,     50,     friendly
            flirt,          5,              99,    50,     blushing
            deadline,       6,              5,     50,     bossy
            urgent,         5,              5,     50,     focused
            overdue,        NULL,           5,     50,     focused
            blocked,        99,             5,     50,     bossy
            blocked,        -4,             5,     50,     focused
            deep_work,      10,             5,     100,    focused
            coding,         9,              5,     90,     focused
            focus,          5,              5,     50,     focused
            meeting,        5,              5,     50,     focused
            win,            1,              1,     0,      playful
            celebration,    10,             5,     0,      playful
            joke,           5,              5,     50,     playful
            fun,            5,              5,     50,     playful
            NULL,           8,              5,     50,     bossy
            NULL,           7,              5,     70,     playful
            NULL,           7,              5,     69,     friendly
            NULL,           5,              5,     25,     focused
            NULL,           5,              5,     26,     friendly
            NULL,           5,              5,     500,    playful
            NULL,           5,              5,     -9,     focused
            NULL,           12,             5,     0,      bossy
            NULL,           NULL,           NULL,  NULL,   friendly
            banana,         5,              5,     50,     friendly
            banana,         9,              5,     50,     bossy
            '',             5,              5,     90,     playful
            '  DEADLINE ',  6,              5,     50,     bossy
            Surprise,       5,              5,     50,     surprised
            """)
    void calculateMoodFollowsTheFirstMatchingRule(String signal, Integer gandhiGenghis, Integer flirt, Integer energy,
                                                   String expected) {
        assertThat(mood(signal, gandhiGenghis, flirt, energy)).isEqualTo(expected).isEqualTo(model(signal, gandhiGenghis, flirt, energy));
    }

    @Test
    void calculateMoodTakesDefaultsAndNamedArguments() {
        assertThat(sql.value(String.class, "SELECT ai.calculate_mood()")).isEqualTo("friendly");
        assertThat(sql.value(String.class, "SELECT ai.calculate_mood('deadline', p_gandhi_genghis => 7)")).isEqualTo("bossy");
        assertThat(sql.value(String.class, "SELECT ai.calculate_mood(p_energy => 90)")).isEqualTo("playful");
        assertThat(sql.value(String.class, "SELECT ai.calculate_mood('compliment', p_flirt_level => 2)")).isEqualTo("friendly");
    }

    /** Every combination of a grid of inputs: the documented rule, and always one of the six moods of ai.moods. */
    @Test
    void calculateMoodIsAlwaysOneOfTheSixMoodsAndMatchesTheRulesOverAGrid() {
        List<String> signals = new ArrayList<>(List.of("surprise", "unexpected", "shock", "compliment", "praise", "flirt",
                "deadline", "urgent", "overdue", "blocked", "deep_work", "coding", "focus", "meeting", "win", "celebration",
                "joke", "fun", "", "  Deadline  ", "WIN", "banana", "deep work"));
        signals.add(null);
        Integer[] gandhiGenghis = {null, -3, 0, 1, 5, 6, 7, 8, 10, 11, 99};
        Integer[] flirt = {null, -1, 1, 3, 4, 10, 11};
        Integer[] energy = {null, -10, 0, 25, 26, 50, 69, 70, 100, 150};

        List<Map<String, Object>> rows = sql.rows("""
                SELECT s, g, f, e, r.mood, m.slug IS NOT NULL AS known
                FROM unnest(?::text[]) s, unnest(?::int[]) g, unnest(?::int[]) f, unnest(?::int[]) e,
                     LATERAL (SELECT ai.calculate_mood(s, g, f, e) AS mood) r
                LEFT JOIN ai.moods m ON m.slug = r.mood""",
                signals.toArray(String[]::new), gandhiGenghis, flirt, energy);
        assertThat(rows).hasSize(signals.size() * gandhiGenghis.length * flirt.length * energy.length);

        List<String> wrong = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        for (Map<String, Object> r : rows) {
            String signal = (String) r.get("s");
            Integer g = (Integer) r.get("g");
            Integer f = (Integer) r.get("f");
            Integer e = (Integer) r.get("e");
            String actual = (String) r.get("mood");
            seen.add(actual);
            if (!Boolean.TRUE.equals(r.get("known")) || !MOODS.contains(actual) || !actual.equals(model(signal, g, f, e))) {
                wrong.add("calculate_mood(" + signal + ", " + g + ", " + f + ", " + e + ") = " + actual
                        + ", expected " + model(signal, g, f, e));
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(seen).as("every mood is reachable").isEqualTo(new TreeSet<>(MOODS));
        assertThat(sql.texts("SELECT slug FROM ai.moods")).containsExactlyInAnyOrderElementsOf(MOODS);
    }

    @Test
    void theFunctionsAreDeclaredWithTheDocumentedVolatility() {
        assertThat(sql.value(String.class,
                "SELECT provolatile::text FROM pg_proc WHERE oid = 'ai.calculate_mood(text, integer, integer, integer)'::regprocedure"))
                .as("calculate_mood is IMMUTABLE").isEqualTo("i");
        assertThat(sql.value(String.class, "SELECT provolatile::text FROM pg_proc WHERE oid = 'ai.get_active_prompt(text, text)'::regprocedure"))
                .as("get_active_prompt is STABLE (it reads the catalogue)").isEqualTo("s");
    }

    // ------------------------------------------------------------------------------------------ activity_weight

    @ParameterizedTest(name = "activity_weight({0}, {1}) = {2}")
    @CsvSource(nullValues = "NULL", textBlock = """
            meeting,  NULL,     10
            meeting,  inbound,  10
            call,     outbound, 8
            email,    inbound,  6
            email,    outbound, 3
            email,    NULL,     3
            linkedin, inbound,  4
            slack,    inbound,  4
            sms,      inbound,  4
            message,  inbound,  4
            linkedin, outbound, 3
            slack,    outbound, 3
            sms,      NULL,     3
            message,  outbound, 3
            note,     NULL,     1
            task,     NULL,     1
            other,    inbound,  1
            """)
    void activityWeightsAreAsDocumented(String type, String direction, double weight) {
        assertThat(sql.value(Double.class, "SELECT crm.activity_weight(?, ?)", type, direction)).isEqualTo(weight);
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** docs/schema.md's calculate_mood rules, written independently of the SQL. */
    static String model(String signal, Integer gandhiGenghis, Integer flirt, Integer energy) {
        int gg = Math.max(1, Math.min(10, gandhiGenghis == null ? 5 : gandhiGenghis));
        int fl = Math.max(1, Math.min(10, flirt == null ? 5 : flirt));
        int en = Math.max(0, Math.min(100, energy == null ? 50 : energy));
        String s = signal == null ? "" : signal.trim().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "surprise", "unexpected", "shock" -> "surprised";
            case "compliment", "praise", "flirt" -> fl >= 4 ? "blushing" : "friendly";
            case "deadline", "urgent", "overdue", "blocked" -> gg >= 6 ? "bossy" : "focused";
            case "deep_work", "coding", "focus", "meeting" -> "focused";
            case "win", "celebration", "joke", "fun" -> "playful";
            default -> gg >= 8 ? "bossy" : en >= 70 ? "playful" : en <= 25 ? "focused" : "friendly";
        };
    }

    private String mood(String signal, Integer gandhiGenghis, Integer flirt, Integer energy) {
        return sql.value(String.class, "SELECT ai.calculate_mood(?, ?::int, ?::int, ?::int)", signal, gandhiGenghis, flirt, energy);
    }

    private String prompt(String personality, String mood) {
        return sql.value(String.class, "SELECT ai.get_active_prompt(?, ?)", personality, mood);
    }

    private void insertPrompt(String personality, String mood, int version, String content, boolean active) {
        sql.exec("""
                INSERT INTO ai.prompts (personality_id, mood, version, content, is_active)
                SELECT id, ?, ?, ?, ? FROM ai.personalities WHERE slug = ?""", mood, version, content, active, personality);
    }
}
