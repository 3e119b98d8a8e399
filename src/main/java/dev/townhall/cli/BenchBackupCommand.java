package dev.townhall.cli;

import dev.townhall.bench.BackupBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code ./townhall bench backup}: backup and restore of the current database beside plain pg_dump / pg_restore. */
@Command(name = "backup", description = {
        "Time and size of ./townhall backup and restore of the current database beside plain pg_dump -Fc and"
                + " pg_restore (as the superuser) in the same run: what the manifest (sums in the dump's snapshot,"
                + " sha256) and the restore's checks and comparison cost. Median of N runs.",
        "Restores into a scratch database of the local cluster, dropped afterwards; nothing is recorded in"
                + " ops.backups."})
final class BenchBackupCommand implements Callable<Integer> {
    @Mixin
    DatabaseOptions options;

    @Mixin
    BenchOutput output;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "3", description = "Repetitions (default: ${DEFAULT-VALUE}).")
    int runs;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        BackupBenchmark.Report r = BackupBenchmark.on(options.service().ready()).run(runs, line -> {
            out.println("  " + line);
            out.flush();
        });
        out.println();
        out.printf(Locale.ROOT, "bench backup: database %s, %,d bytes on disk, median of %d runs%n", r.database(),
                r.databaseBytes(), r.runs());
        TextTable table = TextTable.of("what", "seconds", "file bytes");
        r.lines().forEach(l -> table.row(l.label(), String.format(Locale.ROOT, "%.3f", l.median().toNanos() / 1e9),
                String.format(Locale.ROOT, "%,d", l.bytes())));
        table.print(out);
        out.printf(Locale.ROOT, "backup / pg_dump: %.2fx; restore / pg_restore: %.2fx%n",
                ratio(r.line("backup"), r.line("plain_dump")), ratio(r.line("restore"), r.line("plain_restore")));
        output.write(r.figures());
        return 0;
    }

    private static double ratio(BackupBenchmark.Line a, BackupBenchmark.Line b) {
        return (double) a.median().toNanos() / b.median().toNanos();
    }
}
