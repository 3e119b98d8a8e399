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


import static org.assertj.core.api.Assertions.assertThat;

/** {@code status} and {@code migrate} as a user sees them: the report line and the exit status. */
@ExtendWith(PostgresExtension.class)
class DatabaseCommandsTest {
    @RegisterExtension
    final CliHome cliHome = CliHome.isolated();

    @Test
    void statusOfAClusterThatDoesNotExistPrintsTheReportAndExitsWithDbUnreachable() {
        CliRun status = CliRun.of("status");
        assertThat(status.status()).isEqualTo(ErrorCode.DB_UNREACHABLE.exitStatus()).isNotZero();
        assertThat(status.out()).contains("local cluster: not initialised", "./townhall up");
        assertThat(status.err()).isEmpty();
    }

    @Test
    void statusOfARunningClusterExitsZero(TestCluster cluster) {
        cliHome.set(cluster);
        CliRun status = CliRun.of("status");
        assertThat(status.status()).as(status.err()).isZero();
        assertThat(status.out()).contains("local cluster: running, port " + cluster.cluster().port());
    }

    @Test
    void statusOfAReachableExternalServerExitsZero(Database db) {
        CliRun status = CliRun.of("status", "--database-url", CliRun.databaseUrl(db.owner()));
        assertThat(status.status()).as(status.err()).isZero();
        assertThat(status.out()).contains("reachable, PostgreSQL").doesNotContain(db.owner().password());
    }

    @Test
    void migratePrintsOneSummaryLineAndVerboseListsEachChangeset(TestCluster cluster) {
        String first = CliRun.databaseUrl(cluster.newEmptyDatabase("migrate_summary").owner());
        CliRun applied = CliRun.of("migrate", "--database-url", first);
        assertThat(applied.status()).as(applied.err()).isZero();
        assertThat(applied.out().lines()).hasSize(1);
        assertThat(applied.out()).containsPattern("^applied (\\d+) changesets in [0-9.]+ s \\(schema now holds \\1\\)\n$");

        CliRun again = CliRun.of("migrate", "--database-url", first);
        assertThat(again.out()).matches("schema is up to date \\(\\d+ changesets\\)\n");

        String second = CliRun.databaseUrl(cluster.newEmptyDatabase("migrate_verbose").owner());
        CliRun verbose = CliRun.of("migrate", "--verbose", "--database-url", second);
        assertThat(verbose.status()).as(verbose.err()).isZero();
        long listed = verbose.out().lines().filter(l -> l.startsWith("  applied ")).count();
        assertThat(listed).isPositive();
        assertThat(verbose.out().lines().reduce((a, b) -> b).orElseThrow())
                .startsWith("applied " + listed + " changesets in ");
    }
}
