package dev.townhall.towns;

import java.util.UUID;

/** A town (tenant) of an organisation. */
public record Town(UUID id, UUID orgId, String slug, String name, boolean capital) {
}
