package dev.townhall.legacy.imports;

import dev.townhall.db.Database;
import dev.townhall.db.Endpoint;
import dev.townhall.legacy.LegacySql;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.testing.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static dev.townhall.legacy.imports.ImportMergeRulesTest.outcome;
import static dev.townhall.legacy.imports.ImportMergeRulesTest.target;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A batch the database refuses (a rule the mapping does not know) while the next batch is already mapped: the refused
 * batch is replayed row by row, only the refused row is quarantined, and the batch mapped meanwhile — holding a row
 * that merges into a row of the refused batch — is mapped again against what was really written.
 */
@ExtendWith(PostgresExtension.class)
class ImportRefusedBatchTest {

    @Test
    void aRefusedBatchIsReplayedAndTheBatchMappedMeanwhileIsMappedAgain(TestCluster cluster, Database db) {
        Endpoint owner = db.owner();
        Map<String, Endpoint> admin = ImportFixtures.empty(cluster, "refused");
        // batches of two: [1, 2] is refused for row 2; [3, 4] is mapped while it is written: 3 merges into 1, and
        // 4 into 2 — until the replay shows 2 was never written
        LegacySql.execute(admin.get("robbie"), """
                INSERT INTO hubspot_companies (id, name, domain) VALUES
                  (1, 'Acme', 'acme.com'),
                  (2, 'Refuse Me', 'refused.com'),
                  (3, 'ACME Corp.', 'acme.com'),
                  (4, 'Refused Incorporated', 'refused.com'),
                  (5, 'Gamma', 'gamma.com'),
                  (6, 'Acme Europe', 'acme.com');
                """);
        LegacySql.execute(owner, """
                ALTER TABLE crm.companies ADD CONSTRAINT test_refuses_one_name CHECK (name <> 'Refuse Me')""");

        ImportReport report = ImportFixtures.importer(db, ImportFixtures.asOwner(db, admin)).batchRows(2).run();

        assertThat(LegacySql.text(owner, "SELECT reason_code || ' ' || (reason LIKE '%test_refuses_one_name%')"
                + " FROM legacy.quarantine WHERE source_table = 'hubspot_companies' AND source_id = '2'"))
                .isEqualTo("rejected_by_target true");
        assertThat(outcome(owner, "hubspot_companies", "1")).isEqualTo("imported");
        assertThat(outcome(owner, "hubspot_companies", "4")).as("its match was refused").isEqualTo("imported");
        for (String merged : new String[] {"3", "6"}) {
            assertThat(outcome(owner, "hubspot_companies", merged)).as(merged).isEqualTo("merged");
            assertThat(target(owner, "hubspot_companies", merged)).as(merged)
                    .isEqualTo(target(owner, "hubspot_companies", "1"));
        }
        assertThat(LegacySql.column(owner, "SELECT name FROM crm.companies ORDER BY name"))
                .containsExactly("Acme", "Gamma", "Refused Incorporated");
        assertThat(LegacySql.count(owner, """
                SELECT count(*) FROM legacy.id_map m LEFT JOIN crm.companies c ON c.id = m.target_id
                WHERE m.source_table = 'hubspot_companies' AND m.target_id IS NOT NULL AND c.id IS NULL"""))
                .as("id map entries pointing at rows that were never written").isZero();
        assertThat(report.reconciled()).isTrue();
        assertThat(LegacySql.text(owner, "SELECT is_complete::text FROM legacy.import_checkpoints WHERE run_id = '"
                + report.runId() + "' AND source_table = 'hubspot_companies'"))
                .as("six rows in batches of two: the empty last batch still marks the table complete").isEqualTo("true");
        assertThat(report.tables()).filteredOn(t -> t.qualified().equals("robbie.hubspot_companies")).singleElement()
                .satisfies(t -> assertThat(t.read() + " " + t.imported() + " " + t.merged() + " " + t.quarantined())
                        .isEqualTo("6 3 2 1"));

        ImportReport again = ImportFixtures.importer(db, ImportFixtures.asOwner(db, admin)).batchRows(2).run();
        assertThat(again.rowsWritten()).as("a second run writes nothing").isEmpty();
    }
}
