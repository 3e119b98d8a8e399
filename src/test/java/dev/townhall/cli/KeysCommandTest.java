package dev.townhall.cli;

import dev.townhall.ErrorCode;
import dev.townhall.api.ApiKeys;
import dev.townhall.db.Database;
import dev.townhall.testing.CliRun;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.towns.SampleTowns;
import dev.townhall.towns.Towns;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The keys commands end to end: a key printed once, listed without its secret, revoked; mistakes are one line. */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeysCommandTest {
    private final Database db;

    KeysCommandTest(Database db) {
        this.db = db;
    }

    @BeforeAll
    void people() {
        try (Towns towns = Towns.open(db)) {
            SampleTowns.ensure(towns);
        }
    }

    private CliRun cli(String... args) {
        return CliRun.against(db, args);
    }

    @Test
    void createPrintsTheKeyOnceListShowsNoSecretRevokeStopsIt() {
        CliRun created = cli("keys", "create", "--user", "allan", "--town", "aurora", "--role", "viewer",
                "--expires", "90d", "--name", "laptop");
        assertThat(created.status()).as(created.err()).isZero();
        String key = created.out().lines().findFirst().orElseThrow();
        assertThat(key).matches("th_[A-Za-z0-9]{12}_[A-Za-z0-9]{40}");
        assertThat(created.out()).contains("shown only once").contains("'laptop'").contains("allan in aurora as viewer")
                .doesNotContain("expires never");
        String prefix = key.substring(3, 15);

        CliRun list = cli("keys", "list");
        assertThat(list.status()).as(list.err()).isZero();
        assertThat(list.out()).contains(prefix, "laptop", "allan", "aurora", "viewer", "active")
                .doesNotContain(key.substring(16));
        assertThat(cli("keys", "list", "--town", "fluenti").out()).doesNotContain(prefix);

        try (Towns towns = Towns.open(db)) {
            assertThat(ApiKeys.on(towns).authenticate(key, Optional.empty()).keyPrefix()).isEqualTo(prefix);
        }
        CliRun revoked = cli("keys", "revoke", prefix);
        assertThat(revoked.status()).as(revoked.err()).isZero();
        assertThat(revoked.out()).contains("revoked API key " + prefix);
        assertThat(cli("keys", "list", "--town", "aurora").out()).contains("revoked");
        try (Towns towns = Towns.open(db)) {
            assertThat(org.assertj.core.api.Assertions.catchThrowable(
                    () -> ApiKeys.on(towns).authenticate(key, Optional.empty()))).hasMessageContaining("invalid API key");
        }
    }

    @Test
    void createWithoutOptionsKeepsTheUsersRoleAndNeverExpires() {
        CliRun created = cli("keys", "create", "--user", "kristina", "--town", "fluenti");
        assertThat(created.status()).as(created.err()).isZero();
        assertThat(created.out()).contains("'kristina@fluenti'", "as admin", "expires never");
    }

    @Test
    void mistakesAreOneLineAndMakeNoKey() {
        int before = cli("keys", "list").out().lines().toList().size();
        assertOneLineError(cli("keys", "create", "--user", "nobody", "--town", "aurora"), ErrorCode.NOT_FOUND,
                "no user 'nobody'");
        assertOneLineError(cli("keys", "create", "--user", "allan", "--town", "atlantis"), ErrorCode.NOT_FOUND,
                "no town 'atlantis'");
        assertOneLineError(cli("keys", "create", "--user", "allan", "--town", "aurora", "--role", "emperor"),
                ErrorCode.INVALID_INPUT, "role must be one of");
        assertOneLineError(cli("keys", "create", "--user", "vera", "--town", "fluenti", "--role", "owner"),
                ErrorCode.INVALID_INPUT, "may only lower");
        assertOneLineError(cli("keys", "create", "--user", "allan", "--town", "aurora", "--expires", "soon"),
                ErrorCode.INVALID_INPUT, "like 90d, 12h or 30m");
        assertOneLineError(cli("keys", "create", "--user", "andre", "--town", "aurora"), ErrorCode.INVALID_INPUT,
                "not an active member");
        assertOneLineError(cli("keys", "create", "--town", "aurora"), ErrorCode.INVALID_INPUT, "--user");
        assertOneLineError(cli("keys", "revoke", "nosuchkey"), ErrorCode.NOT_FOUND, "no API key");
        assertOneLineError(cli("keys", "list", "--town", "atlantis"), ErrorCode.NOT_FOUND, "no town 'atlantis'");
        assertThat(cli("keys", "list").out().lines().toList()).hasSize(before);
    }

    private static void assertOneLineError(CliRun run, ErrorCode code, String text) {
        assertThat(run.status()).as(run.err()).isEqualTo(code.exitStatus());
        assertThat(run.err().strip()).contains(text).doesNotContain("\n").doesNotContain("Exception");
    }
}
