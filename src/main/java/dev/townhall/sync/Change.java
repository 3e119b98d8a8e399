package dev.townhall.sync;

import java.util.List;
import java.util.UUID;

/**
 * One captured write to a synced table, as {@code sync.changes} holds it.
 *
 * @param txid       the writing transaction (xid8)
 * @param hlc        hybrid logical clock of the write, (unix ms << 16) | counter
 * @param originNode the node where the write was first made
 * @param operation  insert, update, delete (tombstone), move_out (tombstone in the old scope) or move_in
 * @param rowData    the row image as JSON text; null for delete and move_out
 * @param writerTown the town the writing transaction acted in; null for a write outside a town context
 * @param baseHlc    the hlc of the row version this write replaced where it was made; null when none was logged
 */
public record Change(long id, long txid, long hlc, UUID originNode, String table, UUID rowId, UUID orgId, UUID townId,
                     String visibility, List<UUID> sharedWith, String operation, String rowData, UUID writerTown, Long baseHlc) {
}
