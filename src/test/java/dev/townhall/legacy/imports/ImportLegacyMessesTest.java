package dev.townhall.legacy.imports;

import dev.townhall.db.Database;
import dev.townhall.db.Endpoint;
import dev.townhall.legacy.LegacySql;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.testing.TestCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static dev.townhall.legacy.imports.ImportMergeRulesTest.outcome;
import static dev.townhall.legacy.imports.ImportMergeRulesTest.target;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kinds of mess {@code legacy-schemas.md} says real data of the legacy shapes contains, one hand-made row (or
 * pair) each, imported end to end: what TownHall stores for each, and that every one of them is imported or merged
 * rather than set aside.
 */
@ExtendWith(PostgresExtension.class)
class ImportLegacyMessesTest {
    private static final String LONG_BODY = "x".repeat(1_000_000);
    private static ImportReport report;

    @BeforeAll
    static void messyRows(TestCluster cluster, Database db) {
        Map<String, Endpoint> admin = ImportFixtures.empty(cluster, "messes");
        LegacySql.execute(admin.get("robbie"), """
                INSERT INTO hubspot_companies (id, name, domain, employee_count, created_date, owner_email) VALUES
                  (1, 'CafÃ© LumiÃ¨re', 'cafe-lumiere.fr', '51-200', '15.03.2021 14:30', 'Allan@TestPilot.ai'),
                  (2, 'Café Lumière SARL', 'https://www.Cafe-Lumiere.fr/contact/', '1,000+', '1615818600', NULL),
                  (3, 'Initech', NULL, 'lots', 'the day after', 'nobody@nowhere');
                INSERT INTO apollo_companies (apollo_id, company_name, website_url, num_employees) VALUES
                  ('5f1a2b3c4d5e6f7a8b9c0d1e', 'Hooli', 'hooli.xyz', 50),
                  ('5f1a2b3c4d5e6f7a8b9c0d1e', 'Hooli', 'hooli.xyz', 55);
                INSERT INTO hubspot_contacts (id, firstname, lastname, email, phone, company_id) VALUES
                  (10, 'RenÃ©', 'MÃ¼ller', '  RENE@Cafe-Lumiere.FR ', '+33 1 42 68 53 00', 1);
                INSERT INTO hubspot_contacts (id, firstname, lastname, email) VALUES
                  (11, 'Pasted', repeat('Lorem ipsum ', 20000), 'pasted@example.org');
                INSERT INTO apollo_contacts (id, first_name, last_name, email, phone_numbers) VALUES
                  ('p1', 'rene', 'muller', 'rene@cafe-lumiere.fr', '["(415) 555-0100", "call me"]');
                INSERT INTO manual_contacts (id, full_name, email, company_name) VALUES
                  (1, 'Müller, René', 'Rene@cafe-lumiere.fr.', 'Cafe Lumiere');
                INSERT INTO activities (id, type, subject, body, contact_id, "timestamp", metadata) VALUES
                  (100, 'email', 'donâ€™t forget', repeat('x', 1000000), 10, 1600000000000, '{not json'),
                  (101, 'MEETING', 'seconds, not milliseconds', NULL, 10, 1600000000, '{"room": 4}');
                INSERT INTO hubspot_deals (deal_id, dealname, amount, dealstage, closedate, createdate) VALUES
                  (900, 'Closed before it opened', '1e309', 'closedlost', '01/01/1990', '1893455999000');
                INSERT INTO tasks (id, title, status, completed, assigned_to) VALUES
                  (1, 'Call René back', 'COMPLETED', false, 'nobody');
                INSERT INTO chat_history (id, session_id, user_id, role, message, created_at) VALUES
                  (1, 's1', 'ALLAN', 'user', 'at a time New York skipped', '2024-03-10 02:30:00');
                """);
        report = ImportFixtures.importer(db, ImportFixtures.asOwner(db, admin)).run();
    }

    @Test
    void doubleEncodedUtf8IsRepairedAndTheSameCompanyUnderAnotherSpellingAndUrlIsOneRow(Database db) {
        Endpoint owner = db.owner();
        assertThat(outcome(owner, "hubspot_companies", "2")).isEqualTo("merged");
        assertThat(LegacySql.text(owner, "SELECT name || '|' || domain || '|' || employee_range || '|' || created_at::date"
                + " FROM crm.companies WHERE id = '" + target(owner, "hubspot_companies", "1") + "'"))
                .as("dots mean day first").isEqualTo("Café Lumière|cafe-lumiere.fr|51-200|2021-03-15");
        assertThat(LegacySql.text(owner, "SELECT u.handle FROM crm.companies c JOIN core.users u ON u.id = c.owner_user_id"
                + " WHERE c.domain = 'cafe-lumiere.fr'")).isEqualTo("allan");
        // garbage in a headcount, a date and a user id: the company is imported, each value kept aside
        assertThat(outcome(owner, "hubspot_companies", "3")).isEqualTo("imported");
        assertThat(LegacySql.column(owner, "SELECT reason_code || ' ' || raw_value FROM legacy.value_issues"
                + " WHERE source_table = 'hubspot_companies' AND source_id = '3' ORDER BY 1")).containsExactly(
                "unknown_user nobody@nowhere", "unparseable_date the day after", "unparseable_number lots");
    }

