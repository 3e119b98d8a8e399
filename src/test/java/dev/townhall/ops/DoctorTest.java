package dev.townhall.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Database;
import dev.townhall.ops.Doctor.Status;
import dev.townhall.testing.CliRun;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.testing.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code ./townhall doctor} on real databases: every check runs on a fresh one, and each seeded condition (parked
 * sync changes, quarantine rows, an old or missing verified backup, a transaction held open, an unused index, a
 * lowered threshold, no pg_stat_statements) turns its line WARN or FAIL; a FAIL exits non-zero.
 */
@ExtendWith(PostgresExtension.class)
class DoctorTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void onAFreshDatabaseEveryCheckRunsAndNothingFails(Database db) throws Exception {
        CliRun run = CliRun.against(db, "doctor");
        assertThat(run.status()).as(run.out() + run.err()).isZero();
        for (DoctorCheck check : DoctorCheck.values()) {
            assertThat(run.out()).as(check.key()).containsPattern("(?m)^" + check.key() + " .*\\| (OK|WARN) ");
        }
        assertThat(run.out()).contains("backup_age").contains("no verified backup");

        JsonNode json = JSON.readTree(CliRun.against(db, "doctor", "--json").out());
        assertThat(json.path("checks")).hasSize(DoctorCheck.values().length);
        JsonNode size = json.path("checks").get(0);
        assertThat(size.path("name").asText()).isEqualTo("database_size");
        assertThat(size.path("value").asDouble()).isPositive();
        assertThat(size.path("thresholds").asText()).isEqualTo("warn > 20480 MB, fail > 102400 MB");
    }

    @Test
    void seededConditionsCrossTheirThresholds(TestCluster cluster) throws Exception {
        Database db = cluster.newDatabase("doctor_seeded");
        try (Connection owner = db.owner().connect(); Statement s = owner.createStatement()) {
            s.execute("""
                    INSERT INTO sync.parked_changes (source_node, change_id, origin_node, hlc, table_name, row_id,
                                                     operation, change, reason, last_error)
                    SELECT gen_random_uuid(), n, gen_random_uuid(), n, 'crm.companies', gen_random_uuid(), 'update',
                           '{}', 'apply_error', 'test' FROM generate_series(1, 3) n""");
            s.execute("""
                    WITH run AS (INSERT INTO legacy.import_runs (org_id, town_id, sources)
                                 SELECT org_id, id, '{robbie}' FROM core.towns ORDER BY slug LIMIT 1 RETURNING id)
                    INSERT INTO legacy.quarantine (run_id, source_db, source_table, source_id, reason_code, reason,
                                                   original_row)
                    SELECT run.id, 'robbie', 'contacts', 'c' || n, 'invalid_email', 'bad', '{}'
                    FROM run, generate_series(1, 4) n""");
            s.execute("""
                    INSERT INTO ops.backups (kind, file, bytes, manifest, started_at, finished_at, verified_at)
                    VALUES ('full', '/tmp/old.dump', 1, '{}', now() - interval '10 days', now() - interval '10 days',
                            now() - interval '9 days')""");
            s.execute("CREATE TABLE public.doctor_probe AS SELECT n FROM generate_series(1, 5000) n");
            s.execute("CREATE INDEX doctor_probe_n_idx ON public.doctor_probe (n)");
        }
        DoctorSettings settings = DoctorSettings.of(Map.of("doctor.quarantine.fail", "3",
                "doctor.long_transactions.fail", "0", "doctor.unused_indexes.min_kb", "8",
                "doctor.town_rows.warn", "0"));
        // the application's transaction: the owner sees it only through pg_read_all_stats
        try (Connection held = db.app().connect()) {
            held.setAutoCommit(false);
            try (Statement s = held.createStatement()) {
                s.execute("SELECT 1"); // the transaction is open, idle, from here on
            }
            Map<String, Doctor.Check> checks = byName(Doctor.as(db.owner(), settings).run());
            assertThat(checks.get("long_transactions").status()).isEqualTo(Status.FAIL);
            assertThat(checks.get("long_transactions").detail()).contains("townhall_app, idle in transaction");
            held.rollback();
        }
        Doctor.Report report = Doctor.as(db.owner(), settings).run();
        Map<String, Doctor.Check> checks = byName(report);
        assertThat(checks.get("parked_changes").status()).isEqualTo(Status.WARN);
        assertThat(checks.get("parked_changes").value()).isEqualTo(3d);
        assertThat(checks.get("quarantine").status()).isEqualTo(Status.FAIL);
        assertThat(checks.get("quarantine").detail()).contains("robbie.contacts 4");
        assertThat(checks.get("backup_age").status()).as("verified 9 days ago, fail > 168 h").isEqualTo(Status.FAIL);
        assertThat(checks.get("town_rows").status()).as("the import run is a row of aurora").isEqualTo(Status.WARN);
        assertThat(checks.get("town_rows").detail())
                .startsWith("aurora 1 (most in legacy.import_runs 1), ").endsWith(" tables");
        assertThat(checks.get("unused_indexes").status()).isEqualTo(Status.WARN);
        assertThat(checks.get("unused_indexes").detail()).contains("public.doctor_probe_n_idx");
        assertThat(checks.get("long_transactions").status()).as("released").isEqualTo(Status.OK);
        assertThat(report.failed()).isTrue();

        CliRun run = CliRun.against(db, "doctor");
        assertThat(run.status()).isEqualTo(ErrorCode.VERIFY_FAILED.exitStatus());
        assertThat(run.out().lines().filter(l -> l.matches("^[a-z_]+ +\\|.*") && !l.startsWith("check ")))
                .as("one line per check").hasSize(DoctorCheck.values().length);
        assertThat(run.out()).containsPattern("(?m)^backup_age .*\\| FAIL +\\| warn > 26 h, fail > 168 h");
        assertThat(run.out()).containsPattern("(?m)^parked_changes .*\\| WARN ");
    }

    @Test
    void aRecentVerifiedBackupIsOkAndNoneWarns(TestCluster cluster) throws SQLException {
        Database db = cluster.newDatabase("doctor_backup");
        DoctorSettings defaults = DoctorSettings.of(Map.of());
        assertThat(byName(Doctor.as(db.owner(), defaults).run()).get("backup_age").status()).isEqualTo(Status.WARN);
        try (Connection owner = db.owner().connect(); Statement s = owner.createStatement()) {
            s.execute("""
                    INSERT INTO ops.backups (kind, file, bytes, manifest, started_at, verified_at)
                    VALUES ('full', '/tmp/new.dump', 1, '{}', now() - interval '1 minute', now())""");
        }
        Doctor.Check backup = byName(Doctor.as(db.owner(), defaults).run()).get("backup_age");
        assertThat(backup.status()).isEqualTo(Status.OK);
        assertThat(backup.detail()).isEqualTo("1 of 1 backups verified");
    }

    @Test
    void aThresholdLoweredByConfigTurnsTheLine(Database db, @org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path conf = dir.resolve("townhall.conf");
        Files.writeString(conf, "doctor.database_size.warn = 1\ndoctor.embedding_queue.warn = none\n");
        DoctorSettings fromFile = DoctorSettings.resolve(Map.of("TOWNHALL_DOCTOR_TOWN_ROWS_FAIL", "0"), conf);
        assertThat(fromFile.warn(DoctorCheck.DATABASE_SIZE)).isEqualTo(1d);
        assertThat(fromFile.warn(DoctorCheck.EMBEDDING_QUEUE)).isNull();
        assertThat(fromFile.fail(DoctorCheck.TOWN_ROWS)).isZero();
        Map<String, Doctor.Check> checks = byName(Doctor.as(db.owner(), fromFile).run());
        assertThat(checks.get("database_size").status()).isEqualTo(Status.WARN);
        assertThat(checks.get("database_size").thresholds()).isEqualTo("warn > 1 MB, fail > 102400 MB");
        assertThat(checks.get("town_rows").status()).as("no rows yet: 0 is not above 0").isEqualTo(Status.OK);
        assertThat(checks.get("embedding_queue").thresholds()).isEqualTo("fail > 10000 rows");

        DoctorSettings bad = DoctorSettings.of(Map.of("doctor.bloat.warn", "lots"));
        assertThatThrownBy(() -> bad.warn(DoctorCheck.BLOAT)).isInstanceOf(TownHallException.class)
                .hasMessage("doctor.bloat.warn must be a number of % (0 or more) or 'none', got 'lots'")
                .satisfies(e -> assertThat(((TownHallException) e).code()).isEqualTo(ErrorCode.CONFIG));
        assertThatThrownBy(DoctorSettings.of(Map.of("doctor.backups.warn", "1"))::check)
                .hasMessageStartingWith("unknown setting doctor.backups.warn");
        fromFile.check();
    }

    @Test
    void withoutPgStatStatementsTheSlowQueryLineWarns(TestCluster cluster) throws SQLException {
        Database db = cluster.newDatabase("doctor_no_pgss");
        try (Connection su = cluster.cluster().superuserEndpoint().withDatabase(db.databaseName()).connect();
             Statement s = su.createStatement()) {
            s.execute("DROP EXTENSION pg_stat_statements");
        }
        Doctor.Check slow = byName(Doctor.as(db.owner(), DoctorSettings.of(Map.of())).run()).get("slow_queries");
        assertThat(slow.status()).isEqualTo(Status.WARN);
        assertThat(slow.value()).isNull();
        assertThat(slow.figure()).isEqualTo("-");
        assertThat(slow.detail()).isEqualTo("pg_stat_statements not installed in this database");
    }

    private static Map<String, Doctor.Check> byName(Doctor.Report report) {
        return report.checks().stream().collect(Collectors.toMap(Doctor.Check::name, Function.identity()));
    }
}
