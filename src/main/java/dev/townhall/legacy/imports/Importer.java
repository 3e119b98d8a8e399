package dev.townhall.legacy.imports;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Database;
import dev.townhall.db.Endpoint;
import dev.townhall.legacy.generate.GenerateReport;
import dev.townhall.legacy.generate.LegacyGenerator;
import dev.townhall.legacy.imports.internal.ImportEngine;
import dev.townhall.legacy.imports.internal.Mapping;
import dev.townhall.legacy.imports.internal.Visibility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Imports legacy databases into TownHall as the owner role, as an {@link ImportPlan} says, and returns the
 * reconciliation. Runs are resumable (a killed run continues from its last committed batch when started again with
 * the same options) and idempotent (a second full run adds nothing). Immutable; each option returns a new importer.
 * <pre>{@code
 * ImportReport report = Importer.into(db)
 *         .source("robbie", robbieEndpoint).source("robbie_allan", allanEndpoint)
 *         .onProgress(p -> System.out.println(p.table() + " " + p.done()))
 *         .run();
 * }</pre>
 */
public final class Importer {
    private static final Logger LOG = LoggerFactory.getLogger(Importer.class);

    /** Progress of one source table: rows done of total, outcomes so far, time spent. */
    public record Progress(String table, long done, long total, long imported, long merged, long quarantined,
                           Duration elapsed, boolean finished) {
        public double rowsPerSecond() {
            double s = elapsed.toNanos() / 1e9;
            return s <= 0 ? 0 : done / s;
        }

        /** Time left at the current rate; zero when done or unknown. */
        public Duration eta() {
            double rate = rowsPerSecond();
            return rate <= 0 || done >= total ? Duration.ZERO : Duration.ofMillis((long) ((total - done) / rate * 1000));
        }
    }

    private final Database db;
    private final ImportPlan plan;
    private final Map<String, Endpoint> sources;
    private final boolean dryRun;
    private final List<String> only;
    private final Integer latest;
    private final Instant since;
    private final boolean retryQuarantine;
    private final int batchRows;
    private final Consumer<Progress> progress;

    private Importer(Database db, ImportPlan plan, Map<String, Endpoint> sources, boolean dryRun, List<String> only,
                     Integer latest, Instant since, boolean retryQuarantine, int batchRows,
                     Consumer<Progress> progress) {
        this.db = db;
        this.plan = plan;
        this.sources = Map.copyOf(sources);
        this.dryRun = dryRun;
        this.only = List.copyOf(only);
        this.latest = latest;
        this.since = since;
        this.retryQuarantine = retryQuarantine;
        this.batchRows = batchRows;
        this.progress = progress;
    }

    /** An importer into {@code db} with the shipped plan and the demo databases on the same server as sources. */
    public static Importer into(Database db) {
        Objects.requireNonNull(db, "db");
        return new Importer(db, ImportPlan.builtin(), demoSources(db), false, List.of(), null, null, false, 0,
                p -> { });
    }

    /** The demo legacy databases ({@link LegacyGenerator#ROBBIE_DATABASE} ...) beside the TownHall database. */
    public static Map<String, Endpoint> demoSources(Database db) {
        Endpoint owner = db.owner();
        return Map.of("robbie", owner.withDatabase(LegacyGenerator.ROBBIE_DATABASE),
                "robbie_allan", owner.withDatabase(LegacyGenerator.ROBBIE_ALLAN_DATABASE));
    }

    public Importer plan(ImportPlan newPlan) {
        return new Importer(db, Objects.requireNonNull(newPlan), sources, dryRun, only, latest, since, retryQuarantine,
                batchRows, progress);
    }

    /** Reads source {@code name} (as the plan names it) from {@code endpoint} instead of the default. */
    public Importer source(String name, Endpoint endpoint) {
        Map<String, Endpoint> s = new LinkedHashMap<>(sources);
        s.put(name, Objects.requireNonNull(endpoint));
        return new Importer(db, plan, s, dryRun, only, latest, since, retryQuarantine, batchRows, progress);
    }

    /** Reads every source named in {@code endpoints} from there (others keep their default). */
    public Importer sources(Map<String, Endpoint> endpoints) {
        Importer i = this;
        for (Map.Entry<String, Endpoint> e : endpoints.entrySet()) {
            i = i.source(e.getKey(), e.getValue());
        }
        return i;
    }

    /** With {@code true}, does everything but keep it: the same report, nothing written but the run's record. */
    public Importer dryRun(boolean value) {
        return new Importer(db, plan, sources, value, only, latest, since, retryQuarantine, batchRows, progress);
    }

    /** Only these tables (SOURCE.TABLE or TABLE) and the tables they reference. */
    public Importer only(List<String> tables) {
        return new Importer(db, plan, sources, dryRun, tables, latest, since, retryQuarantine, batchRows, progress);
    }

    /** With {@link #only}: only the {@code n} most recent rows of those tables (staged backfill). */
    public Importer latest(Integer n) {
        if (n != null && n <= 0) {
            throw new TownHallException(ErrorCode.INVALID_INPUT, "--latest must be at least 1, got " + n);
        }
        return new Importer(db, plan, sources, dryRun, only, n, since, retryQuarantine, batchRows, progress);
    }

