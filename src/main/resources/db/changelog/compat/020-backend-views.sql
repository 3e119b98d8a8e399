--liquibase formatted sql

--changeset townhall:compat-020-backend-conversations splitStatements:false
--comment: backend_compat.conversations: one old row = the user's message and the assistant's reply in the user's backend conversation
-- Scope: the acting user's conversation marked metadata {"compat": "backend"} in the acting town (the backend served
-- one person), created by the first insert. The reply points at its question with metadata reply_to, so pairs never
-- depend on message order. The old vector is attached to the user message (what it embedded is unknown).
CREATE VIEW backend_compat.conversations WITH (security_invoker = true) AS
SELECT q.id, q.created_at AS "timestamp", q.content AS user_message, a.content AS robbie_response, a.mood,
       a.flirt_level::integer AS attraction_level, a.gandhi_genghis::integer AS gandhi_genghis_level,
       (SELECT e.embedding::public.vector(1536) FROM memory.embeddings e
        WHERE e.town_id = q.town_id AND e.entity_type = 'message' AND e.entity_id = q.id
          AND e.model = compat.legacy_embedding_model() AND e.chunk_no = 0
          AND e.content_hash = compat.content_hash(compat.legacy_embedding_model(), q.content)) AS embedding
FROM comms.conversations c
JOIN comms.messages q ON q.town_id = c.town_id AND q.conversation_id = c.id AND q.role = 'user'
LEFT JOIN LATERAL (SELECT r.content, r.mood, r.flirt_level, r.gandhi_genghis
                   FROM comms.messages r
                   WHERE r.town_id = q.town_id AND r.conversation_id = q.conversation_id AND r.role = 'assistant'
                     AND r.metadata @> jsonb_build_object('reply_to', q.id::text)
                   ORDER BY r.created_at, r.id
                   LIMIT 1) a ON true
WHERE c.town_id = core.acting_town_id() AND c.user_id = core.acting_user_id()
  AND c.metadata @> '{"compat": "backend"}';
ALTER VIEW backend_compat.conversations ALTER COLUMN id SET DEFAULT gen_random_uuid();
ALTER VIEW backend_compat.conversations ALTER COLUMN "timestamp" SET DEFAULT now();

CREATE FUNCTION backend_compat.conversations_insert() RETURNS trigger
    LANGUAGE plpgsql
AS $$
DECLARE
    v_conversation uuid;
    v_town         uuid;
    v_visibility   core.visibility;
    v_shared       uuid[];
BEGIN
    -- one backend conversation per user and town: concurrent first inserts must not make two
    PERFORM pg_advisory_xact_lock(hashtextextended('compat:backend:' || core.acting_town_id()::text || ':'
                                                   || core.acting_user_id()::text, 0));
    SELECT c.id INTO v_conversation FROM comms.conversations c
    WHERE c.town_id = core.acting_town_id() AND c.user_id = core.acting_user_id()
      AND c.metadata @> '{"compat": "backend"}'
    ORDER BY c.created_at LIMIT 1;
    IF v_conversation IS NULL THEN
        INSERT INTO comms.conversations (user_id, title, session_type, metadata)
        VALUES (core.acting_user_id(), 'Backend memory', 'chat', '{"compat": "backend"}')
        RETURNING id INTO v_conversation;
    END IF;
    INSERT INTO comms.messages (id, conversation_id, user_id, role, content, created_at)
    VALUES (NEW.id, v_conversation, core.acting_user_id(), 'user', NEW.user_message, NEW."timestamp")
    RETURNING id, created_at, town_id, visibility, shared_with INTO NEW.id, NEW."timestamp", v_town, v_visibility, v_shared;
    IF NEW.robbie_response IS NOT NULL THEN
        INSERT INTO comms.messages (conversation_id, role, content, mood, flirt_level, gandhi_genghis, metadata,
                                    created_at)
        VALUES (v_conversation, 'assistant', NEW.robbie_response, NEW.mood, NEW.attraction_level,
                NEW.gandhi_genghis_level, jsonb_build_object('reply_to', NEW.id::text), NEW."timestamp");
    ELSIF num_nonnulls(NEW.mood, NEW.attraction_level, NEW.gandhi_genghis_level) > 0 THEN
        RAISE EXCEPTION 'backend conversations: mood and levels belong to robbie_response, which is missing'
            USING ERRCODE = 'not_null_violation';
    END IF;
    PERFORM compat.store_legacy_embedding('message', NEW.id, v_town, v_visibility, v_shared, NEW.user_message,
                                          NEW.embedding);
    RETURN NEW;
