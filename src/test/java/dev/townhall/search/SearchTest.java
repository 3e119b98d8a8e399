package dev.townhall.search;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Database;
import dev.townhall.testing.CliRun;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.towns.Role;
import dev.townhall.towns.Towns;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.EnumSet;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Keyword search under row-level security, and every way a search request can be wrong. */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SearchTest {
    private final Database db;
    private Towns towns;
    private UUID auroraPrivate;
    private UUID auroraSharedWithFluenti;
    private UUID fluentiNote;
    private UUID collaborationContact;

    SearchTest(Database db) {
        this.db = db;
    }

    @BeforeAll
    void rowsInThreeTowns() {
        towns = Towns.open(db);
        towns.addUser("cap@example.com", "cap", "Cap", null);
        towns.addUser("flo@example.com", "flo", "Flo", null);
        towns.addUser("col@example.com", "col", "Col", null);
        towns.addUser("nob@example.com", "nob", "Nob", null);
        towns.addMember("cap", "aurora", Role.MEMBER);
        towns.addMember("flo", "fluenti", Role.MEMBER);
        towns.addMember("col", "collaboration", Role.MEMBER);
        auroraPrivate = insert("cap@aurora", """
                INSERT INTO memory.knowledge_base (title, content, visibility) VALUES
                ('Zanzibar clove forecast', 'Private pricing for the Zanzibar clove harvest', 'private') RETURNING id""");
        auroraSharedWithFluenti = insert("cap@aurora", """
                INSERT INTO memory.knowledge_base (title, content, visibility) VALUES
                ('Zanzibar shipping schedule', 'Container ships leave Zanzibar every Tuesday', 'private') RETURNING id""");
        towns.share("memory.knowledge_base", auroraSharedWithFluenti, List.of("fluenti"));
        fluentiNote = insert("flo@fluenti", """
                INSERT INTO memory.sticky_notes (content) VALUES ('Call the Zanzibar importers about cloves') RETURNING id""");
        collaborationContact = insert("col@collaboration", """
                INSERT INTO crm.contacts (first_name, last_name, company_name) VALUES ('Zara', 'Zanzibar', 'Zanzibar Trading')
                RETURNING id""");
    }

    @AfterAll
    void close() {
        towns.close();
    }

    @Test
    void aTownMemberFindsItsOwnRowsAndWhatIsSharedWithItNeverAnotherTownsPrivateRows() {
        SearchResults results = keyword("flo@fluenti", "zanzibar");
        assertThat(results.hits()).extracting(SearchHit::id)
                .containsExactlyInAnyOrder(fluentiNote, auroraSharedWithFluenti)
                .doesNotContain(auroraPrivate, collaborationContact);
        SearchHit shared = results.hits().stream().filter(h -> h.id().equals(auroraSharedWithFluenti)).findFirst().orElseThrow();
        assertThat(shared.shared()).isTrue();
        assertThat(shared.town()).isEqualTo("aurora");
        assertThat(shared.type()).isEqualTo(SearchType.KNOWLEDGE);
        assertThat(shared.snippet()).contains("«Zanzibar»");
    }

    @Test
    void theCapitalReadsEveryTownAndOtherTownsReadNothingOfTheCapitals() {
        assertThat(keyword("cap@aurora", "zanzibar").hits()).extracting(SearchHit::id)
                .containsExactlyInAnyOrder(auroraPrivate, auroraSharedWithFluenti, fluentiNote, collaborationContact);
        assertThat(keyword("col@collaboration", "zanzibar").hits()).extracting(SearchHit::id)
                .containsExactly(collaborationContact);
    }

    @Test
    void typesNarrowTheSearchAndNamesMatchWithoutStemming() {
        SearchResults contacts = Search.keywordOnly().search(towns.as("cap@aurora"),
                new SearchRequest("Zara", EnumSet.of(SearchType.CONTACTS), SearchMode.KEYWORD, 10));
        assertThat(contacts.hits()).extracting(SearchHit::id).containsExactly(collaborationContact);
    }

    @Test
    void aNewTownGetsItsEmbeddingPartitionsAndLosesThemWithIt() {
        UUID zeta = towns.create("zeta", "Zeta", false).id();
        String partitions = """
                SELECT count(*) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = to_regclass(:town_partition)""";
        String townPartition = "memory.embeddings_" + zeta.toString().replace("-", "");
        Jdbi owner = Jdbi.create(db.owner()::connect);
        int typePartitions = owner.withHandle(h -> h.createQuery(partitions).bind("town_partition", townPartition)
                .mapTo(Integer.class).one());
        assertThat(typePartitions).as("one partition per searchable type plus 'other'").isEqualTo(SearchType.values().length + 1);
        boolean appReadsPartition = owner.withHandle(h -> h.createQuery("""
                        SELECT has_table_privilege('townhall_app', c.oid, 'SELECT') FROM pg_class c
                        WHERE c.oid = to_regclass(:p)""").bind("p", townPartition + "_contact").mapTo(Boolean.class).one());
        assertThat(appReadsPartition).as("the app role reaches vectors only through the parent's policies").isFalse();
        owner.useHandle(h -> h.execute("DELETE FROM core.towns WHERE id = ?", zeta));
        boolean gone = owner.withHandle(h -> h.createQuery("SELECT to_regclass(:p) IS NULL").bind("p", townPartition)
                .mapTo(Boolean.class).one());
        assertThat(gone).as("the town's partitions went with it").isTrue();
    }

    @Test
    void theSearchTypesAreTheDatabasesSearchableTypes() {
        List<String> inDatabase = Jdbi.create(db.owner()::connect).withHandle(h -> h.createQuery(
                "SELECT unnest(memory.searchable_types())").mapTo(String.class).list());
        assertThat(inDatabase).containsExactlyInAnyOrderElementsOf(
                EnumSet.allOf(SearchType.class).stream().map(SearchType::entityType).toList());
    }

    @Test
    void someoneWhoIsNoMemberOfTheTownIsRefusedNotShownNothing() {
        assertThatThrownBy(() -> keyword("nob@fluenti", "zanzibar"))
                .isInstanceOf(TownHallException.class)
                .matches(e -> ((TownHallException) e).code() == ErrorCode.FORBIDDEN)
                .hasMessageContaining("not an active member");
    }

    @Test
    void everyBadRequestIsOneLineAndANonZeroExit() {
        long auditBefore = auditRows();
        String tenMegabytes = "x".repeat(10 * 1024 * 1024);
        List<List<String>> bad = List.of(
                List.of("search", "", "--as", "flo@fluenti"),
                List.of("search", "   ", "--as", "flo@fluenti"),
                List.of("search", tenMegabytes, "--as", "flo@fluenti"),
                List.of("search", "zanzibar", "--as", "flo@fluenti", "--types", "planets"),
                List.of("search", "zanzibar", "--as", "flo@fluenti", "--mode", "telepathy"),
                List.of("search", "zanzibar", "--as", "flo@fluenti", "--limit", "0"),
                List.of("search", "zanzibar", "--as", "flo@fluenti", "--limit", "10000"),
                List.of("search", "zanzibar", "--as", "flo@fluenti", "--mode", "keyword", "--model", "no-such-model"),
                List.of("search", "zanzibar", "--as", "nob@fluenti", "--mode", "keyword"),
                List.of("search", "zanzibar", "--as", "flo@atlantis", "--mode", "keyword"));
        for (List<String> args : bad) {
            CliRun run = CliRun.against(db, args.toArray(String[]::new));
            String shown = String.join(" ", args).substring(0, Math.min(80, String.join(" ", args).length()));
            assertThat(run.status()).as(shown).isNotZero();
            assertThat(run.err().strip()).as(shown).startsWith("townhall: ").doesNotContain("Exception").doesNotContain("\n");
            assertThat(run.err().length()).as(shown).isLessThan(400);
        }
        assertThat(auditRows()).as("a refused search writes nothing").isEqualTo(auditBefore);
    }

    @Test
    void theCliPrintsATableOfWhatThePersonSees() {
        CliRun run = CliRun.against(db, "search", "zanzibar", "--as", "flo@fluenti", "--mode", "keyword");
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("Zanzibar shipping schedule", "Call the Zanzibar importers", "2 results for flo@fluenti")
                .doesNotContain("clove forecast", "Zanzibar Trading");
    }

    private long auditRows() {
        return Jdbi.create(db.owner()::connect).withHandle(h -> h.createQuery("SELECT count(*) FROM core.audit_log")
                .mapTo(Long.class).one());
    }

    private SearchResults keyword(String actor, String query) {
        return Search.keywordOnly().search(towns.as(actor),
                new SearchRequest(query, EnumSet.allOf(SearchType.class), SearchMode.KEYWORD, 10));
    }

    private UUID insert(String actor, String sql) {
        return towns.as(actor).inTransaction(h -> h.createQuery(sql).mapTo(UUID.class).one());
    }
}
