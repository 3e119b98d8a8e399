package dev.townhall.cli;

import dev.townhall.ErrorCode;
import dev.townhall.db.Database;
import dev.townhall.testing.CliHome;
import dev.townhall.testing.CliRun;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.testing.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

import static dev.townhall.testing.OwnerSql.exec;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code cutover check} measures each go/no-go criterion of docs/cutover.md on a real database: NO-GO on a database
 * with nothing imported, GO once an import reconciles, the quarantine is small, a verified backup is fresh and a
 * delta import followed the freeze; each criterion alone turns it back to NO-GO.
 */
@ExtendWith(PostgresExtension.class)
class CutoverCommandTest {
    private static final String AURORA = "00000000-0000-4000-8000-00000000000a";
    private static final String ORG = "00000000-0000-4000-8000-000000000001";

    @RegisterExtension
    final CliHome home = CliHome.isolated();

    private final TestCluster cluster;

    CutoverCommandTest(TestCluster cluster) {
        this.cluster = cluster;
    }

    @Test
    void nothingImportedIsNoGoNamingWhatIsMissing() {
        Database db = cluster.newDatabase("CutoverNothing");
        CliRun check = CliRun.against(db, "cutover", "check");
        assertThat(check.status()).as(check.err()).isEqualTo(ErrorCode.VERIFY_FAILED.exitStatus());
        assertThat(check.out()).contains("no succeeded full import", "none (./townhall backup, then backup verify)",
                "no freeze recorded", "NO-GO: 5 of 7 criteria fail");
        assertThat(check.out()).containsPattern("schema verify\\s+\\|?\\s*\\d+ checks, 0 failed.*PASS")
                .containsPattern("sync converged\\s+\\|?\\s*0 converged.*PASS");
    }

    @Test
    void aReconciledImportAFreshVerifiedBackupAndADeltaAfterTheFreezeIsGoAndEachCriterionCanStopIt() throws SQLException {
        Database db = cluster.newDatabase("CutoverReady");
        UUID full = importRun(db, "full", "now() - interval '2 hours'", 0);
        exec(db, """
                INSERT INTO legacy.reconciliation (run_id, source_db, source_table, rows_read, rows_imported, rows_quarantined)
                VALUES (?, 'robbie', 'contacts', 1000, 995, 5)""", full);
        for (int i = 0; i < 5; i++) {
            exec(db, """
                    INSERT INTO legacy.quarantine (run_id, source_db, source_table, reason_code, reason, original_row)
                    VALUES (?, 'robbie', 'contacts', 'invalid_email', 'not an email', '{}')""", full);
        }
        exec(db, """
                INSERT INTO ops.backups (kind, file, bytes, manifest, started_at, verified_at)
                VALUES ('full', '/backups/t.dump', 10, '{}', now() - interval '10 minutes', now())""");
        CliRun frozen = CliRun.against(db, "cutover", "freeze", "--note", "old apps read-only");
        assertThat(frozen.status()).as(frozen.err()).isZero();
        assertThat(frozen.out()).startsWith("frozen at ");
        importRun(db, "delta", "now()", 0);

        CliRun go = CliRun.against(db, "cutover", "check");
        assertThat(go.status()).as(go.out()).isZero();
        assertThat(go.out()).contains("100.000 % of 1,000 rows accounted for", "0 wrong of 42 checked references",
                "5 rows unresolved = 0.50 %", "GO: every criterion passes").doesNotContain("FAIL");

        CliRun strict = CliRun.against(db, "cutover", "check", "--max-quarantine", "0.4%", "--backup-within", "5m");
        assertThat(strict.status()).isEqualTo(ErrorCode.VERIFY_FAILED.exitStatus());
        assertThat(strict.out()).containsPattern("quarantine .*FAIL").containsPattern("verified backup .*FAIL")
                .contains("NO-GO: 2 of 7 criteria fail");

        exec(db, "UPDATE legacy.import_runs SET report = jsonb_set(report, '{relationships,0,wrong}', '3') WHERE id = ?", full);
        exec(db, "INSERT INTO ops.cutover_freezes (frozen_at) VALUES (now() + interval '1 minute')");
        CliRun later = CliRun.against(db, "cutover", "check");
        assertThat(later.out()).contains("3 wrong of 42 checked references", "no delta import since",
                "NO-GO: 2 of 7 criteria fail");
    }

    @Test
    void badThresholdsAreOneLine() {
        Database db = cluster.newDatabase("CutoverBad");
        for (List<String> args : List.of(List.of("--max-quarantine", "lots"), List.of("--max-quarantine", "150%"),
                List.of("--backup-within", "0m"), List.of("--backup-within", "soon"))) {
            CliRun run = CliRun.against(db, "cutover", "check", args.get(0), args.get(1));
            assertThat(run.status()).as(String.join(" ", args)).isEqualTo(ErrorCode.INVALID_INPUT.exitStatus());
            assertThat(run.err().strip()).isNotEmpty().doesNotContain("\n").doesNotContain("Exception");
        }
    }

    /** A succeeded import run of {@code mode}, started at {@code startedAt} (SQL), with 42 references checked. */
    private static UUID importRun(Database db, String mode, String startedAt, int wrong) throws SQLException {
        UUID id = UUID.randomUUID();
        exec(db, """
                INSERT INTO legacy.import_runs (id, org_id, town_id, sources, mode, status, started_at, finished_at, report)
                VALUES (?, ?::uuid, ?::uuid, ARRAY['robbie'], ?, 'succeeded', %1$s, %1$s + interval '1 minute',
                        jsonb_build_object('relationships', jsonb_build_array(
                            jsonb_build_object('table', 'crm.contacts', 'checked', 42, 'wrong', ?::int))))"""
                .formatted(startedAt), id, ORG, AURORA, mode, wrong);
        return id;
    }

}
