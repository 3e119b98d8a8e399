package dev.townhall.search.internal;

import dev.townhall.search.SearchType;
import org.jdbi.v3.core.Handle;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The k nearest entities a user may read, by construction rather than by post-filtering (decision #23).
 * {@code memory.embeddings} is partitioned by town and then entity type, each partition with its own HNSW index, so:
 * <ul>
 * <li>the rows of the towns the user may read come from those towns' partitions only (pruned by
 *     {@code town_id = ANY(:readable)}; the capital reads every town's), and an index scan never hands back a row of
 *     a town it must skip, whatever the other towns hold near the query;</li>
 * <li>rows other towns shared come from each partition's shared-rows index ({@code WHERE visibility = 'shared'});
 *     only a row shared with a named list that excludes the asker is filtered after the scan, and iterative scans
 *     keep the scan going until the limit is met.</li>
 * </ul>
 * Long texts have several chunk vectors, so candidates are grouped by entity (best chunk wins) and the candidate
 * pool grows until it holds {@code limit} entities or nothing more exists.
 */
public final class VectorQuery {
    /** Candidates per wanted entity at first; long texts spend several on their chunks. */
    private static final int FIRST_POOL_FACTOR = 2;
    private static final int POOL_GROWTH = 4;
    /** pgvector refuses ef_search above 1000; iterative scans continue past it. */
    private static final int MAX_EF_SEARCH = 1_000;
    /** Twice pgvector's default: at 40, recall@10 in the 80 % town's partition was 0.967 (bench search, 100k rows). */
    private static final int MIN_EF_SEARCH = 80;
    private static final int MAX_POOL = 20_000;

    private VectorQuery() {
    }

    /**
     * The session settings a search needs before its first nearest-neighbour statement is planned, as select-list
     * items (bind {@code :efSearch} to {@link #firstEfSearch}): the caller runs them in a statement it runs anyway,
     * which saves a round trip per search. Iterative scans keep an index scan going past {@code ef_search} when rows
     * are filtered after it; custom plans let the planner prune partitions with the bound town ids.
     */
    public static final String SESSION_SETTINGS = """
            set_config('hnsw.iterative_scan', 'strict_order', true),
            set_config('plan_cache_mode', 'force_custom_plan', true),
            set_config('hnsw.ef_search', :efSearch, true)""";

    public static String firstEfSearch(int limit) {
        return efSearch(limit * FIRST_POOL_FACTOR);
    }

    private static String efSearch(int pool) {
        return Integer.toString(Math.min(MAX_EF_SEARCH, Math.max(MIN_EF_SEARCH, pool)));
    }

    /** The best {@code limit} entities; expects {@link #SESSION_SETTINGS} to be in effect in this transaction. */
    public static List<Candidate> nearest(Handle handle, String model, int dimensions, float[] query,
                                          Set<SearchType> types, int limit, List<UUID> readableTowns, UUID actingTown,
                                          boolean capital) {
        String vector = Vectors.literal(query);
        List<String> entityTypes = types.stream().map(SearchType::entityType).toList();
        int pool = limit * FIRST_POOL_FACTOR;
        while (true) {
            List<Row> rows = candidates(handle, model, dimensions, vector, entityTypes, readableTowns, actingTown,
                    capital, pool);
            List<Candidate> best = bestPerEntity(rows, limit);
            // each arm returns at most pool rows: fewer from both means nothing more exists
            if (best.size() >= limit || rows.size() < pool || pool >= MAX_POOL) {
                return best;
            }
            pool = Math.min(MAX_POOL, pool * POOL_GROWTH);
            handle.createQuery("SELECT set_config('hnsw.ef_search', :ef, true)").bind("ef", efSearch(pool))
                    .mapTo(String.class).one();
        }
    }

    private record Row(String entityType, UUID entityId, double distance, int chunkStart, int chunkEnd) {
    }

    /**
     * One statement: the readable towns' nearest rows (their partitions only) and, unless the asker reads every
     * town, other towns' shared rows (their shared-rows indexes); the distance expression is the indexed one,
     * {@code embedding::vector(N)}, so the HNSW indexes serve both arms.
     */
    private static List<Row> candidates(Handle handle, String model, int dimensions, String vector,
                                        List<String> entityTypes, List<UUID> readableTowns, UUID actingTown,
                                        boolean capital, int pool) {
        return handle.createQuery("""
                        (SELECT e.entity_type, e.entity_id, e.embedding::vector(%1$d) <=> CAST(:query AS vector(%1$d)) AS distance,
                                e.chunk_start, e.chunk_end
                         FROM memory.embeddings e
                         WHERE e.town_id = ANY (:towns) AND e.entity_type = ANY (:types) AND e.model = :model
                         ORDER BY e.embedding::vector(%1$d) <=> CAST(:query AS vector(%1$d))
                         LIMIT :pool)
                        UNION ALL
                        (SELECT e.entity_type, e.entity_id, e.embedding::vector(%1$d) <=> CAST(:query AS vector(%1$d)),
                                e.chunk_start, e.chunk_end
                         FROM memory.embeddings e
                         WHERE NOT :capital AND e.visibility = 'shared' AND e.entity_type = ANY (:types) AND e.model = :model
                           AND e.town_id <> ALL (:towns)
                           AND (e.shared_with = '{}' OR :town = ANY (e.shared_with))
                         ORDER BY e.embedding::vector(%1$d) <=> CAST(:query AS vector(%1$d))
                         LIMIT :pool)""".formatted(dimensions))
                .bind("query", vector).bindArray("towns", UUID.class, readableTowns)
                .bindArray("types", String.class, entityTypes).bind("model", model).bind("town", actingTown)
                .bind("capital", capital).bind("pool", pool)
                .map((rs, ctx) -> new Row(rs.getString(1), rs.getObject(2, UUID.class), rs.getDouble(3), rs.getInt(4),
                        rs.getInt(5)))
                .list();
    }

    private static List<Candidate> bestPerEntity(List<Row> rows, int limit) {
        Map<UUID, Row> best = new LinkedHashMap<>();
        rows.stream().sorted(Comparator.comparingDouble(Row::distance))
                .forEach(row -> best.putIfAbsent(row.entityId(), row));
        return best.values().stream().limit(limit)
                .map(r -> new Candidate(SearchType.ofEntityType(r.entityType()), r.entityId(), 1 - r.distance(),
                        r.chunkStart(), r.chunkEnd()))
                .toList();
    }
}
