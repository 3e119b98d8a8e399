package dev.townhall.compat;

import dev.townhall.db.Database;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.SqlStatements;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * People of testpilot's towns and one private row of aurora (allan's) behind every compatibility view, written as
 * the owner straight into the unified tables, the way the importer and the services leave them.
 */
final class CompatWorld {
    static final UUID ORG = UUID.fromString("00000000-0000-4000-8000-000000000001");
    static final UUID AURORA = UUID.fromString("00000000-0000-4000-8000-00000000000a");
    static final UUID FLUENTI = UUID.fromString("00000000-0000-4000-8000-00000000000f");
    static final UUID COLLABORATION = UUID.fromString("00000000-0000-4000-8000-00000000000c");
    static final OffsetDateTime T0 = OffsetDateTime.of(2024, 3, 1, 9, 0, 0, 0, ZoneOffset.UTC);

    final UUID allan;
    final UUID conversation;
    final List<UUID> messages = new ArrayList<>();
    final UUID company;
    final List<UUID> companyDeals = new ArrayList<>();
    final UUID codeConversation;
    final List<UUID> codeMessages = new ArrayList<>();
    /** Every aurora-private row made here, by id: none may show through a view to a login of another town. */
    final List<UUID> auroraPrivate = new ArrayList<>();

    private CompatWorld(Handle h) {
        // one binding set (org, town, allan) serves every insert below, used or not
        h.getConfig(SqlStatements.class).setUnusedBindingAllowed(true);
        allan = user(h, "allan", AURORA, "member");
        user(h, "ava", AURORA, "viewer");
        user(h, "fiona", FLUENTI, "member");
        user(h, "fred", FLUENTI, "owner");
        user(h, "colin", COLLABORATION, "member");
        user(h, "nora", FLUENTI, "member");

        conversation = row(h, """
                INSERT INTO comms.conversations (org_id, town_id, user_id, title, session_type)
                VALUES (:org, :town, :allan, 'Quarterly plan', 'chat') RETURNING id""");
        String[][] chat = {{"user", "What is on today?"}, {"assistant", "Three calls and the board deck."},
                {"user", "Move the deck to Friday."}};
        for (int i = 0; i < chat.length; i++) {
            messages.add(row(h, h.createQuery("""
                    INSERT INTO comms.messages (org_id, town_id, conversation_id, user_id, role, content, created_at)
                    VALUES (:org, :town, :conversation, :allan, :role, :content, :at) RETURNING id""")
                    .bind("conversation", conversation).bind("role", chat[i][0]).bind("content", chat[i][1])
                    .bind("at", T0.plusSeconds(i))));
        }
        h.createUpdate("""
                        INSERT INTO memory.embeddings (org_id, town_id, entity_type, entity_id, model, dimensions,
                                                       content_hash, embedding)
                        SELECT :org, :town, 'message', m.id, 'legacy-1536', 1536,
                               encode(sha256(convert_to('legacy-1536' || E'\\n' || m.content, 'UTF8')), 'hex'),
                               array_fill(0.25::real, ARRAY[1536])::vector
                        FROM comms.messages m WHERE m.id = :message""")
                .bind("org", ORG).bind("town", AURORA).bind("message", messages.get(0)).execute();

        UUID backend = row(h, """
                INSERT INTO comms.conversations (org_id, town_id, user_id, title, session_type, metadata)
                VALUES (:org, :town, :allan, 'Backend memory', 'chat', '{"compat": "backend"}') RETURNING id""");
        UUID question = row(h, h.createQuery("""
                INSERT INTO comms.messages (org_id, town_id, conversation_id, user_id, role, content, created_at)
                VALUES (:org, :town, :conversation, :allan, 'user', 'Remember my coffee order', :at) RETURNING id""")
                .bind("conversation", backend).bind("at", T0));
        row(h, h.createQuery("""
                INSERT INTO comms.messages (org_id, town_id, conversation_id, role, content, mood, flirt_level,
                                            gandhi_genghis, metadata, created_at)
                VALUES (:org, :town, :conversation, 'assistant', 'Oat flat white, noted.', 'playful', 6, 4,
                        jsonb_build_object('reply_to', CAST(:question AS text)), :at) RETURNING id""")
                .bind("conversation", backend).bind("question", question).bind("at", T0.plusSeconds(1)));

        row(h, """
                INSERT INTO memory.sticky_notes (org_id, town_id, user_id, content)
                VALUES (:org, :town, :allan, 'Board wants numbers') RETURNING id""");
        row(h, """
                INSERT INTO work.tasks (org_id, town_id, user_id, title)
                VALUES (:org, :town, :allan, 'Send the deck') RETURNING id""");
        company = row(h, """
                INSERT INTO crm.companies (org_id, town_id, name) VALUES (:org, :town, 'Acme Robotics') RETURNING id""");
        for (String name : List.of("Acme pilot", "Acme rollout")) {
            companyDeals.add(row(h, h.createQuery("""
                    INSERT INTO crm.deals (org_id, town_id, name, company_id, amount_cents, probability)
                    VALUES (:org, :town, :name, :company, 1250000, 40) RETURNING id""")
                    .bind("name", name).bind("company", company)));
        }
        row(h, """
                INSERT INTO crm.deals (org_id, town_id, name, probability)
                VALUES (:org, :town, 'Unrelated deal', 10) RETURNING id""");
        row(h, h.createQuery("""
                INSERT INTO crm.contacts (org_id, town_id, first_name, last_name, company_id)
                VALUES (:org, :town, 'Ada', 'Acme', :company) RETURNING id""").bind("company", company));

        codeConversation = row(h, """
                INSERT INTO code.conversations (org_id, town_id, user_id, title)
                VALUES (:org, :town, :allan, 'Refactor sync') RETURNING id""");
        for (int i = 0; i < 2; i++) {
            codeMessages.add(row(h, h.createQuery("""
                    INSERT INTO code.messages (org_id, town_id, conversation_id, user_id, role, content, created_at)
                    VALUES (:org, :town, :conversation, :allan, 'user', :content, :at) RETURNING id""")
                    .bind("conversation", codeConversation).bind("content", "step " + i).bind("at", T0.plusSeconds(i))));
        }
        row(h, h.createQuery("""
                INSERT INTO code.blocks (org_id, town_id, conversation_id, user_id, content)
                VALUES (:org, :town, :conversation, :allan, 'SELECT 1') RETURNING id""").bind("conversation", codeConversation));
        row(h, """
                INSERT INTO code.learned_patterns (org_id, town_id, user_id, pattern_type, pattern)
                VALUES (:org, :town, :allan, 'convention', 'snake_case columns') RETURNING id""");
        row(h, """
                INSERT INTO ai.personality_instances (org_id, town_id, user_id, personality_id, current_mood)
                SELECT :org, :town, :allan, p.id, 'focused' FROM ai.personalities p WHERE p.slug = 'robbie-f'
                RETURNING id""");
        auroraPrivate.addAll(h.createQuery("SELECT id FROM ai.mood_events WHERE user_id = :allan")
                .bind("allan", allan).mapTo(UUID.class).list());
        row(h, h.createQuery("""
                INSERT INTO sync.pending_sync (org_id, town_id, table_name, row_id, operation, payload, hlc)
                VALUES (:org, :town, 'code.messages', :row, 'insert', '{}', '000000000000001-000000-local')
                RETURNING id""").bind("row", codeMessages.get(0)));
    }

