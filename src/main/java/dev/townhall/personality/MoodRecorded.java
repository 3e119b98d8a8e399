package dev.townhall.personality;

import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/**
 * What a recorded mood change did to the user's instance of {@code personality}: its mood before ({@code fromMood},
 * empty when the change created the instance) and after, and since when it has been in that mood. {@code changed} is
 * false when the instance was already in {@code toMood}; then no mood event is written and {@code changedAt} is the
 * earlier change's time.
 */
public record MoodRecorded(UUID instanceId, String personality, Optional<String> fromMood, String toMood,
                           boolean changed, OffsetDateTime changedAt) {
}
