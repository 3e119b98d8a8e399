package dev.townhall.sync;

import dev.townhall.db.Database;
import dev.townhall.db.Endpoint;
import dev.townhall.sync.internal.ChangeReader;

/**
 * The log of captured writes ({@code sync.changes}), read and pruned as the owner role. A read returns only changes
 * of transactions below the oldest one still running, so a transaction that commits after a later-numbered one is
 * never skipped: a cursor never passes a transaction that could still commit.
 */
public final class ChangeLog {
    private final Endpoint owner;

    private ChangeLog(Endpoint owner) {
        this.owner = owner;
    }

    public static ChangeLog of(Database db) {
        return new ChangeLog(db.owner());
    }

    /** The cursor before any change. */
    public static long start() {
        return 0;
    }

    /**
     * The changes of transactions from {@code after} (a cursor of an earlier batch, or {@link #start()}) up to the
     * horizon, oldest transaction first; at most {@code maxRows} rows, except that a transaction is never split, so
     * a single transaction larger than {@code maxRows} comes whole.
     */
    public Batch read(long after, int maxRows, PeerFilter filter) {
        return ChangeReader.read(owner, after, maxRows, filter);
    }

    /**
     * Deletes the changes of transactions below {@code before} (every peer has acknowledged them), except the newest of
     * each row per origin, which conflict detection reads (decision 44); returns how many.
     */
    public long prune(long before) {
        return ChangeReader.prune(owner, before);
    }
}
