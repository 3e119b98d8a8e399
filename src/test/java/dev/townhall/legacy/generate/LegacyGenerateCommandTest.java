package dev.townhall.legacy.generate;

import dev.townhall.legacy.LegacySql;
import dev.townhall.ErrorCode;
import dev.townhall.db.Endpoint;
import dev.townhall.testing.CliRun;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.testing.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./townhall legacy generate} as a user sees it: the progress and the table, or one line on a mistake. */
@ExtendWith(PostgresExtension.class)
class LegacyGenerateCommandTest {
    @Test
    void generatesIntoGivenDatabasesAndPrintsATable(TestCluster cluster) {
        Endpoint admin = cluster.cluster().superuserEndpoint();
        String robbie = "legacy_cli_robbie";
        String allan = "legacy_cli_robbie_allan";
        for (String name : new String[] {robbie, allan}) {
            LegacySql.dropDatabase(admin, name);
            LegacySql.execute(admin, "CREATE DATABASE " + name);
        }
        try {
            CliRun first = CliRun.of("legacy", "generate", "--seed", "9", "--robbie-url", url(admin, robbie),
                    "--robbie-allan-url", url(admin, allan));
            assertThat(first.status()).as(first.err()).isZero();
            assertThat(first.out())
                    .contains("legacy generate: seed 9")
                    .contains("robbie.activities", "robbie_allan.knowledge_base")
                    .contains("| robbie       | (13 tables)         | 80,808 |")
                    .contains("| robbie_allan | (5 tables)          |    454 |")
                    .contains("generated 81,262 rows")
                    .doesNotContain(admin.password());

            CliRun again = CliRun.of("legacy", "generate", "--robbie-url", url(admin, robbie), "--robbie-allan-url",
                    url(admin, allan));
            assertThat(again.status()).isEqualTo(ErrorCode.CONFLICT.exitStatus());
            assertOneLine(again.err());
            assertThat(again.err()).contains("--replace").doesNotContain(admin.password());
        } finally {
            LegacySql.dropDatabase(admin, robbie);
            LegacySql.dropDatabase(admin, allan);
        }
    }

    @Test
    void aSeedThatIsNotANumberIsOneLine() {
        CliRun bad = CliRun.of("legacy", "generate", "--seed", "forty-two");
        assertThat(bad.status()).isEqualTo(ErrorCode.INVALID_INPUT.exitStatus());
        assertOneLine(bad.err());
        assertThat(bad.err()).contains("--seed");
    }

    @Test
    void anUnreachableUrlIsOneLineWithoutThePassword() {
        String secret = "s3cr3t-never-printed";
        String url = "postgresql://someone:" + secret + "@127.0.0.1:" + freePort() + "/robbie";
        CliRun unreachable = CliRun.of("legacy", "generate", "--robbie-url", url, "--robbie-allan-url", url);
        assertThat(unreachable.status()).isEqualTo(ErrorCode.DB_UNREACHABLE.exitStatus());
        assertOneLine(unreachable.err());
        assertThat(unreachable.err()).contains("cannot reach PostgreSQL").doesNotContain(secret);
    }

    @Test
    void legacyAloneListsItsSubcommands() {
        CliRun usage = CliRun.of("legacy");
        assertThat(usage.status()).isZero();
        assertThat(usage.out()).contains("generate");
        assertThat(CliRun.of("--help").out()).contains("legacy");
    }

    private static String url(Endpoint admin, String database) {
        return "postgresql://" + admin.user() + ":" + URLEncoder.encode(admin.password(), StandardCharsets.UTF_8)
                + "@" + admin.host() + ":" + admin.port() + "/" + database;
    }

    private static void assertOneLine(String text) {
        assertThat(text.strip()).isNotEmpty().doesNotContain("\n").doesNotContain("Exception").doesNotContain("\tat ");
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
