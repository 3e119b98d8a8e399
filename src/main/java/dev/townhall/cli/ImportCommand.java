package dev.townhall.cli;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Database;
import dev.townhall.db.Endpoint;
import dev.townhall.legacy.imports.ImportPlan;
import dev.townhall.legacy.imports.ImportReport;
import dev.townhall.legacy.imports.Importer;
import dev.townhall.schema.Migrator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;

@Command(name = "import", description = {
        "Import the legacy Robbie databases (default: the demo databases beside the TownHall database) and print the"
                + " reconciliation: every row read is imported, merged or quarantined.",
        "Resumable (run it again after an interruption) and idempotent (a second run adds nothing)."})
final class ImportCommand implements Callable<Integer> {
    @Mixin
    DatabaseOptions options;

    @Mixin
    SourceOptions source;

    @Option(names = "--dry-run", description = "Do everything but keep it: the same report, nothing imported.")
    boolean dryRun;

    @Option(names = "--only", paramLabel = "TABLE", split = ",",
            description = "Only these tables (and the tables they point at), e.g. --only activities.")
    List<String> only = new ArrayList<>();

    @Option(names = "--latest", paramLabel = "N", description = "With --only: just the N most recent rows (staged backfill).")
    Integer latest;

    @Option(names = "--delta", description = "Only rows changed since --since (for the cutover freeze).")
    boolean delta;

    @Option(names = "--since", paramLabel = "TS", description = "With --delta: an ISO instant or date, e.g. 2025-06-01T00:00:00Z.")
    String since;

    @Option(names = "--retry-quarantine", description = "Re-import quarantined rows: a reviewer's fixed_row where set, else the row as the source holds it now.")
    boolean retryQuarantine;

    @Option(names = "--report", paramLabel = "FILE",
            description = "Write the JSON report here (default: .townhall/reports/import-<run>.json).")
    Path reportFile;

