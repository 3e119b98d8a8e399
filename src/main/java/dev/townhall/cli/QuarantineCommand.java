package dev.townhall.cli;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.legacy.imports.ImportPlan;
import dev.townhall.legacy.imports.Importer;
import dev.townhall.legacy.imports.QuarantineAcceptance;
import dev.townhall.legacy.imports.QuarantineReview;
import dev.townhall.legacy.imports.SalvageReview;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * {@code ./townhall quarantine list | show | export | accept}: review the legacy rows the importer set aside;
 * {@code quarantine values | links}: what it kept aside of the rows it imported.
 */
@Command(name = "quarantine", description = "Review the legacy rows the importer set aside: list, show one, export for"
        + " a spreadsheet, accept one with corrections; and what it kept aside of imported rows: values, links.",
        subcommands = {QuarantineCommand.ListRows.class, QuarantineCommand.Show.class, QuarantineCommand.Export.class,
                QuarantineCommand.Accept.class, QuarantineCommand.Values.class, QuarantineCommand.Links.class})
final class QuarantineCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The filter options every listing shares. */
    static final class FilterOptions {
        @Option(names = "--source", paramLabel = "TABLE", description = "A source table: robbie.activities or activities.")
        String source;

        @Option(names = "--reason", paramLabel = "CODE", description = "A reason code, e.g. orphan_reference, invalid_email.")
        String reason;

        @Option(names = "--status", paramLabel = "open|fixed|reimported|discarded|all", defaultValue = "open")
        String status;

        QuarantineReview.Filter filter() {
            return new QuarantineReview.Filter(Optional.ofNullable(source), Optional.ofNullable(reason), status);
        }
    }

    /** The options values and links share: a source table, and one row (of it, when both are given). */
    static final class RowFilter {
        @Option(names = "--source", paramLabel = "TABLE", description = "A source table: robbie.activities or activities.")
        String source;

        @Option(names = "--row", paramLabel = "ID", description = "One row: its legacy source id (123, a3#2) or the"
                + " uuid of the TownHall row it concerns; with --source, in that table.")
        String row;

        Optional<String> source() {
            return Optional.ofNullable(source);
        }

        Optional<String> row() {
            return Optional.ofNullable(row);
        }
    }

    @Command(name = "list", description = "The quarantined rows (open ones by default), a count per source and reason first.")
    static final class ListRows implements Callable<Integer> {
        @Mixin
        DatabaseOptions options;

        @Mixin
        FilterOptions filter;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "Rows listed after the counts (default ${DEFAULT-VALUE}).")
        int limit;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            List<QuarantineReview.Row> rows = QuarantineReview.of(options.service().ready()).list(filter.filter());
            PrintWriter out = spec.commandLine().getOut();
            Map<String, Integer> counts = new TreeMap<>();
            rows.forEach(r -> counts.merge(r.source() + "\t" + r.reasonCode(), 1, Integer::sum));
            TextTable summary = TextTable.of("source", "reason", "rows");
            counts.forEach((key, n) -> summary.row(key.split("\t")[0], key.split("\t")[1], Integer.toString(n)));
            summary.print(out);
            out.println();
            TextTable table = TextTable.of("id", "source", "source id", "reason", "status", "quarantined");
            rows.stream().limit(Math.max(limit, 0)).forEach(r -> table.row(r.id().toString(), r.source(),
                    r.sourceId() == null ? "-" : r.sourceId(), r.reason(), r.status(),
                    r.createdAt().truncatedTo(ChronoUnit.SECONDS).toString()));
            table.print(out);
            out.println(rows.size() + " rows" + (rows.size() > limit ? " (" + limit + " listed; --limit N or"
                    + " ./townhall quarantine export FILE for all)" : ""));
            return 0;
        }
    }

    @Command(name = "show", description = "One quarantined row whole: where it came from, why, the row as read.")
    static final class Show implements Callable<Integer> {
        @Mixin
        DatabaseOptions options;

        @Parameters(paramLabel = "ID")
        UUID id;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            QuarantineReview.Row r = QuarantineReview.of(options.service().ready()).show(id);
            PrintWriter out = spec.commandLine().getOut();
            out.println("id           " + r.id());
            out.println("source       " + r.source() + (r.sourceId() == null ? " (no usable id)" : " id " + r.sourceId()));
            out.println("reason       " + r.reasonCode() + ": " + r.reason());
            out.println("status       " + r.status() + ", quarantined " + r.createdAt().truncatedTo(ChronoUnit.SECONDS));
            out.println("original row " + r.originalRow());
            if (r.fixedRow() != null) {
                out.println("fixed row    " + r.fixedRow());
            }
            return 0;
        }
    }

    @Command(name = "export", description = "Write the quarantined rows to FILE: .csv for a spreadsheet, .json.")
    static final class Export implements Callable<Integer> {
        @Mixin
        DatabaseOptions options;

        @Mixin
        FilterOptions filter;

        @Parameters(paramLabel = "FILE")
        Path file;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            int n = QuarantineReview.of(options.service().ready()).export(file, filter.filter());
            spec.commandLine().getOut().println("wrote " + n + " quarantined rows to " + file);
            return 0;
        }
    }

    @Command(name = "accept", description = {"Correct one quarantined row's source columns and import it: the corrected"
            + " row is kept as its fixed row and audited, then imported (or merged) through the retry path.",
            "The sources are read as for import (--source NAME=URL, default the demo databases)."})
    static final class Accept implements Callable<Integer> {
        @Mixin
        DatabaseOptions options;

        @Mixin
        ImportCommand.SourceOptions source;

        @Parameters(paramLabel = "ID")
        UUID id;

        @Option(names = "--set", paramLabel = "COLUMN=VALUE",
                description = "Set a source column, e.g. --set contact_id=10.")
        Map<String, String> set = new LinkedHashMap<>();

        @Option(names = "--clear", paramLabel = "COLUMN", description = "Set a source column to null.")
        List<String> clear = new ArrayList<>();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            QuarantineAcceptance.Corrections corrections = new QuarantineAcceptance.Corrections(set,
                    new LinkedHashSet<>(clear));
            ImportPlan plan = source.plan();
            Importer importer = Importer.into(options.service().ready()).plan(plan).sources(source.endpoints(plan));
            QuarantineAcceptance.Outcome outcome = QuarantineAcceptance.through(importer)
                    .accept(id, corrections, System.getProperty("user.name"));
            QuarantineReview.Row r = outcome.entry();
            String row = r.source() + " id " + r.sourceId();
            if (!outcome.imported()) {
                throw new TownHallException(ErrorCode.UNPROCESSABLE, row + " is still refused: " + r.reasonCode()
                        + ": " + r.reason() + "; the corrected row is kept (quarantine show " + id + ") for the next"
                        + " accept to build on");
            }
            QuarantineAcceptance.Target t = outcome.target().orElseThrow();
            spec.commandLine().getOut().println("accepted " + row + ": " + (t.outcome().equals("merged")
                    ? "merged into " : "imported as ") + t.table() + " " + t.id() + " (import run " + outcome.runId()
                    + ")");
            return 0;
        }
    }

    @Command(name = "values", description = "The values imported rows went without (legacy.value_issues): a count per"
            + " source, column and reason, then the values with the row each concerns and what was stored instead.")
    static final class Values implements Callable<Integer> {
        private static final int SHOWN_CHARS = 60;

        @Mixin
        DatabaseOptions options;

        @Mixin
        RowFilter where;

        @Option(names = "--reason", paramLabel = "CODE", description = "A reason code, e.g. invalid_email, default_name.")
        String reason;

        @Option(names = "--column", paramLabel = "COLUMN", description = "A TownHall column: email, or crm.contacts.email as the counts show it.")
        String column;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "Values listed after the counts (default ${DEFAULT-VALUE}).")
        int limit;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            List<SalvageReview.ValueIssue> issues = SalvageReview.of(options.service().ready()).values(
                    where.source(), Optional.ofNullable(reason), Optional.ofNullable(column), where.row());
            PrintWriter out = spec.commandLine().getOut();
            Map<String, Integer> counts = new TreeMap<>();
            issues.forEach(v -> counts.merge(v.source() + "\t" + v.targetTable() + "." + (v.column() == null ? "(row)"
                    : v.column()) + "\t" + v.reasonCode(), 1, Integer::sum));
            TextTable summary = TextTable.of("source", "column", "reason", "values");
            counts.forEach((key, n) -> {
                String[] parts = key.split("\t");
                summary.row(parts[0], parts[1], parts[2], Integer.toString(n));
            });
            summary.print(out);
            out.println();
            TextTable table = TextTable.of("source", "source id", "row", "column", "raw value", "stored instead", "reason");
            issues.stream().limit(Math.max(limit, 0)).forEach(v -> table.row(v.source(), v.sourceId(),
                    v.targetTable() + " " + v.targetId(), v.column() == null ? "(row)" : v.column(),
                    shown(v.rawValue()), shown(v.storedValue()), v.reasonCode()));
            table.print(out);
            out.println(issues.size() + " values" + (issues.size() > limit ? " (" + limit + " listed; --limit N)" : ""));
            return 0;
        }

        private static String shown(String value) {
            if (value == null) {
                return "-";
            }
            String line = value.replaceAll("\\s+", " ");
            return line.length() <= SHOWN_CHARS ? line : line.substring(0, SHOWN_CHARS - 1) + "…";
        }
    }

    @Command(name = "links", description = "References imported empty until their parent arrives"
            + " (legacy.deferred_links): a count per source, column, parent and status, then the links.")
    static final class Links implements Callable<Integer> {
        @Mixin
        DatabaseOptions options;

        @Mixin
        RowFilter where;

        @Option(names = "--status", paramLabel = "pending|resolved|all", defaultValue = "pending")
        String status;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "Links listed after the counts (default ${DEFAULT-VALUE}).")
        int limit;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            List<SalvageReview.Link> links = SalvageReview.of(options.service().ready()).links(
                    where.source(), where.row(), status);
            PrintWriter out = spec.commandLine().getOut();
            Map<String, Integer> counts = new TreeMap<>();
            links.forEach(l -> counts.merge(String.join("\t", l.source(), l.targetTable() + "." + l.column(),
                    l.parent(), l.reasonCode(), l.status()), 1, Integer::sum));
            TextTable summary = TextTable.of("source", "column", "parent", "why", "status", "links");
            counts.forEach((key, n) -> {
                String[] parts = key.split("\t");
                summary.row(parts[0], parts[1], parts[2], parts[3], parts[4], Integer.toString(n));
            });
            summary.print(out);
            out.println();
            TextTable table = TextTable.of("source", "source id", "row", "column", "parent", "key", "status");
            links.stream().limit(Math.max(limit, 0)).forEach(l -> table.row(l.source(), l.sourceId(),
                    l.targetTable() + " " + l.targetId(), l.column(), l.parent(), l.parentKey(), l.status()));
            table.print(out);
            out.println(links.size() + " links" + (links.size() > limit ? " (" + limit + " listed; --limit N)" : ""));
            return 0;
        }
    }
}
