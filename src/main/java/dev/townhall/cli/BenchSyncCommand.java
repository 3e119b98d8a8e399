package dev.townhall.cli;

import dev.townhall.bench.SyncBenchmark;
import dev.townhall.bench.SyncBenchmark.CatchUp;
import dev.townhall.bench.SyncBenchmark.Phase;
import dev.townhall.bench.SyncBenchmark.Replication;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/** {@code ./townhall bench sync}: TownHall's continuous sync beside PostgreSQL's logical replication, one way. */
@Command(name = "sync", description = {
        "One-way replication of app writes to crm.contacts (each transaction inserts a contact and updates the one"
                + " before) by TownHall's sync in continuous mode, beside PostgreSQL's own logical replication (a"
                + " publication and a subscription) in the same run: changes/s and lag p50/p99 (commit -> seen on the"
                + " other side) with 1 and 4 writers, and the catch-up time of a backlog written while the peer was down.",
        "Uses scratch databases of the local cluster, dropped afterwards; exits 1 if a change never arrived."})
public final class BenchSyncCommand implements Callable<Integer> {
    private static final int BAR = 30;

    @Mixin
    DatabaseOptions options;

    @Mixin
    BenchOutput output;

    @Option(names = "--seconds", paramLabel = "N", defaultValue = "20",
            description = "How long the writers write in each phase (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--backlog", paramLabel = "N", defaultValue = "100000",
            description = "Changes written while the peer is down, then caught up (default: ${DEFAULT-VALUE}).")
    int backlog;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        SyncBenchmark.Settings settings = new SyncBenchmark.Settings(Duration.ofSeconds(seconds), backlog);
        CatchUpProgress progress = new CatchUpProgress(out);
        SyncBenchmark.Report r = SyncBenchmark.on(options.service().ready()).run(settings, line -> {
            progress.endLine();
            out.println("  " + line);
            out.flush();
        }, progress);
        progress.endLine();
        out.println();
        out.printf(Locale.ROOT, "bench sync: one way, app writes to crm.contacts in one town, %d s per phase, backlog"
                + " %,d changes; %d cores shared by writers, sync and server%n", seconds, backlog, r.cores());
        TextTable table = TextTable.of("replication", "writers", "changes", "changes/s", "lag p50 ms", "lag p99 ms",
                "lag max ms", "vs native changes/s", "unseen");
        for (Phase p : r.phases()) {
            Optional<Phase> ref = r.phase(Replication.NATIVE, p.writers());
            table.row(p.replication().label(), p.writers(), f("%,d", p.changes()), f("%,.0f", p.deliveredPerSecond()),
                    f("%.1f", p.lagP50Ms()), f("%.1f", p.lagP99Ms()), f("%.1f", p.lagMaxMs()),
                    ref.map(n -> f("%.0f %%", 100 * p.deliveredPerSecond() / n.deliveredPerSecond())).orElse("-"),
                    p.unseen());
        }
        table.print(out);
        out.println();
        TextTable catchUps = TextTable.of("replication", "backlog changes", "catch-up s", "changes/s", "vs native");
        Optional<CatchUp> nativeCatchUp = r.catchUp(Replication.NATIVE);
        for (CatchUp c : r.catchUps()) {
            catchUps.row(c.replication().label(), f("%,d", c.changes()),
                    c.complete() ? f("%.2f", c.seconds()) : f("> %.0f (incomplete)", c.seconds()),
                    f("%,.0f", c.changesPerSecond()),
                    nativeCatchUp.map(n -> f("%.1f x the time", c.seconds() / n.seconds())).orElse("-"));
        }
        catchUps.print(out);
        out.println();
        BarChart chart = BarChart.of("changes/s delivered (higher is better)", "%,.0f");
        r.phases().forEach(p -> chart.bar(p.replication().key() + ", " + p.writers() + " writer"
                + (p.writers() == 1 ? "" : "s"), p.deliveredPerSecond()));
        r.catchUps().forEach(c -> chart.bar(c.replication().key() + ", catch-up", c.changesPerSecond()));
        chart.print(out);
        out.println();
        out.println("lag: from a transaction's commit on the source to the first poll of the target that sees it"
                + " (polled every 10 ms); changes/s: changes written / time until the last one was seen");
        output.write(r.figures());
        if (r.failures() > 0) {
            out.printf(Locale.ROOT, "%n*** %d CHANGES OR BACKLOGS NEVER ARRIVED: these figures are not a valid"
                    + " measurement ***%n", r.failures());
            out.flush();
            return 1;
        }
        return 0;
    }

    /** A self-rewriting line on a terminal; elsewhere a line every {@value #LOG_EVERY_SECONDS} s. */
    private static final class CatchUpProgress implements Consumer<SyncBenchmark.Progress> {
        private static final int LOG_EVERY_SECONDS = 30;
        private final PrintWriter out;
        private final boolean terminal = System.console() != null;
        private long lastLogged = -1;
        private boolean drawn;

        CatchUpProgress(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void accept(SyncBenchmark.Progress p) {
            long slot = p.elapsed().toSeconds() / LOG_EVERY_SECONDS;
            if (!terminal && slot == lastLogged) {
                return;
            }
            lastLogged = slot;
            String line = String.format(Locale.ROOT, "  %s %s %,d/%,d changes  %s", p.what(),
                    ProgressText.bar(p.done(), p.total(), BAR), p.done(), p.total(), ProgressText.clock(p.elapsed()));
            out.print(terminal ? "\r" + line + "\u001B[K" : line + System.lineSeparator());
            out.flush();
            drawn = terminal;
        }

        /** Ends a self-rewritten line before other output. */
        void endLine() {
            if (drawn) {
                out.println();
                drawn = false;
            }
        }
    }

    private static String f(String format, Object... values) {
        return String.format(Locale.ROOT, format, values);
    }
}
