package dev.townhall.bench;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Database;
import dev.townhall.db.LocalCluster;
import dev.townhall.db.ScratchDatabase;
import dev.townhall.schema.Migrator;
import dev.townhall.search.EmbeddingProvider;
import dev.townhall.search.EmbeddingProviders;
import dev.townhall.search.EmbeddingSettings;
import dev.townhall.search.SearchType;
import dev.townhall.search.internal.ActingScope;
import dev.townhall.search.internal.Candidate;
import dev.townhall.search.internal.VectorQuery;
import dev.townhall.search.internal.Vectors;
import dev.townhall.search.EmbedReport;
import dev.townhall.search.EmbeddingWorker;
import dev.townhall.towns.Town;
import org.jdbi.v3.core.statement.PreparedBatch;
import dev.townhall.towns.Role;
import dev.townhall.towns.TownContext;
import dev.townhall.towns.Towns;
import org.jdbi.v3.core.Handle;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Town-scoped nearest-neighbour search on the same vectors in three layouts, side by side in one run: TownHall's
 * (embeddings partitioned by town then type, HNSW per partition, {@link VectorQuery}), the naive one (one table, one
 * global HNSW index, row-level security filtering after the index scan; with and without pgvector 0.8's iterative
 * scan) and an exact scan, which is the reference for recall. Every query runs as the application role in a
 * {@link TownContext} transaction, for three kinds of asker: the 80 % town, the 1 % town and the capital.
 */
public final class SearchBenchmark {
    private static final String SCRATCH = "townhall_bench_search";
    static final int MIN_ROWS = 1_000;
    static final int MAX_ROWS = 1_000_000;
    public static final int K = 10;
    /** Clusters the synthetic vectors gather in (topics, in real data). */
    private static final int CLUSTERS = 100;
    private static final long SEED = 42;
    /** Untimed queries per layout and asker before timing, so caches are warm for every layout alike. */
    private static final int WARMUP_QUERIES = 20;
    /** How long each throughput measurement runs at most (the clients also stop after one pass of the queries). */
    private static final Duration THROUGHPUT_WINDOW = Duration.ofSeconds(3);
    public static final List<Integer> CLIENTS = List.of(1, 8);
    /** The aim: every asker gets at least this recall@10 from TownHall's layout … */
    public static final double AIM_RECALL = 0.95;
    /** … at most this p99 latency. */
    public static final double AIM_P99_MS = 20;
    /** Short CRM texts for the bare model's throughput (notes first, then emails). */
    private static final int EMBED_TEXTS = 300;
    private static final int EMBED_BATCH = 32;

    /** The ways of answering a town-scoped kNN that the benchmark compares. */
    public enum Layout {
        TOWNHALL("townhall", "TownHall: partitions by town+type, HNSW each, VectorQuery"),
        NAIVE("naive", "naive: one table, one HNSW, RLS after the scan (ef_search 40)"),
        NAIVE_ITERATIVE("naive_iterative", "naive + hnsw.iterative_scan = relaxed_order"),
        EXACT("exact", "exact: TownHall's table, index scans off (the reference)");

        private final String key;
        private final String label;

        Layout(String key, String label) {
            this.key = key;
            this.label = label;
        }

        public String key() {
            return key;
        }

        public String label() {
            return label;
        }
    }

    /** Who asks: a member of the big town, of the small town, and of the capital (which reads every town). */
    public enum Asker {
        BIG_TOWN("big_town", "fluenti (80 %)", "bench-big", "fluenti"),
        SMALL_TOWN("small_town", "collaboration (1 %)", "bench-small", "collaboration"),
        CAPITAL("capital", "capital: aurora, reads all", "bench-capital", "aurora");

        private final String key;
        private final String label;
        private final String handle;
        private final String town;

        Asker(String key, String label, String handle, String town) {
            this.key = key;
            this.label = label;
            this.handle = handle;
            this.town = town;
        }

        public String key() {
            return key;
        }

        public String label() {
            return label;
        }
    }

    /** One layout's figures for one asker. QPS by number of concurrent clients. */
    public record Line(Layout layout, Asker asker, double recall, double meanResults, double p50Ms, double p99Ms,
                       Map<Integer, Double> qps) {
        /** Whether TownHall's layout meets the aim for this asker. */
        public boolean meetsAim() {
            return recall >= AIM_RECALL && p99Ms <= AIM_P99_MS;
        }
    }

    /** The bare local model's speed: texts embedded per second, with no database in the way. */
    public record Throughput(String model, int texts, int batch, Duration elapsed) {
        public double textsPerSecond() {
            return texts / Math.max(1e-9, elapsed.toNanos() / 1e9);
        }
    }