    @Option(names = "--batch-rows", paramLabel = "N", defaultValue = "5000",
            description = "Rows per committed batch and checkpoint (default: ${DEFAULT-VALUE}).")
    int batchRows;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        // everything a user can get wrong is checked before a server is started or a row read
        ImportPlan plan = source.plan();
        Instant sinceMoment = sinceMoment();
        Map<String, Endpoint> explicit = source.endpoints(plan);
        Database db = options.service().ready();
        Migrator.as(db.owner()).migrate(null);
        Importer importer = Importer.into(db).plan(plan).sources(explicit).dryRun(dryRun).only(only).latest(latest)
                .since(sinceMoment).retryQuarantine(retryQuarantine).batchRows(batchRows)
                .onProgress(new ProgressLine(out));
        out.printf("import (%s%s) from %s into %s%n", importer.mode(), dryRun ? ", dry run" : "", plan.origin(),
                db.describe());
        out.flush();
        ImportReport report = importer.run();
        print(out, report);
        Path file = reportFile != null ? reportFile
                : options.config().home().resolve("reports").resolve("import-" + report.runId() + ".json");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, report.toJson());
        } catch (IOException e) {
            throw new TownHallException(ErrorCode.CONFIG, "cannot write the report to " + file + ": " + e.getMessage(), e);
        }
        out.printf("report: %s (also in legacy.import_runs and legacy.reconciliation, run %s)%n", file, report.runId());
        out.flush();
        if (!report.reconciled()) {
            throw new TownHallException(ErrorCode.VERIFY_FAILED, "the reconciliation does not add up (see the tables"
                    + " above): rows without an outcome or references pointing at the wrong row");
        }
        return 0;
    }

    /** Where the legacy databases are and how they map: options {@code import} and {@code quarantine accept} share. */
    static final class SourceOptions {
        @Option(names = "--source", paramLabel = "NAME=URL",
                description = "Read source NAME (robbie, robbie_allan) from URL"
                        + " (postgresql://user:password@host:port/db).")
        Map<String, String> sources = new LinkedHashMap<>();

        @Option(names = "--mapping", paramLabel = "FILE",
                description = "Use this mapping file instead of the shipped one.")
        Path mapping;

        ImportPlan plan() {
            return mapping == null ? ImportPlan.builtin() : ImportPlan.load(mapping);
        }

        /** The sources given with --source, each a name {@code plan} reads (the others stay the demo databases). */
        Map<String, Endpoint> endpoints(ImportPlan plan) {
            Map<String, Endpoint> explicit = new LinkedHashMap<>();
            sources.forEach((name, url) -> {
                if (!plan.sources().contains(name)) {
                    throw new TownHallException(ErrorCode.INVALID_INPUT, "--source " + name + ": the mapping reads no"
                            + " source of that name (it reads " + String.join(", ", plan.sources()) + ")");
                }
                explicit.put(name, Endpoint.parse(url));
            });
            return explicit;
        }
    }

    private Instant sinceMoment() {
        if (since != null && !delta) {
            throw new TownHallException(ErrorCode.INVALID_INPUT, "--since needs --delta");
        }
        if (delta && since == null) {
            throw new TownHallException(ErrorCode.INVALID_INPUT, "--delta needs --since TS (an ISO instant or date)");
        }
        if (since == null) {
            return null;
        }
        try {
            return since.length() == 10 ? LocalDate.parse(since).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(since);
        } catch (DateTimeParseException e) {
            throw new TownHallException(ErrorCode.INVALID_INPUT, "--since " + since
                    + " is not an ISO instant (2025-06-01T00:00:00Z) or date (2025-06-01)");
        }
    }

    /** One line per table: rewritten in place on a terminal, printed once when the table is done otherwise. */
    static final class ProgressLine implements java.util.function.Consumer<Importer.Progress> {
        private static final int BAR = 24;
        private final PrintWriter out;
        private final boolean terminal = System.console() != null;

        ProgressLine(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void accept(Importer.Progress p) {
            if (!terminal && !p.finished()) {
                return;
            }
            String line = String.format(Locale.ROOT, "  %-30s %s %,8d/%,-8d %,9.0f rows/s  %s",
                    p.table(), ProgressText.bar(p.done(), p.total(), BAR), p.done(), p.total(), p.rowsPerSecond(),
                    p.finished() ? String.format(Locale.ROOT, "%,d imported, %,d merged, %,d quarantined",
                            p.imported(), p.merged(), p.quarantined()) : "ETA " + ProgressText.clock(p.eta()));
            out.print(terminal ? "\r" + line + "\u001B[K" : line);
            if (p.finished()) {
                out.println();
            }
            out.flush();
        }
    }

    static void print(PrintWriter out, ImportReport r) {
        out.println();
        out.println("== reconciliation: where every legacy row went");
        Set<String> reasons = new TreeSet<>();
        r.tables().forEach(t -> reasons.addAll(t.quarantinedByReason().keySet()));
        TextTable rec = TextTable.of("source table", "plan", "read", "imported clean", "with value issues", "merged",
                "quarantined", "pending", "accounted", "links waiting", "links made", "quarantined by reason");
        for (ImportReport.SourceTable t : r.tables()) {
            StringBuilder why = new StringBuilder();
            new java.util.TreeMap<>(t.quarantinedByReason()).forEach((k, v) -> why.append(why.length() == 0 ? "" : ", ").append(k).append(' ')
                    .append(String.format(Locale.ROOT, "%,d", v)));
            rec.row(t.qualified(), t.planned() == null ? "" : n(t.planned()), n(t.read()),
                    n(t.imported() - t.withValueIssues()), n(t.withValueIssues()),
                    n(t.merged()), n(t.quarantined()), n(t.pending()),
                    String.format(Locale.ROOT, "%.1f%%", t.accountedPercent()), n(t.linksPending()),
                    n(t.linksResolved()), why);
        }
        rec.print(out);
        long unaccounted = r.tables().stream().mapToLong(ImportReport.SourceTable::unaccounted).sum();
        long notes = r.tables().stream().mapToLong(ImportReport.SourceTable::valueIssues).sum();
        long waiting = r.tables().stream().mapToLong(ImportReport.SourceTable::linksPending).sum();
        out.printf(Locale.ROOT, "%,d rows read: %,d imported or merged (%.2f%%), %,d quarantined, %d unaccounted;"
                        + " %,d values kept aside in legacy.value_issues; %,d references wait for their parent,"
                        + " %,d linked this run%n", r.read(), r.imported() + r.merged(), r.salvagedPercent(),
                r.quarantined(), unaccounted, notes, waiting, r.linksResolvedThisRun());

        if (!r.topValueIssues().isEmpty()) {
            out.println();
            out.println("== values kept aside, most frequent (legacy.value_issues; the rows were imported)");
            TextTable top = TextTable.of("source table", "column", "reason", "values");
            r.topValueIssues().forEach(v -> top.row(v.source(), v.column(), v.reason(), n(v.values())));
            top.print(out);
        }

        out.println();
        out.println("== the plan's inventory against what was read");
        TextTable plan = TextTable.of("plan line", "plan states", "its parts add up to", "plan's own error", "read",
                "read - stated");
        for (ImportReport.PlanLine p : r.plan()) {
            // "80,000+" is a lower bound, not a figure the parts should add up to
            boolean bound = p.statedText() != null;
            plan.row(p.group(), bound ? p.statedText() : n(p.stated()), n(p.partsSum()),
                    bound ? "(a lower bound)" : signed(p.statedMinusParts()), n(p.read()),
                    bound ? "" : signed(p.readMinusStated()));
        }
        plan.print(out);

        if (!r.relationships().isEmpty()) {
            out.println();
            out.println("== relationships: imported rows point at what their legacy parent became");
            TextTable rel = TextTable.of("source table", "column", "parent", "checked", "ok", "merge conflict recorded",
                    "wrong");
            for (ImportReport.Relationship x : r.relationships()) {
                rel.row(x.table(), x.column(), x.parent(), n(x.checked()), n(x.ok()), n(x.conflictRecorded()),
                        n(x.wrong()));
            }
            rel.print(out);
        }

        List<ImportReport.DateOrder> inferred = r.dateOrders().stream()
                .filter(o -> o.dayFirstValues() + o.monthFirstValues() > 0).toList();
        if (!inferred.isEmpty()) {
            out.println();
            out.println("== text date columns: how ambiguous day/month dates were read (the rest: slashes US, dots European)");
            TextTable orders = TextTable.of("source table", "column", "separator", "read", "day-first values",
                    "month-first values", "basis");
            for (ImportReport.DateOrder o : inferred) {
                orders.row(o.table(), o.column(), o.separator(), o.order().replace('_', '-'), n(o.dayFirstValues()),
                        n(o.monthFirstValues()), o.basis());
            }
            orders.print(out);
        }

        if (!r.visibility().isEmpty()) {
            out.println();
            out.println("== what each town sees after the import (row-level security, as a member of the town)");
            List<String> header = new ArrayList<>(List.of("table"));
            r.visibility().forEach(v -> header.add(v.town() + (v.capital() ? " (capital)" : "")));
            TextTable vis = TextTable.of(header);
            Set<String> tables = new LinkedHashSet<>(r.visibility().get(0).visible().keySet());
            for (String table : new TreeSet<>(tables)) {
                List<String> row = new ArrayList<>(List.of(table));
                r.visibility().forEach(v -> row.add(n(v.visible().getOrDefault(table, 0L))));
                vis.row(row);
            }
            vis.print(out);
        } else if (r.dryRun()) {
            out.println();
            out.println("(dry run: nothing was kept, so what the towns see is not measured)");
        }

        if (!r.users().isEmpty()) {
            out.println();
            out.println("== legacy text user ids");
            TextTable users = TextTable.of("source", "text id", "TownHall user", "rows without owner");
            long rare = 0;
            long rareRows = 0;
            for (ImportReport.UserLine u : r.users()) {
                if (u.user() == null && u.rows() < 2) {
                    rare++;
                    rareRows += u.rows();
                    continue;
                }
                users.row(u.source(), u.textId(), u.user() == null ? "(unknown: not guessed)" : u.user(),
                        u.user() == null ? n(u.rows()) : "");
            }
            if (rare > 0) {
                users.row("", "(" + rare + " more unknown ids, one row each)", "(unknown: not guessed)", n(rareRows));
            }
            users.print(out);
        }

        out.println();
        out.printf(Locale.ROOT, "import run %s (%s%s%s): %,d rows read this run in %.1f s, %,d rows written to %d"
                        + " tables; reconciled: %s%n", r.runId(), r.mode(), r.dryRun() ? ", dry run" : "",
                r.resumedFrom() == null ? "" : ", resumed " + r.resumedFrom(), r.rowsReadThisRun(),
                r.elapsed().toMillis() / 1000.0, r.rowsWrittenTotal(), r.rowsWritten().size(),
                r.reconciled() ? "yes" : "NO");
        out.flush();
    }

    private static String n(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    private static String signed(long v) {
        return v == 0 ? "0" : String.format(Locale.ROOT, "%+,d", v);
    }
}
