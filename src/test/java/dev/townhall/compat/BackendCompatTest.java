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

import static dev.townhall.compat.CompatWorld.FLUENTI;
import static dev.townhall.compat.CompatWorld.audits;
import static dev.townhall.compat.CompatWorld.vector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The backend memory service's statements, unchanged, through backend_compat. */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackendCompatTest {
    private static final String READ_MOOD = "SELECT mood, attraction_level, gandhi_genghis_level FROM current_mood";

    private final Database db;
    private CompatWorld world;

    BackendCompatTest(Database db) {
        this.db = db;
    }

    @BeforeAll
    void world() throws SQLException {
        world = CompatWorld.build(db);
    }

    @Test
    void theCurrentMoodOfAUserWithoutAnInstanceIsRobbiesDefaultAndTheFirstUpdateCreatesTheInstance() throws SQLException {
        try (Connection login = CompatLogins.connect(db, "nora", "fluenti", "backend_compat");
             Handle app = Jdbi.open(login); Handle owner = CompatWorld.owner(db)) {
            assertThat(app.select(READ_MOOD).mapToMap().list()).containsExactly(owner.select("""
                    SELECT default_mood AS mood, default_flirt_level::integer AS attraction_level,
                           default_gandhi_genghis::integer AS gandhi_genghis_level
                    FROM ai.personalities WHERE slug = 'robbie-f'""").mapToMap().one());

            assertThat(app.execute("UPDATE current_mood SET mood = 'playful', attraction_level = 7")).isEqualTo(1);
            assertThat(app.execute("UPDATE current_mood SET mood = 'focused'")).isEqualTo(1);

            Map<String, Object> instance = owner.select("""
                    SELECT i.id, i.town_id, i.current_mood, i.flirt_level::integer AS flirt, i.is_active, i.last_interface,
                           p.slug
                    FROM ai.personality_instances i JOIN ai.personalities p ON p.id = i.personality_id
                    JOIN core.users u ON u.id = i.user_id WHERE u.handle = 'nora'""").mapToMap().one();
            assertThat(instance).containsEntry("town_id", FLUENTI).containsEntry("current_mood", "focused")
                    .containsEntry("flirt", 7).containsEntry("is_active", true).containsEntry("last_interface", "chat")
                    .containsEntry("slug", "robbie-f");
            assertThat(app.select(READ_MOOD).mapToMap().one()).containsEntry("mood", "focused")
                    .containsEntry("attraction_level", 7);
            UUID id = (UUID) instance.get("id");
            assertThat(audits(owner, "ai.personality_instances", id, "insert")).isEqualTo(1);
            assertThat(audits(owner, "ai.personality_instances", id, "update")).isEqualTo(1);
            List<Map<String, Object>> events = owner.select("""
                    SELECT to_mood AS mood, from_mood AS previous_mood, reason FROM ai.mood_events
                    WHERE instance_id = ? ORDER BY occurred_at, id""", id).mapToMap().list();
            assertThat(events).extracting(e -> e.get("mood")).containsExactly("playful", "focused");
            assertThat(events).extracting(e -> e.get("reason")).containsOnly("compat:backend");
            assertThat(app.select("SELECT mood, previous_mood, reason FROM mood_history ORDER BY timestamp, id")
                    .mapToMap().list()).isEqualTo(events);
        }
    }

    @Test
    void aRefusedMoodChangeGivesTheDatabasesErrorAndChangesNothing() throws SQLException {
        try (Connection login = CompatLogins.connect(db, "allan", "aurora", "backend_compat");
             Handle app = Jdbi.open(login); Handle owner = CompatWorld.owner(db)) {
            Map<String, Object> before = app.select(READ_MOOD).mapToMap().one();
            long events = owner.select("SELECT count(*) FROM ai.mood_events WHERE user_id = ?", world.allan)
                    .mapTo(Long.class).one();
            assertThatThrownBy(() -> app.execute("UPDATE current_mood SET mood = 'happy'"))
                    .hasMessageContaining("violates foreign key constraint");
            assertThatThrownBy(() -> app.execute("UPDATE current_mood SET mood = 'playful', attraction_level = 11"))
                    .hasMessageContaining("personality_instances_flirt_level_check");
            assertThat(app.select(READ_MOOD).mapToMap().one()).isEqualTo(before);
            assertThat(owner.select("SELECT count(*) FROM ai.mood_events WHERE user_id = ?", world.allan)
                    .mapTo(Long.class).one()).isEqualTo(events);
        }
    }

    @Test
    void conversationsArePairsOfUnifiedMessagesAndAnInsertWritesBothAudited() throws SQLException {
        String read = "SELECT id, timestamp, user_message, robbie_response, mood, attraction_level, gandhi_genghis_level"
                + " FROM conversations ORDER BY timestamp";
        try (Connection login = CompatLogins.connect(db, "allan", "aurora", "backend_compat");
             Handle app = Jdbi.open(login); Handle owner = CompatWorld.owner(db)) {
            assertThat(app.select(read).mapToMap().list()).containsExactlyElementsOf(owner.select("""
                    SELECT q.id, q.created_at AS timestamp, q.content AS user_message, a.content AS robbie_response, a.mood,
                           a.flirt_level::integer AS attraction_level, a.gandhi_genghis::integer AS gandhi_genghis_level
                    FROM comms.messages q JOIN comms.conversations c ON c.id = q.conversation_id
                    LEFT JOIN comms.messages a ON a.metadata ->> 'reply_to' = q.id::text
                    WHERE c.metadata ->> 'compat' = 'backend' AND c.user_id = ? AND q.role = 'user'
                    ORDER BY q.created_at""", world.allan).mapToMap().list());

            UUID id = app.select("INSERT INTO conversations (user_message, robbie_response, mood, attraction_level,"
                            + " gandhi_genghis_level, embedding) VALUES (?, ?, 'bossy', 8, 2, ?::vector) RETURNING id",
                    "Plan my week", "Done: three focus blocks.", vector(0.3)).mapTo(UUID.class).one();
            Map<String, Object> pair = owner.select("""
                    SELECT q.role, q.content AS question, a.content AS answer, a.mood, a.flirt_level::integer AS flirt,
                           a.id AS answer_id, c.metadata ->> 'compat' AS compat
                    FROM comms.messages q JOIN comms.conversations c ON c.id = q.conversation_id
                    JOIN comms.messages a ON a.metadata ->> 'reply_to' = q.id::text WHERE q.id = ?""", id).mapToMap().one();
            assertThat(pair).containsEntry("role", "user").containsEntry("question", "Plan my week")
                    .containsEntry("answer", "Done: three focus blocks.").containsEntry("mood", "bossy")
                    .containsEntry("flirt", 8).containsEntry("compat", "backend");
            assertThat(audits(owner, "comms.messages", id, "insert")).isEqualTo(1);
            assertThat(audits(owner, "comms.messages", (UUID) pair.get("answer_id"), "insert")).isEqualTo(1);
            assertThat(app.select("SELECT embedding = ?::vector FROM conversations WHERE id = ?", vector(0.3), id)
                    .mapTo(Boolean.class).one()).isTrue();
        }
    }

    @Test
    void aPairWhoseReplyIsRefusedLeavesNoQuestionBehind() throws SQLException {
        try (Connection login = CompatLogins.connect(db, "allan", "aurora", "backend_compat");
             Handle app = Jdbi.open(login); Handle owner = CompatWorld.owner(db)) {
            assertThatThrownBy(() -> app.execute("INSERT INTO conversations (user_message, robbie_response, mood)"
                    + " VALUES ('Half a pair?', 'No.', 'happy')")).hasMessageContaining("violates foreign key constraint");
            assertThat(owner.select("SELECT count(*) FROM comms.messages WHERE content IN ('Half a pair?', 'No.')")
                    .mapTo(Long.class).one()).isZero();
        }
    }
}