END
$$;
CREATE TRIGGER conversations_insert INSTEAD OF INSERT ON backend_compat.conversations
    FOR EACH ROW EXECUTE FUNCTION backend_compat.conversations_insert();
REVOKE ALL ON FUNCTION backend_compat.conversations_insert() FROM PUBLIC;
--rollback DROP VIEW backend_compat.conversations;
--rollback DROP FUNCTION backend_compat.conversations_insert();

--changeset townhall:compat-021-backend-mood splitStatements:false
--comment: backend_compat.current_mood (the acting user's active personality instance, one row) and mood_history (its mood events)
-- A user without an instance sees robbie-f in its default mood (id NULL), as the personality service answers; the
-- first UPDATE creates the instance (compat.apply_mood). The single-row table was updated without WHERE.
CREATE VIEW backend_compat.current_mood WITH (security_invoker = true) AS
SELECT i.id, i.current_mood AS mood, i.flirt_level::integer AS attraction_level,
       i.gandhi_genghis::integer AS gandhi_genghis_level, i.mood_changed_at AS updated_at
FROM ai.personality_instances i
WHERE i.town_id = core.acting_town_id() AND i.user_id = core.acting_user_id() AND i.is_active
UNION ALL
SELECT NULL::uuid, p.default_mood, p.default_flirt_level::integer, p.default_gandhi_genghis::integer, NULL::timestamptz
FROM ai.personalities p
WHERE p.slug = 'robbie-f' AND core.acting_town_id() IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM ai.personality_instances i
                  WHERE i.town_id = core.acting_town_id() AND i.user_id = core.acting_user_id() AND i.is_active);

CREATE FUNCTION backend_compat.current_mood_update() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    IF NEW.id IS DISTINCT FROM OLD.id OR NEW.updated_at IS DISTINCT FROM OLD.updated_at THEN
        RAISE EXCEPTION 'current_mood: id and updated_at are kept by the database'
            USING ERRCODE = 'feature_not_supported';
    END IF;
    NEW.id := compat.apply_mood(OLD.id, NEW.mood, NEW.attraction_level, NEW.gandhi_genghis_level, 'chat',
                                'compat:backend');
    SELECT i.mood_changed_at INTO NEW.updated_at FROM ai.personality_instances i WHERE i.id = NEW.id;
    RETURN NEW;
END
$$;
CREATE TRIGGER current_mood_update INSTEAD OF UPDATE ON backend_compat.current_mood
    FOR EACH ROW EXECUTE FUNCTION backend_compat.current_mood_update();
REVOKE ALL ON FUNCTION backend_compat.current_mood_update() FROM PUBLIC;

-- Read-only: the current_mood update above already records the event; a second insert would count it twice.
CREATE VIEW backend_compat.mood_history WITH (security_invoker = true) AS
SELECT e.id, e.occurred_at AS "timestamp", e.to_mood AS mood, e.from_mood AS previous_mood, e.reason,
       e.explanation, e.flirt_level::integer AS attraction_level, e.gandhi_genghis::integer AS gandhi_genghis_level
FROM ai.mood_events e
WHERE e.town_id = core.acting_town_id() AND e.user_id = core.acting_user_id();
--rollback DROP VIEW backend_compat.mood_history;
--rollback DROP VIEW backend_compat.current_mood;
--rollback DROP FUNCTION backend_compat.current_mood_update();
