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
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.townhall.compat.CompatWorld.AURORA;
import static dev.townhall.compat.CompatWorld.audits;
import static dev.townhall.compat.CompatWorld.vector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The VS Code extension's statements, unchanged, through extension_compat with text user ids. */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExtensionCompatTest {
    private final Database db;
    private CompatWorld world;

    ExtensionCompatTest(Database db) {
        this.db = db;
    }

    @BeforeAll
    void world() throws SQLException {
        world = CompatWorld.build(db);
    }

    @Test
    void messagesSelectedByTextUserIdAreTheUsersUnifiedCodeMessages() throws SQLException {
        try (Connection login = CompatLogins.connect(db, "allan", "aurora", "extension_compat");
             Handle app = Jdbi.open(login); Handle owner = CompatWorld.owner(db)) {
            List<Map<String, Object>> seen = app.select("SELECT id, conversation_id, role, content, created_at"
                    + " FROM code_messages WHERE user_id = 'allan' ORDER BY created_at").mapToMap().list();
            assertThat(seen).extracting(r -> r.get("id")).containsSubsequence(world.codeMessages.toArray());
            assertThat(seen).isEqualTo(owner.select("""
                    SELECT id, conversation_id, role, content, created_at FROM code.messages WHERE user_id = ?
                    ORDER BY created_at""", world.allan).mapToMap().list());
        }
    }

    @Test
    void aConversationAndAMessageWithAnEmbeddingInsertedByTextUserIdLandAudited() throws SQLException {
        try (Connection login = CompatLogins.connect(db, "allan", "aurora", "extension_compat");
             Handle app = Jdbi.open(login); Handle owner = CompatWorld.owner(db)) {
            UUID conversation = app.select("INSERT INTO code_conversations (user_id, session_id, title)"
                    + " VALUES ('allan', 'vscode-7', 'Fix the sync test') RETURNING id").mapTo(UUID.class).one();
            UUID message = app.select("INSERT INTO code_messages (conversation_id, user_id, role, content, embedding)"
                    + " VALUES (?, 'Allan', 'user', ?, ?::vector) RETURNING id", conversation, "Why does it hang?", vector(0.7))
                    .mapTo(UUID.class).one();

            assertThat(owner.select("SELECT user_id, town_id, session_id FROM code.conversations WHERE id = ?", conversation)
                    .mapToMap().one()).containsEntry("user_id", world.allan).containsEntry("town_id", AURORA)
                    .containsEntry("session_id", "vscode-7");
            assertThat(owner.select("SELECT user_id FROM code.messages WHERE id = ?", message).mapTo(UUID.class).one())
                    .isEqualTo(world.allan);
            assertThat(owner.select("""
                    SELECT embedding = CAST(? AS vector) FROM memory.embeddings
                    WHERE entity_type = 'code_message' AND entity_id = ? AND model = 'legacy-1536'""", vector(0.7), message)
                    .mapTo(Boolean.class).one()).isTrue();
            assertThat(audits(owner, "code.conversations", conversation, "insert")).isEqualTo(1);
            assertThat(audits(owner, "code.messages", message, "insert")).isEqualTo(1);
            assertThat(app.select("SELECT user_id FROM code_messages WHERE id = ?", message).mapTo(String.class).one())
                    .isEqualTo("allan");
        }
    }

    @Test
    void anUnknownTextUserIdIsRefusedByNameAndNothingIsWritten() throws SQLException {
        try (Connection login = CompatLogins.connect(db, "allan", "aurora", "extension_compat");
             Handle app = Jdbi.open(login); Handle owner = CompatWorld.owner(db)) {
            assertThatThrownBy(() -> app.execute("INSERT INTO code_messages (conversation_id, user_id, role, content)"
                    + " VALUES (?, 'nobody', 'user', 'who am I')", world.codeConversation))
                    .hasMessageContaining("no user with the text id 'nobody'")
                    .satisfies(e -> assertThat(((java.sql.SQLException) e.getCause()).getSQLState()).isEqualTo("23503"));
            assertThat(owner.select("SELECT count(*) FROM code.messages WHERE content = 'who am I'").mapTo(Long.class).one())
                    .isZero();
        }
    }

    @Test
    void aQueuedPendingSyncRowIsAUnifiedQueueRowWithAClockAndReadsBackInTheOldShape() throws SQLException {
        UUID row = world.codeMessages.get(1);
        String data = "{\"id\": \"" + row + "\", \"content\": \"step 1\"}";
        try (Connection login = CompatLogins.connect(db, "allan", "aurora", "extension_compat");
             Handle app = Jdbi.open(login); Handle owner = CompatWorld.owner(db)) {
            assertThat(app.execute("INSERT INTO pending_sync (table_name, operation, data) VALUES ('code_messages', 'INSERT', ?::jsonb)",
                    data)).isEqualTo(1);
            Map<String, Object> queued = owner.select("""
                    SELECT id, table_name, operation, status, hlc, payload ->> '_compat_shape' AS shape, town_id
                    FROM sync.pending_sync WHERE row_id = ? AND payload ->> 'content' IS NOT NULL""", row).mapToMap().one();
            assertThat(queued).containsEntry("table_name", "code.messages").containsEntry("operation", "insert")
                    .containsEntry("status", "pending").containsEntry("shape", "extension_compat.code_messages")
                    .containsEntry("town_id", AURORA);
            // the clock as text (sync/100): milliseconds, counter, and this database's node id
            assertThat((String) queued.get("hlc")).matches("\\d{15}-\\d{6}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
            assertThat(audits(owner, "sync.pending_sync", (UUID) queued.get("id"), "insert")).isEqualTo(1);
            assertThat(app.select("SELECT table_name, operation, data::text = ?::jsonb::text AS same FROM pending_sync"
                    + " WHERE synced_at IS NULL AND id = ?", data, queued.get("id")).mapToMap().one())
                    .containsEntry("table_name", "code_messages").containsEntry("operation", "insert")
                    .containsEntry("same", true);

            long before = owner.select("SELECT count(*) FROM sync.pending_sync").mapTo(Long.class).one();
            assertThatThrownBy(() -> app.execute("INSERT INTO pending_sync (table_name, operation, data)"
                    + " VALUES ('chat_logs', 'INSERT', ?::jsonb)", data)).hasMessageContaining("old table name 'chat_logs'");
            assertThatThrownBy(() -> app.execute("INSERT INTO pending_sync (table_name, operation, data)"
                    + " VALUES ('code_messages', 'UPSERT', ?::jsonb)", data)).hasMessageContaining("pending_sync_operation_check");
            assertThat(owner.select("SELECT count(*) FROM sync.pending_sync").mapTo(Long.class).one()).isEqualTo(before);
        }
    }

    @Test
    void thePersonalityStateUpdatesTheUsersInstanceFromTheCodeInterface() throws SQLException {
        try (Connection login = CompatLogins.connect(db, "allan", "aurora", "extension_compat");
             Handle app = Jdbi.open(login); Handle owner = CompatWorld.owner(db)) {
            assertThat(app.execute("UPDATE robbie_personality_state SET current_mood = 'surprised', attraction_level = 3"
                    + " WHERE user_id = 'allan'")).isEqualTo(1);
            assertThat(owner.select("""
                    SELECT current_mood, flirt_level::integer AS flirt, last_interface FROM ai.personality_instances
                    WHERE user_id = ? AND is_active""", world.allan).mapToMap().one())
                    .containsEntry("current_mood", "surprised").containsEntry("flirt", 3).containsEntry("last_interface", "code");
            assertThat(app.select("SELECT current_mood, attraction_level FROM robbie_personality_state WHERE user_id = 'allan'")
                    .mapToMap().one()).containsEntry("current_mood", "surprised").containsEntry("attraction_level", 3);
        }
    }
}
