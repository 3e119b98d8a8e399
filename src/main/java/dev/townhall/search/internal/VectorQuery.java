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
    private static final int FIRST_POOL_FACTOR = 3;
    private static final int POOL_GROWTH = 4;
    /** pgvector refuses ef_search above 1000; iterative scans continue past it. */
    private static final int MAX_EF_SEARCH = 1_000;
    /** Candidates every HNSW scan keeps at least; 100 costs little and lifts recall on dense clusters. */
    private static final int MIN_EF_SEARCH = 100;
    private static final int MAX_POOL = 20_000;

    private VectorQuery() {
    }

    public static List<Candidate> nearest(Handle handle, String model, int dimensions, float[] query,
                                          Set<SearchType> types, int limit, List<UUID> readableTowns, UUID actingTown,
                                          boolean capital) {
        String vector = Vectors.literal(query);
        List<String> entityTypes = types.stream().map(SearchType::entityType).toList();
        int pool = limit * FIRST_POOL_FACTOR;
        while (true) {
            handle.execute("SELECT set_config('hnsw.ef_search', ?, true), set_config('hnsw.iterative_scan', 'strict_order', true),"
                    + " set_config('plan_cache_mode', 'force_custom_plan', true)",
                    Integer.toString(Math.min(MAX_EF_SEARCH, Math.max(MIN_EF_SEARCH, pool))));
            List<Row> rows = new ArrayList<>(readable(handle, model, dimensions, vector, entityTypes, readableTowns, pool));
            boolean exhausted = rows.size() < pool;
            if (!capital) {
                List<Row> shared = sharedByOthers(handle, model, dimensions, vector, entityTypes, readableTowns,
                        actingTown, pool);
                rows.addAll(shared);
                exhausted &= shared.size() < pool;
            }
            List<Candidate> best = bestPerEntity(rows, limit);
            if (best.size() >= limit || exhausted || pool >= MAX_POOL) {
                return best;
            }
            pool = Math.min(MAX_POOL, pool * POOL_GROWTH);
        }
    }

    private record Row(String entityType, UUID entityId, double distance, int chunkStart, int chunkEnd) {
    }

    private static List<Row> readable(Handle handle, String model, int dimensions, String vector,
                                      List<String> entityTypes, List<UUID> towns, int pool) {
        // the distance expression must be the indexed one, embedding::vector(N), for the HNSW index to serve it
        return handle.createQuery("""
                        SELECT e.entity_type, e.entity_id, e.embedding::vector(%1$d) <=> CAST(:query AS vector(%1$d)),
                               e.chunk_start, e.chunk_end
                        FROM memory.embeddings e
                        WHERE e.town_id = ANY (:towns) AND e.entity_type = ANY (:types) AND e.model = :model
                        ORDER BY e.embedding::vector(%1$d) <=> CAST(:query AS vector(%1$d))
                        LIMIT :pool""".formatted(dimensions))
                .bind("query", vector).bindArray("towns", UUID.class, towns).bindArray("types", String.class, entityTypes)
                .bind("model", model).bind("pool", pool)
                .map((rs, ctx) -> new Row(rs.getString(1), rs.getObject(2, UUID.class), rs.getDouble(3), rs.getInt(4),
                        rs.getInt(5)))
                .list();
    }

    private static List<Row> sharedByOthers(Handle handle, String model, int dimensions, String vector,
                                            List<String> entityTypes, List<UUID> readableTowns, UUID actingTown, int pool) {
        return handle.createQuery("""
                        SELECT e.entity_type, e.entity_id, e.embedding::vector(%1$d) <=> CAST(:query AS vector(%1$d)),
                               e.chunk_start, e.chunk_end
                        FROM memory.embeddings e
                        WHERE e.visibility = 'shared' AND e.entity_type = ANY (:types) AND e.model = :model
                          AND e.town_id <> ALL (:readable)
                          AND (e.shared_with = '{}' OR :town = ANY (e.shared_with))
                        ORDER BY e.embedding::vector(%1$d) <=> CAST(:query AS vector(%1$d))
                        LIMIT :pool""".formatted(dimensions))
                .bind("query", vector).bindArray("readable", UUID.class, readableTowns)
                .bindArray("types", String.class, entityTypes).bind("model", model).bind("town", actingTown)
                .bind("pool", pool)
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
