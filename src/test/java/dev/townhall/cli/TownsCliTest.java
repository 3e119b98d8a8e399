package dev.townhall.cli;

import dev.townhall.ErrorCode;
import dev.townhall.db.Database;
import dev.townhall.testing.CliRun;
import dev.townhall.testing.PostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/** The towns commands end to end, against a test database given as an external URL. */
@ExtendWith(PostgresExtension.class)
class TownsCliTest {
    private final Database db;

    TownsCliTest(Database db) {
        this.db = db;
    }

    private CliRun cli(String... args) {
        return CliRun.against(db, args);
    }

    @Test
    void createsTownsAddsPeopleAndSharesRowsAcrossThem() {
        assertThat(cli("towns", "create", "zeta", "--title", "Zeta Town").out()).contains("created town zeta");
        assertThat(cli("users", "add", "zed@example.com", "--handle", "zed").status()).isZero();
        assertThat(cli("members", "add", "zed", "zeta", "--role", "admin").out()).contains("zed is now admin of zeta");
        assertThat(cli("users", "add", "flo@example.com", "--handle", "flo").status()).isZero();
        assertThat(cli("members", "add", "flo", "fluenti").status()).isZero();

        CliRun inserted = cli("as", "zed@zeta", "sql",
                "INSERT INTO crm.companies (name) VALUES ('Zeta Co') RETURNING id");
        assertThat(inserted.status()).as(inserted.err()).isZero();
        String id = inserted.out().lines().skip(2).findFirst().orElseThrow().strip();

        String countZetaCo = "SELECT count(*) AS n FROM crm.companies WHERE name = 'Zeta Co'";
        assertThat(cli("as", "flo@fluenti", "sql", countZetaCo).out()).contains("0\n");
        assertThat(cli("share", "crm.companies", id, "--with", "fluenti").out()).contains("shared crm.companies");
        assertThat(cli("as", "flo@fluenti", "sql", countZetaCo).out()).contains("1\n");
        assertThat(cli("as", "flo@fluenti", "sql", "UPDATE crm.companies SET industry = 'x' WHERE name = 'Zeta Co'")
                .out()).as("a shared row stays read-only to other towns").contains("0 row(s) affected");
        assertThat(cli("unshare", "crm.companies", id).status()).isZero();
        assertThat(cli("as", "flo@fluenti", "sql", countZetaCo).out()).contains("0\n");

        CliRun list = cli("towns", "list", "--as", "flo@fluenti");
        assertThat(list.status()).isZero();
        assertThat(list.out()).contains("zeta", "fluenti", "aurora");
    }

    @Test
    void mistakesAreOneLineAndChangeNothing() {
        assertOneLineError(cli("towns", "create", "x'); DROP TABLE crm.companies; --"), ErrorCode.INVALID_INPUT,
                "town name must be lower-case");
        assertOneLineError(cli("towns", "create", "aurora"), ErrorCode.CONFLICT, "town 'aurora' already exists");
        assertOneLineError(cli("members", "add", "nobody", "aurora"), ErrorCode.NOT_FOUND, "no user 'nobody'");
        assertOneLineError(cli("users", "add", "not-an-email", "--handle", "x"), ErrorCode.INVALID_INPUT, "email");
        assertThat(cli("users", "add", "rolo@example.com", "--handle", "rolo").status()).isZero();
        assertOneLineError(cli("members", "add", "rolo", "aurora", "--role", "emperor"), ErrorCode.INVALID_INPUT,
                "role must be one of");
        assertOneLineError(cli("share", "crm.nonsense", "00000000-0000-4000-8000-000000000099"), ErrorCode.INVALID_INPUT,
                "not a tenant table");
        assertOneLineError(cli("share", "crm.companies", "00000000-0000-4000-8000-000000000099"), ErrorCode.NOT_FOUND,
                "no row");
        assertOneLineError(cli("as", "rolo@atlantis", "sql", "SELECT 1"), ErrorCode.NOT_FOUND, "no town 'atlantis'");
        assertOneLineError(cli("as", "rolo@aurora", "sql", "SELEKT 1"), ErrorCode.INVALID_INPUT, "the query failed");
        assertThat(cli("as", "rolo@aurora", "sql", "SELECT count(*) FROM crm.companies").status())
                .as("the table survived the town name with SQL in it").isZero();
    }

    private static void assertOneLineError(CliRun run, ErrorCode code, String text) {
        assertThat(run.status()).as(run.err()).isEqualTo(code.exitStatus());
        assertThat(run.err().strip()).contains(text).doesNotContain("\n").doesNotContain("Exception");
    }
}