    /** A delta: only rows changed since {@code moment} in tables that say when rows change; all rows elsewhere. */
    public Importer since(Instant moment) {
        return new Importer(db, plan, sources, dryRun, only, latest, moment, retryQuarantine, batchRows, progress);
    }

    /** Re-imports quarantined rows (the reviewer's fixed_row where set) instead of reading the sources. */
    public Importer retryQuarantine(boolean value) {
        return new Importer(db, plan, sources, dryRun, only, latest, since, value, batchRows, progress);
    }

    /** Rows per committed batch (and checkpoint); default 5,000. */
    public Importer batchRows(int rows) {
        if (rows < 1) {
            throw new TownHallException(ErrorCode.INVALID_INPUT, "a batch needs at least 1 row, got " + rows);
        }
        return new Importer(db, plan, sources, dryRun, only, latest, since, retryQuarantine, rows, progress);
    }

    /** Calls {@code listener} after every batch and at the end of every table (on the importing thread). */
    public Importer onProgress(Consumer<Progress> listener) {
        return new Importer(db, plan, sources, dryRun, only, latest, since, retryQuarantine, batchRows,
                Objects.requireNonNull(listener));
    }

    public ImportPlan plan() {
        return plan;
    }

    /** The mode legacy.import_runs records: retry_quarantine, staged, delta or full. */
    public String mode() {
        return retryQuarantine ? "retry_quarantine" : latest != null || !only.isEmpty() ? "staged"
                : since != null ? "delta" : "full";
    }

    /**
     * Runs the import. Every source and the TownHall database are reached, and the plan checked against their
     * catalogs, before anything is written: an unreachable source or a mapping that does not fit is one
     * {@link TownHallException}. After a real run, the visibility of the imported tables per town is measured
     * through row-level security.
     */
    public ImportReport run() {
        if (retryQuarantine && (since != null || latest != null)) {
            throw new TownHallException(ErrorCode.INVALID_INPUT, "--retry-quarantine cannot be combined with --since"
                    + " or --latest");
        }
        Mapping mapping = plan.mapping();
        ImportEngine engine = new ImportEngine(mapping, sources, db.owner(),
                new ImportEngine.Options(mode(), dryRun, only, latest, since, batchRows),
                (table, done, total, imported, merged, quarantined, elapsed, finished) -> progress.accept(
                        new Progress(table, done, total, imported, merged, quarantined, elapsed, finished)));
        ImportReport report = engine.run();
        if (!dryRun) {
            List<ImportReport.TownView> views = measureVisibility(mapping, report);
            report = new ImportReport(report.runId(), report.mode(), report.dryRun(), report.resumedFrom(),
                    report.startedAt(), report.elapsed(), report.tables(), report.plan(), report.relationships(), views,
                    report.users(), report.rowsWritten(), report.rowsReadThisRun(), report.dateOrders());
            engine.storeReport(report);
        }
        LOG.info("import run {} ({}{}): {} rows read, {} imported, {} merged, {} quarantined, reconciled: {}",
                report.runId(), report.mode(), dryRun ? ", dry run" : "", report.read(), report.imported(),
                report.merged(), report.quarantined(), report.reconciled());
        return report;
    }

    private List<ImportReport.TownView> measureVisibility(Mapping mapping, ImportReport report) {
        try {
            return Visibility.measure(db, mapping.organisation(), plan.targetTables());
        } catch (TownHallException | SQLException e) {
            LOG.warn("visibility after import run {} not measured: {}", report.runId(), e.getMessage());
            return List.of();
        }
    }

    /**
     * The demo: generates the legacy databases on {@code db}'s server unless they are there already, then imports
     * them with the shipped plan and returns the report. {@code log} hears one line per step.
     */
    public static ImportReport demo(Database db, Consumer<String> log) {
        if (!demoDatabasesPresent(db)) {
            log.accept("generating the demo legacy databases (" + LegacyGenerator.ROBBIE_DATABASE + ", "
                    + LegacyGenerator.ROBBIE_ALLAN_DATABASE + ")");
            GenerateReport generated = LegacyGenerator.inCluster(db.admin()).generate();
            log.accept("generated " + generated.rows() + " legacy rows");
        }
        log.accept("importing the legacy databases into " + db.databaseName());
        return into(db).onProgress(p -> {
            if (p.finished()) {
                log.accept(String.format(java.util.Locale.ROOT, "  %-32s %,9d rows", p.table(), p.done()));
            }
        }).run();
    }

    private static boolean demoDatabasesPresent(Database db) {
        for (String name : List.of(LegacyGenerator.ROBBIE_DATABASE, LegacyGenerator.ROBBIE_ALLAN_DATABASE)) {
            try (Connection c = db.admin().withDatabase(name).connect(); PreparedStatement ps = c.prepareStatement(
                    "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"); ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getLong(1) == 0) {
                    return false;
                }
            } catch (TownHallException | SQLException e) {
                return false;
            }
        }
        return true;
    }
}
