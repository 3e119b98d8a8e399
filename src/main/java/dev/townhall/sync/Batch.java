package dev.townhall.sync;

import java.util.List;

/**
 * Changes read in one go, whole transactions only, and the cursor to read from next time: every change of a
 * transaction below {@code cursor} has been returned (or filtered out) by this read or an earlier one.
 */
public record Batch(List<Change> changes, long cursor) {
    public Batch {
        changes = List.copyOf(changes);
    }
}
