package dev.townhall.ops;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Database;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.testing.TestCluster;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Retention policies applied to real rows: a dry run changes nothing, the real run changes exactly the rows the dry
 * run listed (and audits each, keeping the old value out of the audit log, the embeddings and keyword search), the
 * three actions, legal holds on a policy and on rows, and policies naming what does not exist are refused whole.
 */
@ExtendWith(PostgresExtension.class)
class RetentionTest {
    static final UUID ORG = UUID.fromString("00000000-0000-4000-8000-000000000001");
    static final UUID AURORA = UUID.fromString("00000000-0000-4000-8000-00000000000a");
    static final UUID FLUENTI = UUID.fromString("00000000-0000-4000-8000-00000000000f");
    private static final String FINGERPRINT = """
            SELECT (SELECT md5(coalesce(string_agg(to_jsonb(n)::text, ',' ORDER BY n.id), '')) FROM memory.sticky_notes n)
                || (SELECT md5(coalesce(string_agg(e.id::text, ',' ORDER BY e.id), '')) FROM memory.embeddings e)
                || (SELECT md5(coalesce(string_agg(to_jsonb(c)::text, ',' ORDER BY c.id), '')) FROM crm.contacts c)
                || (SELECT count(*) FROM core.audit_log)""";

    private final TestCluster cluster;

    RetentionTest(TestCluster cluster) {
        this.cluster = cluster;
    }

    @Test
    void aDryRunChangesNothingAndTheRealRunRedactsExactlyWhatItListed() {
        Database db = cluster.newDatabase("RetentionRedact");
        Jdbi owner = Jdbi.create(() -> db.owner().connect());
        List<UUID> old = List.of(note(owner, AURORA, 400, "call Ada Lovelace on 555-0101"),
                note(owner, AURORA, 500, "Ada Lovelace prefers mornings"),
                note(owner, AURORA, 366, "Ada Lovelace, home address on file"));
        UUID recent = note(owner, AURORA, 10, "recent note stays");
        UUID otherTown = note(owner, FLUENTI, 400, "fluenti note stays");
        Retention retention = Retention.of(db);
        retention.add(new NewRetentionPolicy("memory.sticky_notes", Optional.of("aurora"), Optional.of("content"),
                RetentionAction.REDACT, "365d", Optional.empty(), false));
        OffsetDateTime asOf = OffsetDateTime.now();
        String before = text(owner, FINGERPRINT);

        RetentionReport dry = retention.run(true, asOf);

        assertThat(text(owner, FINGERPRINT)).isEqualTo(before);
        assertThat(dry.outcomes()).singleElement().satisfies(o -> {
            assertThat(o.due()).containsExactlyInAnyOrderElementsOf(old);
            assertThat(o.changed()).isZero();
        });

        RetentionReport real = retention.run(false, asOf);

        assertThat(real.outcomes()).singleElement().satisfies(o -> {
            assertThat(o.due()).isEqualTo(dry.outcomes().get(0).due());
            assertThat(o.changed()).isEqualTo(3);
            assertThat(o.embeddingsRemoved()).isEqualTo(3);
        });
        assertThat(ids(owner, "SELECT id FROM memory.sticky_notes WHERE content = '[redacted]'"))
                .containsExactlyInAnyOrderElementsOf(old);
        assertThat(ids(owner, "SELECT entity_id FROM memory.embeddings")).containsExactlyInAnyOrder(recent, otherTown);
        // the generated search column follows its source column: the redacted words are no longer found
        assertThat(count(owner, "SELECT count(*) FROM memory.sticky_notes WHERE search @@ to_tsquery('english', 'lovelace')"))
                .isZero();
        // one audit row per changed row, and no copy of the old value anywhere in the audit log
        assertThat(ids(owner, """
                        SELECT row_id FROM core.audit_log WHERE action = 'retention.redact'
                          AND table_name = 'memory.sticky_notes' AND actor = 'retention'""")).containsExactlyInAnyOrderElementsOf(old);
        assertThat(count(owner, "SELECT count(*) FROM core.audit_log WHERE concat(before_data, after_data) ILIKE '%lovelace%'"))
                .isZero();
        assertThat(count(owner, "SELECT count(*) FROM core.audit_log WHERE concat(before_data, after_data) LIKE '%recent note stays%'"))
                .as("rows not due keep their audit snapshots").isPositive();
        // the redacted rows are queued, so the worker embeds their new text
        assertThat(count(owner, "SELECT count(*) FROM memory.embedding_queue WHERE entity_id IN ("
                + old.stream().map(id -> "'" + id + "'").collect(Collectors.joining(", ")) + ")")).isEqualTo(3);

        assertThat(retention.run(true).totalDue()).as("a redacted row is not due again").isZero();
    }

