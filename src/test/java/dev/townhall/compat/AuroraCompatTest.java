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
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.townhall.compat.CompatWorld.AURORA;
import static dev.townhall.compat.CompatWorld.audits;
import static dev.townhall.compat.CompatWorld.vector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Aurora app's statements, unchanged, through aurora_compat as a login bound to allan in aurora. */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuroraCompatTest {
    private final Database db;
    private CompatWorld world;

    AuroraCompatTest(Database db) {
        this.db = db;
    }

    @BeforeAll
    void world() throws SQLException {
        world = CompatWorld.build(db);
    }

    @Test
    void aConversationsMessagesReadInOrderAsTheUnifiedTableHasThem() throws SQLException {
        try (Connection login = CompatLogins.connect(db, "allan", "aurora", "aurora_compat");
             Handle app = Jdbi.open(login); Handle owner = CompatWorld.owner(db)) {
            List<Map<String, Object>> seen = app.select(
                    "SELECT id, role, content, created_at FROM messages WHERE conversation_id = ? ORDER BY created_at, id",
                    world.conversation).mapToMap().list();
            assertThat(seen).extracting(r -> r.get("id")).containsExactlyElementsOf(world.messages);
            assertThat(seen).isEqualTo(owner.select("""
                    SELECT id, role, content, created_at FROM comms.messages WHERE conversation_id = ?
                    ORDER BY created_at, id""", world.conversation).mapToMap().list());
            boolean sameVector = owner.select("""
                            SELECT e.embedding = CAST(? AS vector) FROM memory.embeddings e
                            WHERE e.entity_id = ? AND e.model = 'legacy-1536'""",
                    app.select("SELECT embedding::text FROM messages WHERE id = ?", world.messages.get(0))
                            .mapTo(String.class).one(), world.messages.get(0)).mapTo(Boolean.class).one();
            assertThat(sameVector).as("the stored legacy vector reads back through the view").isTrue();
            assertThat(app.select("SELECT count(*) FROM messages WHERE embedding IS NULL AND conversation_id = ?",
                    world.conversation).mapTo(Long.class).one()).as("messages without an old vector").isEqualTo(2);
        }
    }

    @Test
    void insertingAMessageWithAnEmbeddingLandsInMessagesAndTheEmbeddingsStoreAudited() throws SQLException {
        String embedding = vector(0.5);
        try (Connection login = CompatLogins.connect(db, "allan", "aurora", "aurora_compat");
             Handle app = Jdbi.open(login); Handle owner = CompatWorld.owner(db)) {
            UUID id = app.select("INSERT INTO messages (conversation_id, role, content, embedding)"
                            + " VALUES (?, 'user', ?, ?::vector) RETURNING id", world.conversation, "Book the venue", embedding)
                    .mapTo(UUID.class).one();

            Map<String, Object> message = owner.select("""
                    SELECT town_id, conversation_id, role, content FROM comms.messages WHERE id = ?""", id).mapToMap().one();
            assertThat(message).containsEntry("town_id", AURORA).containsEntry("conversation_id", world.conversation)
                    .containsEntry("role", "user").containsEntry("content", "Book the venue");
            Map<String, Object> stored = owner.select("""
                    SELECT provider, dimensions, entity_type, town_id, embedding = CAST(? AS vector) AS same
                    FROM memory.embeddings WHERE entity_id = ? AND model = 'legacy-1536'""", embedding, id)
                    .mapToMap().one();
            assertThat(stored).containsEntry("provider", "unknown").containsEntry("dimensions", 1536)
                    .containsEntry("entity_type", "message").containsEntry("town_id", AURORA).containsEntry("same", true);
            assertThat(audits(owner, "comms.messages", id, "insert")).isEqualTo(1);
            assertThat(app.select("SELECT embedding = ?::vector FROM messages WHERE id = ?", embedding, id)
                    .mapTo(Boolean.class).one()).as("the vector reads back through the view").isTrue();
        }
    }

    @Test
    void dealsOfACompanyAreTheUnifiedDealsOfThatCompany() throws SQLException {
        try (Connection login = CompatLogins.connect(db, "allan", "aurora", "aurora_compat");
             Handle app = Jdbi.open(login); Handle owner = CompatWorld.owner(db)) {
            List<Map<String, Object>> seen = app.select(
                    "SELECT id, name, amount_cents, stage FROM deals WHERE company_id = ?", world.company).mapToMap().list();
            assertThat(seen).extracting(r -> r.get("id")).containsExactlyInAnyOrderElementsOf(world.companyDeals);
            assertThat(seen).containsExactlyInAnyOrderElementsOf(owner.select(
                    "SELECT id, name, amount_cents, stage FROM crm.deals WHERE company_id = ?", world.company).mapToMap().list());
            assertThat(app.select("SELECT company FROM contacts WHERE last_name = 'Acme'").mapTo(String.class).one())
                    .as("a contact's company is the linked company's name").isEqualTo("Acme Robotics");
        }
    }

    @Test
    void aStickyNoteAndATaskInsertedTheOldWayAreUnifiedRowsAudited() throws SQLException {
        OffsetDateTime due = CompatWorld.T0.plusDays(7);
        try (Connection login = CompatLogins.connect(db, "allan", "aurora", "aurora_compat");
             Handle app = Jdbi.open(login); Handle owner = CompatWorld.owner(db)) {
            UUID note = app.select("INSERT INTO sticky_notes (user_id, content, note_type) VALUES (?, ?, 'decision') RETURNING id",
                    world.allan, "Deck moves to Friday").mapTo(UUID.class).one();
            UUID task = app.select("INSERT INTO tasks (user_id, title, status, priority, due_date) VALUES (?, ?, 'done', 'high', ?)"
                    + " RETURNING id", world.allan, "Print handouts", due).mapTo(UUID.class).one();

            assertThat(owner.select("SELECT town_id, user_id, content, note_type FROM memory.sticky_notes WHERE id = ?", note)
                    .mapToMap().one()).containsEntry("town_id", AURORA).containsEntry("user_id", world.allan)
                    .containsEntry("content", "Deck moves to Friday").containsEntry("note_type", "decision");
            Map<String, Object> row = owner.select("""
                    SELECT town_id, title, status, priority, due_at = ? AS due, completed_at IS NOT NULL AS completed
                    FROM work.tasks WHERE id = ?""", due, task).mapToMap().one();
            assertThat(row).containsEntry("town_id", AURORA).containsEntry("title", "Print handouts")
                    .containsEntry("status", "done").containsEntry("priority", "high").containsEntry("due", true)
                    .containsEntry("completed", true);
            assertThat(audits(owner, "memory.sticky_notes", note, "insert")).isEqualTo(1);
            assertThat(audits(owner, "work.tasks", task, "insert")).isEqualTo(1);
        }
    }

    @Test
    void refusedWritesGiveTheDatabasesErrorAndWriteNothing() throws SQLException {
        try (Connection member = CompatLogins.connect(db, "allan", "aurora", "aurora_compat");
             Connection viewer = CompatLogins.connect(db, "ava", "aurora", "aurora_compat");
             Handle app = Jdbi.open(member); Handle readOnly = Jdbi.open(viewer); Handle owner = CompatWorld.owner(db)) {
            String insert = "INSERT INTO messages (conversation_id, role, content, embedding) VALUES (?, ?, ?, ?::vector) RETURNING id";
            assertThatThrownBy(() -> app.select(insert, world.conversation, "robot", "beep", vector(0.1)).mapTo(UUID.class).one())
                    .hasMessageContaining("messages_role_check");
            assertThatThrownBy(() -> app.select(insert, world.conversation, "user", "short vector", "[1,2,3]").mapTo(UUID.class).one())
                    .hasMessageContaining("expected 1536 dimensions");
            assertThatThrownBy(() -> readOnly.select(insert, world.conversation, "user", "from a viewer", vector(0.2))
                    .mapTo(UUID.class).one()).hasMessageContaining("row-level security");
            assertThatThrownBy(() -> readOnly.execute("INSERT INTO tasks (title) VALUES ('from a viewer')"))
                    .hasMessageContaining("row-level security");

            assertThat(owner.select("SELECT count(*) FROM comms.messages WHERE content IN ('beep', 'short vector', 'from a viewer')")
                    .mapTo(Long.class).one()).isZero();
            assertThat(owner.select("SELECT count(*) FROM work.tasks WHERE title = 'from a viewer'").mapTo(Long.class).one()).isZero();
            assertThat(owner.select("SELECT count(*) FROM memory.embeddings WHERE model = 'legacy-1536' AND town_id = ?", AURORA)
                    .mapTo(Long.class).one()).as("only the fixture's and the successful inserts' vectors")
                    .isEqualTo(owner.select("""
                            SELECT count(*) FROM memory.embeddings e JOIN comms.messages m ON m.id = e.entity_id
                            WHERE e.model = 'legacy-1536'""").mapTo(Long.class).one());
        }
    }
}