    @Test
    void textPastedIntoANameIsNoNameButTheContactIsKept(Database db) {
        Endpoint owner = db.owner();
        assertThat(outcome(owner, "hubspot_contacts", "11")).isEqualTo("imported");
        assertThat(LegacySql.text(owner, "SELECT first_name || '|' || last_name || '|' || email FROM crm.contacts"
                + " WHERE id = '" + target(owner, "hubspot_contacts", "11") + "'")).isEqualTo("Pasted||pasted@example.org");
        assertThat(LegacySql.text(owner, "SELECT reason_code || ' ' || length(raw_value) FROM legacy.value_issues"
                + " WHERE source_table = 'hubspot_contacts' AND source_id = '11'")).isEqualTo("implausible_name 240000");
    }

    @Test
    void repeatedIdsWithoutAKeyAreOneRecord(Database db) {
        Endpoint owner = db.owner();
        assertThat(outcome(owner, "apollo_companies", "5f1a2b3c4d5e6f7a8b9c0d1e#2")).isEqualTo("merged");
        assertThat(LegacySql.count(owner, "SELECT count(*) FROM crm.companies WHERE domain = 'hooli.xyz'"))
                .isEqualTo(1);
    }

    @Test
    void aPersonInThreeContactTablesWithEmailsInOtherCaseAndSpacingIsOneContact(Database db) {
        Endpoint owner = db.owner();
        assertThat(outcome(owner, "apollo_contacts", "p1#1")).isEqualTo("merged");
        assertThat(outcome(owner, "manual_contacts", "1")).isEqualTo("merged");
        assertThat(LegacySql.text(owner, "SELECT first_name || ' ' || last_name || '|' || email || '|' || phone"
                + " FROM crm.contacts WHERE email = 'rene@cafe-lumiere.fr'")).isEqualTo("René Müller|rene@cafe-lumiere.fr|+33142685300");
        // phones in every format: the unreadable one is kept aside, the other source's number recorded beside the kept one
        assertThat(LegacySql.column(owner, "SELECT reason_code || ' ' || raw_value FROM legacy.value_issues"
                + " WHERE source_table = 'apollo_contacts' ORDER BY 1")).containsExactly("invalid_phone call me");
        assertThat(LegacySql.text(owner, "SELECT (kept_value #>> '{}') || ' / ' || (other_value #>> '{}')"
                + " FROM legacy.merge_conflicts WHERE column_name = 'phone'")).isEqualTo("+33142685300 / +14155550100");
    }

    @Test
    void longTextIsKeptWholeJsonThatDoesNotParseIsKeptAsideAndEpochSecondsAreRecognised(Database db) {
        Endpoint owner = db.owner();
        assertThat(LegacySql.text(owner, "SELECT length(body) || ' ' || subject FROM crm.activities WHERE id = '"
                + target(owner, "activities", "100") + "'")).isEqualTo(LONG_BODY.length() + " don’t forget");
        assertThat(LegacySql.text(owner, "SELECT raw_value || ' -> ' || stored_value FROM legacy.value_issues"
                + " WHERE source_table = 'activities' AND reason_code = 'invalid_json'"))
                .as("what was stored instead").isEqualTo("{not json -> {}");
        assertThat(LegacySql.text(owner, "SELECT occurred_at::text FROM crm.activities WHERE id = '"
                + target(owner, "activities", "101") + "'")).isEqualTo("2020-09-13 12:26:40+00");
    }

    @Test
    void contradictionsUnknownUsersAndWallClockTimesAreDecidedAndRecorded(Database db) {
        Endpoint owner = db.owner();
        assertThat(LegacySql.text(owner, "SELECT status || ' ' || coalesce(user_id::text, 'no owner') FROM work.tasks"))
                .isEqualTo("done no owner");
        assertThat(LegacySql.column(owner, "SELECT reason_code || ' ' || coalesce(stored_value, 'nothing')"
                + " FROM legacy.value_issues WHERE source_table = 'tasks' ORDER BY 1"))
                .containsExactly("contradiction done", "unknown_user nothing");
        // a deal that closed (1990) before it was created (2029): the close date is set aside, the deal kept
        assertThat(outcome(owner, "hubspot_deals", "900")).isEqualTo("imported");
        assertThat(LegacySql.column(owner, "SELECT column_name || ' ' || reason_code FROM legacy.value_issues"
                + " WHERE source_table = 'hubspot_deals' ORDER BY 1")).containsExactly("amount_cents absurd_amount",
                "closed_at contradiction");
        // 02:30 did not exist in New York that night: the gap moves it forward to 03:30 EDT
        assertThat(LegacySql.text(owner, "SELECT created_at::text FROM comms.messages"))
                .isEqualTo("2024-03-10 07:30:00+00");
        assertThat(LegacySql.text(owner, "SELECT u.handle FROM comms.messages m JOIN core.users u ON u.id = m.user_id"))
                .isEqualTo("allan");
        assertThat(report.reconciled()).isTrue();
        assertThat(report.quarantined()).as("nothing here is beyond saving").isZero();
    }
}
