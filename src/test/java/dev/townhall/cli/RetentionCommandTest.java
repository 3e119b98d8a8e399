package dev.townhall.cli;

import dev.townhall.ErrorCode;
import dev.townhall.db.Database;
import dev.townhall.ops.Retention;
import dev.townhall.ops.RetentionPolicy;
import dev.townhall.testing.CliRun;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.testing.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import static dev.townhall.testing.OwnerSql.count;
import static dev.townhall.testing.OwnerSql.exec;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code retention}: a policy added, listed, held and released from the command line; {@code run --dry-run} prints
 * what would change and changes nothing, {@code run} changes it; bad input is one line and stores nothing.
 */
@ExtendWith(PostgresExtension.class)
class RetentionCommandTest {
    private final TestCluster cluster;

    RetentionCommandTest(TestCluster cluster) {
        this.cluster = cluster;
    }

    @Test
    void addsListsHoldsAndRunsAPolicy() throws SQLException {
        Database db = cluster.newDatabase("RetentionCli");
        exec(db, """
                INSERT INTO memory.sticky_notes (org_id, town_id, content, created_at)
                SELECT '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-00000000000a',
                       'old note ' || n, now() - interval '2 years'
                FROM generate_series(1, 3) n""");

        CliRun added = CliRun.against(db, "retention", "policy", "add", "--table", "memory.sticky_notes",
                "--town", "aurora", "--column", "content", "--action", "redact", "--after", "365d", "--hold");
        assertThat(added.status()).as(added.err()).isZero();
        assertThat(added.out()).contains("memory.sticky_notes", "aurora", "content", "redact", "365 days", "on");
        RetentionPolicy policy = Retention.of(db).policies().get(0);

        CliRun held = CliRun.against(db, "retention", "run");
        assertThat(held.status()).as(held.err()).isZero();
        assertThat(held.out()).contains("held", "0 rows changed");

        assertThat(CliRun.against(db, "retention", "policy", "hold", policy.id().toString(), "--off").status()).isZero();
        CliRun dry = CliRun.against(db, "retention", "run", "--dry-run");
        assertThat(dry.status()).as(dry.err()).isZero();
        assertThat(dry.out()).containsPattern("would change").contains("3 rows would change", "nothing was changed");
        assertThat(count(db, "SELECT count(*) FROM memory.sticky_notes WHERE content = '[redacted]'")).isZero();

        CliRun run = CliRun.against(db, "retention", "run");
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("3 rows changed, each audited");
        assertThat(count(db, "SELECT count(*) FROM memory.sticky_notes WHERE content = '[redacted]'")).isEqualTo(3);

        CliRun list = CliRun.against(db, "retention", "policy", "list");
        assertThat(list.out()).contains(policy.id().toString(), "off");
        assertThat(CliRun.against(db, "retention", "policy", "remove", policy.id().toString()).status()).isZero();
        assertThat(Retention.of(db).policies()).isEmpty();
        assertThat(count(db, """
                SELECT count(*) FROM core.audit_log WHERE actor = 'cli' AND table_name = 'ops.retention_policies'
                  AND ((action IN ('retention.policy.add', 'retention.policy.release') AND after_data ->> 'id' = '%1$s')
                    OR (action = 'retention.policy.remove' AND before_data ->> 'id' = '%1$s'))""".formatted(policy.id())))
                .as("add, release and remove audited with the policy row").isEqualTo(3);
    }

    @Test
    void badInputIsOneLineAndStoresNothing() throws SQLException {
        Database db = cluster.newDatabase("RetentionCliBad");
        for (List<String> args : List.of(
                List.of("policy", "add", "--table", "crm.nothing", "--column", "notes", "--action", "redact", "--after", "1y"),
                List.of("policy", "add", "--table", "crm.contacts", "--column", "shoe_size", "--action", "redact", "--after", "1y"),
                List.of("policy", "add", "--table", "crm.contacts", "--town", "atlantis", "--column", "notes",
                        "--action", "redact", "--after", "1y"),
                List.of("policy", "add", "--table", "crm.contacts", "--column", "notes", "--action", "shred", "--after", "1y"),
                List.of("policy", "add", "--table", "crm.contacts", "--column", "notes", "--action", "redact", "--after", "later"),
                List.of("hold", "add", "--table", "crm.contacts", "--reason", "case", "--until", "next week"),
                List.of("policy", "remove", "00000000-0000-4000-8000-000000000999"))) {
            List<String> all = new ArrayList<>(List.of("retention"));
            all.addAll(args);
            CliRun run = CliRun.against(db, all.toArray(String[]::new));
            assertThat(run.status()).as(String.join(" ", args))
                    .isIn(ErrorCode.INVALID_INPUT.exitStatus(), ErrorCode.NOT_FOUND.exitStatus());
            assertThat(run.err().strip()).as(String.join(" ", args)).isNotEmpty().doesNotContain("\n")
                    .doesNotContain("Exception");
        }
        assertThat(count(db, "SELECT count(*) FROM ops.retention_policies")).isZero();
        assertThat(count(db, "SELECT count(*) FROM ops.legal_holds")).isZero();
        assertThat(count(db, "SELECT count(*) FROM core.audit_log WHERE action LIKE 'retention.%'")).isZero();
    }


}
