package dev.townhall.sync;

import java.util.List;
import java.util.UUID;

/** What {@code sync verify} found: per synced table, the rows the peer is meant to hold on each side and how they differ. */
public record VerifyReport(String peer, List<Table> tables) {
    /** At most this many ids of each kind of difference are listed per table; the counts are complete. */
    public static final int SAMPLE_IDS = 10;

    public VerifyReport {
        tables = List.copyOf(tables);
    }

    public boolean converged() {
        return tables.stream().allMatch(Table::converged);
    }

    public List<Table> diverged() {
        return tables.stream().filter(t -> !t.converged()).toList();
    }

    /**
     * @param missingThere rows here the peer lacks; {@code missingHere} the reverse; {@code different} rows on both
     *                     sides whose values differ. The id lists are samples of at most {@link #SAMPLE_IDS}, in id order.
     */
    public record Table(String name, long rowsHere, long rowsThere, long missingThere, long missingHere, long different,
                        List<UUID> missingThereIds, List<UUID> missingHereIds, List<UUID> differentIds) {
        public Table {
            missingThereIds = List.copyOf(missingThereIds);
            missingHereIds = List.copyOf(missingHereIds);
            differentIds = List.copyOf(differentIds);
        }

        public boolean converged() {
            return missingThere == 0 && missingHere == 0 && different == 0;
        }
    }
}
