package dev.townhall.search;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.search.internal.ContentHash;
import dev.townhall.search.internal.EmbeddingBatch;
import dev.townhall.towns.Town;
import dev.townhall.towns.TownContext;
import dev.townhall.towns.Towns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Drains {@code memory.embedding_queue}: the vectors of every searchable row ({@code memory.search_documents})
 * follow its text and its sharing. The worker acts in each town as the organisation's embedding service identity
 * (user {@value #SERVICE_HANDLE}, a {@code service} member of every town), never as the owner role, so row-level
 * security applies to everything it reads and writes. Each batch is one transaction: claim queue rows
 * ({@code FOR UPDATE SKIP LOCKED}), embed what changed (a content hash of model and text says what did), replace those
 * vectors, drop the queue rows, commit; a kill at any point loses nothing and repeats nothing, and several workers
 * can share a queue. Configure with the fluent methods, which return a new worker.
 */
public final class EmbeddingWorker {
    public static final int DEFAULT_BATCH_SIZE = 32;
    public static final int MAX_BATCH_SIZE = 1_000;
    public static final int DEFAULT_MAX_ATTEMPTS = 5;
    public static final Duration POLL_INTERVAL = Duration.ofSeconds(1);
    /** A failed row waits this long times 2^(attempts - 1) before it is retried (alone). */
    public static final Duration FIRST_RETRY_DELAY = Duration.ofSeconds(2);
    public static final String SERVICE_HANDLE = "townhall-embedder";
    public static final String SERVICE_EMAIL = "embedder@townhall.invalid";


    private static final Logger LOG = LoggerFactory.getLogger(EmbeddingWorker.class);

    /** Progress of a drain: queue rows handled of those known, and how fast. */
    public record Progress(long done, long total, Duration elapsed, boolean finished) {
        public double rowsPerSecond() {
            double seconds = elapsed.toNanos() / 1e9;
            return seconds <= 0 ? 0 : done / seconds;
        }

        /** Time left at the current rate; zero when unknown or done. */
        public Duration eta() {
            double rate = rowsPerSecond();
            return rate <= 0 || done >= total ? Duration.ZERO : Duration.ofSeconds((long) ((total - done) / rate));
        }
    }

    private final Towns towns;
    private final EmbeddingProvider provider;
    private final UUID serviceUser;
    private final int batchSize;
    private final int maxAttempts;
    private final long limit;
    private final Consumer<Progress> progress;
    private final BooleanSupplier stopWatching; // null: drain once and return

    private EmbeddingWorker(Towns towns, EmbeddingProvider provider, UUID serviceUser, int batchSize, int maxAttempts,
                            long limit, Consumer<Progress> progress, BooleanSupplier stopWatching) {
        this.towns = towns;
        this.provider = provider;
        this.serviceUser = serviceUser;
        this.batchSize = batchSize;
        this.maxAttempts = maxAttempts;
        this.limit = limit;
        this.progress = progress;
        this.stopWatching = stopWatching;
    }

    /**
     * A worker embedding with {@code provider} in the organisation of {@code towns}. Makes sure the service
     * identity exists with a {@code service} membership in every town (as the owner: the only step that is).
     * Neither argument is closed by the worker.
     */
    public static EmbeddingWorker create(Towns towns, EmbeddingProvider provider) {
        UUID user = towns.ensureServiceUser(SERVICE_HANDLE, SERVICE_EMAIL, "TownHall embedding worker");
        return new EmbeddingWorker(towns, provider, user, DEFAULT_BATCH_SIZE, DEFAULT_MAX_ATTEMPTS, Long.MAX_VALUE,
                p -> { }, null);
    }

    /** Entities per batch and transaction (default {@value #DEFAULT_BATCH_SIZE}). */
    public EmbeddingWorker batchSize(int entities) {
        if (entities < 1 || entities > MAX_BATCH_SIZE) {
            throw new TownHallException(ErrorCode.INVALID_INPUT, "the batch size must be from 1 to " + MAX_BATCH_SIZE
                    + " entities, got " + entities);
        }
        return new EmbeddingWorker(towns, provider, serviceUser, entities, maxAttempts, limit, progress, stopWatching);
    }

    /** Failed attempts after which a queue row is parked (default {@value #DEFAULT_MAX_ATTEMPTS}). */
    public EmbeddingWorker maxAttempts(int attempts) {
        if (attempts < 1 || attempts > 100) {
            throw new TownHallException(ErrorCode.INVALID_INPUT, "max attempts must be from 1 to 100, got " + attempts);
        }
        return new EmbeddingWorker(towns, provider, serviceUser, batchSize, attempts, limit, progress, stopWatching);
    }

    /** Handle at most {@code rows} queue rows in one {@link #drain}. */
    public EmbeddingWorker limit(long rows) {
        if (rows < 1) {
            throw new TownHallException(ErrorCode.INVALID_INPUT, "the limit must be at least 1 row, got " + rows);
        }
        return new EmbeddingWorker(towns, provider, serviceUser, batchSize, maxAttempts, rows, progress, stopWatching);
    }

    /** Called after every batch and once at the end, on the draining thread. */
    public EmbeddingWorker onProgress(Consumer<Progress> listener) {
        return new EmbeddingWorker(towns, provider, serviceUser, batchSize, maxAttempts, limit, listener, stopWatching);
    }

    /**
     * Keep draining as rows arrive (polling every {@link #POLL_INTERVAL}) until {@code stop} says so; checked
     * between batches, so a stop never interrupts a transaction.
     */
    public EmbeddingWorker watch(BooleanSupplier stop) {
        return new EmbeddingWorker(towns, provider, serviceUser, batchSize, maxAttempts, limit, progress, stop);
    }

    /** The service identity's user id. */
    public UUID serviceUser() {
        return serviceUser;
    }

    /** The entity types {@code names} (as {@code --types} takes them) stand for; all of them when empty. */
    public static Set<String> entityTypes(Collection<String> names) {
        Set<String> types = new LinkedHashSet<>();
        SearchType.parseList(String.join(",", names)).forEach(t -> types.add(t.entityType()));
        return types;
    }

    /**
     * Backfill: queues every searchable row of {@code town} among {@code types} (entity types) that has text and
     * lacks current vectors of this worker's model (none, another text's hash, or other sharing). Rows already
     * queued stay as they are, and other models' vectors are not looked at. Returns how many rows were queued.
     */
    public long enqueueAll(Town town, Collection<String> types) {
        String[] kinds = requireTypes(types);
        return context(town).inTransaction(h -> (long) h.createUpdate("""
                        INSERT INTO memory.embedding_queue (org_id, town_id, entity_type, entity_id)
                        SELECT d.org_id, d.town_id, d.entity_type, d.entity_id
                        FROM memory.search_documents d
                        WHERE d.town_id = :town AND d.entity_type = ANY(CAST(:types AS text[]))
                          AND d.body ~ '[^[:space:]]'
                          AND NOT EXISTS (
                              SELECT 1 FROM memory.embeddings e
                              WHERE e.town_id = d.town_id AND e.entity_type = d.entity_type
                                AND e.entity_id = d.entity_id AND e.model = :model AND e.chunk_no = 0
                                AND e.content_hash = %s
                                AND e.visibility = d.visibility AND e.shared_with = d.shared_with)
                        ON CONFLICT (town_id, entity_type, entity_id) DO NOTHING""".formatted(ContentHash.sql("d.body")))
                .bind("town", town.id()).bind("types", kinds).bind("model", provider.model())
                .execute());
    }

    /** Rows waiting in the queue per entity type, over the towns of {@code scope}, counted as each town's service user. */
    public Map<String, Long> queued(List<Town> scope) {
        Map<String, Long> counts = new java.util.TreeMap<>();
        for (Town town : scope) {
            context(town).inTransaction(h -> h.createQuery("""
                            SELECT entity_type, count(*) FROM memory.embedding_queue
                            WHERE town_id = :town GROUP BY entity_type""")
                    .bind("town", town.id())
                    .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2))).list())
                    .forEach(e -> counts.merge(e.getKey(), e.getValue(), Long::sum));
        }
        return counts;
    }

    /** {@link #enqueueAll} for every town in {@code scope}, then {@link #drain}. */
    public EmbedReport run(List<Town> scope, Collection<String> types) {
        long enqueued = 0;
        for (Town town : scope) {
            enqueued += enqueueAll(town, types);
        }
        EmbedReport drained = drain(scope, types);
        return new EmbedReport(drained.provider(), drained.model(), enqueued, drained.lines(), drained.elapsed(),
                drained.limitReached());
    }

    /**
     * Embeds the queued rows of {@code types} in each town of {@code scope} until none is left (or the limit is
     * reached, or, when watching, until stopped). A batch the provider fails on is rolled back and each of its rows
     * gets a failed attempt (and its error) recorded; a row out of attempts is parked and reported.
     */
    public EmbedReport drain(List<Town> scope, Collection<String> types) {
        List<String> kinds = List.of(requireTypes(types));
        Drain run = new Drain(scope, kinds);
        EmbedReport report = run.execute();
        LOG.info("embedded {} rows ({} vectors, model {}) in {} ms: {} unchanged, {} removed, {} failed, {} parked",
                report.embedded(), report.chunks(), report.model(), report.elapsed().toMillis(), report.unchanged(),
                report.removed(), report.failed(), report.parked());
        return report;
    }

    private TownContext context(Town town) {
        return towns.as(serviceUser, town.id());
    }

    private static String[] requireTypes(Collection<String> types) {
        Set<String> known = Arrays.stream(SearchType.values()).map(SearchType::entityType).collect(Collectors.toSet());
        for (String type : types) {
            if (!known.contains(type)) {
                throw new TownHallException(ErrorCode.INVALID_INPUT, "'" + type + "' is not a searchable entity type;"
                        + " they are " + known);
            }
        }
        if (types.isEmpty()) {
            throw new TownHallException(ErrorCode.INVALID_INPUT, "no entity types to embed");
        }
        return types.toArray(new String[0]);
    }

    /** One drain: its clock, its tallies per town and type, and the failed rows not yet due for a retry. */
    private final class Drain {
        private final List<Town> scope;
        private final List<String> types;
        private final Map<String, Tally> tallies = new LinkedHashMap<>();
        private final Map<UUID, Long> retryAtNanos = new HashMap<>();
        private final long started = System.nanoTime();
        private long done;
        private long total;

        Drain(List<Town> scope, List<String> types) {
            this.scope = List.copyOf(scope);
            this.types = types;
        }

        EmbedReport execute() {
            total = eligible();
            while (true) {
                for (Town town : scope) {
                    drainTown(town);
                }
                if (stopWatching == null || done >= limit || stopWatching.getAsBoolean() || !pause()) {
                    break;
                }
                total = Math.max(total, done + eligible());
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            progress.accept(new Progress(done, Math.max(total, done), elapsed, true));
            return new EmbedReport(provider.provider(), provider.model(), 0, lines(), elapsed, done >= limit);
        }

        private void drainTown(Town town) {
            EmbeddingBatch batch = new EmbeddingBatch(provider, town.id(), types, maxAttempts);
            TownContext context = context(town);
            while (done < limit && (stopWatching == null || !stopWatching.getAsBoolean())) {
                int size = (int) Math.min(batchSize, limit - done);
                List<UUID> notDue = notDue();
                long t0 = System.nanoTime();
                EmbeddingBatch.Outcome outcome;
                try {
                    outcome = context.inTransaction(h -> batch.run(h, size, notDue));
                } catch (EmbeddingBatch.ProviderFailure failure) {
                    recordFailure(town, context, batch, failure);
                    continue;
                }
                if (outcome.isEmpty()) {
                    return;
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                long rows = outcome.byType().values().stream().mapToLong(EmbeddingBatch.Counts::entities).sum();
                outcome.byType().forEach((type, counts) ->
                        tally(town, type).add(counts, rows == 0 ? 0 : seconds * counts.entities() / rows));
                done += outcome.claimed().size();
                report();
            }
        }

        private void recordFailure(Town town, TownContext context, EmbeddingBatch batch,
                                   EmbeddingBatch.ProviderFailure failure) {
            List<EmbeddingBatch.Claim> claims = failure.claims();
            LOG.warn("embedding {} queued rows of town {} failed, will retry: {}", claims.size(), town.slug(),
                    failure.getMessage());
            context.inTransaction(h -> batch.recordFailure(h, claims, failure.getMessage()));
            long now = System.nanoTime();
            for (EmbeddingBatch.Claim claim : claims) {
                long delay = FIRST_RETRY_DELAY.toNanos() << Math.min(claim.attempts(), 10);
                retryAtNanos.put(claim.id(), now + delay);
                tally(town, claim.entityType()).failed++;
            }
            done += claims.size();
            report();
        }

        private List<UUID> notDue() {
            long now = System.nanoTime();
            retryAtNanos.values().removeIf(at -> at - now <= 0);
            return new ArrayList<>(retryAtNanos.keySet());
        }

        private long eligible() {
            long rows = 0;
            for (Town town : scope) {
                rows += context(town).inTransaction(h -> h.createQuery("""
                                SELECT count(*) FROM memory.embedding_queue
                                WHERE town_id = :town AND entity_type = ANY(CAST(:types AS text[])) AND attempts < :max""")
                        .bind("town", town.id()).bind("types", types.toArray(new String[0])).bind("max", maxAttempts)
                        .mapTo(Long.class).one());
            }
            return rows;
        }

        /** Queue rows out of attempts, per town and type, as the report shows them. */
        private void countParked() {
            for (Town town : scope) {
                context(town).inTransaction(h -> h.createQuery("""
                                SELECT entity_type, count(*) FROM memory.embedding_queue
                                WHERE town_id = :town AND entity_type = ANY(CAST(:types AS text[])) AND attempts >= :max
                                GROUP BY entity_type ORDER BY entity_type""")
                        .bind("town", town.id()).bind("types", types.toArray(new String[0])).bind("max", maxAttempts)
                        .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2))).list())
                        .forEach(e -> tally(town, e.getKey()).parked = e.getValue());
            }
        }

        private List<EmbedReport.Line> lines() {
            countParked();
            List<EmbedReport.Line> lines = new ArrayList<>();
            for (Town town : scope) {
                for (String type : types) {
                    Tally t = tallies.get(town.slug() + "/" + type);
                    if (t != null) {
                        lines.add(new EmbedReport.Line(town.slug(), type, t.counts.embedded(), t.counts.unchanged(),
                                t.counts.removed(), t.failed, t.parked, t.counts.chunks(), t.seconds));
                    }
                }
            }
            return lines;
        }

        private Tally tally(Town town, String type) {
            return tallies.computeIfAbsent(town.slug() + "/" + type, k -> new Tally());
        }

        private void report() {
            total = Math.max(total, done);
            progress.accept(new Progress(done, total, Duration.ofNanos(System.nanoTime() - started), false));
        }

        /** Waits for new rows; false when interrupted, which ends the watch like a stop (the flag stays set). */
        private boolean pause() {
            try {
                Thread.sleep(POLL_INTERVAL.toMillis());
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** What a drain did in one town to one entity type. */
    private static final class Tally {
        private EmbeddingBatch.Counts counts = EmbeddingBatch.Counts.NONE;
        private long failed;
        private long parked;
        private double seconds;

        void add(EmbeddingBatch.Counts more, double moreSeconds) {
            counts = counts.plus(more);
            seconds += moreSeconds;
        }
    }
}
