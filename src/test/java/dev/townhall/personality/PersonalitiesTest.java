package dev.townhall.personality;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Database;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.towns.Role;
import dev.townhall.towns.SampleTowns;
import dev.townhall.towns.TownContext;
import dev.townhall.towns.Towns;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The personality service against the real schema: the prompt's defaults and explicit choices, moods given or
 * calculated from a signal with the instance's own settings, the mood events the trigger writes with the change's
 * reason, unknown names, every user touching only their own instance, and viewers refused.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PersonalitiesTest {
    private static final List<String> SIX_MOODS = List.of("friendly", "focused", "playful", "bossy", "surprised", "blushing");

    private final Database db;
    private Towns towns;
    private Personalities personalities;

    PersonalitiesTest(Database db) {
        this.db = db;
    }

    @BeforeAll
    void setUp() {
        towns = Towns.open(db);
        SampleTowns.ensure(towns);
        personalities = Personalities.load(towns);
    }

    @AfterAll
    void close() {
        towns.close();
    }

    @Test
    void readsTheSixMoodsInDisplayOrderAndTheActivePersonalities() {
        assertThat(personalities.moods()).isEqualTo(SIX_MOODS);
        assertThat(personalities.personalities()).contains(Personalities.DEFAULT_PERSONALITY, "steve-jobs", "kristina");
    }

    @Test
    void aUserWithoutAnInstanceGetsTheDefaultPersonalityInItsDefaultMood() {
        ActivePrompt prompt = personalities.activePrompt(member("nadia", "collaboration"), Optional.empty(), Optional.empty());
        assertThat(prompt.personality()).isEqualTo("robbie-f");
        assertThat(prompt.mood()).isEqualTo("friendly");
        assertThat(prompt.prompt()).startsWith("You are Robbie").endsWith("Current mood: Friendly - warm, helpful and"
                + " easy-going; the default");
    }

    @Test
    void anExplicitPersonalityByNameAndMoodInAnyCase() {
        TownContext oscar = member("oscar", "collaboration");
        ActivePrompt prompt = personalities.activePrompt(oscar, Optional.of("Steve Jobs"), Optional.of(" PLAYFUL "));
        assertThat(prompt.personality()).isEqualTo("steve-jobs");
        assertThat(prompt.mood()).isEqualTo("playful");
        assertThat(prompt.prompt()).startsWith("You are a mentor in the spirit of Steve Jobs")
                .contains("Current mood: Playful");
        // without a mood, a personality the user has no instance of speaks in its own default mood
        assertThat(personalities.activePrompt(oscar, Optional.of("steve-jobs"), Optional.empty()).mood()).isEqualTo("focused");
    }

    @Test
    void unknownNamesAreRefusedNamingWhatWasWrong() {
        TownContext pia = member("pia", "collaboration");
        assertThatThrownBy(() -> personalities.activePrompt(pia, Optional.of("Zorro"), Optional.empty()))
                .isInstanceOf(TownHallException.class)
                .hasMessage("no personality 'Zorro'")
                .extracting(e -> ((TownHallException) e).code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThatThrownBy(() -> personalities.activePrompt(pia, Optional.empty(), Optional.of("grumpy")))
                .isInstanceOf(TownHallException.class)
                .hasMessage("mood must be one of friendly, focused, playful, bossy, surprised, blushing, got 'grumpy'")
                .extracting(e -> ((TownHallException) e).code()).isEqualTo(ErrorCode.INVALID_INPUT);
        assertThatThrownBy(() -> personalities.recordMood(pia, change(Optional.of("grumpy"), Optional.empty())))
                .extracting(e -> ((TownHallException) e).code()).isEqualTo(ErrorCode.INVALID_INPUT);
        assertThatThrownBy(() -> personalities.recordMood(pia, new MoodChange(Optional.of("bossy"), Optional.empty(),
                Optional.of("zorro"), Optional.empty(), Optional.empty(), Optional.empty(), Interface.API)))
                .hasMessage("no personality 'zorro'");
        assertThat(instances("pia")).isZero();
    }

    @Test
    void exactlyOneOfMoodOrSignal() {
        assertThatThrownBy(() -> change(Optional.of("bossy"), Optional.of("deadline")))
                .hasMessage("give exactly one of mood or signal");
        assertThatThrownBy(() -> change(Optional.empty(), Optional.empty()))
                .hasMessage("give exactly one of mood or signal")
                .extracting(e -> ((TownHallException) e).code()).isEqualTo(ErrorCode.INVALID_INPUT);
    }

    @Test
    void theFirstMoodCreatesTheActiveInstanceAndLaterOnesChangeItWithTheirReason() {
        TownContext quinn = member("quinn", "collaboration");
        MoodRecorded created = personalities.recordMood(quinn, change(Optional.of("bossy"), Optional.empty()));
        assertThat(created.personality()).isEqualTo("robbie-f");
        assertThat(created.fromMood()).isEmpty();
        assertThat(created.toMood()).isEqualTo("bossy");
        assertThat(created.changed()).isTrue();
        ActivePrompt now = personalities.activePrompt(quinn, Optional.empty(), Optional.empty());
        assertThat(now.personality()).isEqualTo("robbie-f");
        assertThat(now.mood()).isEqualTo("bossy");

        UUID conversation = quinn.inTransaction(h -> h.createQuery(
                "INSERT INTO comms.conversations (title) VALUES ('handover') RETURNING id").mapTo(UUID.class).one());
        MoodRecorded changed = personalities.recordMood(quinn, new MoodChange(Optional.of("focused"), Optional.empty(),
                Optional.empty(), Optional.of("handover"), Optional.of("Quinn asked for the numbers only"),
                Optional.of(conversation), Interface.API));
        assertThat(changed.instanceId()).isEqualTo(created.instanceId());
        assertThat(changed.fromMood()).contains("bossy");
        assertThat(changed.toMood()).isEqualTo("focused");
        assertThat(changed.changedAt()).isAfterOrEqualTo(created.changedAt());

        List<Map<String, Object>> events = events(created.instanceId());
        assertThat(events).hasSize(2);
        assertThat(events.get(0)).containsEntry("from_mood", null).containsEntry("to_mood", "bossy")
                .containsEntry("reason", "manual").containsEntry("interface", "mcp");
        assertThat(events.get(1)).containsEntry("from_mood", "bossy").containsEntry("to_mood", "focused")
                .containsEntry("reason", "handover").containsEntry("explanation", "Quinn asked for the numbers only")
                .containsEntry("interface", "api").containsEntry("conversation_id", conversation);
        assertThat(instanceRow(created.instanceId())).containsEntry("last_interface", "api")
                .containsEntry("current_mood", "focused").containsEntry("is_active", true);

        MoodRecorded same = personalities.recordMood(quinn, change(Optional.of("focused"), Optional.empty()));
        assertThat(same.changed()).isFalse();
        assertThat(same.fromMood()).contains("focused");
        assertThat(same.changedAt()).isEqualTo(changed.changedAt());
        assertThat(events(created.instanceId())).hasSize(2);
    }

    @Test
    void aSignalsMoodFollowsTheInstancesOwnSettings() {
        TownContext rosa = member("rosa", "collaboration");
        // a new instance takes the personality's defaults: Steve Jobs' gandhi_genghis 7 makes a deadline bossy
        MoodRecorded jobs = personalities.recordMood(rosa, new MoodChange(Optional.empty(), Optional.of("deadline"),
                Optional.of("steve-jobs"), Optional.empty(), Optional.empty(), Optional.empty(), Interface.MCP));
        assertThat(jobs.toMood()).isEqualTo("bossy");
        assertThat(events(jobs.instanceId()).get(0)).containsEntry("reason", "signal:deadline")
                .containsEntry("gandhi_genghis", 7);
        // the same signal on a gentler instance: the user's own settings decide, not the personality's defaults
        rosa.inTransaction(h -> h.createUpdate("UPDATE ai.personality_instances SET gandhi_genghis = 3, flirt_level = 2"
                + " WHERE id = :id").bind("id", jobs.instanceId()).execute());
        MoodRecorded calmer = personalities.recordMood(rosa, new MoodChange(Optional.empty(), Optional.of(" Deadline "),
                Optional.of("steve-jobs"), Optional.empty(), Optional.empty(), Optional.empty(), Interface.MCP));
        assertThat(calmer.fromMood()).contains("bossy");
        assertThat(calmer.toMood()).isEqualTo("focused");
        MoodRecorded compliment = personalities.recordMood(rosa, new MoodChange(Optional.empty(), Optional.of("compliment"),
                Optional.of("steve-jobs"), Optional.empty(), Optional.empty(), Optional.empty(), Interface.MCP));
        assertThat(compliment.toMood()).isEqualTo("friendly"); // flirt_level 2 < 4: no blushing
        assertThat(events(jobs.instanceId())).extracting(e -> e.get("reason"))
                .containsExactly("signal:deadline", "signal:deadline", "signal:compliment");
    }

    @Test
    void aMoodForAnotherPersonalityNeverSwitchesTheActiveOne() {
        TownContext sam = member("sam", "collaboration");
        MoodRecorded robbie = personalities.recordMood(sam, change(Optional.of("playful"), Optional.empty()));
        MoodRecorded kristina = personalities.recordMood(sam, new MoodChange(Optional.of("surprised"), Optional.empty(),
                Optional.of("Kristina"), Optional.empty(), Optional.empty(), Optional.empty(), Interface.MCP));
        assertThat(kristina.instanceId()).isNotEqualTo(robbie.instanceId());
        assertThat(instanceRow(kristina.instanceId())).containsEntry("is_active", false);
        ActivePrompt now = personalities.activePrompt(sam, Optional.empty(), Optional.empty());
        assertThat(now.personality()).isEqualTo("robbie-f");
        assertThat(now.mood()).isEqualTo("playful");
        assertThat(personalities.activePrompt(sam, Optional.of("kristina"), Optional.empty()).mood()).isEqualTo("surprised");
    }

    @Test
    void twoFirstMoodsAtOnceMakeOneInstanceAndBothAreRecorded() throws Exception {
        TownContext tess = member("tess", "collaboration");
        CyclicBarrier together = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<MoodRecorded>> calls = new ArrayList<>();
            for (String mood : List.of("bossy", "playful")) {
                calls.add(pool.submit(() -> {
                    together.await(10, TimeUnit.SECONDS);
                    return personalities.recordMood(tess, change(Optional.of(mood), Optional.empty()));
                }));
            }
            MoodRecorded first = calls.get(0).get(30, TimeUnit.SECONDS);
            MoodRecorded second = calls.get(1).get(30, TimeUnit.SECONDS);
            assertThat(second.instanceId()).isEqualTo(first.instanceId());
            assertThat(instances("tess")).isEqualTo(1);
            assertThat(events(first.instanceId())).extracting(e -> e.get("to_mood"))
                    .containsExactlyInAnyOrder("bossy", "playful");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void eachUserTouchesOnlyTheirOwnInstanceEvenFromTheCapital() {
        TownContext allan = towns.as("allan@aurora");
        TownContext kristina = towns.as("kristina@fluenti");
        MoodRecorded aurora = personalities.recordMood(allan, change(Optional.of("bossy"), Optional.empty()));
        MoodRecorded fluenti = personalities.recordMood(kristina, change(Optional.of("playful"), Optional.empty()));
        assertThat(fluenti.instanceId()).isNotEqualTo(aurora.instanceId());
        assertThat(fluenti.fromMood()).isEmpty(); // a new instance of her own, not allan's
        assertThat(instanceRow(aurora.instanceId())).containsEntry("current_mood", "bossy");
        // allan, of the capital, can read fluenti's instances, yet his calls use and change only his own
        int fluentiRowsAllanSees = allan.inTransaction(h -> h.createQuery(
                "SELECT count(*) FROM ai.personality_instances WHERE id = :id")
                .bind("id", fluenti.instanceId()).mapTo(Integer.class).one());
        assertThat(fluentiRowsAllanSees).isEqualTo(1);
        assertThat(personalities.activePrompt(allan, Optional.empty(), Optional.empty()).mood()).isEqualTo("bossy");
        MoodRecorded again = personalities.recordMood(allan, change(Optional.of("surprised"), Optional.empty()));
        assertThat(again.instanceId()).isEqualTo(aurora.instanceId());
        assertThat(instanceRow(fluenti.instanceId())).containsEntry("current_mood", "playful");
        assertThat(personalities.activePrompt(kristina, Optional.empty(), Optional.empty()).mood()).isEqualTo("playful");
    }

    @Test
    void viewersReadTheirPromptButMayNotRecordAMood() {
        TownContext kristinaAsViewer = towns.as("kristina@fluenti").limitedTo(Role.VIEWER);
        TownContext vera = towns.as("vera@fluenti");
        assertThat(personalities.activePrompt(kristinaAsViewer, Optional.empty(), Optional.empty()).personality())
                .isEqualTo("robbie-f");
        int eventsBefore = allEvents();
        for (TownContext viewer : List.of(kristinaAsViewer, vera)) {
            assertThatThrownBy(() -> personalities.recordMood(viewer, change(Optional.of("blushing"), Optional.empty())))
                    .isInstanceOf(TownHallException.class)
                    .hasMessageContaining("may only read")
                    .extracting(e -> ((TownHallException) e).code()).isEqualTo(ErrorCode.FORBIDDEN);
        }
        assertThat(allEvents()).isEqualTo(eventsBefore);
        assertThat(instances("vera")).isZero();
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static MoodChange change(Optional<String> mood, Optional<String> signal) {
        return new MoodChange(mood, signal, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Interface.MCP);
    }

    /** A new member of {@code town}, so each test starts from a user without an instance. */
    private TownContext member(String handle, String town) {
        towns.addUser(handle + "@testpilot.example", handle, handle, null);
        towns.addMember(handle, town, Role.MEMBER);
        return towns.as(handle + "@" + town);
    }

    private List<Map<String, Object>> events(UUID instance) {
        return towns.ownerJdbi().withHandle(h -> h.createQuery("""
                        SELECT from_mood, to_mood, reason, explanation, interface, conversation_id, gandhi_genghis
                        FROM ai.mood_events WHERE instance_id = :instance ORDER BY occurred_at, created_at""")
                .bind("instance", instance).mapToMap().list());
    }

    private Map<String, Object> instanceRow(UUID instance) {
        return towns.ownerJdbi().withHandle(h -> h.createQuery("""
                        SELECT current_mood, last_interface, is_active FROM ai.personality_instances WHERE id = :id""")
                .bind("id", instance).mapToMap().one());
    }

    private int instances(String handle) {
        return towns.ownerJdbi().withHandle(h -> h.createQuery("""
                        SELECT count(*) FROM ai.personality_instances i JOIN core.users u ON u.id = i.user_id
                        WHERE u.handle = :handle""").bind("handle", handle).mapTo(Integer.class).one());
    }

    private int allEvents() {
        return towns.ownerJdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM ai.mood_events")
                .mapTo(Integer.class).one());
    }
}
