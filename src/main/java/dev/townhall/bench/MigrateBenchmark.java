package dev.townhall.bench;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Database;
import dev.townhall.db.LocalCluster;
import dev.townhall.db.ScratchDatabase;
import dev.townhall.schema.Migrator;
import dev.townhall.schema.Verifier;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Time from an empty database to the fully migrated schema, repeated on fresh scratch databases of the local
 * cluster, plus what the schema holds.
 */
public final class MigrateBenchmark {
    private static final String SCRATCH = "townhall_bench_migrate";
    /** The schemas whose objects the report counts. */
    private static final List<String> SCHEMAS = Verifier.SCHEMAS;

    private final LocalCluster cluster;

    private MigrateBenchmark(LocalCluster cluster) {
        this.cluster = cluster;
    }

    public static MigrateBenchmark on(Database db) {
        return new MigrateBenchmark(ScratchDatabase.clusterOf(db, "bench migrate"));
    }

    /** Timings of each run and the object counts of the migrated schema. */
    public record Report(List<Duration> runs, int changesets, Map<String, Long> objects) {
        public Duration median() {
            List<Duration> sorted = new ArrayList<>(runs);
            sorted.sort(null);
            int n = sorted.size();
            return n % 2 == 1 ? sorted.get(n / 2) : sorted.get(n / 2 - 1).plus(sorted.get(n / 2)).dividedBy(2);
        }

        /** The median, each run, and each object count, measured with {@code runs} and {@code changesets}. */
        public Figures figures() {
            Figures figures = Figures.of("migrate", Map.of("runs", runs.size(), "changesets", changesets));
            figures.add("median", "s", seconds(median()));
            for (int i = 0; i < runs.size(); i++) {
                figures.add("run", "s", seconds(runs.get(i)), Map.of("run", i + 1));
            }
            objects.forEach((kind, count) -> figures.add(kind, "count", count));
            return figures;
        }

        private static double seconds(Duration d) {
            return d.toNanos() / 1e9;
        }
    }

    public Report run(int repetitions) {
        if (repetitions < 1) {
            throw new TownHallException(ErrorCode.INVALID_INPUT, "--runs must be at least 1, got " + repetitions);
        }
        List<Duration> runs = new ArrayList<>();
        int changesets = 0;
        Map<String, Long> objects = Map.of();
        for (int i = 0; i < repetitions; i++) {
            Database scratch = ScratchDatabase.fresh(cluster, SCRATCH);
            Migrator.MigrateReport report = Migrator.as(scratch.owner()).migrate(null);
            runs.add(report.elapsed());
            changesets = report.applied().size();
            if (i == repetitions - 1) {
                objects = countObjects(scratch);
            }
        }
        ScratchDatabase.drop(cluster, SCRATCH);
        return new Report(runs, changesets, objects);
    }

    private static Map<String, Long> countObjects(Database db) {
        String sql = """
                SELECT 'schemas',   count(*) FROM pg_namespace WHERE nspname = ANY (?)
                UNION ALL SELECT 'tables',    count(*) FROM pg_tables WHERE schemaname = ANY (?)
                UNION ALL SELECT 'views',     count(*) FROM pg_views WHERE schemaname = ANY (?)
                UNION ALL SELECT 'indexes',   count(*) FROM pg_indexes WHERE schemaname = ANY (?)
                UNION ALL SELECT 'functions', count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                                              WHERE n.nspname = ANY (?)
                UNION ALL SELECT 'policies',  count(*) FROM pg_policies WHERE schemaname = ANY (?)
                UNION ALL SELECT 'triggers',  count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                                              JOIN pg_namespace n ON n.oid = c.relnamespace
                                              WHERE NOT t.tgisinternal AND n.nspname = ANY (?)
                """;
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection c = db.owner().connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            Array schemas = c.createArrayOf("text", SCHEMAS.toArray());
            for (int i = 1; i <= ps.getParameterMetaData().getParameterCount(); i++) {
                ps.setArray(i, schemas);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                }
            }
        } catch (SQLException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "cannot count schema objects", e);
        }
        return counts;
    }
}