    @Test
    void aRowThatStopsBeingDueWhileTheRunWaitsForItIsLeftAlone() throws Exception {
        Database db = cluster.newDatabase("RetentionRecheck");
        Jdbi owner = Jdbi.create(() -> db.owner().connect());
        UUID stays = note(owner, AURORA, 400, "edited meanwhile");
        UUID goes = note(owner, AURORA, 400, "not edited");
        Retention retention = Retention.of(db);
        retention.add(new NewRetentionPolicy("memory.sticky_notes", Optional.empty(), Optional.empty(),
                RetentionAction.DELETE, "1y", Optional.empty(), false));

        try (Handle editor = owner.open()) {
            // an edit in flight: the run selects both rows (the edit is not committed) and then waits for the lock
            editor.begin();
            editor.createUpdate("UPDATE memory.sticky_notes SET created_at = now() WHERE id = :id")
                    .bind("id", stays).execute();
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<RetentionReport> run = pool.submit(() -> retention.run(false));
                while (count(owner, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                        + " AND wait_event_type = 'Lock' AND query LIKE '%DELETE FROM%sticky_notes%'") == 0) {
                    assertThat(run).as("the run must wait for the edited row").isNotDone();
                    Thread.sleep(20);
                }
                editor.commit();
                RetentionReport report = run.get(30, TimeUnit.SECONDS);
                assertThat(report.outcomes()).singleElement().satisfies(o -> {
                    assertThat(o.due()).containsExactlyInAnyOrder(stays, goes);
                    assertThat(o.changed()).isEqualTo(1);
                });
            } finally {
                pool.shutdownNow();
            }
        }
        assertThat(ids(owner, "SELECT id FROM memory.sticky_notes")).containsExactly(stays);
        assertThat(ids(owner, "SELECT row_id FROM core.audit_log WHERE actor = 'retention'")).containsExactly(goes);
    }

    @Test
    void deleteRemovesWholeRowsAndAnonymiseReplacesAValueWithAPlaceholder() {
        Database db = cluster.newDatabase("RetentionDeleteAnonymise");
        Jdbi owner = Jdbi.create(() -> db.owner().connect());
        UUID oldNote = note(owner, FLUENTI, 40, "old fluenti note");
        UUID keptNote = note(owner, FLUENTI, 5, "new fluenti note");
        UUID auroraNote = note(owner, AURORA, 40, "aurora note");
        UUID oldContact = contact(owner, AURORA, 800, "grace@example.com");
        UUID otherContact = contact(owner, FLUENTI, 800, "alan@example.com");
        UUID newContact = contact(owner, FLUENTI, 1, "new@example.com");
        Retention retention = Retention.of(db);
        retention.add(new NewRetentionPolicy("memory.sticky_notes", Optional.of("fluenti"), Optional.empty(),
                RetentionAction.DELETE, "4w", Optional.of("updated_at"), false));
        retention.add(new NewRetentionPolicy("crm.contacts", Optional.empty(), Optional.of("email"),
                RetentionAction.ANONYMISE, "2y", Optional.empty(), false));

        RetentionReport report = retention.run(false);

        assertThat(report.totalChanged()).isEqualTo(3);
        assertThat(ids(owner, "SELECT id FROM memory.sticky_notes"))
                .containsExactlyInAnyOrder(keptNote, auroraNote);
        assertThat(ids(owner, "SELECT entity_id FROM memory.embeddings")).doesNotContain(oldNote);
        List<String> emails = texts(owner, "SELECT email::text FROM crm.contacts WHERE id IN ('" + oldContact + "', '"
                + otherContact + "') ORDER BY email");
        assertThat(emails).hasSize(2).allMatch(e -> e.matches("anon-[0-9a-f]{12}@anonymised\\.invalid"));
        assertThat(emails.get(0)).as("placeholders link to nothing").isNotEqualTo(emails.get(1));
        assertThat(text(owner, "SELECT email::text FROM crm.contacts WHERE id = '" + newContact + "'")).isEqualTo("new@example.com");
        assertThat(texts(owner, "SELECT action || ' ' || row_id FROM core.audit_log WHERE actor = 'retention'")).containsExactlyInAnyOrder("retention.delete " + oldNote,
                "retention.anonymise " + oldContact, "retention.anonymise " + otherContact);
        assertThat(count(owner, "SELECT count(*) FROM core.audit_log WHERE concat(before_data, after_data) LIKE '%old fluenti note%'"
                + " OR concat(before_data, after_data) LIKE '%grace@example.com%'")).isZero();
        assertThat(retention.run(true).totalDue()).as("an anonymised value is not due again").isZero();
    }

    @Test
    void aLegalHoldStopsAPolicyOrKeepsTheRowsItCovers() {
        Database db = cluster.newDatabase("RetentionHolds");
        Jdbi owner = Jdbi.create(() -> db.owner().connect());
        UUID first = note(owner, AURORA, 400, "first");
        UUID second = note(owner, AURORA, 400, "second");
        UUID third = note(owner, FLUENTI, 400, "third");
        Retention retention = Retention.of(db);
        RetentionPolicy policy = retention.add(new NewRetentionPolicy("memory.sticky_notes", Optional.empty(),
                Optional.empty(), RetentionAction.DELETE, "1y", Optional.empty(), true));

        RetentionReport held = retention.run(false);
        assertThat(held.outcomes()).singleElement().satisfies(o -> {
            assertThat(o.held()).isTrue();
            assertThat(o.changed()).isZero();
        });
        assertThat(count(owner, "SELECT count(*) FROM memory.sticky_notes")).isEqualTo(3);

        retention.hold(policy.id(), false);
        retention.addHold("memory.sticky_notes", Optional.empty(), Optional.of(first), "litigation 2026-17",
                Optional.empty());
        retention.addHold("memory.sticky_notes", Optional.of("fluenti"), Optional.empty(), "audit by the regulator",
                Optional.of(OffsetDateTime.now().plusDays(30)));
        assertThat(retention.run(true).outcomes().get(0).due()).containsExactly(second);

        assertThat(retention.run(false).totalChanged()).isEqualTo(1);
        assertThat(ids(owner, "SELECT id FROM memory.sticky_notes"))
                .containsExactlyInAnyOrder(first, third);

        retention.holds().forEach(h -> retention.removeHold(h.id()));
        assertThat(retention.run(false).totalChanged()).isEqualTo(2);
        assertThat(count(owner, "SELECT count(*) FROM memory.sticky_notes")).isZero();
    }

    @Test
    void aPolicyNamingWhatDoesNotExistIsOneClearErrorAndNothingIsStored() {
        Database db = cluster.newDatabase("RetentionBadInput");
        Jdbi owner = Jdbi.create(() -> db.owner().connect());
        Retention retention = Retention.of(db);
        record Bad(NewRetentionPolicy policy, ErrorCode code, String field, String message) {
        }
        for (Bad bad : List.of(
                new Bad(policy("crm.nothing", null, "notes", RetentionAction.REDACT, "1y", null),
                        ErrorCode.NOT_FOUND, "table", "crm.nothing is not a tenant table"),
                new Bad(policy("core.users", null, "email", RetentionAction.REDACT, "1y", null),
                        ErrorCode.NOT_FOUND, "table", "core.users is not a tenant table"),
                new Bad(policy("crm.contacts", null, "shoe_size", RetentionAction.REDACT, "1y", null),
                        ErrorCode.NOT_FOUND, "column", "crm.contacts has no column shoe_size"),
                new Bad(policy("crm.contacts", "atlantis", "notes", RetentionAction.REDACT, "1y", null),
                        ErrorCode.NOT_FOUND, "town", "no town atlantis"),
                new Bad(policy("crm.contacts", null, "notes", RetentionAction.REDACT, "1y", "born_at"),
                        ErrorCode.NOT_FOUND, "age_column", "crm.contacts has no column born_at"),
                new Bad(policy("crm.contacts", null, "notes", RetentionAction.REDACT, "1y", "first_name"),
                        ErrorCode.INVALID_INPUT, "age_column", "not a timestamp"),
                new Bad(policy("crm.contacts", null, "is_vip", RetentionAction.ANONYMISE, "1y", null),
                        ErrorCode.INVALID_INPUT, "column", "only text can be anonymised"),
                new Bad(policy("crm.contacts", null, "full_name", RetentionAction.REDACT, "1y", null),
                        ErrorCode.INVALID_INPUT, "column", "generated"),
                new Bad(policy("crm.contacts", null, "notes", RetentionAction.DELETE, "1y", null),
                        ErrorCode.INVALID_INPUT, "column", "delete removes whole rows"),
                new Bad(policy("crm.contacts", null, "notes", RetentionAction.REDACT, "soon", null),
                        ErrorCode.INVALID_INPUT, "after", "an age is a positive number"))) {
            assertThatThrownBy(() -> retention.add(bad.policy())).as(bad.message())
                    .isInstanceOfSatisfying(TownHallException.class, e -> {
                        assertThat(e.code()).isEqualTo(bad.code());
                        assertThat(e.field()).contains(bad.field());
                        assertThat(e.getMessage()).contains(bad.message()).doesNotContain("\n");
                    });
        }
        assertThatThrownBy(() -> retention.addHold("crm.nothing", Optional.empty(), Optional.empty(), "why",
                Optional.empty())).isInstanceOfSatisfying(TownHallException.class,
                e -> assertThat(e.field()).contains("table"));
        assertThat(retention.policies()).isEmpty();
        assertThat(retention.holds()).isEmpty();
        assertThat(count(owner, "SELECT count(*) FROM core.audit_log WHERE action LIKE 'retention.%'")).isZero();
    }

    private static NewRetentionPolicy policy(String table, String town, String column, RetentionAction action,
                                             String after, String ageColumn) {
        return new NewRetentionPolicy(table, Optional.ofNullable(town), Optional.ofNullable(column), action, after,
                Optional.ofNullable(ageColumn), false);
    }

    /** A sticky note {@code days} old, with one embedding of its text. */
    static UUID note(Jdbi owner, UUID town, int days, String content) {
        return owner.inTransaction(h -> {
            UUID id = h.createQuery("""
                            INSERT INTO memory.sticky_notes (org_id, town_id, content, created_at, updated_at)
                            VALUES (:org, :town, :content, now() - make_interval(days => :days),
                                    now() - make_interval(days => :days))
                            RETURNING id""")
                    .bind("org", ORG).bind("town", town).bind("content", content).bind("days", days)
                    .mapTo(UUID.class).one();
            h.createUpdate("""
                            INSERT INTO memory.embeddings (org_id, town_id, entity_type, entity_id, model, dimensions,
                                                           content_hash, embedding)
                            VALUES (:org, :town, 'sticky_note', :id, 'test-model', 3, md5(:content), '[1, 0, 0]')""")
                    .bind("org", ORG).bind("town", town).bind("id", id).bind("content", content).execute();
            return id;
        });
    }

    private static UUID contact(Jdbi owner, UUID town, int days, String email) {
        return owner.withHandle(h -> h.createQuery("""
                        INSERT INTO crm.contacts (org_id, town_id, first_name, email, created_at)
                        VALUES (:org, :town, 'Someone', :email, now() - make_interval(days => :days)) RETURNING id""")
                .bind("org", ORG).bind("town", town).bind("email", email).bind("days", days)
                .mapTo(UUID.class).one());
    }

    static List<UUID> ids(Jdbi owner, String sql) {
        return owner.withHandle(h -> h.createQuery(sql).mapTo(UUID.class).list());
    }

    static List<String> texts(Jdbi owner, String sql) {
        return owner.withHandle(h -> h.createQuery(sql).mapTo(String.class).list());
    }

    static String text(Jdbi owner, String sql) {
        return owner.withHandle(h -> h.createQuery(sql).mapTo(String.class).one());
    }

    static long count(Jdbi owner, String sql) {
        return owner.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }
}
