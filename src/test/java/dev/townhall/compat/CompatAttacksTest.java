package dev.townhall.compat;

import dev.townhall.db.Database;
import dev.townhall.testing.PostgresExtension;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A leaked URL of a bound login (allan in aurora, a plain member) in an attacker's hands: with the grants the views
 * need it still writes only as allan, keeps aurora's rows in aurora, changes no one else's mood and queues nothing
 * the old extension could not.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CompatAttacksTest {
    private final Database db;
    private CompatWorld world;
    private UUID ava;
    private UUID avaInstance;

    CompatAttacksTest(Database db) {
        this.db = db;
    }

    @BeforeAll
    void world() throws SQLException {
        world = CompatWorld.build(db);
        try (Handle owner = CompatWorld.owner(db)) {
            ava = owner.select("SELECT id FROM core.users WHERE handle = 'ava'").mapTo(UUID.class).one();
            avaInstance = owner.select("""
                    INSERT INTO ai.personality_instances (org_id, town_id, user_id, personality_id, current_mood)
                    SELECT ?, ?, ?, p.id, 'friendly' FROM ai.personalities p WHERE p.slug = 'robbie-f' RETURNING id""",
                    CompatWorld.ORG, CompatWorld.AURORA, ava).mapTo(UUID.class).one();
        }
    }

    @Test
    void rowsInsertedInAnotherUsersNameAreRefusedThroughViewsAndTables() throws SQLException {
        try (Connection aurora = CompatLogins.connect(db, "allan", "aurora", "aurora_compat");
             Connection extension = CompatLogins.connect(db, "allan", "aurora", "extension_compat")) {
            String as = "'" + ava + "'";
            assertRefused(aurora, "INSERT INTO conversations (user_id, title) VALUES (" + as + ", 'forged')");
            assertRefused(aurora, "INSERT INTO messages (conversation_id, user_id, role, content) VALUES ('"
                    + world.conversation + "', " + as + ", 'user', 'I resign')");
            assertRefused(aurora, "INSERT INTO sticky_notes (user_id, content) VALUES (" + as + ", 'forged')");
            assertRefused(aurora, "INSERT INTO tasks (user_id, title) VALUES (" + as + ", 'forged')");
            assertRefused(aurora, "INSERT INTO work.tasks (user_id, created_by, title) VALUES (NULL, " + as + ", 'forged')");
            assertRefused(aurora, "INSERT INTO comms.messages (conversation_id, user_id, role, content) VALUES ('"
                    + world.conversation + "', " + as + ", 'user', 'I resign')");
            assertRefused(aurora, "INSERT INTO ai.mood_events (instance_id, user_id, to_mood) VALUES ('"
                    + avaInstance + "', " + as + ", 'bossy')");
            assertRefused(extension, "INSERT INTO code_conversations (user_id, title) VALUES ('ava', 'forged')");
            assertRefused(extension, "INSERT INTO code_messages (conversation_id, user_id, role, content) VALUES ('"
                    + world.codeConversation + "', 'ava', 'user', 'forged')");
        }
        try (Handle owner = CompatWorld.owner(db)) {
            assertThat(owner.select("""
                    SELECT (SELECT count(*) FROM comms.conversations WHERE user_id = :u)
                         + (SELECT count(*) FROM comms.messages WHERE user_id = :u)
                         + (SELECT count(*) FROM memory.sticky_notes WHERE user_id = :u)
                         + (SELECT count(*) FROM work.tasks WHERE user_id = :u OR created_by = :u)
                         + (SELECT count(*) FROM code.conversations WHERE user_id = :u)
                         + (SELECT count(*) FROM code.messages WHERE user_id = :u)
                         + (SELECT count(*) FROM ai.mood_events WHERE user_id = :u AND to_mood = 'bossy')""").bind("u", ava)
                    .mapTo(Long.class).one()).as("rows written in ava's name").isZero();
        }
    }

    @Test
    void ownRowsStillInsertAndNeitherTheirOwnerNorTheirSharingCanBeChanged() throws SQLException {
        try (Connection login = CompatLogins.connect(db, "allan", "aurora", "aurora_compat"); Handle app = Jdbi.open(login)) {
            UUID note = app.select("INSERT INTO sticky_notes (user_id, content) VALUES (?, 'mine') RETURNING id", world.allan)
                    .mapTo(UUID.class).one();
            app.execute("UPDATE sticky_notes SET content = 'still mine' WHERE id = ?", note);
            assertRefused(login, "UPDATE sticky_notes SET user_id = '" + ava + "' WHERE id = '" + note + "'");
            assertRefused(login, "UPDATE memory.sticky_notes SET visibility = 'shared' WHERE id = '" + note + "'");
            assertRefused(login, "UPDATE comms.conversations SET visibility = 'shared' WHERE id = '" + world.conversation + "'");
            assertRefused(login, "INSERT INTO memory.sticky_notes (content, visibility) VALUES ('published', 'shared')");
            assertRefused(login, "INSERT INTO work.tasks (title, visibility) VALUES ('published', 'shared')");
        }
        try (Handle owner = CompatWorld.owner(db)) {
            assertThat(owner.select("SELECT count(*) FROM memory.sticky_notes WHERE visibility = 'shared'")
                    .mapTo(Long.class).one()).isZero();
            assertThat(owner.select("SELECT count(*) FROM memory.sticky_notes WHERE content = 'still mine' AND user_id = ?",
                    world.allan).mapTo(Long.class).one()).isOne();
        }
    }

    @Test
    void anotherUsersMoodCannotBeChanged() throws SQLException {
        try (Connection extension = CompatLogins.connect(db, "allan", "aurora", "extension_compat");
             Connection backend = CompatLogins.connect(db, "allan", "aurora", "backend_compat")) {
            assertRefused(extension, "UPDATE robbie_personality_state SET current_mood = 'bossy' WHERE user_id = 'ava'");
            assertRefused(backend, "SELECT compat.apply_mood('" + avaInstance + "', 'bossy', 1, 1, 'chat', 'x')");
            try (Statement s = backend.createStatement()) {
                assertThat(s.executeUpdate("UPDATE ai.personality_instances SET current_mood = 'bossy'"
                        + " WHERE id = '" + avaInstance + "'")).isZero();
            }
        }
        try (Handle owner = CompatWorld.owner(db)) {
            assertThat(owner.select("SELECT current_mood FROM ai.personality_instances WHERE id = ?", avaInstance)
                    .mapTo(String.class).one()).isEqualTo("friendly");
            assertThat(owner.select("SELECT count(*) FROM ai.mood_events WHERE user_id = ? AND to_mood = 'bossy'", ava)
                    .mapTo(Long.class).one()).isZero();
        }
    }

    @Test
    void theSyncQueueTakesOnlyWhatTheExtensionCouldQueue() throws SQLException {
        try (Connection login = CompatLogins.connect(db, "allan", "aurora", "extension_compat"); Handle app = Jdbi.open(login)) {
            UUID queued = app.select("INSERT INTO pending_sync (table_name, operation, data)"
                    + " VALUES ('code_messages', 'insert', jsonb_build_object('id', ?::text)) RETURNING id",
                    world.codeMessages.get(0)).mapTo(UUID.class).one();
            assertThat(queued).isNotNull();
            String row = "'" + UUID.randomUUID() + "'";
            assertRefused(login, "INSERT INTO sync.pending_sync (table_name, row_id, operation, payload, hlc)"
                    + " VALUES ('core.memberships', " + row + ", 'update', '{\"role\": \"owner\"}', sync.next_hlc())");
            assertRefused(login, "INSERT INTO sync.pending_sync (table_name, row_id, operation, payload, hlc)"
                    + " VALUES ('code.messages', " + row + ", 'insert', '{}', sync.next_hlc())");
            assertRefused(login, "INSERT INTO sync.pending_sync (table_name, row_id, operation, payload, hlc, status, applied_at)"
                    + " VALUES ('code.messages', " + row + ", 'insert', '{\"_compat_shape\": \"extension_compat.code_messages\"}',"
                    + " sync.next_hlc(), 'dead', NULL)");
        }
    }

    private static void assertRefused(Connection c, String sql) throws SQLException {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute(sql)).as(sql).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as(sql + ": " + e.getMessage())
                            .isEqualTo("42501"));
        } finally {
            c.rollback();
            c.setAutoCommit(true);
        }
    }
}
