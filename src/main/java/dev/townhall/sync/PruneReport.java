package dev.townhall.sync;

import java.util.Optional;

/**
 * One {@link SyncAgent#prune}: how many of our changes and of the applied-change keys were deleted, and, when our
 * change log was not pruned, why (a peer that could not be asked or has not read us yet, or no peers at all).
 */
public record PruneReport(long changes, long appliedKeys, Optional<String> blockedBy) {
}
