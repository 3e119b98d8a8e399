package dev.townhall.cli;

import dev.townhall.ErrorCode;
import dev.townhall.db.Database;
import dev.townhall.testing.CliRun;
import dev.townhall.testing.PostgresExtension;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./townhall embed} end to end, against a test database given as an external URL. */
@ExtendWith(PostgresExtension.class)
class EmbeddingCommandTest {
    private static final String STORED = "SELECT (SELECT count(*) FROM core.users WHERE handle = 'townhall-embedder')"
            + " + (SELECT count(*) FROM memory.embeddings) + (SELECT count(*) FROM memory.embedding_queue)";
    private final Database db;
    private final Jdbi owner;

    EmbeddingCommandTest(Database db) {
        this.db = db;
        this.owner = Jdbi.create(() -> db.owner().connect());
    }

    private CliRun embed(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "embed";
        System.arraycopy(args, 0, command, 1, args.length);
        return CliRun.against(db, command);
    }

    private long count(String sql) {
        return owner.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    @Test
    void embedsTheQueueAndPrintsWhatItDidPerTownAndType() {
        owner.useHandle(h -> h.execute("""
                INSERT INTO memory.sticky_notes (org_id, town_id, content)
                SELECT org_id, id, 'Follow up with ' || slug || ' about the renewal' FROM core.towns WHERE slug = 'fluenti'"""));

        CliRun first = embed("--town", "fluenti", "--types", "notes,companies");
        assertThat(first.status()).as(first.err()).isZero();
        assertThat(first.out()).contains("all-minilm-l6-v2-q", "embedded", "unchanged", "removed", "parked", "seconds")
                .containsPattern("fluenti +\\| sticky_note +\\| +1 +\\|").contains("rows/s");
        assertThat(count("SELECT count(*) FROM memory.embeddings WHERE entity_type = 'sticky_note'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM memory.embedding_queue")).isZero();

        CliRun again = embed("--town", "fluenti", "--types", "notes");
        assertThat(again.status()).as(again.err()).isZero();
        assertThat(again.out()).contains("queued 0 rows, handled 0");
    }

    @Test
    void mistakesAreOneLineAndStoreNothing() {
        owner.useHandle(h -> h.execute("DELETE FROM memory.embedding_queue"));
        long before = count(STORED);
        assertOneLineError(embed("--types", "contacts,widgets"), ErrorCode.INVALID_INPUT,
                "unknown search type 'widgets'; types: contacts,companies,deals,activities,messages,knowledge,notes,"
                        + "transcripts");
        assertOneLineError(embed("--model", "gpt-17-ultra"), ErrorCode.CONFIG,
                "unknown local embedding model 'gpt-17-ultra'");
        assertOneLineError(embed("--town", "atlantis"), ErrorCode.NOT_FOUND, "no town 'atlantis'");
        assertOneLineError(embed("--limit", "0"), ErrorCode.INVALID_INPUT, "--limit must be at least 1, got 0");
        assertOneLineError(embed("--limit", "-5"), ErrorCode.INVALID_INPUT, "--limit must be at least 1, got -5");
        assertOneLineError(embed("--limit", "many"), ErrorCode.INVALID_INPUT, "--limit");
        assertThat(count(STORED)).as("no service user, queue row or vector").isEqualTo(before);
    }

    private static void assertOneLineError(CliRun run, ErrorCode code, String message) {
        assertThat(run.status()).as(run.err()).isEqualTo(code.exitStatus());
        assertThat(run.err().lines()).as(run.err()).singleElement().asString()
                .startsWith("townhall: ").contains(message);
        assertThat(run.err()).doesNotContain("Exception", "\tat ");
    }
}
