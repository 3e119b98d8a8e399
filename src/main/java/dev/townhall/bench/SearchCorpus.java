package dev.townhall.bench;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Database;
import dev.townhall.db.Identifiers;
import dev.townhall.search.internal.Vectors;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The rows {@code bench search} searches, in two layouts of one scratch database: TownHall's
 * {@code memory.embeddings} (partitioned by town then type, HNSW per partition) and the naive
 * {@code bench_naive.embeddings} (one plain table, one global HNSW index, the same tenant policies). Everything
 * here runs as the owner role, which bypasses row-level security.
 */
final class SearchCorpus {
    static final String MODEL = "all-minilm-l6-v2-q";
    static final int DIMENSIONS = 384;
    static final String NAIVE_TABLE = "bench_naive.embeddings";
    /** Rows per COPY write and per progress check. */
    private static final int COPY_CHUNK_ROWS = 500;
    private static final int PROGRESS_STEPS = 10;
    /**
     * Memory for building HNSW graphs: pgvector builds far slower once the graph no longer fits (it says so in a
     * NOTICE); 1 GB holds a million 384-d vectors' graph on a 24 GiB machine. Applies to the build sessions only.
     */
    static final String BUILD_MAINTENANCE_WORK_MEM = "1GB";

    /** One layout's HNSW indexes: how long they took to build and their size on disk. */
    record Build(Duration time, long bytes) {
    }

    /** What loading did: rows per town, COPY time, and each layout's index build. */
    record Loaded(Map<String, Long> rowsByTown, Duration copyTime, Build townhall, Build naive) {
        long rows() {
            return rowsByTown.values().stream().mapToLong(Long::longValue).sum();
        }

        double copyRowsPerSecond() {
            return rows() / Math.max(1e-9, copyTime.toNanos() / 1e9);
        }
    }

    private SearchCorpus() {
    }

    /**
     * Loads {@code rows} vectors of {@code vectors} into TownHall's table by COPY, with its HNSW indexes dropped
     * and then re-created (timed apart), then the same rows into the naive table and its one global index.
     * Towns: fluenti 80 %, aurora (the capital) 19 %, collaboration 1 %; of aurora's rows, 2 % are shared with
     * the whole organisation and 2 % with collaboration by name.
     */
    static Loaded load(Database db, ClusteredVectors vectors, int rows, long seed, Consumer<String> log)
            throws SQLException {
        try (Connection c = db.owner().connect()) {
            Map<String, UUID> towns = towns(c);
            Map<String, String> hnsw = hnswIndexes(c);
            for (String name : hnsw.keySet()) {
                execute(c, "DROP INDEX memory." + Identifiers.quote(name));
            }
            long start = System.nanoTime();
            Map<String, Long> rowsByTown = copy(c, towns, vectors, rows, new Random(seed), log);
            Duration copyTime = Duration.ofNanos(System.nanoTime() - start);
            execute(c, "ANALYZE memory.embeddings");

            log.accept("building TownHall's HNSW indexes " + hnsw.keySet() + " in every town and type partition");
            Build townhall = build(c, List.copyOf(hnsw.values()), """
                    SELECT sum(pg_relation_size(t.relid))
                    FROM unnest(CAST(? AS regclass[])) p, pg_partition_tree(p) t WHERE t.isleaf""",
                    hnsw.keySet().stream().map(name -> "memory." + Identifiers.quote(name)).toArray(String[]::new));

            log.accept("copying the rows into the naive table " + NAIVE_TABLE + " and building its one HNSW index");
            createNaiveTable(c);
            Build naive = build(c, List.of("CREATE INDEX embeddings_minilm_hnsw_idx ON " + NAIVE_TABLE
                            + " USING hnsw ((embedding::vector(" + DIMENSIONS + ")) vector_cosine_ops)"
                            + " WHERE model = '" + MODEL + "'"),
                    "SELECT sum(pg_relation_size(CAST(p AS regclass))) FROM unnest(CAST(? AS text[])) p",
                    "bench_naive.embeddings_minilm_hnsw_idx");
            return new Loaded(rowsByTown, copyTime, townhall, naive);
        }
    }