    /** Everything one run measured. */
    public record Report(int queries, int cores, Map<String, Long> rowsByTown, Duration copyTime,
                         double copyRowsPerSecond, Duration townhallBuild, long townhallIndexBytes,
                         Duration naiveBuild, long naiveIndexBytes, List<Line> lines, Throughput bareModel,
                         Throughput pipeline) {
        public long rows() {
            return rowsByTown.values().stream().mapToLong(Long::longValue).sum();
        }

        /** TownHall's lines that miss the aim (recall@10 ≥ 0.95 at p99 ≤ 20 ms); empty when it is met. */
        public List<Line> missedAim() {
            return lines.stream().filter(l -> l.layout() == Layout.TOWNHALL && !l.meetsAim()).toList();
        }

        public Figures figures() {
            Figures f = Figures.of("search", Map.of("rows", rows(), "queries", queries, "k", K, "cores", cores,
                    "dimensions", SearchCorpus.DIMENSIONS, "clusters", CLUSTERS));
            f.add("copy_rows_per_second", "rows/s", copyRowsPerSecond);
            f.add("index_build_time", "s", seconds(townhallBuild), Map.of("layout", Layout.TOWNHALL.key()));
            f.add("index_size", "bytes", townhallIndexBytes, Map.of("layout", Layout.TOWNHALL.key()));
            f.add("index_build_time", "s", seconds(naiveBuild), Map.of("layout", Layout.NAIVE.key()));
            f.add("index_size", "bytes", naiveIndexBytes, Map.of("layout", Layout.NAIVE.key()));
            for (Line l : lines) {
                Map<String, Object> where = Map.of("layout", l.layout().key(), "asker", l.asker().key());
                f.add("recall_at_10", "fraction", l.recall(), where);
                f.add("results_returned", "rows", l.meanResults(), where);
                f.add("latency_p50", "ms", l.p50Ms(), where);
                f.add("latency_p99", "ms", l.p99Ms(), where);
                l.qps().forEach((clients, qps) -> {
                    Map<String, Object> withClients = new LinkedHashMap<>(where);
                    withClients.put("clients", clients);
                    f.add("qps", "queries/s", qps, withClients);
                });
            }
            f.add("embedding_bare_model", "texts/s", bareModel.textsPerSecond(), Map.of("model", bareModel.model(),
                    "texts", bareModel.texts(), "batch", bareModel.batch()));
            f.add("embedding_pipeline", "texts/s", pipeline.textsPerSecond(), Map.of("model", pipeline.model(),
                    "texts", pipeline.texts(), "batch", pipeline.batch()));
            f.add("embedding_pipeline_share_of_bare_model", "fraction",
                    pipeline.textsPerSecond() / bareModel.textsPerSecond());
            return f;
        }

        private static double seconds(Duration d) {
            return d.toNanos() / 1e9;
        }
    }

    private final LocalCluster cluster;

    private SearchBenchmark(LocalCluster cluster) {
        this.cluster = cluster;
    }

    public static SearchBenchmark on(Database db) {
        return new SearchBenchmark(ScratchDatabase.clusterOf(db, "bench search"));
    }

