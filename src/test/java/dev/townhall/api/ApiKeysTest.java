package dev.townhall.api;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Database;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.towns.Role;
import dev.townhall.towns.SampleTowns;
import dev.townhall.towns.Towns;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * API keys against a real database: made, listed and revoked with audit rows; stored only as a prefix and a hash;
 * accepted only whole, unrevoked and unexpired; acting in the key's town or another town of its user; limited by
 * their role in the database; their use recorded about once a minute without filling the audit log.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiKeysTest {
    private final Database db;
    private Towns towns;
    private ApiKeys keys;
    private Map<String, UUID> people;

    ApiKeysTest(Database db) {
        this.db = db;
    }

    @BeforeAll
    void people() {
        towns = Towns.open(db);
        people = SampleTowns.ensure(towns);
        towns.addMember("allan", "fluenti", Role.MEMBER);
        keys = ApiKeys.on(towns);
    }

    @AfterAll
    void close() {
        towns.close();
    }

    @Test
    void createsListsAndRevokesKeysWithAnAuditRowEach() {
        CreatedKey created = keys.create("allan", "aurora", Optional.empty(), Optional.of(Duration.ofDays(90)), "laptop");
        ApiKeyInfo info = created.info();
        assertThat(created.secret()).matches("th_[A-Za-z0-9]{12}_[A-Za-z0-9]{40}").startsWith("th_" + info.prefix() + "_");
        assertThat(info.name()).isEqualTo("laptop");
        assertThat(info.user()).isEqualTo("allan");
        assertThat(info.town()).isEqualTo("aurora");
        assertThat(info.role()).as("the user's role when no --role").isEqualTo(Role.OWNER);
        assertThat(info.expiresAt().orElseThrow()).isBetween(Instant.now().plus(Duration.ofDays(89)),
                Instant.now().plus(Duration.ofDays(91)));
        assertThat(info.revokedAt()).isEmpty();
        assertThat(created.toString()).doesNotContain(created.secret());

        assertThat(keys.list(Optional.empty())).extracting(ApiKeyInfo::id).contains(info.id());
        assertThat(keys.list(Optional.of("aurora"))).extracting(ApiKeyInfo::id).contains(info.id());
        assertThat(keys.list(Optional.of("fluenti"))).extracting(ApiKeyInfo::id).doesNotContain(info.id());
        assertThat(keys.list(Optional.empty()).toString()).doesNotContain(created.secret().substring(16));

        ApiKeyInfo revoked = keys.revoke(info.prefix());
        assertThat(revoked.id()).isEqualTo(info.id());
        assertThat(revoked.revokedAt()).isPresent();
        assertThat(keys.revoke(info.id().toString()).revokedAt()).as("revoking again changes nothing")
                .isEqualTo(revoked.revokedAt());
        assertThat(auditActions(info.id())).containsExactly("api_key.create", "api_key.revoke");
        assertFails(() -> keys.revoke("nosuchprefix"), ErrorCode.NOT_FOUND, "no API key");
    }

    @Test
    void onlyThePrefixAndTheHashOfTheKeyAreStored() {
        CreatedKey created = keys.create("kristina", "fluenti", Optional.empty(), Optional.empty(), null);
        String secret = created.secret();
        String secretPart = secret.substring(secret.lastIndexOf('_') + 1);
        String row = owner("SELECT to_jsonb(k)::text FROM core.api_keys k WHERE id = '" + created.info().id() + "'");
        assertThat(row).doesNotContain(secret).doesNotContain(secretPart)
                .contains("\"key_prefix\": \"" + created.info().prefix() + "\"")
                .contains("\"key_hash\": \"" + sha256Hex(secret) + "\"");
        assertThat(created.info().name()).isEqualTo("kristina@fluenti");
        String log = owner("SELECT coalesce(string_agg(coalesce(before_data::text, '') || coalesce(after_data::text, ''), ''), '')"
                + " FROM core.audit_log WHERE row_id = '" + created.info().id() + "'");
        assertThat(log).doesNotContain(secretPart).doesNotContain(sha256Hex(secret));
    }

    @Test
    void aWholeValidKeyAuthenticatesAsItsUserInItsTown() {
        CreatedKey created = keys.create("allan", "aurora", Optional.empty(), Optional.empty(), "ok");
        Caller caller = keys.authenticate(created.secret(), Optional.empty());
        assertThat(caller.keyId()).isEqualTo(created.info().id());
        assertThat(caller.keyPrefix()).isEqualTo(created.info().prefix());
        assertThat(caller.userId()).isEqualTo(people.get("allan"));
        assertThat(caller.townSlug()).isEqualTo("aurora");
        assertThat(caller.townId()).isEqualTo(towns.town("aurora").id());
        assertThat(caller.role()).isEqualTo(Role.OWNER);
        String actingAs = caller.context().inTransaction(h -> h.createQuery(
                "SELECT core.acting_role()::text || '@' || (SELECT slug FROM core.towns WHERE id = core.acting_town_id())")
                .mapTo(String.class).one());
        assertThat(actingAs).isEqualTo("owner@aurora");
    }

    @Test
    void everyBadCredentialIsUnauthenticatedWithOneMessage() {
        CreatedKey good = keys.create("allan", "aurora", Optional.empty(), Optional.empty(), "bad credentials");
        String secret = good.secret();
        char last = secret.charAt(secret.length() - 1);
        String wrongSecret = secret.substring(0, secret.length() - 1) + (last == 'a' ? 'b' : 'a');
        String unknownPrefix = "th_" + "Z".repeat(12) + secret.substring(15);
        CreatedKey revoked = keys.create("allan", "aurora", Optional.empty(), Optional.empty(), "revoked");
        keys.revoke(revoked.info().prefix());
        CreatedKey expired = keys.create("allan", "aurora", Optional.empty(), Optional.of(Duration.ofMinutes(1)), "expired");
        owner("UPDATE core.api_keys SET created_at = now() - interval '2 days', expires_at = now() - interval '1 day'"
                + " WHERE id = '" + expired.info().id() + "' RETURNING 'x'");

        List<String> bad = java.util.Arrays.asList(null, "", "Bearer " + secret, secret + "x", secret.substring(1),
                secret.toUpperCase().replace("TH_", "th_"), wrongSecret, unknownPrefix, revoked.secret(), expired.secret());
        String message = null;
        for (String token : bad) {
            TownHallException e = org.assertj.core.api.Assertions.catchThrowableOfType(
                    () -> keys.authenticate(token, Optional.empty()), TownHallException.class);
            assertThat(e).as("token %s", token).isNotNull();
            assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
            message = message == null ? e.getMessage() : message;
            assertThat(e.getMessage()).as("one message, no oracle").isEqualTo(message);
        }
        assertThat(keys.authenticate(secret, Optional.empty()).keyId()).isEqualTo(good.info().id());
    }

    @Test
    void aKeyMayActInAnotherTownOfItsUserButNotInOneTheyAreNotIn() {
        CreatedKey created = keys.create("allan", "aurora", Optional.empty(), Optional.empty(), "towns");
        Caller inFluenti = keys.authenticate(created.secret(), Optional.of("fluenti"));
        assertThat(inFluenti.townSlug()).isEqualTo("fluenti");
        assertThat(inFluenti.role()).as("allan's role in fluenti").isEqualTo(Role.MEMBER);
        UUID actingTown = inFluenti.context().inTransaction(h -> h.createQuery("SELECT core.acting_town_id()")
                .mapTo(UUID.class).one());
        assertThat(actingTown).isEqualTo(towns.town("fluenti").id());
        assertFails(() -> keys.authenticate(created.secret(), Optional.of("collaboration")), ErrorCode.FORBIDDEN,
                "not an active member of town 'collaboration'");
        assertFails(() -> keys.authenticate(created.secret(), Optional.of("atlantis")), ErrorCode.FORBIDDEN,
                "not an active member");
        assertFails(() -> keys.authenticate(created.secret() + "x", Optional.of("collaboration")),
                ErrorCode.UNAUTHENTICATED, "invalid API key");
    }

    @Test
    void aViewerKeyOfAnOwnerWritesNothingWhileAnUnlimitedKeyDoes() {
        CreatedKey viewerKey = keys.create("allan", "aurora", Optional.of(Role.VIEWER), Optional.empty(), "read only");
        CreatedKey ownerKey = keys.create("allan", "aurora", Optional.empty(), Optional.empty(), "full");
        assertThat(viewerKey.info().role()).isEqualTo(Role.VIEWER);
        Caller owner = keys.authenticate(ownerKey.secret(), Optional.empty());
        Caller viewer = keys.authenticate(viewerKey.secret(), Optional.empty());
        assertThat(viewer.role()).isEqualTo(Role.VIEWER);
        assertThat(viewer.context().roleCap()).contains(Role.VIEWER);

        UUID company = owner.context().inTransaction(h -> h.createQuery(
                "INSERT INTO crm.companies (name) VALUES ('Owned by key') RETURNING id").mapTo(UUID.class).one());
        String seen = viewer.context().inTransaction(h -> h.createQuery("SELECT name FROM crm.companies WHERE id = :id")
                .bind("id", company).mapTo(String.class).one());
        assertThat(seen).isEqualTo("Owned by key");
        for (String write : List.of("INSERT INTO crm.companies (name) VALUES ('By viewer key')",
                "UPDATE crm.companies SET industry = 'viewer' WHERE id = '" + company + "'",
                "DELETE FROM crm.companies WHERE id = '" + company + "'")) {
            assertFails(() -> viewer.context().inTransaction(h -> h.execute(write)), ErrorCode.FORBIDDEN, "may only read");
        }
        int updated = owner.context().inTransaction(h -> h.execute(
                "UPDATE crm.companies SET industry = 'owner' WHERE id = '" + company + "'"));
        int deleted = owner.context().inTransaction(h -> h.execute("DELETE FROM crm.companies WHERE id = '" + company + "'"));
        assertThat(updated).isOne();
        assertThat(deleted).isOne();
    }

    @Test
    void aKeyRoleCannotRaiseItsUsersRole() {
        assertFails(() -> keys.create("vera", "fluenti", Optional.of(Role.OWNER), Optional.empty(), "raise"),
                ErrorCode.INVALID_INPUT, "vera is viewer in fluenti, so the key cannot be owner");
        assertFails(() -> keys.create("andre", "collaboration", Optional.of(Role.SERVICE), Optional.empty(), "sideways"),
                ErrorCode.INVALID_INPUT, "may only lower");
        CreatedKey vera = keys.create("vera", "fluenti", Optional.empty(), Optional.empty(), "vera");
        Caller caller = keys.authenticate(vera.secret(), Optional.empty());
        assertThat(caller.role()).isEqualTo(Role.VIEWER);
        assertFails(() -> caller.context().inTransaction(h -> h.execute("INSERT INTO crm.companies (name) VALUES ('x')")),
                ErrorCode.FORBIDDEN, "may only read");
        // a key whose user is later demoted acts with the lower role: the database takes the lesser of the two
        CreatedKey andre = keys.create("andre", "collaboration", Optional.empty(), Optional.empty(), "andre");
        towns.addMember("andre", "collaboration", Role.VIEWER);
        try {
            assertThat(keys.authenticate(andre.secret(), Optional.empty()).role()).isEqualTo(Role.VIEWER);
        } finally {
            towns.addMember("andre", "collaboration", Role.MEMBER);
        }
    }

    @Test
    void mistakesInCreateAreOneClearError() {
        assertFails(() -> keys.create("nobody", "aurora", Optional.empty(), Optional.empty(), null), ErrorCode.NOT_FOUND,
                "no user 'nobody'");
        assertFails(() -> keys.create("allan", "atlantis", Optional.empty(), Optional.empty(), null), ErrorCode.NOT_FOUND,
                "no town 'atlantis'");
        assertFails(() -> keys.create("andre", "aurora", Optional.empty(), Optional.empty(), null), ErrorCode.INVALID_INPUT,
                "andre is not an active member of aurora");
        assertFails(() -> keys.create("allan", "aurora", Optional.empty(), Optional.empty(), "  "), ErrorCode.INVALID_INPUT,
                "name");
        assertFails(() -> keys.create("allan", "aurora", Optional.empty(), Optional.of(Duration.ofSeconds(5)), null),
                ErrorCode.INVALID_INPUT, "between 1m and 3650d");
    }

    @Test
    void expiryIsParsedFromDaysHoursOrMinutes() {
        assertThat(ApiKeys.parseExpiresIn("90d")).isEqualTo(Duration.ofDays(90));
        assertThat(ApiKeys.parseExpiresIn("12h")).isEqualTo(Duration.ofHours(12));
        assertThat(ApiKeys.parseExpiresIn(" 30m ")).isEqualTo(Duration.ofMinutes(30));
        for (String bad : new String[] {"", "90", "d", "1.5d", "10y", "-1d", "90 d", "99999999d"}) {
            TownHallException e = org.assertj.core.api.Assertions.catchThrowableOfType(
                    () -> ApiKeys.parseExpiresIn(bad), TownHallException.class);
            assertThat(e).as(bad).isNotNull();
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
            assertThat(e.field()).contains("expires");
        }
        assertFails(() -> ApiKeys.parseExpiresIn("0d"), ErrorCode.INVALID_INPUT, "between 1m and 3650d");
        assertFails(() -> ApiKeys.parseExpiresIn("3651d"), ErrorCode.INVALID_INPUT, "between 1m and 3650d");
    }

    @Test
    void useIsRecordedAboutOnceAMinuteAndNotAudited() {
        CreatedKey created = keys.create("allan", "aurora", Optional.empty(), Optional.empty(), "used");
        UUID id = created.info().id();
        assertThat(created.info().lastUsedAt()).isEmpty();
        keys.authenticate(created.secret(), Optional.empty());
        String first = owner("SELECT last_used_at::text FROM core.api_keys WHERE id = '" + id + "'");
        assertThat(first).isNotNull();
        for (int i = 0; i < 5; i++) {
            keys.authenticate(created.secret(), Optional.empty());
        }
        assertThat(owner("SELECT last_used_at::text FROM core.api_keys WHERE id = '" + id + "'"))
                .as("not a write per request").isEqualTo(first);
        owner("UPDATE core.api_keys SET last_used_at = now() - interval '2 minutes' WHERE id = '" + id + "' RETURNING 'x'");
        long auditRowsBefore = Long.parseLong(owner("SELECT count(*)::text FROM core.audit_log WHERE row_id = '" + id + "'"));
        keys.authenticate(created.secret(), Optional.empty());
        assertThat(owner("SELECT (last_used_at > now() - interval '1 minute')::text FROM core.api_keys WHERE id = '" + id + "'"))
                .isEqualTo("true");
        assertThat(Long.parseLong(owner("SELECT count(*)::text FROM core.audit_log WHERE row_id = '" + id + "'")))
                .as("recording use writes no audit row").isEqualTo(auditRowsBefore);
        assertThat(keys.list(Optional.of("aurora")).stream().filter(k -> k.id().equals(id)).findFirst().orElseThrow()
                .lastUsedAt()).isPresent();
    }

    private List<String> auditActions(UUID keyId) {
        return towns.ownerJdbi().withHandle(h -> h.createQuery(
                        "SELECT action FROM core.audit_log WHERE row_id = :id AND actor = 'cli' ORDER BY at, id")
                .bind("id", keyId).mapTo(String.class).list());
    }

    private String owner(String sql) {
        return towns.ownerJdbi().withHandle(h -> h.createQuery(sql).mapTo(String.class).findOne().orElse(null));
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertFails(ThrowingCallable call, ErrorCode code, String text) {
        assertThatThrownBy(call).isInstanceOf(TownHallException.class).hasMessageContaining(text)
                .satisfies(e -> assertThat(((TownHallException) e).code()).isEqualTo(code));
    }
}
