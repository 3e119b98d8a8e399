package dev.townhall.legacy;

import dev.townhall.ErrorCode;
import dev.townhall.cli.Main;
import dev.townhall.db.Endpoint;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.testing.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./townhall legacy generate} as a user sees it: the progress and the table, or one line on a mistake. */
@ExtendWith(PostgresExtension.class)
class LegacyGenerateCommandTest {
    record Run(int status, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(status, out.toString(), err.toString());
    }

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
            Run first = run("legacy", "generate", "--seed", "9", "--robbie-url", url(admin, robbie),
                    "--robbie-allan-url", url(admin, allan));
            assertThat(first.status()).as(first.err()).isZero();
            assertThat(first.out())
                    .contains("legacy generate: seed 9")
                    .contains("robbie.activities", "robbie_allan.knowledge_base")
                    .contains("| robbie       | (13 tables)         | 80,808 |")
                    .contains("| robbie_allan | (5 tables)          |    454 |")
                    .contains("generated 81,262 rows")
                    .doesNotContain(admin.password());

            Run again = run("legacy", "generate", "--robbie-url", url(admin, robbie), "--robbie-allan-url",
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
        Run bad = run("legacy", "generate", "--seed", "forty-two");
        assertThat(bad.status()).isEqualTo(ErrorCode.INVALID_INPUT.exitStatus());
        assertOneLine(bad.err());
        assertThat(bad.err()).contains("--seed");
    }

    @Test
    void anUnreachableUrlIsOneLineWithoutThePassword() {
        String secret = "s3cr3t-never-printed";
        String url = "postgresql://someone:" + secret + "@127.0.0.1:" + freePort() + "/robbie";
        Run unreachable = run("legacy", "generate", "--robbie-url", url, "--robbie-allan-url", url);
        assertThat(unreachable.status()).isEqualTo(ErrorCode.DB_UNREACHABLE.exitStatus());
        assertOneLine(unreachable.err());
        assertThat(unreachable.err()).contains("cannot reach PostgreSQL").doesNotContain(secret);
    }

    @Test
    void legacyAloneListsItsSubcommands() {
        Run usage = run("legacy");
        assertThat(usage.status()).isZero();
        assertThat(usage.out()).contains("generate");
        assertThat(run("--help").out()).contains("legacy");
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
