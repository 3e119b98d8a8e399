package dev.townhall.sync;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * One kept sync conflict, as {@code sync.conflicts} holds it on this database.
 *
 * @param policy the table's policy that decided it: town_precedence, capital_wins or last_write_wins
 * @param winner local or remote: the version in the row after the decision (or the manual resolution)
 * @param status decided (by the policy), resolved (by hand), needs_review or dismissed
 * @param peer   the peer whose change conflicted, if it is still listed
 */
public record Conflict(UUID id, String table, UUID rowId, Instant detectedAt, String policy, String winner,
                       String status, String localHlc, String remoteHlc, Optional<String> peer) {
}
