package dev.townhall.cli;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Database;
import dev.townhall.schema.Migrator;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.List;
import java.util.OptionalInt;
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

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Migrator migrator = Migrator.as(ready(options).owner());
        if (dryRun) {
            out.print(migrator.dryRun());
            out.flush();
            return 0;
        }
        printApplied(out, migrator.migrate(tag));
        return 0;
    }

    static void printApplied(PrintWriter out, Migrator.MigrateReport report) {
        if (report.applied().isEmpty()) {
            out.println("schema is up to date; nothing to apply");
            return;
        }
        for (Migrator.Change change : report.applied()) {
            out.println("  applied " + change.id());
        }
        out.printf("applied %d changesets in %.2f s%n", report.applied().size(), report.elapsed().toMillis() / 1000.0);
    }

    /** The database, with the local cluster started and roles, database and extensions in place. */
    static Database ready(DatabaseOptions options) {
        Database db = options.database();
        if (db.isLocal()) {
            UpCommand.start(db, OptionalInt.empty());
        } else {
            dev.townhall.db.Bootstrap.ensure(db);
        }
        return db;
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
            Migrator.StatusReport status = Migrator.as(ready(options).owner()).status();
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
            Migrator migrator = Migrator.as(ready(options).owner());
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
