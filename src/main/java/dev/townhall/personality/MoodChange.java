package dev.townhall.personality;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;

import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * A mood change to record: exactly one of an explicit {@code mood} or a situational {@code signal} (then
 * {@code ai.calculate_mood} picks the mood from the signal and the instance's settings); optionally the personality
 * whose instance changes (default: the user's active one), a short machine {@code reason} (default
 * {@code signal:<signal>} or {@code manual}), a human {@code explanation} and the conversation it happened in; and
 * the interface it came through.
 */
public record MoodChange(Optional<String> mood, Optional<String> signal, Optional<String> personality,
                         Optional<String> reason, Optional<String> explanation, Optional<UUID> conversationId,
                         Interface via) {
    public MoodChange {
        if (mood.isPresent() == signal.isPresent()) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, mood.isPresent() ? "signal" : "mood",
                    "give exactly one of mood or signal");
        }
        if (signal.isPresent() && signal.get().isBlank()) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, "signal", "signal must not be blank");
        }
    }

    /** The reason the mood event records. */
    String effectiveReason() {
        return reason.filter(r -> !r.isBlank())
                .orElseGet(() -> signal.map(s -> "signal:" + s.strip().toLowerCase(Locale.ROOT)).orElse("manual"));
    }
}
