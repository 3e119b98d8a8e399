package dev.townhall.legacy.imports;

import dev.townhall.ErrorCode;
import dev.townhall.db.Database;
import dev.townhall.db.Endpoint;
import dev.townhall.legacy.LegacySql;
import dev.townhall.testing.CliHome;
import dev.townhall.testing.CliRun;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.testing.TestCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.townhall.testing.OwnerSql.count;
import static dev.townhall.testing.OwnerSql.exec;
import static dev.townhall.testing.OwnerSql.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code quarantine accept ID --set COLUMN=VALUE --clear COLUMN} on hand-made legacy rows: a correction is kept as the
 * entry's fixed row, audited, and that one entry imported through the retry path; mistakes change nothing.
 */
@ExtendWith(PostgresExtension.class)
class QuarantineAcceptTest {
    private static Map<String, Endpoint> sources;

    @RegisterExtension
    final CliHome home = CliHome.isolated();

    @BeforeAll
    static void quarantinedRows(TestCluster cluster, Database db) {
        Map<String, Endpoint> admin = ImportFixtures.empty(cluster, "accept");
        LegacySql.execute(admin.get("robbie"), """
                INSERT INTO hubspot_companies (id, name, domain) VALUES (1, 'Acme Corporation', 'acme.com');
                INSERT INTO hubspot_contacts (id, firstname, lastname, email, company_id) VALUES
                  (10, 'John', 'Doe', 'john.doe@acme.com', 1);
                -- an activity without its time cannot be imported: nothing else in the row says when it happened
                INSERT INTO activities (id, type, subject, contact_id, "timestamp") VALUES
                  (101, 'call', 'no time', 10, NULL),
                  (102, 'call', 'still no time', 10, NULL),
                  (103, 'call', 'unchanged by mistakes', 10, NULL),
                  (104, 'call', 'discarded', 10, NULL),
                  (105, 'call', 'source away', 10, NULL),
                  (106, 'call', 'subject to clear', 10, NULL);
                """);
        sources = ImportFixtures.asOwner(db, admin);
        ImportFixtures.importer(db, sources).run();
    }

    @Test
    void aCorrectionIsKeptAuditedAndImportsTheRow(Database db) throws SQLException {
        String id = entry(db, "activities", "101");
        CliRun accepted = accept(db, id, "--set", "timestamp=1600000000000");
        assertThat(accepted.status()).as(accepted.err()).isZero();
        String activity = text(db, "SELECT target_id::text FROM legacy.id_map WHERE source_table = 'activities'"
                + " AND source_id = '101' AND outcome = 'imported'");
        assertThat(accepted.out()).contains("accepted robbie.activities id 101: imported as crm.activities " + activity);
        assertThat(text(db, "SELECT contact_id::text FROM crm.activities WHERE id = ?::uuid", activity))
                .isEqualTo(text(db, "SELECT target_id::text FROM legacy.id_map WHERE source_table = 'hubspot_contacts'"
                        + " AND source_id = '10'"));
        assertThat(text(db, "SELECT occurred_at::text FROM crm.activities WHERE id = ?::uuid", activity))
                .isEqualTo("2020-09-13 12:26:40+00");
        assertThat(text(db, "SELECT status || ' ' || (resolved_at IS NOT NULL) || ' ' || (fixed_row->>'timestamp')"
                + " || ' ' || coalesce(original_row->>'timestamp', 'null') FROM legacy.quarantine WHERE id = ?::uuid",
                id)).isEqualTo("reimported true 1600000000000 null");
        assertThat(text(db, """
                SELECT actor || ' ' || coalesce(before_data->>'timestamp', 'null') || ' '
                       || (after_data #>> '{set,timestamp}')
                       || ' ' || (after_data->>'os_user' IS NOT NULL)
                FROM core.audit_log WHERE action = 'quarantine.accept' AND table_name = 'legacy.quarantine'
                  AND row_id = ?::uuid""", id)).isEqualTo("cli null 1600000000000 true");
        // the retry read that one entry, not the table's other open ones
        assertThat(text(db, """
                SELECT r.mode || ' ' || r.rows_read || ' ' || (r.options->'quarantine_ids'->>0 = q.id::text)
                FROM legacy.quarantine q JOIN legacy.import_runs r ON r.id = q.resolved_run_id
                WHERE q.id = ?::uuid""", id)).isEqualTo("retry_quarantine 1 true");

        CliRun again = accept(db, id, "--set", "timestamp=1600000000000");
        assertThat(again.status()).isEqualTo(ErrorCode.CONFLICT.exitStatus());
        assertThat(oneLine(again)).contains("already reimported");
    }

    @Test
    void clearSetsAColumnNull(Database db) throws SQLException {
        String id = entry(db, "activities", "106");
        CliRun accepted = accept(db, id, "--set", "timestamp=1600000000000", "--clear", "subject");
        assertThat(accepted.status()).as(accepted.err()).isZero();
        assertThat(text(db, "SELECT (fixed_row->'subject') = 'null'::jsonb FROM legacy.quarantine WHERE id = ?::uuid",
                id)).isEqualTo("t");
        assertThat(text(db, """
                SELECT a.activity_type || ' ' || coalesce(a.subject, '(none)') FROM crm.activities a
                JOIN legacy.id_map m ON m.target_id = a.id
                WHERE m.source_table = 'activities' AND m.source_id = '106'""")).isEqualTo("call (none)");
    }

