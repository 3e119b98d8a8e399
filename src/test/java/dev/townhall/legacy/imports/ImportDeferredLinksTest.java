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
import java.util.Set;
import java.util.UUID;

import static dev.townhall.legacy.imports.ImportMergeRulesTest.link;
import static dev.townhall.legacy.imports.ImportMergeRulesTest.outcome;
import static dev.townhall.legacy.imports.ImportMergeRulesTest.target;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * References that point at nothing, or at a quarantined parent, on hand-made rows: the child is imported with the
 * reference empty and linked by the run that brings the parent (a later import, a quarantined parent accepted with a
 * correction), and the reconciliation counts the links waiting and made.
 */
@ExtendWith(PostgresExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImportDeferredLinksTest {
    private static Map<String, Endpoint> admin;
    private static ImportReport first;

    @BeforeAll
    static void legacyRows(TestCluster cluster, Database db) {
        admin = ImportFixtures.empty(cluster, "deferred");
        LegacySql.execute(admin.get("robbie"), """
                INSERT INTO hubspot_companies (id, name, domain) VALUES (1, 'Acme', 'acme.com');
                INSERT INTO hubspot_contacts (id, firstname, lastname, email, company_id) VALUES
                  (10, 'John', 'Doe', 'john@acme.com', 1),
                  (11, NULL, NULL, NULL, 1);
                INSERT INTO hubspot_deals (deal_id, dealname, amount, dealstage, company_id, contact_id) VALUES
                  (500, 'Big deal', '100', 'closedwon', 77, 11);
                INSERT INTO activities (id, type, subject, contact_id, company_id, "timestamp") VALUES
                  (200, 'EMAIL', 'to a contact not there yet', 12, 1, 1600000000000),
                  (201, 'CALL', 'to a quarantined contact', 11, 1, 1600000000000),
                  (202, 'NOTE', 'all there', 10, 1, 1600000000000);
                """);
        LegacySql.execute(admin.get("robbie_allan"), """
                INSERT INTO interactions (id, contact_email, channel, summary, occurred_at) VALUES
                  ('00000000-0000-0000-0000-000000000001', 'later@acme.com', 'email', 'hello', '2024-01-02T03:04:05Z'),
                  ('00000000-0000-0000-0000-000000000002', 'not an address', 'email', 'bad', '2024-01-02T03:04:05Z');
                """);
        first = ImportFixtures.importer(db, ImportFixtures.asOwner(db, admin)).run();
    }

    @Test
    @Order(1)
    void aChildWhoseParentIsMissingOrQuarantinedIsImportedWithTheReferenceEmptyAndTheKeyKept(Database db) {
        Endpoint owner = db.owner();
        assertThat(LegacySql.text(owner, "SELECT status FROM legacy.quarantine WHERE source_table = 'hubspot_contacts'"
                + " AND source_id = '11'")).as("a contact with no identity at all").isEqualTo("open");
        for (String id : new String[] {"200", "201", "202"}) {
            assertThat(outcome(owner, "activities", id)).as(id).isEqualTo("imported");
        }
        assertThat(link(owner, "activities", "200")).isEqualTo("contact_id robbie.hubspot_contacts 12"
                + " orphan_reference pending");
        assertThat(link(owner, "activities", "201")).isEqualTo("contact_id robbie.hubspot_contacts 11"
                + " parent_quarantined pending");
        assertThat(activityContact(owner, "201")).isEqualTo("none");
        assertThat(activityCompany(owner, "201")).as("the references that resolve are set")
                .isEqualTo(target(owner, "hubspot_companies", "1"));
        assertThat(activityContact(owner, "202")).isEqualTo(target(owner, "hubspot_contacts", "10"));
        // engagement is refreshed once at the end of the run (crm-120), for what the run linked
        assertThat(touches(owner, "10")).isEqualTo("1");
        assertThat(LegacySql.column(owner, "SELECT column_name || ' ' || parent_key || ' ' || reason_code"
                + " FROM legacy.deferred_links WHERE source_table = 'hubspot_deals' ORDER BY 1"))
                .containsExactly("company_id 77 orphan_reference", "primary_contact_id 11 parent_quarantined");
        // a lookup value that finds nobody yet waits too; one that can never match is a value issue
        assertThat(link(owner, "interactions", "00000000-0000-0000-0000-000000000001"))
                .isEqualTo("contact_id contact_by_email later@acme.com orphan_reference pending");
        assertThat(LegacySql.text(owner, "SELECT reason_code FROM legacy.value_issues WHERE source_table = 'interactions'"
                + " AND source_id = '00000000-0000-0000-0000-000000000002'")).isEqualTo("invalid_email");
        assertThat(first.tables()).filteredOn(t -> t.qualified().equals("robbie.activities")).singleElement()
                .satisfies(t -> {
                    assertThat(t.imported()).isEqualTo(3);
                    assertThat(t.quarantined()).isZero();
                    assertThat(t.linksPending()).isEqualTo(2);
                    assertThat(t.linksResolved()).isZero();
                });
        assertThat(first.reconciled()).isTrue();
        assertThat(LegacySql.text(owner, "SELECT links_pending || ' ' || links_resolved FROM legacy.reconciliation"
                + " WHERE run_id = '" + first.runId() + "' AND source_table = 'activities'")).isEqualTo("2 0");
    }

    @Test
    @Order(2)
    void aLaterRunThatBringsTheParentLinksTheWaitingRows(Database db) {
        Endpoint owner = db.owner();
        LegacySql.execute(admin.get("robbie"), """
                INSERT INTO hubspot_companies (id, name, domain) VALUES (77, 'Globex', 'globex.com');
                INSERT INTO hubspot_contacts (id, firstname, lastname, email, company_id) VALUES
                  (12, 'Jane', 'Roe', 'jane@acme.com', 1);
                """);
        LegacySql.execute(admin.get("robbie_allan"),
                "INSERT INTO contacts (id, name, email) VALUES (5, 'Lee Later', 'later@acme.com')");
        ImportReport second = ImportFixtures.importer(db, ImportFixtures.asOwner(db, admin)).run();
        assertThat(second.linksResolvedThisRun()).isEqualTo(3);
        assertThat(activityContact(owner, "200")).isEqualTo(target(owner, "hubspot_contacts", "12"));
        assertThat(link(owner, "activities", "200")).endsWith(" resolved");
        assertThat(touches(owner, "12")).as("a link made later counts too").isEqualTo("1");
        assertThat(LegacySql.text(owner, "SELECT company_id::text FROM crm.deals WHERE name = 'Big deal'"))
                .isEqualTo(target(owner, "hubspot_companies", "77"));
        assertThat(LegacySql.text(owner, "SELECT contact_id::text FROM crm.activities WHERE summary = 'hello'"))
                .isEqualTo(target(owner, "contacts", "5"));
        assertThat(link(owner, "activities", "201")).as("its parent is still in quarantine").endsWith(" pending");
        assertThat(second.relationships()).allSatisfy(r -> assertThat(r.wrong()).as(r.column()).isZero());
        assertThat(second.tables()).filteredOn(t -> t.qualified().equals("robbie.activities")).singleElement()
                .satisfies(t -> assertThat(t.linksPending() + " " + t.linksResolved()).isEqualTo("1 1"));
    }

    @Test
    @Order(3)
    void aQuarantinedParentAcceptedWithACorrectionLinksItsChildren(Database db) {
        Endpoint owner = db.owner();
        UUID entry = UUID.fromString(LegacySql.text(owner, "SELECT id::text FROM legacy.quarantine"
                + " WHERE source_table = 'hubspot_contacts' AND source_id = '11'"));
        QuarantineAcceptance.Outcome accepted = QuarantineAcceptance.through(ImportFixtures.importer(db,
                ImportFixtures.asOwner(db, admin))).accept(entry, new QuarantineAcceptance.Corrections(
                Map.of("firstname", "Quinn", "email", "quinn@acme.com"), Set.of()), "reviewer");
        assertThat(accepted.imported()).isTrue();
        assertThat(outcome(owner, "hubspot_contacts", "11")).isEqualTo("imported");
        assertThat(LegacySql.text(owner, "SELECT report->>'linksResolvedThisRun' FROM legacy.import_runs WHERE id = '"
                + accepted.runId() + "'")).isEqualTo("2");
        assertThat(activityContact(owner, "201")).isEqualTo(target(owner, "hubspot_contacts", "11"));
        assertThat(LegacySql.text(owner, "SELECT primary_contact_id::text FROM crm.deals WHERE name = 'Big deal'"))
                .isEqualTo(target(owner, "hubspot_contacts", "11"));
        assertThat(LegacySql.count(owner, "SELECT count(*) FROM legacy.deferred_links WHERE status = 'pending'"))
                .isZero();
        assertThat(LegacySql.text(owner, "SELECT report->>'reconciled' FROM legacy.import_runs WHERE id = '"
                + accepted.runId() + "'")).isEqualTo("true");
    }

    @Test
    @Order(4)
    void aSecondRunAddsNothingAndNothingWaits(Database db) {
        Endpoint owner = db.owner();
        ImportReport again = ImportFixtures.importer(db, ImportFixtures.asOwner(db, admin)).run();
        assertThat(again.rowsWrittenTotal()).isZero();
        assertThat(again.linksResolvedThisRun()).isZero();
        assertThat(again.salvagedPercent()).isEqualTo(100.0);
        assertThat(again.tables()).allSatisfy(t -> assertThat(t.linksPending()).as(t.qualified()).isZero());
    }

    @Test
    @Order(5)
    void aParentArrivingForARowThatAnotherParentFilledIsRecordedAsAConflict(Database db) {
        Endpoint owner = db.owner();
        // John Doe again from apollo (merged into hubspot contact 10, which is at Acme), at an organisation not there
        LegacySql.execute(admin.get("robbie"), """
                INSERT INTO apollo_contacts (id, first_name, last_name, email, organization_id) VALUES
                  ('q1', 'John', 'Doe', 'john@acme.com', 'ghost-org');""");
        ImportFixtures.importer(db, ImportFixtures.asOwner(db, admin)).run();
        assertThat(outcome(owner, "apollo_contacts", "q1#1")).isEqualTo("merged");
        assertThat(link(owner, "apollo_contacts", "q1#1")).endsWith(" pending");

        LegacySql.execute(admin.get("robbie"), """
                INSERT INTO apollo_companies (apollo_id, company_name, website_url) VALUES
                  ('ghost-org', 'Ghost Org', 'https://ghost.org');""");
        ImportReport later = ImportFixtures.importer(db, ImportFixtures.asOwner(db, admin)).run();
        assertThat(later.linksResolvedThisRun()).isEqualTo(1);
        assertThat(LegacySql.text(owner, "SELECT company_id::text FROM crm.contacts WHERE id = '"
                + target(owner, "hubspot_contacts", "10") + "'")).as("the first parent stays")
                .isEqualTo(target(owner, "hubspot_companies", "1"));
        assertThat(LegacySql.text(owner, "SELECT (kept_value #>> '{}') || ' ' || (other_value #>> '{}') || ' '"
                + " || other_source_table || ':' || other_source_id FROM legacy.merge_conflicts"
                + " WHERE column_name = 'company_id'")).isEqualTo(target(owner, "hubspot_companies", "1") + " "
                + target(owner, "apollo_companies", "ghost-org#1") + " apollo_contacts:q1#1");
    }

    private static String activityContact(Endpoint owner, String sourceId) {
        return LegacySql.text(owner, "SELECT coalesce(contact_id::text, 'none') FROM crm.activities WHERE id = '"
                + target(owner, "activities", sourceId) + "'");
    }

    private static String touches(Endpoint owner, String contactSourceId) {
        return LegacySql.text(owner, "SELECT touch_count::text FROM crm.contacts WHERE id = '"
                + target(owner, "hubspot_contacts", contactSourceId) + "'");
    }

    private static String activityCompany(Endpoint owner, String sourceId) {
        return LegacySql.text(owner, "SELECT coalesce(company_id::text, 'none') FROM crm.activities WHERE id = '"
                + target(owner, "activities", sourceId) + "'");
    }
}