    /** Loads {@code rows} vectors, measures every layout for every asker with {@code queries} queries. */
    public Report run(int rows, int queries, Consumer<String> log) {
        if (rows < MIN_ROWS || rows > MAX_ROWS) {
            throw new TownHallException(ErrorCode.INVALID_INPUT, String.format(
                    "--rows must be between %,d and %,d, got %,d", MIN_ROWS, MAX_ROWS, rows));
        }
        if (queries < 1) {
            throw new TownHallException(ErrorCode.INVALID_INPUT, "--queries must be at least 1, got " + queries);
        }
        Database scratch = ScratchDatabase.fresh(cluster, SCRATCH);
        try {
            log.accept("migrating the scratch database " + SCRATCH);
            Migrator.as(scratch.owner()).migrate(null);
            ClusteredVectors vectors = ClusteredVectors.of(SearchCorpus.DIMENSIONS, CLUSTERS, SEED);
            log.accept(String.format("loading %,d vectors by COPY (HNSW indexes dropped first)", rows));
            SearchCorpus.Loaded loaded = SearchCorpus.load(scratch, vectors, rows, SEED, log);
            List<float[]> querySet = new ArrayList<>(queries);
            for (int i = 0; i < queries; i++) {
                querySet.add(vectors.query());
            }
            List<Line> lines = measure(scratch, querySet, log);
            List<String> texts = CrmTexts.generate(new Random(SEED), EMBED_TEXTS);
            Throughput bare;
            Throughput pipeline;
            try (EmbeddingProvider provider = EmbeddingProviders.create(EmbeddingSettings.of(Map.of()))) {
                log.accept("embedding " + EMBED_TEXTS + " CRM texts with the bare local model");
                bare = bareModelThroughput(provider, texts, EMBED_BATCH);
                log.accept("embedding the same texts as sticky notes through the queue, the worker and the database");
                pipeline = pipelineThroughput(scratch, provider, texts, EMBED_BATCH);
            }
            return new Report(queries, Runtime.getRuntime().availableProcessors(), loaded.rowsByTown(),
                    loaded.copyTime(), loaded.copyRowsPerSecond(), loaded.townhall().time(), loaded.townhall().bytes(),
                    loaded.naive().time(), loaded.naive().bytes(), lines, bare, pipeline);
        } catch (SQLException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "bench search failed: " + e.getMessage(), e);
        } finally {
            ScratchDatabase.drop(cluster, SCRATCH);
        }
    }

    /**
     * Texts per second end to end: {@code texts} written as sticky notes of one town (the triggers queue them), then
     * drained by {@link EmbeddingWorker} as that town's service identity: read, hash, chunk, embed, write vectors,
     * commit per batch. The time counts the drain only, as the bare model's counts its {@code embed} calls only.
     */
    public static Throughput pipelineThroughput(Database db, EmbeddingProvider provider, List<String> texts, int batch) {
        try (Towns towns = Towns.open(db)) {
            Town town = towns.town(Asker.SMALL_TOWN.town);
            towns.as(Asker.SMALL_TOWN.handle + "@" + town.slug()).inTransaction(h -> {
                PreparedBatch insert = h.prepareBatch("INSERT INTO memory.sticky_notes (content) VALUES (:content)");
                texts.forEach(text -> insert.bind("content", text).add());
                return insert.execute();
            });
            EmbedReport report = EmbeddingWorker.create(towns, provider).batchSize(batch)
                    .drain(List.of(town), List.of(SearchType.NOTES.entityType()));
            return new Throughput(provider.model(), (int) report.embedded(), batch, report.elapsed());
        }
    }

    /** Texts per second of {@code provider}'s {@code embed}, in batches of {@code batch}, after one warm-up batch. */
    public static Throughput bareModelThroughput(EmbeddingProvider provider, List<String> texts, int batch) {
        provider.embed(texts.subList(0, Math.min(batch, texts.size()))); // first calls allocate ONNX's arenas
        long start = System.nanoTime();
        for (int from = 0; from < texts.size(); from += batch) {
            provider.embed(texts.subList(from, Math.min(texts.size(), from + batch)));
        }
        return new Throughput(provider.model(), texts.size(), batch, Duration.ofNanos(System.nanoTime() - start));
    }

    private List<Line> measure(Database scratch, List<float[]> queries, Consumer<String> log) {
        try (Towns towns = Towns.open(scratch)) {
            Map<Asker, TownContext> contexts = new LinkedHashMap<>();
            for (Asker asker : Asker.values()) {
                towns.addUser(asker.handle + "@bench.invalid", asker.handle, "Bench", asker.key);
                towns.addMember(asker.handle, asker.town, Role.MEMBER);
                contexts.put(asker, towns.as(asker.handle + "@" + asker.town));
            }
            List<Line> lines = new ArrayList<>();
            for (Asker asker : Asker.values()) {
                log.accept("asker " + asker.label + ": recall and latency, " + queries.size() + " queries per layout");
                TownContext context = contexts.get(asker);
                Map<Layout, Timed> timed = latencies(context, queries);
                for (Layout layout : Layout.values()) {
                    Map<Integer, Double> qps = new LinkedHashMap<>();
                    for (int clients : CLIENTS) {
                        qps.put(clients, throughput(towns, asker, layout, queries, clients));
                    }
                    Timed t = timed.get(layout);
                    lines.add(new Line(layout, asker, t.recall(), t.meanResults(), t.percentileMs(0.50),
                            t.percentileMs(0.99), qps));
                }
            }
            return lines;
        }
    }

    /** One layout's answers and timings over the query set, for one asker. */
    private record Timed(List<List<UUID>> answers, long[] nanos, List<List<UUID>> reference) {
        double recall() {
            double found = 0;
            for (int q = 0; q < answers.size(); q++) {
                Set<UUID> exact = new HashSet<>(reference.get(q));
                found += answers.get(q).stream().filter(exact::contains).count();
            }
            return found / ((double) K * answers.size());
        }

        double meanResults() {
            return answers.stream().mapToInt(List::size).average().orElse(0);
        }

        /** Nearest-rank percentile. */
        double percentileMs(double p) {
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            int rank = (int) Math.ceil(p * sorted.length);
            return sorted[Math.max(0, rank - 1)] / 1e6;
        }
    }

    /**
     * Runs every query through every layout in turn (exact first: its answers are the reference), one whole
     * transaction each, after a warm-up; interleaving the layouts query by query gives each the same cache.
     */
    private static Map<Layout, Timed> latencies(TownContext context, List<float[]> queries) {
        for (int q = 0; q < Math.min(WARMUP_QUERIES, queries.size()); q++) {
            for (Layout layout : Layout.values()) {
                nearest(context, layout, queries.get(q));
            }
        }
        Map<Layout, List<List<UUID>>> answers = new LinkedHashMap<>();
        Map<Layout, long[]> nanos = new LinkedHashMap<>();
        List<Layout> order = List.of(Layout.EXACT, Layout.TOWNHALL, Layout.NAIVE, Layout.NAIVE_ITERATIVE);
        for (Layout layout : order) {
            answers.put(layout, new ArrayList<>());
            nanos.put(layout, new long[queries.size()]);
        }
        for (int q = 0; q < queries.size(); q++) {
            for (Layout layout : order) {
                long start = System.nanoTime();
                answers.get(layout).add(nearest(context, layout, queries.get(q)));
                nanos.get(layout)[q] = System.nanoTime() - start;
            }
        }
        Map<Layout, Timed> timed = new LinkedHashMap<>();
        for (Layout layout : Layout.values()) {
            timed.put(layout, new Timed(answers.get(layout), nanos.get(layout), answers.get(Layout.EXACT)));
        }
        return timed;
    }

    /**
     * Queries per second with {@code clients} threads, each with its own context (and so its own pooled connection
     * per transaction): together they make one pass over the query set, each client its share from its own offset,
     * stopping early when the window closes.
     */
    private static double throughput(Towns towns, Asker asker, Layout layout, List<float[]> queries, int clients) {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            long deadline = System.nanoTime() + THROUGHPUT_WINDOW.toNanos();
            int share = (queries.size() + clients - 1) / clients;
            long start = System.nanoTime();
            List<Future<Integer>> done = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                TownContext own = towns.as(asker.handle + "@" + asker.town);
                done.add(pool.submit(new Client(own, layout, queries, i * share, share, deadline)));
            }
            long completed = 0;
            for (Future<Integer> f : done) {
                completed += f.get();
            }
            return completed / ((System.nanoTime() - start) / 1e9);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TownHallException(ErrorCode.INTERNAL, "bench search was interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new TownHallException(ErrorCode.INTERNAL, "bench search: a client failed: " + e.getCause(), e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** One concurrent client: {@code count} queries from {@code offset} on (wrapping), or fewer at the deadline. */
    private static final class Client implements Callable<Integer> {
        private final TownContext context;
        private final Layout layout;
        private final List<float[]> queries;
        private final int offset;
        private final int count;
        private final long deadline;

        Client(TownContext context, Layout layout, List<float[]> queries, int offset, int count, long deadline) {
            this.context = context;
            this.layout = layout;
            this.queries = queries;
            this.offset = offset;
            this.count = count;
            this.deadline = deadline;
        }

        @Override
        public Integer call() {
            int done = 0;
            while (done < count && System.nanoTime() < deadline) {
                nearest(context, layout, queries.get((offset + done) % queries.size()));
                done++;
            }
            return done;
        }
    }

    /** The ids of the k nearest rows {@code context} may read, by {@code layout}, in one transaction. */
    static List<UUID> nearest(TownContext context, Layout layout, float[] query) {
        return context.inTransaction(h -> switch (layout) {
            case TOWNHALL -> townhall(h, query);
            case NAIVE -> ordered(h, SearchCorpus.NAIVE_TABLE, query);
            case NAIVE_ITERATIVE -> {
                h.execute("SELECT set_config('hnsw.iterative_scan', 'relaxed_order', true)");
                yield ordered(h, SearchCorpus.NAIVE_TABLE, query);
            }
            case EXACT -> {
                h.execute("SET LOCAL enable_indexscan = off");
                yield ordered(h, "memory.embeddings", query);
            }
        });
    }

    /** What {@code Search} does for the vector part: the acting membership, then {@link VectorQuery}. */
    private static List<UUID> townhall(Handle h, float[] query) {
        ActingScope scope = ActingScope.read(h, K);
        return VectorQuery.nearest(h, SearchCorpus.MODEL, SearchCorpus.DIMENSIONS, query, EnumSet.of(SearchType.CONTACTS),
                K, scope.readableTowns(), scope.actingTown(), scope.capital()).stream().map(Candidate::id).toList();
    }

    /** The plain query: nearest first under row-level security, whatever plan the planner picks for it. */
    private static List<UUID> ordered(Handle h, String table, float[] query) {
        return h.createQuery("""
                        SELECT entity_id FROM %1$s WHERE model = :model
                        ORDER BY embedding::vector(%2$d) <=> CAST(:q AS vector(%2$d)) LIMIT :k"""
                        .formatted(table, SearchCorpus.DIMENSIONS))
                .bind("model", SearchCorpus.MODEL).bind("q", Vectors.literal(query)).bind("k", K)
                .mapTo(UUID.class).list();
    }
}
