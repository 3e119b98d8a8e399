package dev.townhall.legacy.imports;

import dev.townhall.db.Database;
import dev.townhall.db.Endpoint;
import dev.townhall.legacy.LegacySql;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.testing.TestCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reconciliation's split of a table's imported rows into clean ones and ones with value issues, on hand-made
 * rows where exactly k rows of a table have values kept aside: the split counts rows (a row with two bad values is
 * one row), only imported rows (not merged, not quarantined ones), and the report's most frequent value issues count
 * the values, by source table, column and reason. The legacy.reconciliation row stored for the run says the same.
 */
@ExtendWith(PostgresExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImportValueIssueCountsTest {
    private static Map<String, Endpoint> admin;
    private static ImportReport report;

    @BeforeAll
    static void legacyRows(TestCluster cluster, Database db) {
        admin = ImportFixtures.empty(cluster, "issuecounts");
        LegacySql.execute(admin.get("robbie"), """
                INSERT INTO hubspot_companies (id, name, domain) VALUES (1, 'Acme Corporation', 'acme.com');
                INSERT INTO hubspot_contacts (id, firstname, lastname, email, phone, company_id) VALUES
                  (10, 'John', 'Doe', 'john@acme.com', NULL, 1),
                  (11, 'Jane', 'Roe', 'jane at acme', 'call me maybe', 1),
                  (12, 'Max', 'Mustermann', 'max@@acme.com', NULL, 1),
                  (13, 'Eve', 'Adams', 'eve@acme.com', '+1 415 555 0100', 1),
                  (14, 'Bob', 'Stone', 'bob@acme.com', 'no phone', 1),
                  (15, 'Ann', 'Lee', 'ann(at)acme', NULL, 1),
                  (16, NULL, NULL, 'not an address', NULL, NULL);
                INSERT INTO apollo_contacts (id, first_name, last_name, email, linkedin_url) VALUES
                  ('p1', 'John', 'Doe', 'john@acme.com', 'not a url');
                INSERT INTO hubspot_deals (deal_id, dealname, amount, dealstage, company_id, contact_id) VALUES
                  (100, 'Good deal', '1000', 'qualifiedtobuy', 1, 10),
                  (101, 'Refund', '-500', 'qualifiedtobuy', 1, 10),
                  (102, 'Renewal', '250', 'qualifiedtobuy', 1, 13);
                """);
        report = ImportFixtures.importer(db, ImportFixtures.asOwner(db, admin)).run();
    }

    @Test
    @Order(1)
    void importedRowsSplitIntoCleanAndWithValueIssuesCountingRowsNotValues(Database db) {
        // contacts: 11 (e-mail and phone), 12 (e-mail), 14 (phone), 15 (e-mail) have values kept aside; 10 and 13
        // are clean; 16 has no identity and is quarantined, its bad e-mail no value issue of an imported row
        assertThat(table(report, "robbie.hubspot_contacts")).satisfies(t -> {
            assertThat(t.imported()).isEqualTo(6);
            assertThat(t.withValueIssues()).as("rows with value issues").isEqualTo(4);
            assertThat(t.imported() - t.withValueIssues()).as("clean").isEqualTo(2);
            assertThat(t.valueIssues()).as("values kept aside").isEqualTo(5);
            assertThat(t.quarantined()).isEqualTo(1);
            assertThat(t.merged()).isZero();
        });
        // deals: only the refund's negative amount
        assertThat(table(report, "robbie.hubspot_deals")).satisfies(t -> {
            assertThat(t.imported()).isEqualTo(3);
            assertThat(t.withValueIssues()).isEqualTo(1);
            assertThat(t.valueIssues()).isEqualTo(1);
        });
        // a merged row's value issue is counted as a value, but the row is no imported row with issues
        assertThat(table(report, "robbie.apollo_contacts")).satisfies(t -> {
            assertThat(t.merged()).isEqualTo(1);
            assertThat(t.imported()).isZero();
            assertThat(t.valueIssues()).isEqualTo(1);
            assertThat(t.withValueIssues()).isZero();
        });
        assertThat(table(report, "robbie.hubspot_companies")).satisfies(t -> {
            assertThat(t.imported()).isEqualTo(1);
            assertThat(t.withValueIssues()).isZero();
            assertThat(t.valueIssues()).isZero();
        });
        assertThat(report.reconciled()).isTrue();
    }

    @Test
    @Order(2)
    void theTopValueIssuesCountValuesBySourceTableColumnAndReason() {
        // most frequent first, ties by source table, column and reason; the merged row's value counts here too
        assertThat(report.topValueIssues()).containsExactly(
                issue("robbie.hubspot_contacts", "crm.contacts.email", "invalid_email", 3),
                issue("robbie.hubspot_contacts", "crm.contacts.phone", "invalid_phone", 2),
                issue("robbie.apollo_contacts", "crm.contacts.linkedin_url", "invalid_url", 1),
                issue("robbie.hubspot_deals", "crm.deals.amount_cents", "negative_amount", 1));
    }

    private static ImportReport.ValueIssueLine issue(String source, String column, String reason, long values) {
        return new ImportReport.ValueIssueLine(source, column, reason, values);
    }

    @Test
    @Order(3)
    void theStoredReconciliationOfTheRunSaysTheSame(Database db) {
        assertThat(stored(db.owner(), report, "hubspot_contacts"))
                .isEqualTo("imported 6 with value issues 4 merged 0 quarantined 1 {\"no_identity\": 1}");
        assertThat(stored(db.owner(), report, "hubspot_deals"))
                .isEqualTo("imported 3 with value issues 1 merged 0 quarantined 0 {}");
        assertThat(stored(db.owner(), report, "apollo_contacts"))
                .isEqualTo("imported 0 with value issues 0 merged 1 quarantined 0 {}");
        assertThat(stored(db.owner(), report, "hubspot_companies"))
                .isEqualTo("imported 1 with value issues 0 merged 0 quarantined 0 {}");
    }

    @Test
    @Order(4)
    void aSecondRunCountsTheSameRowsOnce(Database db) {
        ImportReport again = ImportFixtures.importer(db, ImportFixtures.asOwner(db, admin)).run();
        assertThat(again.rowsWrittenTotal()).isZero();
        assertThat(table(again, "robbie.hubspot_contacts").withValueIssues()).isEqualTo(4);
        assertThat(table(again, "robbie.hubspot_contacts").valueIssues()).isEqualTo(5);
        assertThat(again.topValueIssues()).isEqualTo(report.topValueIssues());
        assertThat(stored(db.owner(), again, "hubspot_contacts"))
                .isEqualTo("imported 6 with value issues 4 merged 0 quarantined 1 {\"no_identity\": 1}");
    }

    private static ImportReport.SourceTable table(ImportReport r, String qualified) {
        return r.tables().stream().filter(t -> t.qualified().equals(qualified)).findFirst().orElseThrow();
    }

    private static String stored(Endpoint owner, ImportReport r, String table) {
        return LegacySql.text(owner, "SELECT 'imported ' || rows_imported || ' with value issues '"
                + " || rows_with_value_issues || ' merged ' || rows_merged || ' quarantined ' || rows_quarantined"
                + " || ' ' || quarantined_by_reason::text FROM legacy.reconciliation WHERE run_id = '" + r.runId()
                + "' AND source_db = 'robbie' AND source_table = '" + table + "'");
    }
}
