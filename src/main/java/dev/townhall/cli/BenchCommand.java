package dev.townhall.cli;

import dev.townhall.bench.MigrateBenchmark;
import dev.townhall.db.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

@Command(name = "bench", description = "Run a benchmark and print its table (migrate).",
        subcommands = {BenchCommand.Migrate.class})
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

        @Option(names = "--runs", paramLabel = "N", defaultValue = "5", description = "Repetitions (default: ${DEFAULT-VALUE}).")
        int runs;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Database db = MigrateCommand.ready(options);
            MigrateBenchmark.Report report = MigrateBenchmark.on(db).run(runs);
            out.println("bench migrate: empty database -> full schema, " + report.changesets() + " changesets");
            out.println("| run | seconds |");
            out.println("|----:|--------:|");
            for (int i = 0; i < report.runs().size(); i++) {
                out.printf("| %3d | %7.3f |%n", i + 1, seconds(report.runs().get(i)));
            }
            out.printf("median %.3f s over %d runs%n%n", seconds(report.median()), report.runs().size());
            out.println("| objects   | count |");
            out.println("|-----------|------:|");
            report.objects().forEach((kind, count) -> out.printf("| %-9s | %5d |%n", kind, count));
            return 0;
        }

        private static double seconds(Duration d) {
            return d.toNanos() / 1e9;
        }
    }
}
