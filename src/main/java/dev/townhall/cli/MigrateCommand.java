package dev.townhall.cli;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.DatabaseService;
import dev.townhall.schema.Migrator;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "migrate", description = "Apply pending schema migrations (status, rollback: see subcommands).",
        subcommands = {MigrateCommand.Status.class, MigrateCommand.Rollback.class})
final class MigrateCommand implements Callable<Integer> {
    @Mixin
    DatabaseOptions options;

    @Option(names = "--dry-run", description = "Print the SQL that would run; change nothing.")
    boolean dryRun;

    @Option(names = "--tag", paramLabel = "NAME", description = "Tag the database after migrating (for rollback --to).")
    String tag;

    @Spec
    CommandSpec spec;

    @Option(names = {"-v", "--verbose"}, description = "List each applied changeset, not only the summary line.")
    boolean verbose;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        DatabaseService service = options.service();
        if (dryRun) {
            out.print(Migrator.as(service.ready().owner()).dryRun());
            out.flush();
            return 0;
        }
        printSummary(out, "", service.migrate(tag), verbose);
        return 0;
    }

    /**
     * One line for the run ({@code applied 164 changesets in 1.02 s (schema now holds 164)} or
     * {@code schema is up to date (164 changesets)}); with {@code verbose}, each applied changeset before it. Every
     * line starts with {@code indent}.
     */
    static void printSummary(PrintWriter out, String indent, DatabaseService.MigrateReport report, boolean verbose) {
        if (verbose) {
            report.applied().forEach(change -> out.println(indent + "  applied " + change.id() + "  (" + change.file()
                    + ")"));
        }
        String tagged = report.tag() == null ? "" : ", tagged " + report.tag();
        if (report.upToDate()) {
            out.printf("%sschema is up to date (%d changesets%s)%n", indent, report.changesets(), tagged);
        } else {
            out.printf(Locale.ROOT, "%sapplied %d changesets in %.2f s (schema now holds %d%s)%n", indent,
                    report.applied().size(), report.elapsed().toNanos() / 1e9, report.changesets(), tagged);
        }
        out.flush();
    }

    @Command(name = "status", description = "List applied and pending changesets.")
    static final class Status implements Callable<Integer> {
        @Mixin
        DatabaseOptions options;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Migrator.StatusReport status = Migrator.as(options.service().ready().owner()).status();
            out.printf("%d applied, %d pending%n", status.applied().size(), status.pending().size());
            for (Migrator.Change change : status.pending()) {
                out.println("  pending " + change.id() + "  (" + change.file() + ")");
            }
            for (String difference : status.historyDifferences()) {
                out.println("  differs: " + difference);
            }
            if (!status.historyDifferences().isEmpty()) {
                throw new TownHallException(ErrorCode.CHECKSUM_MISMATCH, status.historyDifferences().size()
                        + " differences between this database's history and this build; migrate refuses until they are resolved");
            }
            return 0;
        }
    }

    @Command(name = "rollback", description = "Undo applied changesets: the last N, or all after a tag.")
    static final class Rollback implements Callable<Integer> {
        @Mixin
        DatabaseOptions options;

        @ArgGroup(multiplicity = "1")
        Target target;

        static final class Target {
            @Option(names = "--count", paramLabel = "N", description = "Undo the last N changesets.")
            Integer count;

            @Option(names = "--to", paramLabel = "TAG", description = "Undo every changeset applied after TAG.")
            String tag;
        }

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Migrator migrator = Migrator.as(options.service().ready().owner());
            List<Migrator.Change> undone = target.count != null ? migrator.rollbackCount(target.count)
                    : migrator.rollbackTo(target.tag);
            if (undone.isEmpty()) {
                throw new TownHallException(ErrorCode.NOT_FOUND, "nothing to roll back");
            }
            for (Migrator.Change change : undone) {
                out.println("  rolled back " + change.id());
            }
            out.println("rolled back " + undone.size() + " changesets");
            return 0;
        }
    }
}
