package dev.townhall.cli;

import dev.townhall.bench.MigrateBenchmark;
import dev.townhall.bench.RlsBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "bench", description = "Run a benchmark and print its table; --json FILE also writes its figures.",
        subcommands = {BenchCommand.Migrate.class, BenchCommand.Rls.class, BenchImportCommand.class,
                BenchSearchCommand.class, BenchApiCommand.class, BenchMcpCommand.class, BenchCompatCommand.class,
                BenchSyncCommand.class, BenchBackupCommand.class})
final class BenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "migrate", description = "Time from an empty database to the full schema (median of N runs).")
    static final class Migrate implements Callable<Integer> {
        @Mixin
        DatabaseOptions options;

        @Mixin
        BenchOutput output;

        @Option(names = "--runs", paramLabel = "N", defaultValue = "5", description = "Repetitions (default: ${DEFAULT-VALUE}).")
        int runs;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            MigrateBenchmark.Report report = MigrateBenchmark.on(options.service().ready()).run(runs);
            out.println("bench migrate: empty database -> full schema, " + report.changesets() + " changesets");
            TextTable runs = TextTable.of("run", "seconds");
            for (int i = 0; i < report.runs().size(); i++) {
                runs.row(i + 1, String.format(Locale.ROOT, "%.3f", seconds(report.runs().get(i))));
            }
            runs.print(out);
            out.printf(Locale.ROOT, "median %.3f s over %d runs%n%n", seconds(report.median()), report.runs().size());
            TextTable objects = TextTable.of("objects", "count");
            report.objects().forEach(objects::row);
            objects.print(out);
            output.write(report.figures());
            return 0;
        }

        private static double seconds(Duration d) {
            return d.toNanos() / 1e9;
        }
    }

    @Command(name = "rls", description = "Query cost as the owner (no RLS) vs the app role under a town context.")
    static final class Rls implements Callable<Integer> {
        @Mixin
        DatabaseOptions options;

        @Mixin
        BenchOutput output;

        @Option(names = "--rows", defaultValue = "100000", description = "Rows to load (default: ${DEFAULT-VALUE}).")
        int rows;

        @Option(names = "--iterations", defaultValue = "300", description = "Timed runs per query (default: ${DEFAULT-VALUE}).")
        int iterations;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            RlsBenchmark.Report report = RlsBenchmark.on(options.service().ready()).run(rows, iterations);
            out.printf("bench rls: %,d rows over 3 towns (60/30/10 %%), acting town fluenti, median of %d runs%n",
                    report.totalRows(), report.iterations());
            TextTable table = TextTable.of("query", "rows", "owner ms", "app+filter ms", "overhead", "app RLS-only ms",
                    "overhead");
            for (RlsBenchmark.Result r : report.results()) {
                table.row(r.query(), r.rows(), String.format("%.3f", r.ownerMs()), String.format("%.3f", r.appFilteredMs()),
                        String.format("%+.1f%%", 100 * r.overheadFiltered()), String.format("%.3f", r.appRlsOnlyMs()),
                        String.format("%+.1f%%", 100 * r.overheadRlsOnly()));
            }
            table.print(out);
            out.println("owner: RLS bypassed, town filter in the SQL; app+filter: same SQL under RLS; RLS-only: no"
                    + " town filter in the SQL, the policy does it all");
            out.println("each timing is one transaction through the connection pool; the app's includes setting its"
                    + " town context (SET LOCAL), as every request of the application pays it");
            output.write(report.figures());
            return 0;
        }
    }
}
