package dev.townhall.api;

import dev.townhall.towns.Role;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * What can be told about an API key: never its secret or hash.
 *
 * @param prefix the public part of the key ({@code th_<prefix>_…}), enough to name it in {@code keys revoke}
 * @param user   its user's handle (email when the user has no handle)
 * @param town   the slug of the town it acts in by default
 * @param role   the most it may do: the role it was limited to when made (its user's role then, unless lowered)
 */
public record ApiKeyInfo(UUID id, String prefix, String name, String user, String town, Role role, Instant createdAt,
                         Optional<Instant> expiresAt, Optional<Instant> revokedAt, Optional<Instant> lastUsedAt) {
}
