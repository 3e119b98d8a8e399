package dev.townhall.search;

import dev.townhall.db.Database;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.towns.Role;
import dev.townhall.towns.Towns;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.EnumSet;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Search by meaning end to end with the real local model: rows written by people, embedded by the worker, found by
 * semantic and hybrid search as each person, never past row-level security; a phrase from the middle of a long
 * transcript is found in its chunk.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SemanticSearchTest {
    private static final List<String> MEETING_TALK = List.of(
            "Maria walked through the quarterly hiring plan for the support team.",
            "We reviewed the onboarding checklist and agreed to shorten the first week.",
            "Tom raised the question of office space in the Lisbon branch.",
            "The marketing calendar for spring needs two more webinars.",
            "Everyone agreed that the weekly status email is too long.",
            "The translation memory tool will be upgraded next month.",
            "Legal asked for a review of the new supplier contracts.",
            "Customer satisfaction scores rose slightly in the last survey.");

    private final Database db;
    private Towns towns;
    private UUID fluentiNote;
    private UUID auroraPrivateNote;
    private UUID auroraKnowledgeShared;
    private UUID transcript;

    SemanticSearchTest(Database db) {
        this.db = db;
    }

    @BeforeAll
    void embeddedRows() {
        towns = Towns.open(db);
        towns.addUser("cap@example.com", "cap", "Cap", null);
        towns.addUser("flo@example.com", "flo", "Flo", null);
        towns.addMember("cap", "aurora", Role.MEMBER);
        towns.addMember("flo", "fluenti", Role.MEMBER);
        fluentiNote = insert("flo@fluenti", "INSERT INTO memory.sticky_notes (content) VALUES"
                + " ('The customer wants their money back because the invoice was charged twice') RETURNING id");
        auroraPrivateNote = insert("cap@aurora", "INSERT INTO memory.sticky_notes (content) VALUES"
                + " ('Aurora was billed twice for the same invoice; a refund is pending') RETURNING id");
        auroraKnowledgeShared = insert("cap@aurora", "INSERT INTO memory.knowledge_base (title, content, visibility)"
                + " VALUES ('Billing policy', 'Duplicate charges on an invoice are refunded within five days', 'private')"
                + " RETURNING id");
        towns.share("memory.knowledge_base", auroraKnowledgeShared, List.of("fluenti"));
        insert("flo@fluenti", "INSERT INTO memory.sticky_notes (content) VALUES"
                + " ('Book the team dinner for Friday at the Italian place') RETURNING id");
        StringBuilder talk = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            talk.append(MEETING_TALK.get(i % MEETING_TALK.size())).append(' ');
            if (i == 200) {
                talk.append("Then Ana proposed that the purple giraffe budget pays for the zoo sponsorship next summer. ");
            }
        }
        transcript = towns.as("flo@fluenti").inTransaction(h -> {
            UUID meeting = h.createQuery("INSERT INTO work.meetings (title, started_at) VALUES ('Team sync', now()) RETURNING id")
                    .mapTo(UUID.class).one();
            return h.createQuery("INSERT INTO work.meeting_transcripts (meeting_id, content) VALUES (:m, :c) RETURNING id")
                    .bind("m", meeting).bind("c", talk.toString()).mapTo(UUID.class).one();
        });
        EmbeddingWorker.create(towns, LocalModel.shared()).run(towns.towns(), EmbeddingWorker.entityTypes(List.of()));
    }

    @AfterAll
    void close() {
        towns.close();
    }

    @Test
    void semanticSearchFindsByMeaningWhatThePersonMayReadAndNothingElse() {
        SearchResults results = search("flo@fluenti", "refund for a double-billed invoice", SearchMode.SEMANTIC);
        List<UUID> ids = results.hits().stream().map(SearchHit::id).toList();
        assertThat(ids.subList(0, 2)).as("the two texts about a duplicate charge come first")
                .containsExactlyInAnyOrder(fluentiNote, auroraKnowledgeShared);
        assertThat(ids).doesNotContain(auroraPrivateNote);
        assertThat(results.model()).isEqualTo("all-minilm-l6-v2-q");
        assertThat(results.hits().get(0).score()).isBetween(0.0, 1.0);
    }

    @Test
    void hybridSearchKeepsTheSameBoundary() {
        List<UUID> ids = search("flo@fluenti", "invoice charged twice refund", SearchMode.HYBRID).hits().stream()
                .map(SearchHit::id).toList();
        assertThat(ids).contains(fluentiNote, auroraKnowledgeShared).doesNotContain(auroraPrivateNote);
        assertThat(search("cap@aurora", "invoice charged twice refund", SearchMode.HYBRID).hits())
                .extracting(SearchHit::id).contains(fluentiNote, auroraPrivateNote, auroraKnowledgeShared);
    }

    @Test
    void aPhraseFromTheMiddleOfALongTranscriptIsFoundInItsChunk() {
        SearchResults results = search("flo@fluenti", "purple giraffe budget for the zoo sponsorship", SearchMode.SEMANTIC);
        SearchHit first = results.hits().get(0);
        assertThat(first.id()).isEqualTo(transcript);
        assertThat(first.type()).isEqualTo(SearchType.TRANSCRIPTS);
        assertThat(first.title()).isEqualTo("Team sync");
        assertThat(first.snippet()).as("the snippet comes from the matched passage, its words marked")
                .contains("«purple» «giraffe» «budget»");
    }

    private SearchResults search(String actor, String query, SearchMode mode) {
        return Search.with(LocalModel.shared()).search(towns.as(actor),
                new SearchRequest(query, EnumSet.allOf(SearchType.class), mode, 5));
    }

    private UUID insert(String actor, String sql) {
        return towns.as(actor).inTransaction(h -> h.createQuery(sql).mapTo(UUID.class).one());
    }
}
