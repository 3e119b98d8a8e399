package dev.townhall.cli;

import dev.townhall.ErrorCode;
import dev.townhall.db.Database;
import dev.townhall.db.Endpoint;
import dev.townhall.testing.CliRun;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.towns.SampleTowns;
import dev.townhall.towns.Towns;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** The logins commands end to end: a URL printed once that connects, a table without passwords, revoke; mistakes are one line. */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoginsCommandTest {
    private final Database db;

    LoginsCommandTest(Database db) {
        this.db = db;
    }

    @BeforeAll
    void people() {
        try (Towns towns = Towns.open(db)) {
            SampleTowns.ensure(towns);
        }
    }

    /** As the server's superuser: only a login that may create roles can make logins. */
    private CliRun cli(String... args) {
        return CliRun.against(db, db.admin().withDatabase(db.databaseName()), args);
    }

    @Test
    void createPrintsAUrlOnceThatConnectsListShowsItRevokeDropsIt() throws SQLException {
        CliRun created = cli("logins", "create", "lc_backend", "--user", "vera", "--town", "fluenti",
                "--schema", "backend_compat", "--read-only");
        assertThat(created.status()).as(created.err()).isZero();
        String url = created.out().lines().findFirst().orElseThrow();
        assertThat(url).matches("postgresql://lc_backend:[A-Za-z0-9_-]{43}@127\\.0\\.0\\.1:[0-9]+/" + db.databaseName());
        assertThat(created.out()).contains("shown only once", "created login lc_backend: vera in fluenti, schema"
                + " backend_compat, read-only");
        try (Connection c = Endpoint.parse(url).connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_setting('search_path'), core.acting_role()::text")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("backend_compat, public");
            assertThat(rs.getString(2)).isEqualTo("viewer");
        }

        CliRun list = cli("logins", "list");
        assertThat(list.status()).as(list.err()).isZero();
        assertThat(list.out()).contains("lc_backend", "vera", "fluenti", "backend_compat", "read-only")
                .doesNotContain(url.substring(url.indexOf(':', 14) + 1, url.indexOf('@')));

        CliRun revoked = cli("logins", "revoke", "lc_backend");
        assertThat(revoked.status()).as(revoked.err()).isZero();
        assertThat(revoked.out()).contains("revoked login lc_backend (vera in fluenti)");
        assertThat(cli("logins", "list").out()).doesNotContain("lc_backend");
        assertOneLineError(cli("logins", "revoke", "lc_backend"), ErrorCode.NOT_FOUND, "no bound login 'lc_backend'");
    }

    @Test
    void mistakesAreOneLineAndMakeNoLogin() {
        assertOneLineError(cli("logins", "create", "lc_nobody", "--user", "nobody", "--town", "aurora"),
                ErrorCode.NOT_FOUND, "no user 'nobody'");
        assertOneLineError(cli("logins", "create", "lc_atlantis", "--user", "allan", "--town", "atlantis"),
                ErrorCode.NOT_FOUND, "no town 'atlantis'");
        assertOneLineError(cli("logins", "create", "lc_andre", "--user", "andre", "--town", "aurora"),
                ErrorCode.INVALID_INPUT, "not an active member");
        assertOneLineError(cli("logins", "create", "townhall_owner", "--user", "allan", "--town", "aurora"),
                ErrorCode.INVALID_INPUT, "reserved");
        assertOneLineError(cli("logins", "create", "lc_schema", "--user", "allan", "--town", "aurora", "--schema", "core"),
                ErrorCode.INVALID_INPUT, "must be one of");
        assertOneLineError(cli("logins", "create", "lc_no_user", "--town", "aurora"), ErrorCode.INVALID_INPUT, "--user");
        assertOneLineError(cli("logins", "revoke", "townhall_app"), ErrorCode.NOT_FOUND, "no bound login");
        assertThat(cli("logins", "list").out()).doesNotContain("lc_");
    }

    @Test
    void theOwnerCannotMakeLoginsAndSaysSoInOneLine() {
        assertOneLineError(CliRun.against(db, "logins", "create", "lc_by_owner", "--user", "allan", "--town", "aurora"),
                ErrorCode.FORBIDDEN, "may not create or drop roles");
        assertThat(cli("logins", "list").out()).doesNotContain("lc_by_owner");
    }

    private static void assertOneLineError(CliRun run, ErrorCode code, String text) {
        assertThat(run.status()).as(run.err()).isEqualTo(code.exitStatus());
        assertThat(run.err().strip()).contains(text).doesNotContain("\n").doesNotContain("Exception");
    }
}
