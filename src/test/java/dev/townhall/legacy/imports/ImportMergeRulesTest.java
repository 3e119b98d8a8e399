package dev.townhall.legacy.imports;

import dev.townhall.legacy.LegacySql;
import dev.townhall.db.Database;
import dev.townhall.db.Endpoint;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.testing.TestCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The merge rules, the orphan rule and the quarantine round trip on hand-made legacy rows (a legacy-shaped database
 * built from the shipped DDL), so every expectation below is known exactly.
 */
@ExtendWith(PostgresExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImportMergeRulesTest {
    private static Map<String, Endpoint> admin;
    private static ImportReport report;

    @BeforeAll
    static void legacyRows(TestCluster cluster, Database db) {
        admin = ImportFixtures.empty(cluster, "merge");
        LegacySql.execute(admin.get("robbie"), """
                INSERT INTO hubspot_companies (id, name, domain, industry, employee_count, created_date) VALUES
                  (1, 'Acme Corporation', 'acme.com', 'COMPUTER_SOFTWARE', '51-200', '2020-01-02T03:04:05Z'),
                  (2, 'ACME Corp.', 'https://www.ACME.com/about', NULL, '120', '03/15/2021'),
                  (3, 'Globex', NULL, 'RETAIL', NULL, NULL),
                  (4, 'Initech', 'initech.com', NULL, NULL, NULL),
                  (5, '  ', 'blank-name.com', NULL, NULL, NULL);
                INSERT INTO apollo_companies (apollo_id, company_name, website_url, num_employees, founded_year) VALUES
                  ('a1', 'The Globex Corporation', 'http://globex.io/', 4000, 1989),
                  ('a2', 'Initech', 'https://initech.net', 12, NULL),
                  ('a3', 'Hooli', 'hooli.xyz', 50, NULL),
                  ('a3', 'Hooli', 'hooli.xyz', 55, 2004);
                INSERT INTO hubspot_contacts (id, firstname, lastname, email, phone, company_id, owner, createdate) VALUES
                  (10, 'John', 'Doe', ' John.Doe@Acme.com ', '(415) 555-0100', 1, 'Allan', '2020-05-05'),
                  (11, 'Jane', 'Roe', NULL, NULL, 1, 'bob', NULL),
                  (12, 'Jane', 'Roe', NULL, NULL, 4, NULL, NULL),
                  (13, 'Orphan', 'Company', 'orphan@acme.com', NULL, 999, NULL, NULL),
                  (14, 'Bad', 'Email', 'bad at acme.com', NULL, 1, NULL, NULL),
                  (15, ' ', '', 'n/a', NULL, 1, NULL, NULL);
                INSERT INTO apollo_contacts (id, first_name, last_name, email, organization_id, phone_numbers) VALUES
                  ('p1', 'JOHN', 'DOE', 'john.doe@acme.com', 'a1', '["+1 415 555 0100", "+44 20 7946 0000"]');
                INSERT INTO manual_contacts (id, full_name, email, company_name, added_by) VALUES
                  (1, 'Roe, Jane', 'jane.roe@acme.com', 'Acme Corp', 'kristina');
                INSERT INTO activities (id, type, subject, contact_id, company_id, "timestamp", metadata) VALUES
                  (100, 'EMAIL', 'hello', 10, 1, 1600000000000, '{"opens": 1}'),
                  (101, 'call', 'orphaned', 999, NULL, 1600000000000, NULL),
                  (102, 'NOTE', 'bad json', 10, NULL, 1600000000, '{opens: 3}'),
                  (103, 'NOTE', 'no time', 10, NULL, NULL, NULL);
                """);
        LegacySql.execute(admin.get("robbie_allan"), "INSERT INTO knowledge_base (id, title, content, tags) VALUES"
                + " (1, 'Pricing FAQ', 'text', 'pricing,faq,,')");
        report = ImportFixtures.importer(db, ImportFixtures.asOwner(db, admin)).run();
    }

    @Test
    @Order(1)
    void companiesMergeByDomainThenByNameWhereDomainsDoNotDisagree(Database db) {
        Endpoint owner = db.owner();
        assertThat(companies(owner)).containsExactlyInAnyOrder(
                "Acme Corporation|acme.com", "Globex|globex.io", "Initech|initech.com", "Initech|initech.net",
                "Hooli|hooli.xyz", "blank-name.com|blank-name.com");
        assertThat(outcome(owner, "hubspot_companies", "2")).isEqualTo("merged");
        assertThat(target(owner, "hubspot_companies", "2")).isEqualTo(target(owner, "hubspot_companies", "1"));
        assertThat(outcome(owner, "apollo_companies", "a1#1")).as("name match, blank domain filled").isEqualTo("merged");
        assertThat(outcome(owner, "apollo_companies", "a2#1")).as("same name, other domain").isEqualTo("imported");
        assertThat(outcome(owner, "apollo_companies", "a3#2")).as("repeated apollo id").isEqualTo("merged");
        // blanks filled, differing values kept and recorded, never overwritten
        assertThat(LegacySql.text(owner, "SELECT employee_range || ' ' || employee_count FROM crm.companies"
                + " WHERE domain = 'acme.com'")).isEqualTo("51-200 120");
        assertThat(LegacySql.text(owner, "SELECT founded_year || ' ' || employee_count FROM crm.companies"
                + " WHERE domain = 'globex.io'")).isEqualTo("1989 4000");
        assertThat(LegacySql.column(owner, """
                SELECT kept_value #>> '{}' || ' / ' || (other_value #>> '{}') || ' / ' || kept_source
                FROM legacy.merge_conflicts WHERE column_name = 'name' ORDER BY 1""")).contains(
                "Acme Corporation / ACME Corp. / robbie.hubspot_companies:1",
                "Globex / The Globex Corporation / robbie.hubspot_companies:3");
        assertThat(LegacySql.count(owner, "SELECT count(*) FROM legacy.filled_values WHERE column_name = 'domain'"))
                .as("Globex got its domain from Apollo").isEqualTo(1);
    }

    @Test
    @Order(2)
    void contactsMergeByEmailThenByNameAndCompany(Database db) {
        Endpoint owner = db.owner();
        assertThat(outcome(owner, "apollo_contacts", "p1#1")).isEqualTo("merged");
        assertThat(target(owner, "apollo_contacts", "p1#1")).isEqualTo(target(owner, "hubspot_contacts", "10"));
        assertThat(LegacySql.text(owner, "SELECT email || ' ' || phone FROM crm.contacts WHERE first_name = 'John'"))
                .isEqualTo("john.doe@acme.com +14155550100");
        // the apollo row pointed at Globex: the contact keeps Acme and the difference is recorded
        assertThat(LegacySql.count(owner, "SELECT count(*) FROM legacy.merge_conflicts WHERE column_name = 'company_id'"
                + " AND other_source_id = 'p1#1'")).isEqualTo(1);
        assertThat(report.relationships()).filteredOn(r -> r.table().equals("robbie.apollo_contacts")).singleElement()
                .satisfies(r -> assertThat(r.conflictRecorded()).isEqualTo(1));
        // the second phone number is kept aside, not lost
        assertThat(LegacySql.text(owner, "SELECT raw_value || ' (kept ' || stored_value || ')' FROM legacy.value_issues"
                + " WHERE reason_code = 'extra_value'")).startsWith("+442079460000 (kept +");
        // Jane Roe at Acme (no e-mail) and the manual "Roe, Jane" of "Acme Corp" are one person; Jane Roe at Initech is not
        assertThat(outcome(owner, "manual_contacts", "1")).isEqualTo("merged");
        assertThat(target(owner, "manual_contacts", "1")).isEqualTo(target(owner, "hubspot_contacts", "11"));
        assertThat(target(owner, "hubspot_contacts", "12")).isNotEqualTo(target(owner, "hubspot_contacts", "11"));
        assertThat(LegacySql.text(owner, "SELECT email FROM crm.contacts WHERE id = '"
                + target(owner, "hubspot_contacts", "11") + "'")).isEqualTo("jane.roe@acme.com");
    }

    @Test
    @Order(3)
    void orphansWaitForTheirParentAndBadRowsGoToQuarantineWithTheirReasonAndOriginalRow(Database db) {
        Endpoint owner = db.owner();
        // an activity whose contact does not exist is imported without it; the legacy key waits for the contact
        assertThat(outcome(owner, "activities", "101")).isEqualTo("imported");
        assertThat(LegacySql.text(owner, "SELECT coalesce(contact_id::text, 'none') FROM crm.activities"
                + " WHERE subject = 'orphaned'")).isEqualTo("none");
        assertThat(link(owner, "activities", "101")).isEqualTo("contact_id robbie.hubspot_contacts 999"
                + " orphan_reference pending");
        assertThat(quarantine(owner, "activities", "103")).startsWith("missing_required|");
        assertThat(LegacySql.text(owner, "SELECT original_row->>'subject' FROM legacy.quarantine WHERE source_id = '103'"))
                .isEqualTo("no time");
        // an invalid e-mail or a blank name does not quarantine a row that still identifies someone (issue 14)
        assertThat(outcome(owner, "hubspot_contacts", "14")).isEqualTo("imported");
        assertThat(LegacySql.text(owner, "SELECT reason_code FROM legacy.value_issues WHERE source_table ="
                + " 'hubspot_contacts' AND source_id = '14'")).isEqualTo("invalid_email");
        assertThat(outcome(owner, "hubspot_companies", "5")).as("named by its domain").isEqualTo("imported");
        assertThat(quarantine(owner, "hubspot_contacts", "15")).startsWith("no_identity|");
        // a contact whose company id dangles is kept, the dangling id waits for the company
        assertThat(outcome(owner, "hubspot_contacts", "13")).isEqualTo("imported");
        assertThat(link(owner, "hubspot_contacts", "13")).isEqualTo("company_id robbie.hubspot_companies 999"
                + " orphan_reference pending");
        // epoch seconds in a milliseconds column are read as seconds; invalid JSON is kept aside
        assertThat(outcome(owner, "activities", "102")).isEqualTo("imported");
        assertThat(LegacySql.text(owner, "SELECT occurred_at::text FROM crm.activities WHERE subject = 'bad json'"))
                .isEqualTo("2020-09-13 12:26:40+00");
        assertThat(LegacySql.text(owner, "SELECT raw_value FROM legacy.value_issues WHERE reason_code = 'invalid_json'"))
                .isEqualTo("{opens: 3}");
        assertThat(report.tables()).allSatisfy(t -> assertThat(t.unaccounted()).isZero());
    }

    @Test
    @Order(4)
    void textUserIdsMapToListedUsersAndUnknownOnesAreKeptNotGuessed(Database db) {
        Endpoint owner = db.owner();
        assertThat(LegacySql.text(owner, "SELECT u.handle FROM crm.contacts c JOIN core.users u ON u.id = c.owner_user_id"
                + " WHERE c.first_name = 'John'")).isEqualTo("allan");
        assertThat(LegacySql.column(owner, "SELECT source_id FROM legacy.id_map WHERE source_table = 'user_text_id'"
                + " ORDER BY 1")).containsExactly("allan", "kristina");
        assertThat(LegacySql.text(owner, "SELECT raw_value FROM legacy.value_issues WHERE reason_code = 'unknown_user'"))
                .isEqualTo("bob");
        assertThat(LegacySql.count(owner, "SELECT count(*) FROM core.users WHERE handle = 'bob'")).isZero();
    }

    @Test
    @Order(5)
    void aFixedQuarantinedRowIsReimportedByRetryQuarantine(Database db) {
        Endpoint owner = db.owner();
        LegacySql.execute(owner, """
                UPDATE legacy.quarantine SET fixed_row = jsonb_set(original_row, '{timestamp}', '1600000000000'),
                       status = 'fixed'
                WHERE source_table = 'activities' AND source_id = '103'""");
        ImportReport retry = ImportFixtures.importer(db, ImportFixtures.asOwner(db, admin)).retryQuarantine(true).run();
        assertThat(retry.mode()).isEqualTo("retry_quarantine");
        assertThat(outcome(owner, "activities", "103")).isEqualTo("imported");
        assertThat(LegacySql.text(owner, "SELECT status FROM legacy.quarantine WHERE source_id = '103'"))
                .isEqualTo("reimported");
        assertThat(LegacySql.text(owner, "SELECT contact_id::text FROM crm.activities WHERE subject = 'no time'"))
                .isEqualTo(target(owner, "hubspot_contacts", "10"));
        // the rows nobody fixed stay quarantined, and everything still adds up
        assertThat(quarantine(owner, "hubspot_contacts", "15")).startsWith("no_identity|");
        assertThat(retry.tables()).allSatisfy(t -> assertThat(t.unaccounted()).isZero());
        // a later full run does not undo the fix: the source row is unchanged, so it is left alone
        ImportReport again = ImportFixtures.importer(db, ImportFixtures.asOwner(db, admin)).run();
        assertThat(again.rowsWrittenTotal()).isZero();
        assertThat(outcome(owner, "activities", "103")).isEqualTo("imported");
    }

    @Test
    @Order(6)
    void aDryRunReportsWhatARunWouldDoAndKeepsNothing(TestCluster cluster, Database db) {
        Database fresh = cluster.newDatabase("merge_dry");
        // in batches of two: a dry run's batches are savepoints of one transaction, written while the next is mapped
        ImportReport dry = ImportFixtures.importer(fresh, ImportFixtures.asOwner(fresh, admin)).dryRun(true)
                .batchRows(2).run();
        assertThat(dry.dryRun()).isTrue();
        assertThat(dry.tables()).extracting(t -> t.qualified() + " " + t.imported() + "/" + t.merged() + "/"
                + t.quarantined()).isEqualTo(report.tables().stream().map(t -> t.qualified() + " " + t.imported() + "/"
                + t.merged() + "/" + t.quarantined()).toList());
        for (String table : List.of("crm.companies", "crm.contacts", "crm.activities", "legacy.id_map",
                "legacy.quarantine", "legacy.value_issues")) {
            assertThat(LegacySql.count(fresh.owner(), "SELECT count(*) FROM " + table)).as(table).isZero();
        }
        assertThat(LegacySql.text(fresh.owner(), "SELECT dry_run::text || ' ' || status FROM legacy.import_runs"))
                .isEqualTo("true succeeded");
    }

    private static List<String> companies(Endpoint owner) {
        return LegacySql.column(owner, "SELECT name || '|' || coalesce(domain::text, '') FROM crm.companies");
    }

    /** The deferred link of one source row: column, parent, key, reason, status. */
    static String link(Endpoint owner, String table, String id) {
        return LegacySql.text(owner, "SELECT column_name || ' ' || coalesce(parent_source_db || '.' || parent_source_table,"
                + " lookup) || ' ' || parent_key || ' ' || reason_code || ' ' || status FROM legacy.deferred_links"
                + " WHERE source_table = '" + table + "' AND source_id = '" + id + "'");
    }

    static String outcome(Endpoint owner, String table, String id) {
        return LegacySql.text(owner, "SELECT outcome FROM legacy.id_map WHERE source_table = '" + table
                + "' AND source_id = '" + id + "'");
    }

    static String target(Endpoint owner, String table, String id) {
        return LegacySql.text(owner, "SELECT target_id::text FROM legacy.id_map WHERE source_table = '" + table
                + "' AND source_id = '" + id + "'");
    }

    private static String quarantine(Endpoint owner, String table, String id) {
        return LegacySql.text(owner, "SELECT reason_code || '|' || reason FROM legacy.quarantine WHERE source_table = '"
                + table + "' AND source_id = '" + id + "' AND status = 'open'");
    }
}