    @Test
    void aCorrectionThatStillFailsKeepsTheEntryWithItsNewReasonForTheNextAccept(Database db) throws SQLException {
        String id = entry(db, "activities", "102");
        CliRun refused = accept(db, id, "--set", "subject=renamed", "--set", "timestamp=last tuesday");
        assertThat(refused.status()).isEqualTo(ErrorCode.UNPROCESSABLE.exitStatus());
        assertThat(oneLine(refused)).contains("robbie.activities id 102 is still refused: missing_required",
                "last tuesday");
        assertThat(text(db, "SELECT status || ' ' || (fixed_row->>'subject') || ' ' || reason FROM legacy.quarantine"
                + " WHERE id = ?::uuid", id)).matches("(open|fixed) renamed .*last tuesday.*");
        assertThat(count(db, "SELECT count(*) FROM legacy.id_map WHERE source_table = 'activities'"
                + " AND source_id = '102'")).isZero();

        CliRun builtOn = accept(db, id, "--set", "timestamp=1600000000000");
        assertThat(builtOn.status()).as(builtOn.err()).isZero();
        assertThat(text(db, """
                SELECT a.subject FROM crm.activities a JOIN legacy.id_map m ON m.target_id = a.id
                WHERE m.source_table = 'activities' AND m.source_id = '102'""")).isEqualTo("renamed");
        assertThat(count(db, "SELECT count(*) FROM core.audit_log WHERE action = 'quarantine.accept'"
                + " AND row_id = ?::uuid", id)).isEqualTo(2);
    }

    @Test
    void anUnknownColumnOrTheKeyIsRefusedAndNothingChanges(Database db) throws SQLException {
        String id = entry(db, "activities", "103");
        CliRun unknown = accept(db, id, "--set", "timestamp=1600000000000", "--clear", "colour");
        assertThat(unknown.status()).isEqualTo(ErrorCode.INVALID_INPUT.exitStatus());
        assertThat(oneLine(unknown)).contains("robbie.activities has no column 'colour'", "timestamp", "subject");
        CliRun key = accept(db, id, "--set", "id=7");
        assertThat(key.status()).isEqualTo(ErrorCode.INVALID_INPUT.exitStatus());
        assertThat(oneLine(key)).contains("column id is the key of robbie.activities");
        assertUntouched(db, id);
    }

    @Test
    void anUnknownOrSettledEntryIsRefused(Database db) throws SQLException {
        CliRun unknown = accept(db, "00000000-0000-4000-8000-000000000099", "--set", "timestamp=1600000000000");
        assertThat(unknown.status()).isEqualTo(ErrorCode.NOT_FOUND.exitStatus());
        assertThat(oneLine(unknown)).contains("no quarantined row");

        String id = entry(db, "activities", "104");
        exec(db, "UPDATE legacy.quarantine SET status = 'discarded', resolved_at = now() WHERE id = ?::uuid", id);
        CliRun discarded = accept(db, id, "--set", "timestamp=1600000000000");
        assertThat(discarded.status()).isEqualTo(ErrorCode.CONFLICT.exitStatus());
        assertThat(oneLine(discarded)).contains("robbie.activities id 104", "already discarded");
        assertThat(text(db, "SELECT status || ' ' || (fixed_row IS NULL) FROM legacy.quarantine WHERE id = ?::uuid", id))
                .isEqualTo("discarded true");
    }

    @Test
    void anUnreachableSourceKeepsTheCorrectionFixedForALaterRetry(Database db) throws SQLException {
        String id = entry(db, "activities", "105");
        List<String> args = new ArrayList<>(List.of("quarantine", "accept", id, "--set", "timestamp=1600000000000",
                "--source", "robbie=postgresql://nobody:secret@127.0.0.1:1/robbie",
                "--source", "robbie_allan=" + CliRun.databaseUrl(sources.get("robbie_allan"))));
        CliRun away = CliRun.against(db, args.toArray(String[]::new));
        assertThat(away.status()).isEqualTo(ErrorCode.DB_UNREACHABLE.exitStatus());
        assertThat(oneLine(away)).contains("kept as the fixed row", "source robbie").doesNotContain("secret");
        assertThat(text(db, "SELECT status || ' ' || (fixed_row->>'timestamp') FROM legacy.quarantine"
                + " WHERE id = ?::uuid", id)).isEqualTo("fixed 1600000000000");
    }

    private static CliRun accept(Database db, String id, String... corrections) {
        List<String> args = new ArrayList<>(List.of("quarantine", "accept", id));
        args.addAll(Arrays.asList(corrections));
        sources.forEach((name, endpoint) -> args.addAll(List.of("--source", name + "=" + CliRun.databaseUrl(endpoint))));
        return CliRun.against(db, args.toArray(String[]::new));
    }

    private static String entry(Database db, String table, String sourceId) throws SQLException {
        return text(db, "SELECT id::text FROM legacy.quarantine WHERE source_table = ? AND source_id = ?", table,
                sourceId);
    }

    private static String oneLine(CliRun run) {
        assertThat(run.err().strip()).isNotEmpty().doesNotContain("\n").doesNotContain("Exception");
        return run.err();
    }

    private static void assertUntouched(Database db, String id) throws SQLException {
        assertThat(text(db, "SELECT status || ' ' || (fixed_row IS NULL) FROM legacy.quarantine WHERE id = ?::uuid", id))
                .isEqualTo("open true");
        assertThat(count(db, "SELECT count(*) FROM core.audit_log WHERE row_id = ?::uuid", id)).isZero();
    }
}
