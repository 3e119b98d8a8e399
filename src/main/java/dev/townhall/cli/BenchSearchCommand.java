package dev.townhall.cli;

import dev.townhall.bench.SearchBenchmark;
import dev.townhall.bench.SearchBenchmark.Line;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code ./townhall bench search}: town-scoped kNN in TownHall's layout beside the naive one and an exact scan. */
@Command(name = "search", description = {
        "Town-scoped nearest-neighbour search on clustered 384-d vectors: TownHall's partitioned layout vs one global"
                + " HNSW index under RLS vs an exact scan; recall@10, results, p50/p99, QPS, index build and size.",
        "Uses a scratch database of the local cluster; also times the bare local embedding model."})
public final class BenchSearchCommand implements Callable<Integer> {
    @Mixin
    DatabaseOptions options;

    @Mixin
    BenchOutput output;

    @Option(names = "--rows", defaultValue = "100000", description = "Vectors to load, 1,000 to 1,000,000 (default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--queries", paramLabel = "N", defaultValue = "200", description = "Queries per asker and layout (default: ${DEFAULT-VALUE}).")
    int queries;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        SearchBenchmark.Report r = SearchBenchmark.on(options.service().ready()).run(rows, queries, line -> {
            out.println("  " + line);
            out.flush();
        });
        out.println();
        out.printf(Locale.ROOT, "bench search: %,d vectors (384-d, clustered), %s; k = %d, %d queries per asker;"
                        + " %d cores%n", r.rows(), towns(r), SearchBenchmark.K, r.queries(), r.cores());
        List<String> header = new ArrayList<>(List.of("layout", "asker", "recall@10", "results", "p50 ms", "p99 ms"));
        SearchBenchmark.CLIENTS.forEach(c -> header.add("QPS " + c + (c == 1 ? " client" : " clients")));
        TextTable table = TextTable.of(header);
        for (Line l : r.lines()) {
            List<String> row = new ArrayList<>(List.of(l.layout().label(), l.asker().label(), f("%.3f", l.recall()),
                    f("%.1f", l.meanResults()), f("%.2f", l.p50Ms()), f("%.2f", l.p99Ms())));
            SearchBenchmark.CLIENTS.forEach(c -> row.add(f("%.0f", l.qps().get(c))));
            table.row(row);
        }
        table.print(out);
        out.printf(Locale.ROOT, "load: COPY of %,d rows in %.1f s (%,.0f rows/s), HNSW indexes dropped%n", r.rows(),
                seconds(r.copyTime()), r.copyRowsPerSecond());
        out.printf(Locale.ROOT, "index build: TownHall %.1f s, %.1f MB (all-rows + shared-rows HNSW in each town and"
                        + " type partition); naive %.1f s, %.1f MB (one global HNSW)%n", seconds(r.townhallBuild()),
                mb(r.townhallIndexBytes()), seconds(r.naiveBuild()), mb(r.naiveIndexBytes()));
        out.printf(Locale.ROOT, "each query is one transaction as the app role in the asker's town context; QPS with"
                + " %d clients runs on %d cores, so it measures contention as much as the layout%n",
                SearchBenchmark.CLIENTS.get(SearchBenchmark.CLIENTS.size() - 1), r.cores());
        List<Line> missed = r.missedAim();
        out.printf(Locale.ROOT, "aim (TownHall: recall@10 >= %.2f for every asker at p99 <= %.0f ms): %s%n",
                SearchBenchmark.AIM_RECALL, SearchBenchmark.AIM_P99_MS, missed.isEmpty() ? "met" : "NOT met for "
                        + String.join(", ", missed.stream().map(l -> f("%s (recall %.3f, p99 %.1f ms)",
                        l.asker().label(), l.recall(), l.p99Ms())).toList()));
        SearchBenchmark.Throughput bare = r.bareModel();
        out.printf(Locale.ROOT, "embedding, bare model (%s, in process, no database): %.1f texts/s on %d short CRM"
                + " texts in batches of %d%n", bare.model(), bare.textsPerSecond(), bare.texts(), bare.batch());
        SearchBenchmark.Throughput pipeline = r.pipeline();
        out.printf(Locale.ROOT, "embedding, pipeline (the same texts as sticky notes: queue, worker as the town's service"
                        + " user, vectors written): %.1f texts/s = %.0f %% of the bare model (aim: >= 80 %%)%n",
                pipeline.textsPerSecond(), 100 * pipeline.textsPerSecond() / bare.textsPerSecond());
        output.write(r.figures());
        return 0;
    }

    private static String towns(SearchBenchmark.Report r) {
        List<String> parts = new ArrayList<>();
        r.rowsByTown().forEach((town, n) -> parts.add(f("%s %,d", town, n)));
        return String.join(" / ", parts);
    }

    private static String f(String format, Object... values) {
        return String.format(Locale.ROOT, format, values);
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    private static double mb(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
