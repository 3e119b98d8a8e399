package dev.townhall.ops;

import java.util.Locale;

/**
 * What {@code ./townhall doctor} measures, each with its unit and default thresholds: a figure above {@code warn} is
 * WARN, above {@code fail} FAIL ({@code null}: that check never fails). Thresholds are overridable by
 * {@code doctor.<name>.warn} / {@code .fail} ({@link DoctorSettings}).
 */
public enum DoctorCheck {
    /** The whole database on disk; the detail names the largest tables. */
    DATABASE_SIZE("MB", 20_480d, 102_400d),
    /** Rows of the largest town over every table with a town column; the detail gives each town's rows. */
    TOWN_ROWS("rows", 5_000_000d, 20_000_000d),
    /** Indexes never scanned since statistics were reset that are at least {@code doctor.unused_indexes.min_kb}. */
    UNUSED_INDEXES("indexes", 0d, null),
    /** The highest mean execution time of a statement run at least three times here (pg_stat_statements). */
    SLOW_QUERIES("ms", 500d, 5_000d),
    /** Dead rows as a share of the worst table with at least 1,000 rows (n_dead_tup), a cheap bloat estimate. */
    BLOAT("%", 20d, 50d),
    /** Client connections of the whole server as a share of max_connections. */
    CONNECTIONS("%", 70d, 90d),
    /** The oldest open transaction in this database, idle in transaction included. */
    LONG_TRANSACTIONS("s", 300d, 3_600d),
    /** Time since the last successful sync from the peer heard from least recently. */
    SYNC_LAG("s", 900d, 86_400d),
    /** Changes from peers that could not be applied and wait for a retry. */
    PARKED_CHANGES("changes", 0d, 100d),
    /** Rows waiting for the embedding worker. */
    EMBEDDING_QUEUE("rows", 1_000d, 10_000d),
    /** Hours since the last backup a restore verified; none verified is WARN. */
    BACKUP_AGE("h", 26d, 168d),
    /** Unresolved (open or fixed, not yet re-imported or discarded) rows of the import quarantine. */
    QUARANTINE("rows", 0d, 5_000d);

    private final String unit;
    private final Double warn;
    private final Double fail;

    DoctorCheck(String unit, Double warn, Double fail) {
        this.unit = unit;
        this.warn = warn;
        this.fail = fail;
    }

    /** The name in output, in {@code /metrics} labels and in config keys: {@code database_size}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String unit() {
        return unit;
    }

    /** The default WARN threshold; null when the check never warns. */
    public Double defaultWarn() {
        return warn;
    }

    /** The default FAIL threshold; null when the check never fails. */
    public Double defaultFail() {
        return fail;
    }
}
