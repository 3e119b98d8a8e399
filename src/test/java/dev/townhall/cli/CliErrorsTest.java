package dev.townhall.cli;

import dev.townhall.ErrorCode;
import dev.townhall.testing.CliHome;
import dev.townhall.testing.CliRun;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.testing.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What a user sees from the CLI: help, external-URL mode, and one readable line for every mistake. */
@ExtendWith(PostgresExtension.class)
class CliErrorsTest {
    private static final String SECRET = "s3cr3t-never-printed";

    @RegisterExtension
    final CliHome cliHome = CliHome.isolated();

    @Test
    void helpListsEveryCommand() {
        CliRun help = CliRun.of("--help");
        assertThat(help.status()).isZero();
        assertThat(help.out()).contains("up ", "down ", "status ", "psql ", "migrate ", "demo ", "test ");
    }

    @Test
    void everyCommandAnswersHelp() {
        List<List<String>> paths = new ArrayList<>();
        collect(new picocli.CommandLine(new Main()), new ArrayList<>(), paths);
        assertThat(paths).hasSizeGreaterThan(15);
        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            CliRun help = CliRun.of(args.toArray(new String[0]));
            assertThat(help.status()).as(String.join(" ", args) + ": " + help.err()).isZero();
            assertThat(help.out()).as(String.join(" ", args)).startsWith("Usage: townhall " + String.join(" ", path));
        }
    }

    private static void collect(picocli.CommandLine command, List<String> path, List<List<String>> out) {
        command.getSubcommands().forEach((name, sub) -> {
            if (name.equals("help")) {
                return;
            }
            List<String> subPath = new ArrayList<>(path);
            subPath.add(name);
            out.add(subPath);
            collect(sub, subPath, out);
        });
    }

    @Test
    void externalUrlModeTouchesNothingLocal() {
        int port = freePort();
        String url = "postgresql://someone:" + SECRET + "@127.0.0.1:" + port + "/townhall";
        CliRun up = CliRun.of("up", "--database-url", url);
        CliRun down = CliRun.of("down", "--database-url", url);
        assertThat(up.status()).isZero();
        assertThat(up.out()).contains("external database", "nothing to start").doesNotContain(SECRET);
        assertThat(down.status()).isZero();
        assertThat(down.out()).contains("does not stop it").doesNotContain(SECRET);
        assertThat(cliHome.state()).doesNotExist();
    }

    @Test
    void unreachableExternalDatabaseIsOneLineWithoutThePassword() {
        int port = freePort();
        CliRun status = CliRun.of("status", "--database-url", "postgresql://someone:" + SECRET + "@127.0.0.1:" + port + "/x");
        assertThat(status.status()).isEqualTo(ErrorCode.DB_UNREACHABLE.exitStatus());
        assertOneLine(status.err());
        assertThat(status.err()).contains("cannot reach PostgreSQL at 127.0.0.1:" + port).doesNotContain(SECRET);
    }

    @Test
    void wrongPasswordIsOneLineWithoutThePassword(TestCluster cluster) {
        String url = "postgresql://postgres:" + SECRET + "@127.0.0.1:" + cluster.cluster().port() + "/postgres";
        CliRun status = CliRun.of("status", "--database-url", url);
        assertThat(status.status()).isEqualTo(ErrorCode.DB_AUTH.exitStatus());
        assertOneLine(status.err());
        assertThat(status.err()).contains("refused the login").doesNotContain(SECRET);
    }

    @Test
    void malformedUrlAndBadArgumentsAreOneLine() {
        CliRun badUrl = CliRun.of("status", "--database-url", "mysql://nope");
        assertThat(badUrl.status()).isEqualTo(ErrorCode.CONFIG.exitStatus());
        assertOneLine(badUrl.err());

        CliRun badPort = CliRun.of("up", "--port", "80");
        assertThat(badPort.status()).isEqualTo(ErrorCode.INVALID_INPUT.exitStatus());
        assertThat(badPort.err()).contains("--port must be between 1024 and 65535, got 80");
        assertOneLine(badPort.err());

        CliRun missingTarget = CliRun.of("migrate", "rollback");
        assertThat(missingTarget.status()).isEqualTo(ErrorCode.INVALID_INPUT.exitStatus());
        assertOneLine(missingTarget.err());

        CliRun unknown = CliRun.of("frobnicate");
        assertThat(unknown.status()).isEqualTo(ErrorCode.INVALID_INPUT.exitStatus());
        assertOneLine(unknown.err());
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