    static CompatWorld build(Database db) throws SQLException {
        try (Connection c = db.owner().connect(); Handle h = Jdbi.open(c)) {
            return h.inTransaction(CompatWorld::new);
        }
    }

    private UUID row(Handle h, String sql) {
        return row(h, h.createQuery(sql));
    }

    private UUID row(Handle h, Query query) {
        UUID id = query.bind("org", ORG).bind("town", AURORA).bind("allan", allan).mapTo(UUID.class).one();
        auroraPrivate.add(id);
        return id;
    }

    private static UUID user(Handle h, String handle, UUID town, String role) {
        UUID id = h.createQuery("INSERT INTO core.users (org_id, email, handle) VALUES (:org, :email, :handle) RETURNING id")
                .bind("org", ORG).bind("email", handle + "@compat.test").bind("handle", handle).mapTo(UUID.class).one();
        h.createUpdate("""
                        INSERT INTO core.memberships (org_id, user_id, town_id, role)
                        VALUES (:org, :user, :town, CAST(:role AS core.member_role))""")
                .bind("org", ORG).bind("user", id).bind("town", town).bind("role", role).execute();
        return id;
    }

    /** The owner's handle on the test database, for reading the unified tables as they are. */
    static Handle owner(Database db) {
        return Jdbi.open(db.owner().connect());
    }

    /** An old app's 1536-d vector, as text for {@code ?::vector}. */
    static String vector(double value) {
        return "[" + String.join(",", Collections.nCopies(1536, Double.toString(value))) + "]";
    }

    /** Audit rows of one action on one row of a unified table. */
    static long audits(Handle owner, String table, UUID row, String action) {
        return owner.select("SELECT count(*) FROM core.audit_log WHERE table_name = ? AND row_id = ? AND action = ?",
                table, row, action).mapTo(Long.class).one();
    }
}
