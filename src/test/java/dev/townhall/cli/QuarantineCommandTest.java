package dev.townhall.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.townhall.ErrorCode;
import dev.townhall.db.Database;
import dev.townhall.testing.CliHome;
import dev.townhall.testing.CliRun;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.testing.TestCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

import static dev.townhall.testing.OwnerSql.exec;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code quarantine list | show | export} on rows set aside by an import: counts per source and reason, filters, one
 * row whole, a CSV a spreadsheet opens safely (formula-looking text defused, RFC 4180 quoting) and JSON.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QuarantineCommandTest {
    @RegisterExtension
    final CliHome home = CliHome.isolated();

    private final TestCluster cluster;
    private Database db;
    private UUID orphan;
    // the TownHall rows the value issues and deferred links concern; legacy id 7 names a contact and a company, 100 an
    // activity and a task, so a row filter that ignored its argument or the table would list too much
    private final UUID contact7 = UUID.randomUUID();
    private final UUID contact8 = UUID.randomUUID();
    private final UUID company7 = UUID.randomUUID();
    private final UUID meeting = UUID.randomUUID();
    private final UUID meetingSourceId = UUID.randomUUID();
    private final UUID activity100 = UUID.randomUUID();
    private final UUID activity101 = UUID.randomUUID();
    private final UUID task100 = UUID.randomUUID();
    private final UUID person = UUID.randomUUID();

    QuarantineCommandTest(TestCluster cluster) {
        this.cluster = cluster;
    }

    @BeforeAll
    void quarantined() throws SQLException {
        db = cluster.newDatabase("QuarantineReview");
        UUID run = UUID.randomUUID();
        exec(db, """
                INSERT INTO legacy.import_runs (id, org_id, town_id, sources, status, finished_at)
                VALUES (?, '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-00000000000a',
                        ARRAY['robbie'], 'succeeded', now())""", run);
        orphan = quarantine(run, "activities", "41", "orphan_reference", "contact_id 999 points at nothing",
                "{\"id\": 41, \"subject\": \"=HYPERLINK(\\\"http://x\\\")\", \"contact_id\": 999}");
        quarantine(run, "activities", "=1+2", "orphan_reference", "deal_id 7 points at nothing", "{\"id\": 42}");
        quarantine(run, "contacts", "9", "invalid_email", "email \"not, an email\" is invalid", "{\"id\": 9}");
        exec(db, """
                INSERT INTO legacy.value_issues (run_id, source_db, source_table, source_id, target_table, target_id,
                                                 column_name, source_column, raw_value, stored_value, reason_code, reason)
                VALUES (?, 'robbie', 'hubspot_contacts', '7', 'crm.contacts', ?, 'email', 'email', 'bad at acme',
                        NULL, 'invalid_email', 'no @'),
                       (?, 'robbie', 'hubspot_contacts', '8', 'crm.contacts', ?, 'first_name', 'firstname', NULL,
                        'jane.doe', 'default_name', 'no usable first_name; stored the default'),
                       (?, 'robbie', 'hubspot_contacts', '7', 'crm.contacts', ?, 'phone', 'phone', 'call me',
                        NULL, 'invalid_phone', 'no digits'),
                       (?, 'robbie', 'hubspot_companies', '7', 'crm.companies', ?, 'domain', 'domain', 'acme',
                        NULL, 'invalid_domain', 'no dot'),
                       (?, 'robbie', 'meeting_transcripts', ?, 'crm.activities', ?, 'occurred_at', 'started_at',
                        'yesterday', NULL, 'unparseable_date', 'not a date')""",
                run, contact7, run, contact8, run, contact7, run, company7, run, meetingSourceId.toString(), meeting);
        exec(db, """
                INSERT INTO legacy.deferred_links (run_id, source_db, source_table, source_id, target_table, target_id,
                                                   column_name, parent_source_db, parent_source_table, parent_key,
                                                   reason_code)
                VALUES (?, 'robbie', 'activities', '100', 'crm.activities', ?, 'contact_id', 'robbie',
                        'hubspot_contacts', '999', 'orphan_reference'),
                       (?, 'robbie', 'activities', '101', 'crm.activities', ?, 'contact_id', 'robbie',
                        'hubspot_contacts', '998', 'orphan_reference'),
                       (?, 'robbie', 'tasks', '100', 'crm.tasks', ?, 'contact_id', 'robbie', 'hubspot_contacts', '997',
                        'orphan_reference'),
                       (?, 'apollo', 'people', 'a3#2', 'crm.contacts', ?, 'company_id', 'apollo', 'organizations',
                        'o9', 'parent_quarantined')""",
                run, activity100, run, activity101, run, task100, run, person);
    }

    @Test
    void valuesAndLinksListWhatImportedRowsWentWithout() {
        CliRun values = CliRun.against(db, "quarantine", "values");
        assertThat(values.status()).as(values.err()).isZero();
        assertThat(values.out()).containsPattern("crm\\.contacts\\.email\\s+\\|?\\s*invalid_email\\s+\\|?\\s*1")
                .contains("jane.doe", "bad at acme", "5 values");
        assertThat(CliRun.against(db, "quarantine", "values", "--reason", "default_name").out())
                .contains("1 values").doesNotContain("bad at acme");
        // a column as the counts print it, or bare
        assertThat(CliRun.against(db, "quarantine", "values", "--column", "crm.contacts.email").out())
                .containsPattern("(?m)^1 values$").contains("bad at acme");
        assertThat(CliRun.against(db, "quarantine", "values", "--column", "domain").out())
                .containsPattern("(?m)^1 values$").contains("acme");

        CliRun links = CliRun.against(db, "quarantine", "links");
        assertThat(links.status()).as(links.err()).isZero();
        assertThat(links.out()).contains("robbie.hubspot_contacts", "999", "orphan_reference", "4 links");
        assertThat(CliRun.against(db, "quarantine", "links", "--status", "resolved").out()).contains("0 links");
        CliRun wrong = CliRun.against(db, "quarantine", "links", "--status", "done");
        assertThat(wrong.status()).isEqualTo(ErrorCode.INVALID_INPUT.exitStatus());
        assertThat(wrong.err()).contains("status is pending, resolved or all");
    }

    @Test
    void rowFindsOneRowsValuesAndLinksByItsLegacyIdOrItsTownHallId() {
        assertThat(listed("values", "--row", "7")).containsPattern("(?m)^3 values$")
                .contains(contact7.toString(), company7.toString()).doesNotContain(contact8.toString());
        assertThat(listed("values", "--row", "7", "--source", "robbie.hubspot_contacts"))
                .containsPattern("(?m)^2 values$").contains("bad at acme", "call me").doesNotContain(company7.toString());
        assertThat(listed("values", "--row", contact7.toString().toUpperCase()))
                .containsPattern("(?m)^2 values$").contains("bad at acme", "call me")
                .doesNotContain(contact8.toString(), company7.toString());
        assertThat(listed("values", "--row", contact8.toString())).containsPattern("(?m)^1 values$")
                .contains("jane.doe").doesNotContain(contact7.toString());
        assertThat(listed("values", "--row", meetingSourceId.toString())).containsPattern("(?m)^1 values$")
                .contains(meeting.toString());
        assertThat(listed("values", "--row", "8", "--source", "hubspot_companies")).containsPattern("(?m)^0 values$");

        assertThat(listed("links", "--row", "100")).containsPattern("(?m)^2 links$")
                .contains(activity100.toString(), task100.toString()).doesNotContain(activity101.toString());
        assertThat(listed("links", "--row", "100", "--source", "activities")).containsPattern("(?m)^1 links$")
                .contains(activity100.toString()).doesNotContain(task100.toString());
        assertThat(listed("links", "--row", activity101.toString())).containsPattern("(?m)^1 links$")
                .contains("998").doesNotContain(activity100.toString());
        assertThat(listed("links", "--row", "a3#2")).containsPattern("(?m)^1 links$").contains(person.toString(), "o9");
        assertThat(listed("links", "--row", UUID.randomUUID().toString())).containsPattern("(?m)^0 links$");

        for (String listing : List.of("values", "links")) {
            CliRun blank = CliRun.against(db, "quarantine", listing, "--row", "");
            assertThat(blank.status()).as(listing).isEqualTo(ErrorCode.INVALID_INPUT.exitStatus());
            assertThat(blank.err().strip()).contains("row is a legacy source id").doesNotContain("\n");
        }
    }

    @Test
    void listCountsPerSourceAndReasonAndFilters() {
        CliRun all = CliRun.against(db, "quarantine", "list");
        assertThat(all.status()).as(all.err()).isZero();
        assertThat(all.out()).containsPattern("robbie\\.activities\\s+\\|?\\s*orphan_reference\\s+\\|?\\s*2")
                .containsPattern("robbie\\.contacts\\s+\\|?\\s*invalid_email\\s+\\|?\\s*1").contains("3 rows");

        CliRun emails = CliRun.against(db, "quarantine", "list", "--source", "contacts", "--reason", "invalid_email");
        assertThat(emails.out()).contains("1 rows").doesNotContain("orphan_reference");
        assertThat(CliRun.against(db, "quarantine", "list", "--status", "reimported").out()).contains("0 rows");
    }

    @Test
    void showPrintsTheRowAsRead() {
        CliRun shown = CliRun.against(db, "quarantine", "show", orphan.toString());
        assertThat(shown.status()).as(shown.err()).isZero();
        assertThat(shown.out()).contains("robbie.activities id 41", "orphan_reference: contact_id 999 points at nothing",
                "\"contact_id\": 999");
    }

    @Test
    void exportWritesACsvASpreadsheetOpensSafelyAndJson(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("quarantine.csv");
        CliRun exported = CliRun.against(db, "quarantine", "export", csv.toString());
        assertThat(exported.status()).as(exported.err()).isZero();
        assertThat(exported.out()).contains("wrote 3 quarantined rows");
        String text = Files.readString(csv, StandardCharsets.UTF_8);
        assertThat(text).startsWith("id,source,source_id,reason_code,reason,status,quarantined_at,original_row\r\n")
                .contains("\"email \"\"not, an email\"\" is invalid\"")
                .contains(",'=1+2,").doesNotContain(",=");
        assertThat(text.split("\r\n")).hasSize(4);

        Path json = dir.resolve("orphans.json");
        assertThat(CliRun.against(db, "quarantine", "export", json.toString(), "--reason", "orphan_reference").status())
                .isZero();
        JsonNode rows = new ObjectMapper().readTree(json.toFile());
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).path("original_row").path("contact_id").asInt()).isEqualTo(999);
    }

    @Test
    void mistakesAreOneLine() {
        for (List<String> args : List.of(List.of("list", "--status", "lost"), List.of("show", UUID.randomUUID().toString()),
                List.of("export", "quarantine.txt"))) {
            List<String> all = new java.util.ArrayList<>(List.of("quarantine"));
            all.addAll(args);
            CliRun run = CliRun.against(db, all.toArray(String[]::new));
            assertThat(run.status()).as(String.join(" ", args))
                    .isIn(ErrorCode.INVALID_INPUT.exitStatus(), ErrorCode.NOT_FOUND.exitStatus());
            assertThat(run.err().strip()).isNotEmpty().doesNotContain("\n").doesNotContain("Exception");
        }
    }

    private String listed(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("quarantine"));
        all.addAll(List.of(args));
        CliRun run = CliRun.against(db, all.toArray(String[]::new));
        assertThat(run.status()).as(run.err()).isZero();
        return run.out();
    }

    private UUID quarantine(UUID run, String table, String sourceId, String code, String reason, String row)
            throws SQLException {
        UUID id = UUID.randomUUID();
        exec(db, """
                INSERT INTO legacy.quarantine (id, run_id, source_db, source_table, source_id, reason_code, reason,
                                               original_row)
                VALUES (?, ?, 'robbie', ?, ?, ?, ?, ?::jsonb)""", id, run, table, sourceId, code, reason, row);
        return id;
    }

}