    private static Map<String, UUID> towns(Connection c) throws SQLException {
        Map<String, UUID> towns = new LinkedHashMap<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT slug, id FROM core.towns WHERE slug IN ('fluenti', 'aurora', 'collaboration')")) {
            while (rs.next()) {
                towns.put(rs.getString(1), rs.getObject(2, UUID.class));
            }
        }
        if (towns.size() != 3) {
            throw new TownHallException(ErrorCode.INTERNAL, "bench search: the migrated schema should seed the towns"
                    + " fluenti, aurora and collaboration, found " + towns.keySet());
        }
        return towns;
    }

    /**
     * The HNSW indexes of memory.embeddings for {@value #MODEL} (partitioned parents: dropping one drops it in every
     * partition), by name, with the statement that re-creates them as the migrations define them.
     */
    private static Map<String, String> hnswIndexes(Connection c) throws SQLException {
        Map<String, String> indexes = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT indexname, indexdef FROM pg_indexes
                WHERE schemaname = 'memory' AND tablename = 'embeddings'
                  AND indexdef LIKE '% USING hnsw %' AND indexdef LIKE ? ORDER BY indexname""")) {
            ps.setString(1, "%'" + MODEL + "'%");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    // a partitioned index reads "ON ONLY parent", which would not build the partitions' indexes
                    indexes.put(rs.getString(1), rs.getString(2).replace(" ON ONLY ", " ON "));
                }
            }
        }
        if (indexes.isEmpty()) {
            throw new TownHallException(ErrorCode.INTERNAL, "bench search: memory.embeddings has no HNSW index for "
                    + MODEL + " to rebuild; the migrations define one");
        }
        return indexes;
    }

    private static Map<String, Long> copy(Connection c, Map<String, UUID> towns, ClusteredVectors vectors, int rows,
                                          Random random, Consumer<String> log) throws SQLException {
        UUID org = orgOf(c, towns.get("fluenti"));
        String orgText = org.toString();
        String collaborationArray = "{" + towns.get("collaboration") + "}";
        Map<String, Long> counts = new LinkedHashMap<>();
        towns.keySet().forEach(slug -> counts.put(slug, 0L));
        long auroraRows = 0;
        long start = System.nanoTime();
        int nextReport = Math.max(1, rows / PROGRESS_STEPS);
        CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn("""
                COPY memory.embeddings (org_id, town_id, visibility, shared_with, entity_type, entity_id, provider,
                                        model, dimensions, content_hash, embedding) FROM STDIN""");
        try {
            StringBuilder chunk = new StringBuilder(COPY_CHUNK_ROWS * DIMENSIONS * 12);
            for (int n = 0; n < rows; n++) {
                String town = townOf(n);
                String visibility = "private";
                String sharedWith = "{}";
                if (town.equals("aurora")) {
                    // 2 % with collaboration by name, 2 % with every town
                    long a = auroraRows++;
                    if (a % 50 == 0) {
                        visibility = "shared";
                        sharedWith = collaborationArray;
                    } else if (a % 50 == 25) {
                        visibility = "shared";
                    }
                }
                counts.merge(town, 1L, Long::sum);
                chunk.append(orgText).append('\t').append(towns.get(town)).append('\t').append(visibility).append('\t')
                        .append(sharedWith).append("\tcontact\t").append(new UUID(random.nextLong(), random.nextLong()))
                        .append("\tbench\t").append(MODEL).append('\t').append(DIMENSIONS).append('\t')
                        .append(String.format("%016x", n)).append('\t').append(Vectors.literal(vectors.next()))
                        .append('\n');
                if ((n + 1) % COPY_CHUNK_ROWS == 0 || n + 1 == rows) {
                    byte[] bytes = chunk.toString().getBytes(StandardCharsets.UTF_8);
                    copy.writeToCopy(bytes, 0, bytes.length);
                    chunk.setLength(0);
                }
                if (n + 1 >= nextReport) {
                    double seconds = (System.nanoTime() - start) / 1e9;
                    log.accept(String.format("  COPY %,d / %,d rows (%,.0f rows/s)", n + 1, rows, (n + 1) / seconds));
                    nextReport += Math.max(1, rows / PROGRESS_STEPS);
                }
            }
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
        return counts;
    }

    /** Row {@code n}'s town: 1 in 100 rows collaboration, 19 aurora, 80 fluenti, interleaved. */
    private static String townOf(int n) {
        int slot = n % 100;
        return slot == 99 ? "collaboration" : slot < 19 ? "aurora" : "fluenti";
    }

    private static UUID orgOf(Connection c, UUID town) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT org_id FROM core.towns WHERE id = ?")) {
            ps.setObject(1, town);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getObject(1, UUID.class);
            }
        }
    }

    /** The naive design: the same columns and rows in one plain table, under the same tenant policies. */
    private static void createNaiveTable(Connection c) throws SQLException {
        execute(c, "CREATE SCHEMA bench_naive");
        execute(c, "CREATE TABLE " + NAIVE_TABLE + " (LIKE memory.embeddings INCLUDING DEFAULTS INCLUDING CONSTRAINTS)");
        execute(c, "INSERT INTO " + NAIVE_TABLE + " SELECT * FROM memory.embeddings");
        execute(c, "ALTER TABLE " + NAIVE_TABLE + " ADD CONSTRAINT embeddings_pkey PRIMARY KEY (id)");
        execute(c, "CREATE INDEX embeddings_org_town_idx ON " + NAIVE_TABLE + " (org_id, town_id)");
        execute(c, "SELECT core.enable_tenancy('" + NAIVE_TABLE + "')");
        execute(c, "GRANT USAGE ON SCHEMA bench_naive TO " + Identifiers.quote(Database.APP_ROLE));
        execute(c, "GRANT SELECT ON " + NAIVE_TABLE + " TO " + Identifiers.quote(Database.APP_ROLE));
        execute(c, "ANALYZE " + NAIVE_TABLE);
    }

    /** Runs {@code statements} (index builds) with room for the graphs, then sums the sizes of {@code indexes}. */
    private static Build build(Connection c, List<String> statements, String sizeQuery, String... indexes)
            throws SQLException {
        execute(c, "SET maintenance_work_mem = '" + BUILD_MAINTENANCE_WORK_MEM + "'");
        long start = System.nanoTime();
        for (String statement : statements) {
            execute(c, statement);
        }
        Duration time = Duration.ofNanos(System.nanoTime() - start);
        execute(c, "RESET maintenance_work_mem");
        try (PreparedStatement ps = c.prepareStatement(sizeQuery)) {
            ps.setArray(1, c.createArrayOf("text", indexes));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Build(time, rs.getLong(1));
            }
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
