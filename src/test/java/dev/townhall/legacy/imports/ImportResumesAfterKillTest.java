package dev.townhall.legacy.imports;

import dev.townhall.legacy.LegacySql;
import dev.townhall.db.Database;
import dev.townhall.db.Endpoint;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.testing.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./townhall import} in a child JVM, killed with SIGKILL at a random point, then run again: the final state
 * is row for row the state of an import that was never interrupted, and nothing is duplicated.
 */
@ExtendWith(PostgresExtension.class)
class ImportResumesAfterKillTest {
    private static final int BATCH_ROWS = 250;
    /** Columns that hold the time a statement ran (defaults, triggers, decaying scores), not imported data. */
    private static final List<String> VOLATILE_COLUMNS = List.of("created_at", "updated_at", "engagement_score",
            "opened_at", "stage_entered_at", "completed_at", "closed_at", "cycle_days");
    private static final String VOLATILE = VOLATILE_COLUMNS.stream().map(c -> "- '" + c + "'")
            .collect(Collectors.joining(" "));
    private static final Map<String, String> TABLES = new LinkedHashMap<>();

    static {
        for (String t : List.of("crm.companies", "crm.contacts", "crm.deals", "crm.activities", "work.meetings",
                "work.meeting_transcripts", "work.meeting_attendees", "work.tasks", "comms.conversations",
                "comms.messages", "memory.knowledge_base", "core.users")) {
            TABLES.put(t, VOLATILE);
        }
        String bookkeeping = "- 'id' - 'run_id' - 'created_at' - 'updated_at' - 'resolved_run_id' - 'resolved_at'";
        for (String t : List.of("legacy.id_map", "legacy.quarantine", "legacy.merge_conflicts",
                "legacy.filled_values")) {
            TABLES.put(t, bookkeeping);
        }
        // what a new row stored in a volatile column instead of a refused value is the import's time: volatile too
        TABLES.put("legacy.value_issues", bookkeeping + " - CASE WHEN t.column_name IN ("
                + VOLATILE_COLUMNS.stream().map(c -> "'" + c + "'").collect(Collectors.joining(", "))
                + ") THEN 'stored_value' ELSE '' END");
    }

    @Test
    void aRunKilledAtARandomPointResumesToTheStateOfAnUninterruptedRun(TestCluster cluster, Database db,
                                                                       @TempDir Path dir) throws Exception {
        Endpoint admin = cluster.cluster().superuserEndpoint();
        LegacySql.dropDatabase(admin, "kill_robbie");
        LegacySql.dropDatabase(admin, "kill_robbie_allan");
        Map<String, Endpoint> sources = ImportFixtures.generated(cluster, db, "kill", 7);
        // a quarter of the activities keeps the test short; everything else is the full generated inventory
        LegacySql.execute(admin.withDatabase("kill_robbie"), "DELETE FROM activities WHERE id % 4 <> 0");
        long sourceRows = 7_909 + 5_657 + 68 + LegacySql.count(admin.withDatabase("kill_robbie"),
                "SELECT count(*) FROM activities") + 264 + 745 + 2_496 + 454;

        long seed = System.nanoTime();
        long killAfter = 3_000 + new Random(seed).nextInt(15_000);
        Process child = startImport(cluster, db, sources, dir.resolve("killed.json"));
        long done = waitForProgress(db, child, killAfter);
        child.destroyForcibly(); // SIGKILL: no shutdown hook, no rollback from the client
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(done).as("killed mid-run (seed " + seed + ")").isGreaterThanOrEqualTo(killAfter).isLessThan(sourceRows);
        assertThat(LegacySql.text(db.owner(), "SELECT status FROM legacy.import_runs")).isEqualTo("running");

        ImportReport resumed = ImportFixtures.importer(db, sources).batchRows(BATCH_ROWS).run();
        assertThat(resumed.resumedFrom()).isNotNull();
        assertThat(resumed.reconciled()).isTrue();
        assertThat(resumed.complete()).isTrue();
        assertThat(LegacySql.column(db.owner(), "SELECT status FROM legacy.import_runs ORDER BY started_at"))
                .containsExactly("interrupted", "succeeded");

        Database reference = cluster.newDatabase("kill_reference");
        ImportReport uninterrupted = ImportFixtures.importer(reference, ImportFixtures.asOwner(reference, sources))
                .batchRows(BATCH_ROWS).run();
        assertThat(uninterrupted.reconciled()).isTrue();
        assertThat(hashes(db.owner())).as("kill seed " + seed + " after " + done + " rows")
                .isEqualTo(hashes(reference.owner()));
        assertThat(resumed.tables()).extracting(t -> t.imported() + t.merged() + t.quarantined())
                .isEqualTo(uninterrupted.tables().stream().map(t -> t.imported() + t.merged() + t.quarantined()).toList());
        assertThat(LegacySql.count(db.owner(), "SELECT count(*) FROM legacy.id_map"))
                .isEqualTo(LegacySql.count(reference.owner(), "SELECT count(*) FROM legacy.id_map"));
    }

    private static Process startImport(TestCluster cluster, Database db, Map<String, Endpoint> sources, Path report)
            throws Exception {
        String owner = cluster.cluster().rolePassword(Database.OWNER_ROLE);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.townhall.cli.Main", "import",
                "--database-url", url(db.owner(), owner), "--batch-rows", Integer.toString(BATCH_ROWS),
                "--report", report.toString()));
        for (Map.Entry<String, Endpoint> s : sources.entrySet()) {
            command.add("--source");
            command.add(s.getKey() + "=" + url(s.getValue(), owner));
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(report.resolveSibling("child.log").toFile());
        builder.environment().put("TOWNHALL_APP_PASSWORD", cluster.cluster().rolePassword(Database.APP_ROLE));
        builder.environment().put("TOWNHALL_ANALYTICS_PASSWORD", cluster.cluster().rolePassword(Database.ANALYTICS_ROLE));
        builder.directory(report.getParent().toFile());
        return builder.start();
    }

    /** Waits until the child has committed at least {@code rows} rows; returns how many it had then. */
    private static long waitForProgress(Database db, Process child, long rows) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            long done = LegacySql.count(db.owner(), "SELECT coalesce(sum(rows_done), 0) FROM legacy.import_checkpoints");
            if (done >= rows) {
                return done;
            }
            assertThat(child.isAlive()).as("the child import ended before it could be killed").isTrue();
            Thread.sleep(20);
        }
        throw new AssertionError("the child import made no progress in 3 minutes");
    }

    private static Map<String, String> hashes(Endpoint db) {
        Map<String, String> hashes = new LinkedHashMap<>();
        TABLES.forEach((table, drop) -> hashes.put(table, LegacySql.text(db, "SELECT coalesce(md5(string_agg(h, ''"
                + " ORDER BY h)), 'empty') FROM (SELECT md5((to_jsonb(t) " + drop + ")::text) AS h FROM " + table
                + " t) x")));
        return hashes;
    }

    private static String url(Endpoint e, String password) {
        return "postgresql://" + e.user() + ":" + URLEncoder.encode(password, StandardCharsets.UTF_8) + "@" + e.host()
                + ":" + e.port() + "/" + e.database();
    }
}
