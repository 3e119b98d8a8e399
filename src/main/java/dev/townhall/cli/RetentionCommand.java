package dev.townhall.cli;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.ops.LegalHold;
import dev.townhall.ops.NewRetentionPolicy;
import dev.townhall.ops.Retention;
import dev.townhall.ops.RetentionAction;
import dev.townhall.ops.RetentionPolicy;
import dev.townhall.ops.RetentionReport;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;

@Command(name = "retention", description = "Retention and PII rules: policies (redact, delete or anonymise after an age),"
        + " legal holds, and the run that applies them (as the owner, audited).",
        subcommands = {RetentionCommand.PolicyCommand.class, RetentionCommand.HoldCommand.class,
                RetentionCommand.Run.class})
final class RetentionCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "policy", description = "Add, list or remove retention policies, or put a legal hold on one.",
            subcommands = {AddPolicy.class, ListPolicies.class, RemovePolicy.class, HoldPolicy.class})
    static final class PolicyCommand implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

    @Command(name = "add", description = "Add a policy: rows of TABLE older than --after get --action on --column"
            + " (delete: the whole row).")
    static final class AddPolicy implements Callable<Integer> {
        @Mixin
        DatabaseOptions options;

        @Option(names = "--table", required = true, paramLabel = "SCHEMA.TABLE", description = "A tenant table, e.g. crm.contacts.")
        String table;

        @Option(names = "--town", paramLabel = "TOWN", description = "Only this town's rows (default: every town).")
        String town;

        @Option(names = "--column", paramLabel = "COLUMN", description = "The column to redact or anonymise (not with delete).")
        String column;

        @Option(names = "--action", required = true, paramLabel = "redact|delete|anonymise")
        String action;

        @Option(names = "--after", required = true, paramLabel = "AGE", description = "e.g. 48h, 90d, 12w, 6mo, 2y.")
        String after;

        @Option(names = "--age-column", paramLabel = "COLUMN",
                description = "The timestamp the age is measured on (default: created_at).")
        String ageColumn;

        @Option(names = "--hold", description = "Add it under a legal hold (it does nothing until released).")
        boolean hold;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            RetentionPolicy added = Retention.of(options.service().ready()).add(new NewRetentionPolicy(table,
                    Optional.ofNullable(town), Optional.ofNullable(column), RetentionAction.parse(action), after,
                    Optional.ofNullable(ageColumn), hold));
            PrintWriter out = spec.commandLine().getOut();
            printPolicies(out, List.of(added));
            out.println("added policy " + added.id() + " (audited); see what it would change: ./townhall retention run --dry-run");
            return 0;
        }
    }

    @Command(name = "list", description = "List the retention policies.")
    static final class ListPolicies implements Callable<Integer> {
        @Mixin
        DatabaseOptions options;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            printPolicies(spec.commandLine().getOut(), Retention.of(options.service().ready()).policies());
            return 0;
        }
    }

    @Command(name = "remove", description = "Remove policy ID.")
    static final class RemovePolicy implements Callable<Integer> {
        @Mixin
        DatabaseOptions options;

        @Parameters(paramLabel = "ID")
        UUID id;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Retention.of(options.service().ready()).remove(id);
            spec.commandLine().getOut().println("removed policy " + id + " (audited)");
            return 0;
        }
    }

    @Command(name = "hold", description = "Put a legal hold on policy ID (--on: it stops) or release it (--off).")
    static final class HoldPolicy implements Callable<Integer> {
        @Mixin
        DatabaseOptions options;

        @Parameters(paramLabel = "ID")
        UUID id;

        @ArgGroup(exclusive = true, multiplicity = "1")
        OnOff state;

        static final class OnOff {
            @Option(names = "--on", required = true)
            boolean on;

            @Option(names = "--off", required = true)
            boolean off;
        }

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            RetentionPolicy policy = Retention.of(options.service().ready()).hold(id, state.on);
            printPolicies(spec.commandLine().getOut(), List.of(policy));
            return 0;
        }
    }

    @Command(name = "hold", description = "Legal holds on rows: while one is in force, no policy touches the rows it covers.",
            subcommands = {AddHold.class, ListHolds.class, RemoveHold.class})
    static final class HoldCommand implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

    @Command(name = "add", description = "Hold rows of TABLE (of one town or all, one row or all) from every policy.")
    static final class AddHold implements Callable<Integer> {
        @Mixin
        DatabaseOptions options;

        @Option(names = "--table", required = true, paramLabel = "SCHEMA.TABLE")
        String table;

        @Option(names = "--town", paramLabel = "TOWN", description = "Only this town's rows (default: every town).")
        String town;

        @Option(names = "--row", paramLabel = "ID", description = "Only this row (default: every row).")
        UUID row;

        @Option(names = "--reason", required = true, paramLabel = "TEXT")
        String reason;

        @Option(names = "--until", paramLabel = "YYYY-MM-DD", description = "Ends at the start of this day, UTC (default: until removed).")
        String until;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            LegalHold hold = Retention.of(options.service().ready()).addHold(table, Optional.ofNullable(town),
                    Optional.ofNullable(row), reason, Optional.ofNullable(until).map(AddHold::startOfDay));
            printHolds(spec.commandLine().getOut(), List.of(hold));
            return 0;
        }

        private static OffsetDateTime startOfDay(String date) {
            try {
                return LocalDate.parse(date).atStartOfDay().atOffset(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw TownHallException.forField(ErrorCode.INVALID_INPUT, "until",
                        "--until takes a date YYYY-MM-DD; got '" + date + "'");
            }
        }
    }

    @Command(name = "list", description = "List the legal holds on rows.")
    static final class ListHolds implements Callable<Integer> {
        @Mixin
        DatabaseOptions options;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            printHolds(spec.commandLine().getOut(), Retention.of(options.service().ready()).holds());
            return 0;
        }
    }

    @Command(name = "remove", description = "Remove legal hold ID.")
    static final class RemoveHold implements Callable<Integer> {
        @Mixin
        DatabaseOptions options;

        @Parameters(paramLabel = "ID")
        UUID id;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Retention.of(options.service().ready()).removeHold(id);
            spec.commandLine().getOut().println("removed legal hold " + id + " (audited)");
            return 0;
        }
    }

    @Command(name = "run", description = "Apply every policy in batches, auditing each changed row; --dry-run only lists"
            + " what would change.")
    static final class Run implements Callable<Integer> {
        @Mixin
        DatabaseOptions options;

        @Option(names = "--dry-run", description = "Change nothing; list the rows each policy would change.")
        boolean dryRun;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            RetentionReport report = Retention.of(options.service().ready()).run(dryRun);
            PrintWriter out = spec.commandLine().getOut();
            List<String> header = new ArrayList<>(List.of("policy", "table", "town", "column", "action"));
            header.addAll(dryRun ? List.of("would change") : List.of("changed", "embeddings removed"));
            TextTable table = TextTable.of(header);
            for (RetentionReport.Outcome o : report.outcomes()) {
                RetentionPolicy p = o.policy();
                List<String> row = new ArrayList<>(List.of(p.id().toString(), p.table(), p.town().orElse("all"),
                        p.column().orElse("(row)"), p.action().sqlName()));
                if (o.held()) {
                    row.addAll(dryRun ? List.of("held") : List.of("held", "0"));
                } else {
                    // a deleted row's vectors go with it (the table's delete trigger), uncounted here
                    String embeddings = p.action() == RetentionAction.DELETE ? "with the rows"
                            : String.valueOf(o.embeddingsRemoved());
                    row.addAll(dryRun ? List.of(String.valueOf(o.due().size()))
                            : List.of(String.valueOf(o.changed()), embeddings));
                }
                table.row(row);
            }
            table.print(out);
            out.println(dryRun
                    ? report.totalDue() + " rows would change as of " + report.asOf() + "; nothing was changed"
                    : report.totalChanged() + " rows changed, each audited in core.audit_log");
            return 0;
        }
    }

    private static void printPolicies(PrintWriter out, List<RetentionPolicy> policies) {
        TextTable table = TextTable.of("id", "table", "town", "column", "action", "after", "age column", "legal hold");
        for (RetentionPolicy p : policies) {
            table.row(p.id(), p.table(), p.town().orElse("all"), p.column().orElse("(row)"), p.action().sqlName(),
                    p.after(), p.ageColumn(), p.legalHold() ? "on" : "off");
        }
        table.print(out);
    }

    private static void printHolds(PrintWriter out, List<LegalHold> holds) {
        TextTable table = TextTable.of("id", "table", "town", "row", "reason", "until");
        for (LegalHold h : holds) {
            table.row(h.id(), h.table(), h.town().orElse("all"), h.row().map(UUID::toString).orElse("all"), h.reason(),
                    h.until().map(OffsetDateTime::toString).orElse("removed"));
        }
        table.print(out);
    }
}
