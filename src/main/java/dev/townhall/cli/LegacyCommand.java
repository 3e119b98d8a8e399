package dev.townhall.cli;

import dev.townhall.db.Database;
import dev.townhall.db.Endpoint;
import dev.townhall.legacy.generate.GenerateReport;
import dev.townhall.legacy.generate.LegacyGenerator;
import dev.townhall.legacy.generate.LegacyTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.concurrent.Callable;

@Command(name = "legacy", description = "The old Robbie databases: generate demo copies of them.",
        subcommands = {LegacyCommand.Generate.class})
final class LegacyCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "generate", description = {
            "Create the demo legacy databases legacy_robbie (13 tables, 80,808 rows) and legacy_robbie_allan "
                    + "(5 tables, 454 rows) with the mess real legacy data has; the same seed gives the same data.",
            "Without URLs they are dropped and created again on the TownHall server (the local cluster by default)."})
    static final class Generate implements Callable<Integer> {
        @Mixin
        DatabaseOptions options;

        @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
                description = "Seed of the generated data (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--robbie-url", paramLabel = "URL",
                description = "Write the robbie tables into this existing database instead (postgresql://user:password@host:port/db).")
        String robbieUrl;

        @Option(names = "--robbie-allan-url", paramLabel = "URL",
                description = "Write the robbie_allan tables into this existing database instead.")
        String robbieAllanUrl;

        @Option(names = "--replace",
                description = "Drop and regenerate tables at --robbie-url/--robbie-allan-url that already hold rows.")
        boolean replace;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            // parse the URLs first: a bad one fails before any server is started or touched
            LegacyTarget robbie = robbieUrl == null ? null : LegacyTarget.existingDatabase(Endpoint.parse(robbieUrl));
            LegacyTarget robbieAllan = robbieAllanUrl == null ? null
                    : LegacyTarget.existingDatabase(Endpoint.parse(robbieAllanUrl));
            if (robbie == null || robbieAllan == null) {
                Database db = options.database();
                if (db.isLocal()) {
                    dev.townhall.db.DatabaseService.of(db).start(OptionalInt.empty());
                }
                Endpoint admin = db.admin();
                robbie = robbie != null ? robbie : LegacyTarget.freshDatabase(admin, LegacyGenerator.ROBBIE_DATABASE);
                robbieAllan = robbieAllan != null ? robbieAllan
                        : LegacyTarget.freshDatabase(admin, LegacyGenerator.ROBBIE_ALLAN_DATABASE);
            }
            out.printf("legacy generate: seed %d%n  robbie       -> %s%n  robbie_allan -> %s%n", seed,
                    robbie.describe(), robbieAllan.describe());
            out.flush();
            GenerateReport report = LegacyGenerator.into(robbie, robbieAllan)
                    .withSeed(seed)
                    .replacingExistingTables(replace)
                    .onProgress(t -> {
                        out.printf("  %-32s %,9d rows  %6.2f s%n", t.source() + "." + t.table(), t.rows(),
                                seconds(t.elapsed().toNanos()));
                        out.flush();
                    })
                    .generate();
            printTable(out, report);
            return 0;
        }

        static void printTable(PrintWriter out, GenerateReport report) {
            out.println();
            out.println("| database     | table               |   rows |     MB | seconds |");
            out.println("|--------------|---------------------|-------:|-------:|--------:|");
            for (String source : new String[] {"robbie", "robbie_allan"}) {
                long nanos = 0;
                long bytes = 0;
                int tables = 0;
                for (GenerateReport.Table t : report.tables(source)) {
                    out.printf(Locale.ROOT, "| %-12s | %-19s | %,6d | %6.1f | %7.2f |%n", source, t.table(), t.rows(),
                            t.bytes() / 1e6, seconds(t.elapsed().toNanos()));
                    nanos += t.elapsed().toNanos();
                    bytes += t.bytes();
                    tables++;
                }
                out.printf(Locale.ROOT, "| %-12s | %-19s | %,6d | %6.1f | %7.2f |%n", source, "(" + tables + " tables)",
                        report.rows(source), bytes / 1e6, seconds(nanos));
            }
            out.printf(Locale.ROOT, "generated %,d rows (%.1f MB) in %.2f s with seed %d%n", report.rows(),
                    report.bytes() / 1e6, seconds(report.elapsed().toNanos()), report.seed());
        }

        private static double seconds(long nanos) {
            return nanos / 1e9;
        }
    }
}
