package dev.townhall.mcp.internal;

import static dev.townhall.mcp.internal.Arguments.orderedMap;
import static dev.townhall.mcp.internal.Arguments.text;
import static dev.townhall.mcp.internal.ToolRunner.CHANGES;
import static dev.townhall.mcp.internal.ToolRunner.READS;

import dev.townhall.personality.ActivePrompt;
import dev.townhall.personality.Interface;
import dev.townhall.personality.MoodChange;
import dev.townhall.personality.MoodRecorded;
import dev.townhall.personality.Personalities;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The personality tools over {@link Personalities}: the prompt to use now, and recording a mood change of the
 * caller's personality instance. The moods are the schema's, read when the server starts.
 */
public final class PersonalityTools {
    /** The signals ai.calculate_mood (ai/021) knows; any other falls back to the instance's settings. */
    private static final List<String> KNOWN_SIGNALS = List.of("surprise", "unexpected", "shock", "compliment", "praise",
            "flirt", "deadline", "urgent", "overdue", "blocked", "deep_work", "coding", "focus", "meeting", "win",
            "celebration", "joke", "fun");

    private final Personalities personalities;

    public PersonalityTools(Personalities personalities) {
        this.personalities = personalities;
    }

    public List<SyncToolSpecification> specifications(ToolRunner runner) {
        Map<String, Object> personality = Map.of("type", "string", "description", "a personality's slug or name"
                + " (default: your active one); one of " + String.join(", ", personalities.personalities()));
        return List.of(
                runner.tool("get_active_prompt", "The system prompt to use now: your personality in its current mood,"
                                + " or the personality and mood given. Returns the personality, the mood and the prompt.",
                        Map.of("type", "object",
                                "properties", orderedMap(
                                        "personality", personality,
                                        "mood", Map.of("type", "string", "enum", personalities.moods(),
                                                "description", "default: the personality's current mood")),
                                "additionalProperties", false),
                        READS, this::getActivePrompt),
                runner.tool("record_mood", "Change your personality's mood: give exactly one of mood (the new mood) or"
                                + " signal (what happened; the mood follows from it and the personality's settings)."
                                + " The change is kept with its reason. Returns the mood before and after.",
                        Map.of("type", "object",
                                "properties", orderedMap(
                                        "mood", Map.of("type", "string", "enum", personalities.moods()),
                                        "signal", Map.of("type", "string", "minLength", 1, "description",
                                                "what happened, e.g. " + String.join(", ", KNOWN_SIGNALS)),
                                        "reason", Map.of("type", "string", "description",
                                                "a short machine reason (default: signal:<signal>, or manual)"),
                                        "explanation", Map.of("type", "string", "description", "why, in a sentence"),
                                        "personality", personality),
                                "additionalProperties", false),
                        CHANGES, this::recordMood));
    }

    private Map<String, Object> getActivePrompt(ToolCall call) {
        ActivePrompt prompt = personalities.activePrompt(call.context(), optionalText(call.args(), "personality"),
                optionalText(call.args(), "mood"));
        return orderedMap("personality", prompt.personality(), "mood", prompt.mood(), "prompt", prompt.prompt());
    }

    private Map<String, Object> recordMood(ToolCall call) {
        Map<String, Object> args = call.args();
        MoodRecorded recorded = personalities.recordMood(call.context(), new MoodChange(optionalText(args, "mood"),
                optionalText(args, "signal"), optionalText(args, "personality"), optionalText(args, "reason"),
                optionalText(args, "explanation"), Optional.empty(), Interface.MCP));
        return orderedMap("personality", recorded.personality(), "from_mood", recorded.fromMood().orElse(null),
                "to_mood", recorded.toMood(), "changed", recorded.changed(),
                "changed_at", recorded.changedAt().toInstant().toString(), "instance_id", recorded.instanceId().toString());
    }

    private static Optional<String> optionalText(Map<String, Object> args, String name) {
        return args.get(name) == null ? Optional.empty() : Optional.of(text(args, name));
    }
}
