package dev.townhall.search;

import dev.townhall.db.Database;
import dev.townhall.search.internal.ContentHash;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.towns.Town;
import dev.townhall.towns.Towns;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedding queue worker against real PostgreSQL and the real local model: the triggers queue rows, the worker
 * embeds them as the service identity, and the vectors follow each row's text, sharing, town and existence.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddingWorkerTest {
    private static final Set<String> ALL = EmbeddingWorker.entityTypes(List.of());
    private final EmbeddingProvider local = LocalModel.shared();
    private final Towns towns;
    private final SearchRows rows;

    EmbeddingWorkerTest(Database db) {
        this.towns = Towns.open(db);
        this.rows = new SearchRows(db);
    }

    @AfterAll
    void close() {
        towns.close();
    }

    private Town town(String slug) {
        return towns.create(slug, null, false);
    }

    private EmbeddingWorker worker() {
        return EmbeddingWorker.create(towns, local);
    }

    @Test
    void newRowsAreQueuedByTheTriggersAndEmbeddedOnceWithTheirHash() {
        Town town = town("w-new");
        UUID company = rows.company(town.orgId(), town.id(), "Acme Anvils", "Anvils and rockets for the desert trade");
        UUID note = rows.note(town.orgId(), town.id(), "Call Wile about the rocket skates order");
        assertThat(rows.queue(town.id())).containsOnlyKeys(company, note);

        EmbedReport report = worker().drain(List.of(town), ALL);

        assertThat(report.embedded()).isEqualTo(2);
        assertThat(report.lines()).extracting(EmbedReport.Line::entityType).containsExactly("company", "sticky_note");
        assertThat(rows.queue(town.id())).isEmpty();
        for (UUID entity : List.of(company, note)) {
            String body = rows.body(entity);
            assertThat(rows.vectors(entity)).singleElement().satisfies(v -> {
                assertThat(v.model()).isEqualTo("all-minilm-l6-v2-q");
                assertThat(v.contentHash()).isEqualTo(ContentHash.of(v.model(), body));
                assertThat(v.chunkStart()).isZero();
                assertThat(v.chunkEnd()).isEqualTo(body.length());
                assertThat(v.partition()).contains(town.id().toString().replace("-", ""));
            });
        }
        assertThat(rows.text("SELECT provider || '/' || dimensions FROM memory.embeddings WHERE entity_id = ?", note))
                .isEqualTo("local-onnx/384");
        assertThat(worker().enqueueAll(town, ALL)).as("the SQL hash agrees with Java's: nothing is stale").isZero();
        assertThat(worker().drain(List.of(town), ALL).handled()).isZero();
    }

    @Test
    void anEditedTextIsReEmbeddedAndAnEditOfAnotherColumnIsNot() {
        Town town = town("w-edit");
        UUID company = rows.company(town.orgId(), town.id(), "Globex", "Makes widgets");
        worker().drain(List.of(town), ALL);
        SearchRows.Vector before = rows.vectors(company).get(0);

        rows.execute("UPDATE crm.companies SET description = 'Sells hammocks to volcano owners' WHERE id = ?", company);
        assertThat(rows.queue(town.id())).containsOnlyKeys(company);
        EmbedReport edited = worker().drain(List.of(town), ALL);

        SearchRows.Vector after = rows.vectors(company).get(0);
        assertThat(edited.embedded()).isEqualTo(1);
        assertThat(after.contentHash()).isNotEqualTo(before.contentHash())
                .isEqualTo(ContentHash.of(after.model(), rows.body(company)));
        assertThat(after.embedding()).isNotEqualTo(before.embedding());
        assertThat(rows.vectors(company)).hasSize(1);

        rows.execute("UPDATE crm.companies SET tags = '{volcano}', touch_count = 3 WHERE id = ?", company);
        assertThat(rows.queue(town.id())).as("tags and counters are not embedded").isEmpty();
        assertThat(worker().enqueueAll(town, ALL)).isZero();
        assertThat(rows.vectors(company)).containsExactly(after);
    }

    @Test
    void aSharingChangeRestampsTheVectorsWithoutReEmbedding() {
        Town town = town("w-share");
        town("w-friend");
        UUID company = rows.company(town.orgId(), town.id(), "Initech", "TPS reports, with cover sheets");
        worker().drain(List.of(town), ALL);
        SearchRows.Vector privateVector = rows.vectors(company).get(0);
        WrappedProvider counting = WrappedProvider.renamed(local, local.model());

        assertThat(towns.share("crm.companies", company, List.of("w-friend"))).isTrue();
        EmbedReport shared = EmbeddingWorker.create(towns, counting).drain(List.of(town), ALL);
        SearchRows.Vector sharedVector = rows.vectors(company).get(0);
        assertThat(shared.unchanged()).isEqualTo(1);
        assertThat(counting.calls()).as("the text did not change: no embedding").isZero();
        assertThat(sharedVector.visibility()).isEqualTo("shared");
        assertThat(rows.text("SELECT shared_with::text FROM memory.embeddings WHERE entity_id = ?", company))
                .isEqualTo("{" + towns.town("w-friend").id() + "}");
        assertThat(sharedVector.id()).isEqualTo(privateVector.id());
        assertThat(sharedVector.embedding()).isEqualTo(privateVector.embedding());

        assertThat(towns.unshare("crm.companies", company)).isTrue();
        assertThat(EmbeddingWorker.create(towns, counting).drain(List.of(town), ALL).unchanged()).isEqualTo(1);
        assertThat(counting.calls()).isZero();
        assertThat(rows.vectors(company)).singleElement().satisfies(v -> {
            assertThat(v.visibility()).isEqualTo("private");
            assertThat(v.id()).isEqualTo(privateVector.id());
        });
    }

    @Test
    void aDeletedRowLosesItsVectors() {
        Town town = town("w-delete");
        UUID kept = rows.note(town.orgId(), town.id(), "Keep this note about the Q3 roadmap");
        UUID deleted = rows.note(town.orgId(), town.id(), "Delete this note about the office plants");
        UUID vanished = rows.note(town.orgId(), town.id(), "This one disappears while it waits in the queue");
        worker().drain(List.of(town), ALL);

        rows.execute("DELETE FROM memory.sticky_notes WHERE id = ?", deleted);
        assertThat(rows.vectors(deleted)).as("the delete trigger drops vectors at once").isEmpty();

        // a row that is gone by the time the worker reads it (its delete trigger switched off to get there)
        rows.execute("ALTER TABLE memory.sticky_notes DISABLE TRIGGER embedding_enqueue_delete");
        try {
            rows.execute("DELETE FROM memory.sticky_notes WHERE id = ?", vanished);
        } finally {
            rows.execute("ALTER TABLE memory.sticky_notes ENABLE TRIGGER embedding_enqueue_delete");
        }
        rows.execute("INSERT INTO memory.embedding_queue (org_id, town_id, entity_type, entity_id)"
                + " VALUES (?, ?, 'sticky_note', ?)", town.orgId(), town.id(), vanished);
        EmbedReport report = worker().drain(List.of(town), ALL);

        assertThat(report.removed()).isEqualTo(1);
        assertThat(rows.vectors(vanished)).isEmpty();
        assertThat(rows.vectors(kept)).hasSize(1);
        assertThat(rows.queue(town.id())).isEmpty();
    }

    @Test
    void movingARowKeepsItsVectorsWithIt() {
        Town from = town("w-from");
        Town to = town("w-to");
        UUID company = rows.company(from.orgId(), from.id(), "Hooli", "Compression for the middle-out era");
        worker().drain(List.of(from), ALL);
        SearchRows.Vector before = rows.vectors(company).get(0);

        towns.move("crm.companies", company, "w-to");
        EmbedReport report = worker().drain(List.of(from, to), ALL);

        assertThat(report.embedded()).as("same text, same vectors: nothing re-embedded").isZero();
        assertThat(rows.vectors(company)).singleElement().satisfies(v -> {
            assertThat(v.id()).isEqualTo(before.id());
            assertThat(v.town()).isEqualTo(to.id());
            assertThat(v.partition()).contains(to.id().toString().replace("-", "")).endsWith("_company");
            assertThat(v.embedding()).isEqualTo(before.embedding());
        });
        assertThat(rows.count("SELECT count(*) FROM memory.embeddings WHERE town_id = ?", from.id())).isZero();
        assertThat(rows.queue(to.id())).isEmpty();
    }

    @Test
    void aModelSwitchEmbedsOnlyThatModelsRowsAndLeavesTheOthersAlone() {
        Town town = town("w-models");
        UUID a = rows.note(town.orgId(), town.id(), "Pricing page needs a rewrite");
        UUID b = rows.company(town.orgId(), town.id(), "Umbrella", "Pharmaceuticals, mostly harmless");
        worker().drain(List.of(town), ALL);
        List<SearchRows.Vector> firstModel = List.of(rows.vectors(a).get(0), rows.vectors(b).get(0));
        String firstUpdated = rows.text("SELECT string_agg(updated_at::text, ',' ORDER BY id) FROM memory.embeddings"
                + " WHERE town_id = ?", town.id());
        EmbeddingWorker other = EmbeddingWorker.create(towns, WrappedProvider.renamed(local, "test-minilm-copy"));

        assertThat(other.enqueueAll(town, ALL)).isEqualTo(2);
        EmbedReport switched = other.drain(List.of(town), ALL);
        assertThat(switched.embedded()).isEqualTo(2);
        assertThat(other.enqueueAll(town, ALL)).isZero();

        assertThat(rows.vectors(a)).extracting(SearchRows.Vector::model).containsExactly("all-minilm-l6-v2-q",
                "test-minilm-copy");
        assertThat(List.of(rows.vectors(a).get(0), rows.vectors(b).get(0))).isEqualTo(firstModel);
        assertThat(rows.text("SELECT string_agg(updated_at::text, ',' ORDER BY id) FROM memory.embeddings"
                + " WHERE town_id = ? AND model = 'all-minilm-l6-v2-q'", town.id())).isEqualTo(firstUpdated);
        assertThat(rows.vectors(b).get(1).contentHash()).isEqualTo(ContentHash.of("test-minilm-copy", rows.body(b)));
        assertThat(worker().enqueueAll(town, ALL)).as("the first model's vectors are still current").isZero();
    }

    @Test
    void aLongTranscriptIsEmbeddedInChunksThatCoverItsText() {
        Town town = town("w-long");
        UUID transcript = rows.transcript(town.orgId(), town.id(), ChunkerTest.words(700, 11));
        EmbedReport report = worker().drain(List.of(town), ALL);

        String body = rows.body(transcript);
        List<SearchRows.Vector> chunks = rows.vectors(transcript);
        assertThat(report.embedded()).isEqualTo(1);
        assertThat(report.chunks()).isEqualTo(chunks.size());
        assertThat(chunks).hasSizeGreaterThanOrEqualTo(3);
        assertThat(chunks).extracting(SearchRows.Vector::chunkNo)
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, chunks.size()).boxed().toList());
        assertThat(chunks.get(0).chunkStart()).isZero();
        assertThat(chunks.get(chunks.size() - 1).chunkEnd()).isEqualTo(body.length());
        for (int i = 1; i < chunks.size(); i++) {
            assertThat(chunks.get(i).chunkStart()).as("chunk %d starts inside its predecessor", i)
                    .isGreaterThan(chunks.get(i - 1).chunkStart()).isLessThan(chunks.get(i - 1).chunkEnd());
        }
        assertThat(chunks).extracting(SearchRows.Vector::contentHash).containsOnly(ContentHash.of(local.model(), body));
        assertThat(chunks).extracting(SearchRows.Vector::embedding).doesNotHaveDuplicates();
    }

    @Test
    void aProviderFailureIsRecordedOnTheRowsAndParksThemAfterTheLastAttempt() {
        Town town = town("w-fail");
        UUID note = rows.note(town.orgId(), town.id(), "Budget for the offsite");
        UUID company = rows.company(town.orgId(), town.id(), "Stark", "Arc reactors");
        WrappedProvider outage = WrappedProvider.failing(local, "the stub provider is down (HTTP 503)");

        EmbedReport first = EmbeddingWorker.create(towns, outage).maxAttempts(2).drain(List.of(town), ALL);
        assertThat(first.failed()).isEqualTo(2);
        assertThat(first.parked()).isZero();
        assertThat(outage.calls()).as("a failed row is not retried at once").isEqualTo(1);
        assertThat(rows.queue(town.id())).containsOnlyKeys(note, company).containsValues(1, 1);

        EmbedReport second = EmbeddingWorker.create(towns, outage).maxAttempts(2).drain(List.of(town), ALL);
        assertThat(second.failed()).isEqualTo(2);
        assertThat(second.parked()).isEqualTo(2);
        assertThat(outage.calls()).as("rows that failed before are retried one at a time").isEqualTo(3);
        assertThat(rows.text("SELECT last_error FROM memory.embedding_queue WHERE entity_id = ?", note))
                .isEqualTo("the stub provider is down (HTTP 503)");
        assertThat(rows.count("SELECT count(*) FROM memory.embeddings WHERE town_id = ?", town.id())).isZero();

        EmbedReport skipped = EmbeddingWorker.create(towns, outage).maxAttempts(2).drain(List.of(town), ALL);
        assertThat(skipped.handled()).as("parked rows are skipped").isZero();
        assertThat(skipped.parked()).isEqualTo(2);
        assertThat(outage.calls()).isEqualTo(3);

        rows.execute("UPDATE memory.sticky_notes SET content = 'Budget for the offsite, revised' WHERE id = ?", note);
        assertThat(worker().maxAttempts(2).drain(List.of(town), ALL).embedded())
                .as("an edit gives a parked row new attempts").isEqualTo(1);
    }

    @Test
    void theWorkerWritesAsTheServiceIdentityUnderRowLevelSecurity() {
        Town town = town("w-who");
        Town elsewhere = town("w-elsewhere");
        rows.execute("CREATE TABLE public.vector_writers (who text, acting_user text, acting_town text)");
        rows.execute("GRANT USAGE ON SCHEMA public TO townhall_app");
        rows.execute("GRANT INSERT ON public.vector_writers TO townhall_app");
        rows.execute("""
                CREATE FUNCTION public.note_vector_writer() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO public.vector_writers
                    VALUES (current_user, current_setting('townhall.user_id', true), current_setting('townhall.town_id', true));
                    RETURN NULL;
                END $$""");
        rows.execute("CREATE TRIGGER note_vector_writer AFTER INSERT OR UPDATE OR DELETE ON memory.embeddings"
                + " FOR EACH ROW EXECUTE FUNCTION public.note_vector_writer()");
        UUID here = rows.note(town.orgId(), town.id(), "Renewal call with Contoso on Friday");
        UUID there = rows.note(elsewhere.orgId(), elsewhere.id(), "Hidden from the other town");
        try {
            EmbeddingWorker worker = worker();
            worker.drain(List.of(town), ALL);

            assertThat(rows.count("SELECT count(*) FROM public.vector_writers")).isEqualTo(1);
            assertThat(rows.text("SELECT who || ' ' || acting_user || ' ' || acting_town FROM public.vector_writers"))
                    .isEqualTo("townhall_app " + worker.serviceUser() + " " + town.id());
            assertThat(rows.vectors(here)).hasSize(1);
            assertThat(rows.vectors(there)).as("another town's row is neither read nor written").isEmpty();
            assertThat(rows.queue(elsewhere.id())).containsOnlyKeys(there);
        } finally {
            rows.execute("DROP TRIGGER note_vector_writer ON memory.embeddings");
        }
        UUID service = EmbeddingWorker.create(towns, local).serviceUser();
        assertThat(rows.text("SELECT handle || ' ' || email || ' ' || is_service FROM core.users WHERE id = ?", service))
                .isEqualTo("townhall-embedder embedder@townhall.invalid true");
        assertThat(rows.count("SELECT count(*) FROM core.towns t WHERE NOT EXISTS (SELECT 1 FROM core.memberships m"
                + " WHERE m.town_id = t.id AND m.user_id = ? AND m.role = 'service' AND m.is_active)", service))
                .as("a service member of every town").isZero();
        assertThat(EmbeddingWorker.create(towns, local).serviceUser()).as("created once").isEqualTo(service);
    }
}
