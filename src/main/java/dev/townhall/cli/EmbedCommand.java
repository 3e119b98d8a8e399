package dev.townhall.cli;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.DatabaseService;
import dev.townhall.search.EmbedReport;
import dev.townhall.search.EmbeddingProvider;
import dev.townhall.search.EmbeddingProviders;
import dev.townhall.search.EmbeddingSettings;
import dev.townhall.search.EmbeddingWorker;
import dev.townhall.towns.Town;
import dev.townhall.towns.Towns;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

@Command(name = "embed", description = {
        "Queue every searchable row that lacks current vectors of the model, then embed the queue (as the"
                + " embedding service identity of each town) and print what was done per town and type.",
        "Safe to interrupt at any point and run again: each batch commits on its own."})
final class EmbedCommand implements Callable<Integer> {
    @Mixin
    DatabaseOptions options;

    @Option(names = "--town", paramLabel = "TOWN", description = "Only this town (default: every town).")
    String town;

    @Option(names = "--types", paramLabel = "TYPE", split = ",",
            description = "Only these: contacts, companies, deals, activities, messages, knowledge, notes, transcripts"
                    + " (default: all).")
    List<String> types = new ArrayList<>();

    @Option(names = "--model", paramLabel = "M",
            description = "Embed with this model (default: search.model, else the provider's default).")
    String model;

    @Option(names = "--limit", paramLabel = "N", description = "Embed at most N queued rows, then stop.")
    Long limit;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "" + EmbeddingWorker.DEFAULT_BATCH_SIZE,
            description = "Rows per batch and transaction (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--watch", description = "Keep embedding rows as they are queued, until Ctrl-C.")
    boolean watch;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        // everything a user can get wrong is checked before the database is touched
        if (limit != null && limit < 1) {
            throw new TownHallException(ErrorCode.INVALID_INPUT, "--limit must be at least 1, got " + limit);
        }
        if (batchSize < 1 || batchSize > EmbeddingWorker.MAX_BATCH_SIZE) {
            throw new TownHallException(ErrorCode.INVALID_INPUT, "--batch-size must be from 1 to "
                    + EmbeddingWorker.MAX_BATCH_SIZE + ", got " + batchSize);
        }
        Set<String> entityTypes = EmbeddingWorker.entityTypes(types);
        EmbeddingSettings settings = EmbeddingSettings.resolve(
                model == null ? Map.of() : Map.of(EmbeddingSettings.Key.MODEL.confKey(), model));
        try (EmbeddingProvider provider = EmbeddingProviders.create(settings)) {
            DatabaseService service = options.service();
            service.migrate(null);
            try (Towns towns = Towns.open(service.database())) {
                List<Town> scope = town == null ? towns.towns() : List.of(towns.town(town));
                EmbeddingWorker worker = EmbeddingWorker.create(towns, provider).batchSize(batchSize)
                        .onProgress(new ProgressLine(out));
                if (limit != null) {
                    worker = worker.limit(limit);
                }
                out.printf("embed %s with %s/%s (%d dimensions) in %s%s%n", String.join(", ", entityTypes),
                        provider.provider(), provider.model(), provider.dimensions(),
                        scope.stream().map(Town::slug).toList(), watch ? ", watching (Ctrl-C to stop)" : "");
                out.flush();
                if (watch) {
                    watchUntilInterrupted(worker, scope, entityTypes, out);
                } else {
                    print(out, worker.run(scope, entityTypes));
                }
            }
        }
        return 0;
    }

    /** Drains until Ctrl-C; the hook lets the batch under way commit, then waits for the summary to print. */
    private static void watchUntilInterrupted(EmbeddingWorker worker, List<Town> scope, Set<String> entityTypes,
                                              PrintWriter out) {
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch printed = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.set(true);
            try {
                printed.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "townhall-embed-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            print(out, worker.watch(stop::get).run(scope, entityTypes));
        } finally {
            printed.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already stopping (Ctrl-C): the hook has run and is waiting for nothing now
            }
        }
    }

    static void print(PrintWriter out, EmbedReport r) {
        out.println();
        TextTable table = TextTable.of("town", "type", "embedded", "unchanged", "removed", "failed", "parked", "vectors",
                "seconds");
        for (EmbedReport.Line l : r.lines()) {
            table.row(l.town(), l.entityType(), n(l.embedded()), n(l.unchanged()), n(l.removed()), n(l.failed()),
                    n(l.parked()), n(l.chunks()), String.format(Locale.ROOT, "%.1f", l.seconds()));
        }
        table.row("total", "", n(r.embedded()), n(r.unchanged()), n(r.removed()), n(r.failed()), n(r.parked()),
                n(r.chunks()), String.format(Locale.ROOT, "%.1f", r.elapsed().toMillis() / 1000.0));
        table.print(out);
        out.printf(Locale.ROOT, "%s: queued %,d rows, handled %,d in %.1f s (%,.1f rows/s)%s%s%n", r.model(),
                r.enqueued(), r.handled(), r.elapsed().toMillis() / 1000.0, r.rowsPerSecond(),
                r.limitReached() ? "; stopped at --limit, run again for the rest" : "",
                r.parked() > 0 ? "; parked rows keep their error in memory.embedding_queue.last_error" : "");
        out.flush();
    }

    private static String n(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    /** One self-rewriting line on a terminal (at most 5 times a second); elsewhere only the final line. */
    static final class ProgressLine implements Consumer<EmbeddingWorker.Progress> {
        private static final int BAR = 30;
        private static final long REDRAW_NANOS = 200_000_000L;
        private final PrintWriter out;
        private final boolean terminal = System.console() != null;
        private long lastDrawn;

        ProgressLine(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void accept(EmbeddingWorker.Progress p) {
            long now = System.nanoTime();
            if (!p.finished() && (!terminal || now - lastDrawn < REDRAW_NANOS)) {
                return;
            }
            lastDrawn = now;
            String line = String.format(Locale.ROOT, "  %s %,8d/%,-8d %,7.1f rows/s  %s",
                    ProgressText.bar(p.done(), p.total(), BAR), p.done(), p.total(), p.rowsPerSecond(),
                    p.finished() ? "done in " + ProgressText.clock(p.elapsed()) : "ETA " + ProgressText.clock(p.eta()));
            out.print(terminal ? "\r" + line + "\u001B[K" : line);
            if (p.finished()) {
                out.println();
            }
            out.flush();
        }
    }
}
