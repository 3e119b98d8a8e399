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

import java.util.List;
import java.util.Map;

import static dev.townhall.legacy.imports.ImportMergeRulesTest.outcome;
import static dev.townhall.legacy.imports.ImportMergeRulesTest.target;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14's value rules on hand-made legacy rows: a row that can become a meaningful TownHall row is imported and
 * every value it could not keep is a value issue; only rows without identity, or without a value they cannot mean
 * anything without, stay in quarantine.
 */
@ExtendWith(PostgresExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImportSalvageValuesTest {
    private static Map<String, Endpoint> admin;
    private static ImportReport report;

    @BeforeAll
    static void legacyRows(TestCluster cluster, Database db) {
        admin = ImportFixtures.empty(cluster, "salvage");
        LegacySql.execute(admin.get("robbie"), """
                INSERT INTO hubspot_companies (id, name, domain, created_date, hs_lastmodifieddate) VALUES
                  (1, 'Acme Corporation', 'acme.com', '2020-01-02T03:04:05Z', NULL),
                  (2, '', 'nameless.io', '9999-12-31', '2021-06-07 08:09:10'),
                  (3, '  ', NULL, NULL, NULL),
                  (4, 'Ambiguous', 'ambiguous.com', '03/04/2021', NULL),
                  (5, 'Christmas', 'christmas.com', '25/12/2020', NULL),
                  (6, 'Last of January', 'january.com', '31/01/2021', NULL);
                INSERT INTO hubspot_contacts (id, firstname, lastname, email, phone, company_id) VALUES
                  (10, 'John', 'Doe', 'john.doe@@acme.com', NULL, 1),
                  (11, '', '', 'jane.roe@acme.com', NULL, NULL),
                  (12, '', NULL, NULL, '(415) 555-0100', NULL),
                  (13, ' ', '', 'no email', NULL, NULL),
                  (14, 'Bad', 'Phone', 'bad.phone@acme.com', 'call me maybe', NULL),
                  (15, '', 'Smith', 'noemail@example.com', NULL, NULL);
                INSERT INTO apollo_contacts (id, first_name, last_name, email, linkedin_url, created_at) VALUES
                  ('p1', '', 'Roe', 'Jane.Roe@acme.com', NULL, '1900-01-01'),
                  ('p2', '', '', 'someone at nowhere', 'https://www.linkedin.com/in/someone', NULL),
                  ('p3', 'Lin', 'Kedin', 'lin@kedin.com', 'not a url', '1900-01-01');
                INSERT INTO hubspot_deals (deal_id, dealname, amount, dealstage, company_id, contact_id, createdate) VALUES
                  (100, '', '$1,000.00', 'qualifiedtobuy', 1, 10, '2019-06-04T02:42:59Z'),
                  (101, 'Refund', '-500', 'qualifiedtobuy', 1, 10, NULL),
                  (102, 'Custom pipeline', '100', '50500693', 1, 10, NULL);
                INSERT INTO hubspot_deals (deal_id, dealname, amount, dealstage, company_id, createdate, closedate) VALUES
                  (103, 'Won in April', '100', 'closedwon', 1, '20/01/2021', '03/04/2021'),
                  (104, 'Won late in April', '100', 'closedwon', 1, '28/02/2021', '25/04/2021');
                INSERT INTO hubspot_deals (deal_id, dealname, amount, dealstage, contact_id, createdate) VALUES
                  (105, NULL, '100', 'qualifiedtobuy', 10, 'someday');
                INSERT INTO activities (id, type, subject, contact_id, "timestamp") VALUES
                  (200, 'EMAIL', 'epoch zero', 10, 0),
                  (201, 'CALL', 'millis', 10, 1614834367000),
                  (202, 'CALL', 'seconds', 10, 1614834367);
                INSERT INTO meeting_transcripts (id, meeting_title, started_at, attendees, transcript) VALUES
                  ('00000000-0000-0000-0000-000000000001', '', '2024-03-05 10:00+00', 'Allan, Kristina', 'hello');
                INSERT INTO tasks (id, title, notes, status, due_date, completed) VALUES
                  (1, '', 'Call back about the renewal before Friday please, and bring the numbers', 'NOT_STARTED',
                   NULL, false),
                  (2, ' ', NULL, 'IN_PROGRESS', '2019-06-06T02:25:04Z', false),
                  (3, '', NULL, 'NOT_STARTED', NULL, false);
                INSERT INTO manual_deals (id, name, value, stage, company_name) VALUES
                  (1, '', 10, 'qualified', 'Acme Corporation');
                INSERT INTO pipeline_deals (id, title, amount_cents, currency, stage, contact_email) VALUES
                  ('00000000-0000-0000-0000-000000000003', NULL, 100, 'USD', 'qualified', 'nobody@nowhere.com');
                """);
        LegacySql.execute(admin.get("robbie_allan"), """
                INSERT INTO contacts (id, name, email) VALUES (1, 'Kim Park', 'kim at example');
                INSERT INTO deals (id, title, value_cents, stage) VALUES (3, 'Refund (credit note)', -380000, 'closed_lost');
                INSERT INTO deals (id, title, value_cents, stage, contact_id) VALUES (4, NULL, 1000, 'qualified', 1);
                INSERT INTO knowledge_base (id, title, content) VALUES
                  (1, '', 'Our pricing works like this: three tiers and a discount for nonprofits');
                INSERT INTO interactions (id, channel, summary, occurred_at) VALUES
                  ('00000000-0000-0000-0000-000000000002', 'email', 'impossible day', '2021-02-30');
                """);
        report = ImportFixtures.importer(db, ImportFixtures.asOwner(db, admin)).run();
    }

    @Test
    @Order(1)
    void aContactWithANameOrAnotherIdentityIsImportedAndItsBadValuesAreNoted(Database db) {
        Endpoint owner = db.owner();
        assertThat(outcome(owner, "hubspot_contacts", "10")).isEqualTo("imported");
        assertThat(issues(owner, "hubspot_contacts", "10")).containsExactly("email|invalid_email|john.doe@@acme.com");
        assertThat(outcome(owner, "hubspot_contacts", "14")).isEqualTo("imported");
        assertThat(issues(owner, "hubspot_contacts", "14")).containsExactly("phone|invalid_phone|call me maybe");
        assertThat(outcome(owner, "apollo_contacts", "p3#1")).as("a bad URL is a value issue too").isEqualTo("imported");
        assertThat(issues(owner, "apollo_contacts", "p3#1")).containsExactly(
                "created_at|implausible_date|1900-01-01 00:00:00+00", "linkedin_url|invalid_url|not a url");
        assertThat(LegacySql.text(owner, "SELECT (v.stored_value::timestamptz = c.created_at) || ' '"
                + " || (c.created_at > now() - interval '1 day') FROM legacy.value_issues v"
                + " JOIN crm.contacts c ON c.id = v.target_id WHERE v.source_table = 'apollo_contacts'"
                + " AND v.source_id = 'p3#1' AND v.column_name = 'created_at'"))
                .as("a new row says what it stored instead: the import's time").isEqualTo("true true");
        assertThat(outcomeIn(owner, "robbie_allan", "contacts", "1")).isEqualTo("imported");
        // only a row with no name, no usable e-mail and no phone is no one
        assertThat(quarantine(owner, "hubspot_contacts", "13")).startsWith("no_identity|none of first_name, last_name,"
                + " email, phone has a usable value");
        assertThat(quarantine(owner, "hubspot_companies", "3")).startsWith("no_identity|");
    }

    @Test
    @Order(2)
    void aNamelessRowGetsAnHonestDefaultFlaggedWithWhatWasStored(Database db) {
        Endpoint owner = db.owner();
        assertThat(firstName(owner, "hubspot_contacts", "11")).isEqualTo("jane.roe");
        assertThat(LegacySql.text(owner, "SELECT reason FROM legacy.value_issues WHERE source_table = 'hubspot_contacts'"
                + " AND source_id = '11' AND reason_code = 'default_name'"))
                .isEqualTo("no usable first_name; stored the default 'jane.roe' (from '{email|local_part}')");
        assertThat(firstName(owner, "hubspot_contacts", "12")).isEqualTo("+14155550100");
        assertThat(firstName(owner, "hubspot_contacts", "15")).as("a surname is a name").isEqualTo("(unknown)");
        assertThat(issues(owner, "hubspot_contacts", "15")).containsExactly("email|placeholder_email|noemail@example.com",
                "first_name|default_name|");
        assertThat(firstName(owner, "apollo_contacts", "p2#1")).isEqualTo("https://www.linkedin.com/in/someone");
        // a row that merges into an existing one keeps that row's name: no default is stored or flagged for it
        assertThat(outcome(owner, "apollo_contacts", "p1#1")).isEqualTo("merged");
        assertThat(target(owner, "apollo_contacts", "p1#1")).isEqualTo(target(owner, "hubspot_contacts", "11"));
        assertThat(LegacySql.column(owner, "SELECT column_name || ' ' || reason_code || ' '"
                + " || coalesce(stored_value, 'nothing stored') FROM legacy.value_issues"
                + " WHERE source_table = 'apollo_contacts' AND source_id = 'p1#1'"))
                .as("merged: the row it joined keeps its own created date").containsExactly(
                        "created_at implausible_date nothing stored");
        // a company without a name is called by its domain
        assertThat(LegacySql.text(owner, "SELECT name FROM crm.companies WHERE id = '"
                + target(owner, "hubspot_companies", "2") + "'")).isEqualTo("nameless.io");
        // an untitled meeting by its date and attendees, a nameless deal by its company and date, a task by its notes
        assertThat(LegacySql.text(owner, "SELECT title FROM work.meetings"))
                .isEqualTo("Meeting on 2024-03-05 with Allan, Kristina");
        assertThat(LegacySql.text(owner, "SELECT name FROM crm.deals WHERE id = '" + target(owner, "hubspot_deals", "100")
                + "'")).isEqualTo("Acme Corporation deal of 2019-06-04");
        assertThat(LegacySql.column(owner, "SELECT title FROM work.tasks ORDER BY title")).containsExactly(
                "Call back about the renewal before Friday please, …", "Task due 2019-06-06");
        assertThat(quarantine(owner, "tasks", "3")).as("nothing to call it by").startsWith("missing_required|");
        // a deal by its company, or the person it is with; a note by its first words
        assertThat(LegacySql.text(owner, "SELECT name FROM crm.deals WHERE id = '" + target(owner, "hubspot_deals", "105")
                + "'")).as("no company, no usable date: the person it is with").isEqualTo("John Doe deal");
        assertThat(LegacySql.column(owner, "SELECT name FROM crm.deals WHERE source IN ('manual', 'pipeline',"
                + " 'robbie_allan') ORDER BY name")).containsExactly("Acme Corporation deal",
                "Deal with nobody@nowhere.com", "Kim Park deal", "Refund (credit note)");
        assertThat(LegacySql.text(owner, "SELECT title FROM memory.knowledge_base WHERE source = 'robbie_allan'"))
                .isEqualTo("Our pricing works like this: three tiers and …");
        assertThat(LegacySql.count(owner, "SELECT count(*) FROM legacy.value_issues WHERE reason_code = 'default_name'"))
                .as("contacts 11, 12, 15, p2; company 2; meeting; deals 100, 105, manual 1, pipeline, allan 4;"
                        + " tasks 1, 2; knowledge 1").isEqualTo(14);
    }

    @Test
    @Order(3)
    void sentinelDatesBecomeUnknownAndARequiredDateFallsBackOrQuarantines(Database db) {
        Endpoint owner = db.owner();
        assertThat(LegacySql.text(owner, "SELECT created_at::text FROM crm.companies WHERE name = 'nameless.io'"))
                .as("9999-12-31 is no date; the row's last change is the best one left").isEqualTo("2021-06-07 08:09:10+00");
        assertThat(issues(owner, "hubspot_companies", "2")).containsExactlyInAnyOrder(
                "created_at|implausible_date|9999-12-31", "created_at|fallback_value|9999-12-31",
                "name|default_name|");
        // an activity has one date: without it the row means nothing and waits in quarantine, saying why
        assertThat(quarantine(owner, "activities", "200")).isEqualTo("missing_required|no value for required"
                + " crm.activities column(s) occurred_at (implausible_date: '0' (1970-01-01T00:00:00Z) is outside"
                + " 1970-01-02T00:00:00Z .. 2100-01-01T00:00:00Z)");
        assertThat(quarantine(owner, "interactions", "00000000-0000-0000-0000-000000000002"))
                .contains("occurred_at (unparseable_date: '2021-02-30'");
        // epoch milliseconds and epoch seconds in the same milliseconds column are the same moment
        assertThat(LegacySql.column(owner, "SELECT occurred_at::text FROM crm.activities ORDER BY subject"))
                .containsExactly("2021-03-04 05:06:07+00", "2021-03-04 05:06:07+00");
    }

    @Test
    @Order(4)
    void aTextDateColumnsDayMonthOrderComesFromItsUnambiguousValuesAndIsRecorded(Database db) {
        Endpoint owner = db.owner();
        assertThat(report.dateOrders()).contains(new ImportReport.DateOrder("robbie.hubspot_companies", "created_date",
                "/", "day_first", 2, 0, "inferred from 2 day-first and 0 month-first unambiguous slashed dates"));
        assertThat(LegacySql.text(owner, "SELECT created_at::text FROM crm.companies WHERE name = 'Ambiguous'"))
                .as("03/04/2021 in a day-first column").isEqualTo("2021-04-03 00:00:00+00");
        assertThat(LegacySql.text(owner, "SELECT reason_code || ': ' || reason FROM legacy.value_issues"
                + " WHERE source_table = 'hubspot_companies' AND source_id = '4'")).isEqualTo("ambiguous_date: ambiguous"
                + " slashed date read day-first, as the column has 2 day-first and 0 month-first unambiguous slashed"
                + " dates; stored 2021-04-03T00:00:00Z");
        assertThat(LegacySql.text(owner, "SELECT stored_value FROM legacy.value_issues WHERE source_table = 'hubspot_companies'"
                + " AND source_id = '4'")).isEqualTo("2021-04-03T00:00:00Z");
        assertThat(report.dateOrders()).filteredOn(o -> o.table().equals("robbie.hubspot_contacts"))
                .extracting(ImportReport.DateOrder::order).containsExactly("month_first", "day_first");
        // a closed deal's close date is read in its own column's order, like its expected close date
        assertThat(LegacySql.text(owner, "SELECT expected_close_date || ' ' || closed_at FROM crm.deals"
                + " WHERE name = 'Won in April'")).isEqualTo("2021-04-03 2021-04-03 00:00:00+00");
        assertThat(report.dateOrders()).filteredOn(o -> o.table().equals("robbie.hubspot_deals"))
                .extracting(ImportReport.DateOrder::column).as("the stage is no date column")
                .containsOnly("closedate", "createdate");
    }

    @Test
    @Order(5)
    void aBadAmountIsKeptAsideAndAnUnknownStageStillQuarantines(Database db) {
        Endpoint owner = db.owner();
        assertThat(LegacySql.text(owner, "SELECT coalesce(amount_cents::text, 'none') FROM crm.deals WHERE name = 'Refund'"))
                .isEqualTo("none");
        assertThat(issues(owner, "hubspot_deals", "101")).containsExactly("amount_cents|negative_amount|-500");
        assertThat(outcomeIn(owner, "robbie_allan", "deals", "3")).isEqualTo("imported");
        assertThat(LegacySql.text(owner, "SELECT raw_value FROM legacy.value_issues WHERE source_db = 'robbie_allan'"
                + " AND source_table = 'deals' AND source_id = '3'")).isEqualTo("-380000");
        assertThat(quarantine(owner, "hubspot_deals", "102")).startsWith("unmapped_value|dealstage: '50500693'");
    }

    @Test
    @Order(6)
    void everythingAddsUpAndASecondRunAddsNothing(Database db) {
        assertThat(report.tables()).allSatisfy(t -> assertThat(t.unaccounted()).isZero());
        assertThat(report.tables()).filteredOn(t -> t.qualified().equals("robbie.hubspot_contacts")).singleElement()
                .satisfies(t -> assertThat(t.quarantinedByReason()).isEqualTo(Map.of("no_identity", 1L)));
        ImportReport again = ImportFixtures.importer(db, ImportFixtures.asOwner(db, admin)).run();
        assertThat(again.rowsWrittenTotal()).isZero();
    }

    private static List<String> issues(Endpoint owner, String table, String id) {
        return LegacySql.column(owner, "SELECT column_name || '|' || reason_code || '|' || coalesce(raw_value, '')"
                + " FROM legacy.value_issues WHERE source_table = '" + table + "' AND source_id = '" + id + "'"
                + " ORDER BY 1");
    }

    private static String outcomeIn(Endpoint owner, String db, String table, String id) {
        return LegacySql.text(owner, "SELECT outcome FROM legacy.id_map WHERE source_db = '" + db
                + "' AND source_table = '" + table + "' AND source_id = '" + id + "'");
    }

    private static String firstName(Endpoint owner, String table, String id) {
        return LegacySql.text(owner, "SELECT first_name FROM crm.contacts WHERE id = '" + target(owner, table, id) + "'");
    }

    private static String quarantine(Endpoint owner, String table, String id) {
        return LegacySql.text(owner, "SELECT reason_code || '|' || reason FROM legacy.quarantine WHERE source_table = '"
                + table + "' AND source_id = '" + id + "' AND status = 'open'");
    }
}
