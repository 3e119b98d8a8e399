package dev.townhall.sync;

import java.time.Instant;
import java.util.UUID;

/**
 * A change from another node that the agent set aside on this database ({@code sync.parked_changes}).
 *
 * @param source    the listed peer the change came from, or its node id when it is not listed here
 * @param reason    clock_skew (its clock is too far ahead; never applied), not_permitted (a town replica's write it
 *                  may not make; never applied) or apply_error (retried after every run)
 * @param lastError the one-line error of its last attempt
 */
public record ParkedChange(String source, long changeId, String table, UUID rowId, String operation, String reason,
                           String lastError, int retries, Instant parkedAt) {
}
