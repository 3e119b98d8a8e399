package dev.townhall.api;

import dev.townhall.towns.Role;
import dev.townhall.towns.TownContext;

import java.util.UUID;

/**
 * Who an authenticated request acts as.
 *
 * @param role    the effective role: the lesser of the user's membership role in the town and the key's limit
 * @param context the context every request of this caller runs in: its user and town, limited to {@code role} in
 *                the database (a viewer's transactions are read-only); add a statement timeout per request with
 *                {@link TownContext#withStatementTimeout}
 */
public record Caller(UUID keyId, String keyPrefix, UUID userId, UUID townId, String townSlug, Role role,
                     TownContext context) {
}
