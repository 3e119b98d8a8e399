package dev.townhall.ops;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * What one {@code retention run} found at {@code asOf}: per policy, the rows that were due (and, in a real run, how
 * many of them changed). A dry run lists exactly the rows a real run at the same moment changes.
 */
public record RetentionReport(boolean dryRun, OffsetDateTime asOf, List<Outcome> outcomes) {
    public RetentionReport {
        outcomes = List.copyOf(outcomes);
    }

    /**
     * One policy's result: {@code held} when its legal hold stopped it (then no rows); {@code due} the rows selected;
     * {@code changed} those changed (0 in a dry run; fewer than due only when a row changed in between and was no
     * longer due); {@code embeddingsRemoved} vectors dropped because they were derived from a changed column value
     * (a deleted row's vectors go with it through the table's delete trigger and are not counted here).
     */
    public record Outcome(RetentionPolicy policy, boolean held, List<UUID> due, int changed, int embeddingsRemoved) {
        public Outcome {
            due = List.copyOf(due);
        }
    }

    public int totalDue() {
        return outcomes.stream().mapToInt(o -> o.due().size()).sum();
    }

    public int totalChanged() {
        return outcomes.stream().mapToInt(Outcome::changed).sum();
    }
}
