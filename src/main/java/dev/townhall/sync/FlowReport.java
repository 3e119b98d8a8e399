package dev.townhall.sync;

/**
 * What one direction of a sync run did: changes read from the source, applied here or there, lost to a newer
 * version (kept in {@code sync.conflicts}) and parked (set aside; see {@code sync.parked_changes}).
 */
public record FlowReport(int read, int applied, int conflicts, int parked) {
    public static final FlowReport NONE = new FlowReport(0, 0, 0, 0);
}
