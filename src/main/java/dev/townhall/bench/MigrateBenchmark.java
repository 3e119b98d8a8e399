package dev.townhall.bench;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Database;
import dev.townhall.db.LocalCluster;
import dev.townhall.schema.Migrator;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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

    private final LocalCluster cluster;

    private MigrateBenchmark(LocalCluster cluster) {
        this.cluster = cluster;
    }

    public static MigrateBenchmark on(Database db) {
        return new MigrateBenchmark(db.cluster().orElseThrow(() -> new TownHallException(ErrorCode.CONFIG,
                "bench migrate creates and drops scratch databases, so it runs on the local cluster only")));
    }

    /** Timings of each run and the object counts of the migrated schema. */
    public record Report(List<Duration> runs, int changesets, Map<String, Long> objects) {
        public Duration median() {
            List<Duration> sorted = new ArrayList<>(runs);
            sorted.sort(null);
            int n = sorted.size();
            return n % 2 == 1 ? sorted.get(n / 2) : sorted.get(n / 2 - 1).plus(sorted.get(n / 2)).dividedBy(2);
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
                SELECT 'schemas',   count(*) FROM pg_namespace WHERE nspname IN (%1$s)
                UNION ALL SELECT 'tables',    count(*) FROM pg_tables WHERE schemaname IN (%1$s)
                UNION ALL SELECT 'views',     count(*) FROM pg_views WHERE schemaname IN (%1$s)
                UNION ALL SELECT 'indexes',   count(*) FROM pg_indexes WHERE schemaname IN (%1$s)
                UNION ALL SELECT 'functions', count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                                              WHERE n.nspname IN (%1$s)
                UNION ALL SELECT 'policies',  count(*) FROM pg_policies WHERE schemaname IN (%1$s)
                UNION ALL SELECT 'triggers',  count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                                              JOIN pg_namespace n ON n.oid = c.relnamespace
                                              WHERE NOT t.tgisinternal AND n.nspname IN (%1$s)
                """.formatted("'core','crm','work','comms','memory','ai','code','intel','sync','legacy'");
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection c = db.owner().connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getLong(2));
            }
        } catch (SQLException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "cannot count schema objects", e);
        }
        return counts;
    }
}
