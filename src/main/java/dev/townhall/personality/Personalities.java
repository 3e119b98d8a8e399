package dev.townhall.personality;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.towns.TownContext;
import dev.townhall.towns.Towns;
import org.jdbi.v3.core.Handle;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * The personality functions of the schema for one user in one town: which prompt to use
 * ({@link #activePrompt}) and recording a mood change of the user's personality instance ({@link #recordMood}).
 * Every call runs in one transaction of the caller's {@link TownContext}. Instances are always the acting user's own
 * in the acting town: row-level security lets a capital member read other towns' instances, so every statement also
 * names the acting user and town.
 *
 * <p>When a user has no instance yet, {@link #DEFAULT_PERSONALITY} in its default mood answers for them, and the
 * first recorded mood creates the instance (with the personality's default settings), active when the user has no
 * active instance in the town. Recording a mood for another personality than the active one changes (or creates)
 * the user's instance of that personality and leaves the active one active: a mood never switches personalities.
 */
public final class Personalities {
    /** Robbie, the AI chief of staff: the personality a user without an instance talks to. */
    public static final String DEFAULT_PERSONALITY = "robbie-f";

    private final List<String> moods;
    private final List<String> personalities;

    private Personalities(List<String> moods, List<String> personalities) {
        this.moods = moods;
        this.personalities = personalities;
    }

    /** Reads the moods and the active personalities once: reference data, changed only by migrations. */
    public static Personalities load(Towns towns) {
        return towns.readCatalog(h -> new Personalities(
                h.createQuery("SELECT slug FROM ai.moods ORDER BY position, slug").mapTo(String.class).list(),
                h.createQuery("SELECT slug FROM ai.personalities WHERE is_active ORDER BY slug").mapTo(String.class).list()));
    }

    /** The mood slugs, in display order. */
    public List<String> moods() {
        return moods;
    }

    /** The slugs of the active personalities. */
    public List<String> personalities() {
        return personalities;
    }

    /**
     * The prompt for {@code personality} (a slug or a name, any case; default: the user's active instance's
     * personality, else {@link #DEFAULT_PERSONALITY}) in {@code mood} (default: the current mood of the user's
     * instance of that personality, else the personality's default mood). An unknown personality is
     * {@code NOT_FOUND}, an unknown mood {@code INVALID_INPUT} listing the moods.
     */
    public ActivePrompt activePrompt(TownContext context, Optional<String> personality, Optional<String> mood) {
        Optional<String> givenMood = mood.map(this::knownMood);
        return context.inTransaction(h -> {
            Personality chosen = personality(h, personality);
            String inMood = givenMood.orElseGet(() -> instance(h, chosen, false)
                    .map(Instance::mood).orElse(chosen.defaultMood()));
            String prompt = h.createQuery("SELECT ai.get_active_prompt(:personality, :mood)")
                    .bind("personality", chosen.slug()).bind("mood", inMood).mapTo(String.class).one();
            return new ActivePrompt(chosen.slug(), inMood, prompt);
        });
    }

    /**
     * Records {@code change} on the user's instance of its personality, creating the instance when there is none,
     * with the change's reason, explanation and conversation in the mood event the schema's trigger writes. A role
     * that may not write in the town (a viewer, or a key capped at viewer) is refused with {@code FORBIDDEN}.
     */
    public MoodRecorded recordMood(TownContext context, MoodChange change) {
        Optional<String> givenMood = change.mood().map(this::knownMood);
        return context.inTransaction(h -> {
            if (!h.createQuery("SELECT core.acting_can_write()").mapTo(Boolean.class).one()) {
                throw new TownHallException(ErrorCode.FORBIDDEN, "your role in this town may only read; recording a"
                        + " mood changes your personality instance");
            }
            Personality chosen = personality(h, change.personality());
            // the trigger that writes the mood event reads these; true: they end with this transaction
            h.createQuery("""
                            SELECT set_config('townhall.mood_reason', :reason, true) AS reason,
                                   set_config('townhall.mood_explanation', :explanation, true) AS explanation,
                                   set_config('townhall.conversation_id', :conversation, true) AS conversation""")
                    .bind("reason", change.effectiveReason())
                    .bind("explanation", change.explanation().orElse(""))
                    .bind("conversation", change.conversationId().map(UUID::toString).orElse(""))
                    .mapToMap().one();
            Optional<Instance> existing = instance(h, chosen, true);
            while (existing.isEmpty()) {
                Optional<MoodRecorded> created = create(h, chosen, givenMood, change);
                if (created.isPresent()) {
                    return created.get();
                }
                // a concurrent call got in first: it created this instance (change it), or made another personality's
                // instance active (creating again, a statement later, sees it and creates this one inactive)
                existing = instance(h, chosen, true);
            }
            return change(h, chosen, existing.get(), givenMood, change);
        });
    }

    private String knownMood(String mood) {
        String slug = mood.strip().toLowerCase(Locale.ROOT);
        if (!moods.contains(slug)) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, "mood", "mood must be one of "
                    + String.join(", ", moods) + ", got '" + mood + "'");
        }
        return slug;
    }

    /** The named personality (matched as ai.get_active_prompt matches it), else the active instance's, else the default. */
    private static Personality personality(Handle h, Optional<String> name) {
        if (name.isPresent()) {
            return h.createQuery("""
                            SELECT id, slug, default_mood FROM ai.personalities
                            WHERE is_active AND (slug = lower(btrim(:name)) OR lower(name) = lower(btrim(:name)))
                            ORDER BY (slug = lower(btrim(:name))) DESC, slug
                            LIMIT 1""")
                    .bind("name", name.get())
                    .map((rs, ctx) -> new Personality(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3)))
                    .findOne()
                    .orElseThrow(() -> TownHallException.forField(ErrorCode.NOT_FOUND, "personality",
                            "no personality '" + name.get() + "'"));
        }
        return h.createQuery("""
                        SELECT p.id, p.slug, p.default_mood FROM ai.personalities p
                        WHERE p.id = coalesce((SELECT i.personality_id FROM ai.personality_instances i
                                               WHERE i.town_id = core.acting_town_id()
                                                 AND i.user_id = core.acting_user_id() AND i.is_active),
                                              (SELECT d.id FROM ai.personalities d WHERE d.slug = :fallback))""")
                .bind("fallback", DEFAULT_PERSONALITY)
                .map((rs, ctx) -> new Personality(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3)))
                .one();
    }

    /** The acting user's own instance of {@code personality} in the acting town, locked when {@code forUpdate}. */
    private static Optional<Instance> instance(Handle h, Personality personality, boolean forUpdate) {
        return h.createQuery("""
                        SELECT id, current_mood FROM ai.personality_instances
                        WHERE town_id = core.acting_town_id() AND user_id = core.acting_user_id()
                          AND personality_id = :personality""" + (forUpdate ? " FOR UPDATE" : ""))
                .bind("personality", personality.id())
                .map((rs, ctx) -> new Instance(rs.getObject(1, UUID.class), rs.getString(2)))
                .findOne();
    }

    /** Creates the instance in the new mood with the personality's default settings; empty when one appeared meanwhile. */
    private static Optional<MoodRecorded> create(Handle h, Personality personality, Optional<String> mood, MoodChange change) {
        return h.createQuery("""
                        INSERT INTO ai.personality_instances (user_id, personality_id, is_active, flirt_level,
                                                              gandhi_genghis, genghis_gandhi_intensity,
                                                              cocktail_lightning_energy, current_mood, last_interface)
                        SELECT core.acting_user_id(), p.id,
                               NOT EXISTS (SELECT 1 FROM ai.personality_instances i
                                           WHERE i.town_id = core.acting_town_id()
                                             AND i.user_id = core.acting_user_id() AND i.is_active),
                               p.default_flirt_level, p.default_gandhi_genghis, p.default_genghis_gandhi_intensity,
                               p.default_cocktail_lightning_energy,
                               coalesce(:mood, ai.calculate_mood(:signal, p.default_gandhi_genghis,
                                                                 p.default_flirt_level,
                                                                 p.default_cocktail_lightning_energy)),
                               :via
                        FROM ai.personalities p WHERE p.id = :personality
                        ON CONFLICT DO NOTHING
                        RETURNING id, current_mood, mood_changed_at""")
                .bind("mood", mood.orElse(null))
                .bind("signal", change.signal().orElse(null))
                .bind("via", change.via().sqlName())
                .bind("personality", personality.id())
                .map((rs, ctx) -> new MoodRecorded(rs.getObject(1, UUID.class), personality.slug(), Optional.empty(),
                        rs.getString(2), true, rs.getObject(3, OffsetDateTime.class)))
                .findOne();
    }

    /** Sets the (given or calculated) mood on a locked instance; the trigger stamps the time and writes the event. */
    private static MoodRecorded change(Handle h, Personality personality, Instance before, Optional<String> mood,
                                       MoodChange change) {
        return h.createQuery("""
                        UPDATE ai.personality_instances
                        SET current_mood = coalesce(:mood, ai.calculate_mood(:signal, gandhi_genghis, flirt_level,
                                                                             cocktail_lightning_energy)),
                            last_interface = :via
                        WHERE id = :id
                        RETURNING current_mood, mood_changed_at""")
                .bind("mood", mood.orElse(null))
                .bind("signal", change.signal().orElse(null))
                .bind("via", change.via().sqlName())
                .bind("id", before.id())
                .map((rs, ctx) -> new MoodRecorded(before.id(), personality.slug(), Optional.of(before.mood()),
                        rs.getString(1), !rs.getString(1).equals(before.mood()), rs.getObject(2, OffsetDateTime.class)))
                .one();
    }

    private record Personality(UUID id, String slug, String defaultMood) {
    }

    private record Instance(UUID id, String mood) {
    }
}
