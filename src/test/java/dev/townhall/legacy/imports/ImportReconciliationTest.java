package dev.townhall.legacy.imports;

import dev.townhall.legacy.LegacySql;
import dev.townhall.db.Database;
import dev.townhall.db.Endpoint;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.testing.TestCluster;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The full generated inventory (81,262 legacy rows) imported once: every row of every source table ends with
 * exactly one outcome, the plan's own arithmetic errors show, references point at merged parents, the capital
 * sees everything and the other towns only the shared knowledge base; then a second run adds nothing.
 */
@ExtendWith(PostgresExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImportReconciliationTest {
    private static final List<String> TARGETS = List.of("crm.companies", "crm.contacts", "crm.deals",
            "crm.activities", "work.meetings", "work.meeting_transcripts", "work.meeting_attendees", "work.tasks",
            "comms.conversations", "comms.messages", "memory.knowledge_base");

    private static ImportReport first;

    @Test
    @Order(1)
    void everyRowOfEverySourceTableIsImportedMergedOrQuarantined(TestCluster cluster, Database db) {
        Map<String, Endpoint> sources = ImportFixtures.generated(cluster, db, "recon", 42);
        first = ImportFixtures.importer(db, sources).run();

        assertThat(first.tables()).hasSize(18);
        assertThat(first.tables()).allSatisfy(t -> {
            assertThat(t.unaccounted()).as(t.qualified() + " unaccounted").isZero();
            assertThat(t.pending()).as(t.qualified() + " pending").isZero();
            assertThat(t.both()).as(t.qualified() + " both mapped and quarantined").isZero();
            assertThat(t.imported() + t.merged() + t.quarantined()).as(t.qualified()).isEqualTo(t.read());
            assertThat(t.accountedPercent()).isEqualTo(100.0);
            assertThat(t.quarantinedByReason().values().stream().mapToLong(Long::longValue).sum())
                    .isEqualTo(t.quarantined());
        });
        assertThat(first.read()).isEqualTo(80_808 + 454);
        assertThat(first.reconciled()).isTrue();
        // the database's own bookkeeping says the same as the report
        Endpoint owner = db.owner();
        assertThat(LegacySql.count(owner, "SELECT count(*) FROM legacy.id_map WHERE source_table <> 'user_text_id'")
                + LegacySql.count(owner, "SELECT count(*) FROM legacy.quarantine WHERE status = 'open'"))
                .isEqualTo(first.read());
        assertThat(LegacySql.count(owner, "SELECT sum(unaccounted_rows) FROM legacy.reconciliation WHERE run_id = '"
                + first.runId() + "'")).isZero();
        assertThat(LegacySql.count(owner, "SELECT count(*) FROM legacy.quarantine WHERE original_row IS NULL")).isZero();
    }

    @Test
    @Order(2)
    void thePlansOwnArithmeticShowsBesideWhatWasRead() {
        ImportReport.PlanLine companies = line("robbie companies");
        assertThat(companies.stated()).isEqualTo(7_910);
        assertThat(companies.partsSum()).isEqualTo(7_909);
        assertThat(companies.read()).isEqualTo(7_909);
        assertThat(companies.statedMinusParts()).isEqualTo(1);
        ImportReport.PlanLine allan = line("robbie_allan (database)");
        assertThat(allan.stated()).isEqualTo(465);
        assertThat(allan.partsSum()).isEqualTo(454);
        assertThat(allan.read()).isEqualTo(454);
        assertThat(line("robbie (database)").read()).isEqualTo(80_808);
        assertThat(first.tables()).filteredOn(t -> t.table().equals("hubspot_companies")).singleElement()
                .satisfies(t -> assertThat(t.planned()).isEqualTo(6_810L));
    }

    @Test
    @Order(3)
    void everyCheckedReferencePointsAtWhatItsLegacyParentBecame() {
        assertThat(first.relationships()).isNotEmpty();
        assertThat(first.relationships()).allSatisfy(r -> {
            assertThat(r.wrong()).as(r.table() + " " + r.column()).isZero();
            assertThat(r.ok() + r.conflictRecorded()).isEqualTo(r.checked());
        });
        assertThat(first.relationships()).filteredOn(r -> r.column().equals("crm.activities.contact_id")
                && r.table().equals("robbie.activities")).singleElement()
                .satisfies(r -> assertThat(r.checked()).isGreaterThan(40_000));
    }

    @Test
    @Order(4)
    void theCapitalSeesEverythingAndOtherTownsOnlyTheSharedKnowledgeBase(Database db) {
        assertThat(first.visibility()).extracting(ImportReport.TownView::town)
                .containsExactly("aurora", "collaboration", "fluenti");
        ImportReport.TownView aurora = first.visibility().get(0);
        assertThat(aurora.capital()).isTrue();
        for (String table : TARGETS) {
            assertThat(aurora.visible().get(table)).as("aurora sees all of " + table)
                    .isEqualTo(LegacySql.count(db.owner(), "SELECT count(*) FROM " + table));
        }
        assertThat(aurora.visible().get("crm.activities")).isGreaterThan(50_000);
        for (ImportReport.TownView town : first.visibility().subList(1, 3)) {
            assertThat(town.visible().get("memory.knowledge_base")).as(town.town()).isEqualTo(3);
            TARGETS.stream().filter(t -> !t.equals("memory.knowledge_base"))
                    .forEach(t -> assertThat(town.visible().get(t)).as(town.town() + " " + t).isZero());
        }
        assertThat(LegacySql.count(db.owner(), "SELECT count(*) FROM core.users WHERE handle = 'legacy-import-check'"))
                .as("the check's user is gone").isZero();
    }

    @Test
    @Order(5)
    void aSecondFullRunAddsNothing(TestCluster cluster, Database db) {
        Map<String, String> before = LegacySql.contentHashes(db.owner(), TARGETS);
        long idMap = LegacySql.count(db.owner(), "SELECT count(*) FROM legacy.id_map");
        long quarantine = LegacySql.count(db.owner(), "SELECT count(*) FROM legacy.quarantine");
        ImportReport second = ImportFixtures.importer(db, ImportFixtures.generated(cluster, db, "recon", 42)).run();
        assertThat(second.rowsWrittenTotal()).isZero();
        assertThat(second.tables()).allSatisfy(t -> assertThat(t.thisRun().get("unchanged")).isEqualTo(t.read()));
        assertThat(LegacySql.contentHashes(db.owner(), TARGETS)).isEqualTo(before);
        assertThat(LegacySql.count(db.owner(), "SELECT count(*) FROM legacy.id_map")).isEqualTo(idMap);
        assertThat(LegacySql.count(db.owner(), "SELECT count(*) FROM legacy.quarantine")).isEqualTo(quarantine);
        assertThat(second.tables()).extracting(ImportReport.SourceTable::imported)
                .isEqualTo(first.tables().stream().map(ImportReport.SourceTable::imported).toList());
    }

    private static ImportReport.PlanLine line(String group) {
        return first.plan().stream().filter(p -> p.group().equals(group)).findFirst().orElseThrow();
    }
}
