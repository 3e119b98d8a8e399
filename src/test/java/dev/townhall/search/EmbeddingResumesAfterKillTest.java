package dev.townhall.search;

import dev.townhall.db.Database;
import dev.townhall.db.Endpoint;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.testing.TestCluster;
import dev.townhall.towns.Towns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./townhall embed} in a child JVM, killed with SIGKILL at a random point, then run again: every searchable
 * row ends with exactly one set of current vectors, the queue is empty, and the vectors are those of a run that
 * was never interrupted.
 */
@ExtendWith(PostgresExtension.class)
class EmbeddingResumesAfterKillTest {
    private static final Set<String> ALL = EmbeddingWorker.entityTypes(List.of());
    private static final int BATCH = 8;
    private static final int NOTES = 150;
    private static final int COMPANIES = 60;
    private static final int TRANSCRIPTS = 3;
    /** Every vector row, with the vector itself as a hash; ids and timestamps are bookkeeping, not content. */
    private static final String SNAPSHOT = """
            SELECT coalesce(string_agg(concat_ws('|', town_id, entity_type, entity_id, model, provider, dimensions,
                                                 chunk_no, chunk_start, chunk_end, content_hash, visibility, shared_with,
                                                 md5(embedding::text)), E'\\n' ORDER BY entity_id, model, chunk_no), '')
            FROM memory.embeddings""";

    @Test
    void aRunKilledAtARandomPointEndsLikeAnUninterruptedOne(TestCluster cluster, Database db, @TempDir Path dir)
            throws Exception {
        SearchRows rows = new SearchRows(db);
        load(rows);
        long searchable = rows.count("SELECT count(*) FROM memory.search_documents");
        long seed = System.nanoTime();
        long killAfter = 8 + new Random(seed).nextInt(120);

        Process child = startEmbed(cluster, db, dir);
        long done = waitForVectors(rows, child, killAfter, dir);
        child.destroyForcibly(); // SIGKILL: no shutdown hook, no rollback from the client
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(done).as("seed " + seed).isGreaterThanOrEqualTo(killAfter);
        waitForServerToRollBack(rows, db);

        assertThat(rows.count("SELECT count(*) FROM memory.embedding_queue")).as("killed mid-run (seed " + seed + ")")
                .isPositive();
        long committed = rows.count("SELECT count(DISTINCT entity_id) FROM memory.embeddings");

        try (Towns towns = Towns.open(db)) {
            EmbedReport resumed = EmbeddingWorker.create(towns, LocalModel.shared()).batchSize(BATCH)
                    .run(towns.towns(), ALL);
            assertThat(resumed.embedded()).as("the second run embeds only what the first did not commit")
                    .isEqualTo(searchable - committed);
        }
        assertThat(rows.count("SELECT count(*) FROM memory.embedding_queue")).isZero();
        assertThat(rows.count("""
                SELECT count(*) FROM memory.search_documents d
                WHERE NOT EXISTS (SELECT 1 FROM memory.embeddings e WHERE e.entity_id = d.entity_id AND e.chunk_no = 0)""" ))
                .as("every searchable row has vectors").isZero();
        assertThat(rows.count("""
                SELECT count(*) FROM (SELECT entity_id FROM memory.embeddings GROUP BY entity_id, model
                                      HAVING count(DISTINCT content_hash) > 1 OR count(*) <> max(chunk_no) + 1) x"""))
                .as("one set of vectors per row, no duplicate chunk").isZero();

        Database reference = cluster.newDatabase("embed_kill_reference");
        SearchRows referenceRows = new SearchRows(reference);
        load(referenceRows);
        try (Towns towns = Towns.open(reference)) {
            EmbeddingWorker.create(towns, LocalModel.shared()).batchSize(BATCH).run(towns.towns(), ALL);
        }
        assertThat(rows.text(SNAPSHOT)).as("kill seed " + seed + " after " + done + " vectors")
                .isEqualTo(referenceRows.text(SNAPSHOT));
    }

    /** The same rows, with the same ids, in any database: notes and companies in three towns, a few long transcripts. */
    private static void load(SearchRows rows) {
        rows.execute("""
                INSERT INTO memory.sticky_notes (id, org_id, town_id, content)
                SELECT md5('note' || i)::uuid, t.org_id, t.id,
                       'Note ' || i || ': ' || (ARRAY['renewal', 'pricing', 'churn risk', 'onboarding', 'invoice'])[1 + i % 5]
                       || ' for account ' || (i * 7919 % 1000)
                FROM generate_series(1, ?) i
                JOIN core.towns t ON t.slug = (ARRAY['fluenti', 'collaboration', 'aurora'])[1 + i % 3]""", NOTES);
        rows.execute("""
                INSERT INTO crm.companies (id, org_id, town_id, name, industry, city)
                SELECT md5('company' || i)::uuid, t.org_id, t.id, 'Company ' || i,
                       (ARRAY['logistics', 'fintech', 'retail', 'energy'])[1 + i % 4], 'City ' || (i % 17)
                FROM generate_series(1, ?) i
                JOIN core.towns t ON t.slug = (ARRAY['fluenti', 'collaboration'])[1 + i % 2]""", COMPANIES);
        for (int i = 0; i < TRANSCRIPTS; i++) {
            rows.execute("""
                    WITH m AS (
                        INSERT INTO work.meetings (id, org_id, town_id, title, started_at)
                        SELECT md5('meeting' || ?)::uuid, org_id, id, 'Review', timestamptz '2025-01-01' FROM core.towns
                        WHERE slug = 'fluenti' RETURNING id, org_id, town_id)
                    INSERT INTO work.meeting_transcripts (id, org_id, town_id, meeting_id, content)
                    SELECT md5('transcript' || ?)::uuid, org_id, town_id, id, ? FROM m""",
                    i, i, ChunkerTest.words(500, 100 + i));
        }
    }

    private static Process startEmbed(TestCluster cluster, Database db, Path dir) throws Exception {
        String owner = cluster.cluster().rolePassword(Database.OWNER_ROLE);
        Endpoint e = db.owner();
        String url = "postgresql://" + e.user() + ":" + URLEncoder.encode(owner, StandardCharsets.UTF_8) + "@" + e.host()
                + ":" + e.port() + "/" + e.database();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.townhall.cli.Main", "embed",
                "--database-url", url, "--batch-size", Integer.toString(BATCH))
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).directory(dir.toFile());
        builder.environment().put("TOWNHALL_APP_PASSWORD", cluster.cluster().rolePassword(Database.APP_ROLE));
        builder.environment().put("TOWNHALL_ANALYTICS_PASSWORD", cluster.cluster().rolePassword(Database.ANALYTICS_ROLE));
        return builder.start();
    }

    /** Waits until the child has committed at least {@code vectors} vectors; returns how many there were. */
    private static long waitForVectors(SearchRows rows, Process child, long vectors, Path dir) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            long done = rows.count("SELECT count(*) FROM memory.embeddings");
            if (done >= vectors) {
                return done;
            }
            assertThat(child.isAlive()).as("the child ended before it could be killed: "
                    + Files.readString(dir.resolve("child.log"))).isTrue();
            Thread.sleep(20);
        }
        throw new AssertionError("the child made no progress in 3 minutes: " + Files.readString(dir.resolve("child.log")));
    }

    /** The killed child's session ends (and its open batch rolls back) when the server notices the closed socket. */
    private static void waitForServerToRollBack(SearchRows rows, Database db) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            if (rows.count("SELECT count(*) FROM pg_stat_activity WHERE datname = ? AND usename = 'townhall_app'",
                    db.databaseName()) == 0) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the killed child's sessions are still open after 10 s");
    }
}
