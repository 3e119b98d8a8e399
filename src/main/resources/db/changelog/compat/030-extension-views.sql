--liquibase formatted sql

--changeset townhall:compat-030-extension-code-views splitStatements:false
--comment: extension_compat: code conversations, messages, blocks and learned patterns with text user ids ('allan')
CREATE VIEW extension_compat.code_conversations WITH (security_invoker = true) AS
SELECT c.id, u.text_id AS user_id, c.session_id, c.title, c.context_type, c.created_at,
       c.updated_at
FROM code.conversations c
LEFT JOIN core.users u ON u.id = c.user_id;
ALTER VIEW extension_compat.code_conversations ALTER COLUMN id SET DEFAULT gen_random_uuid();
ALTER VIEW extension_compat.code_conversations ALTER COLUMN context_type SET DEFAULT 'code';
ALTER VIEW extension_compat.code_conversations ALTER COLUMN created_at SET DEFAULT now();
ALTER VIEW extension_compat.code_conversations ALTER COLUMN updated_at SET DEFAULT now();

CREATE FUNCTION extension_compat.code_conversations_insert() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    INSERT INTO code.conversations (id, user_id, session_id, title, context_type, created_at, updated_at)
    VALUES (NEW.id, compat.user_uuid(NEW.user_id), NEW.session_id, NEW.title, NEW.context_type, NEW.created_at,
            NEW.updated_at)
    RETURNING id, created_at, updated_at INTO NEW.id, NEW.created_at, NEW.updated_at;
    RETURN NEW;
END
$$;
CREATE TRIGGER code_conversations_insert INSTEAD OF INSERT ON extension_compat.code_conversations
    FOR EACH ROW EXECUTE FUNCTION extension_compat.code_conversations_insert();
REVOKE ALL ON FUNCTION extension_compat.code_conversations_insert() FROM PUBLIC;

CREATE VIEW extension_compat.code_messages WITH (security_invoker = true) AS
SELECT m.id, m.conversation_id, u.text_id AS user_id, m.role, m.content,
       (SELECT e.embedding::public.vector(1536) FROM memory.embeddings e
        WHERE e.town_id = m.town_id AND e.entity_type = 'code_message' AND e.entity_id = m.id
          AND e.model = compat.legacy_embedding_model() AND e.chunk_no = 0
          AND e.content_hash = compat.content_hash(compat.legacy_embedding_model(), m.content)) AS embedding, m.metadata, m.created_at, m.file_path, m.language,
       m.model_used, m.token_count
FROM code.messages m
LEFT JOIN core.users u ON u.id = m.user_id
;
ALTER VIEW extension_compat.code_messages ALTER COLUMN id SET DEFAULT gen_random_uuid();
ALTER VIEW extension_compat.code_messages ALTER COLUMN metadata SET DEFAULT '{}'::jsonb;
ALTER VIEW extension_compat.code_messages ALTER COLUMN created_at SET DEFAULT now();
ALTER VIEW extension_compat.code_messages ALTER COLUMN token_count SET DEFAULT 0;

-- The embedding worker does not embed code messages (not a searchable type): the old app's vector is the only one.
CREATE FUNCTION extension_compat.code_messages_insert() RETURNS trigger
    LANGUAGE plpgsql
AS $$
DECLARE
    v_town       uuid;
    v_visibility core.visibility;
    v_shared     uuid[];
BEGIN
    INSERT INTO code.messages (id, conversation_id, user_id, role, content, metadata, created_at, file_path, language,
                               model_used, token_count)
    VALUES (NEW.id, NEW.conversation_id, compat.user_uuid(NEW.user_id), NEW.role, NEW.content, NEW.metadata,
            NEW.created_at, NEW.file_path, NEW.language, NEW.model_used, NEW.token_count)
    RETURNING id, created_at, town_id, visibility, shared_with INTO NEW.id, NEW.created_at, v_town, v_visibility, v_shared;
    PERFORM compat.store_legacy_embedding('code_message', NEW.id, v_town, v_visibility, v_shared, NEW.content,
                                          NEW.embedding);
    RETURN NEW;
END
$$;
CREATE TRIGGER code_messages_insert INSTEAD OF INSERT ON extension_compat.code_messages
    FOR EACH ROW EXECUTE FUNCTION extension_compat.code_messages_insert();
REVOKE ALL ON FUNCTION extension_compat.code_messages_insert() FROM PUBLIC;

CREATE VIEW extension_compat.code_blocks WITH (security_invoker = true) AS
SELECT b.id, b.conversation_id, b.message_id, u.text_id AS user_id, b.title, b.block_type,
       b.language, b.file_path, b.content, b.start_line, b.end_line, b.is_applied, b.applied_at, b.tags, b.created_at
FROM code.blocks b
LEFT JOIN core.users u ON u.id = b.user_id;

CREATE VIEW extension_compat.learned_patterns WITH (security_invoker = true) AS
SELECT p.id, u.text_id AS user_id, p.pattern_type, p.language, p.pattern, p.example,
       p.confidence, p.occurrences, p.last_seen_at, p.is_active, p.created_at, p.updated_at
FROM code.learned_patterns p
LEFT JOIN core.users u ON u.id = p.user_id;
--rollback DROP VIEW extension_compat.learned_patterns;
--rollback DROP VIEW extension_compat.code_blocks;
--rollback DROP VIEW extension_compat.code_messages;
--rollback DROP FUNCTION extension_compat.code_messages_insert();
--rollback DROP VIEW extension_compat.code_conversations;
--rollback DROP FUNCTION extension_compat.code_conversations_insert();

--changeset townhall:compat-031-extension-personality-state splitStatements:false
--comment: extension_compat.robbie_personality_state: the active personality instances of the acting town, levels as integers
-- The acting user without an instance sees robbie-f's defaults (id NULL); the first UPDATE creates the instance.
CREATE VIEW extension_compat.robbie_personality_state WITH (security_invoker = true) AS
SELECT i.id, u.text_id AS user_id, i.current_mood,
       i.gandhi_genghis::integer AS gandhi_genghis_level, i.flirt_level::integer AS attraction_level, i.updated_at
FROM ai.personality_instances i
LEFT JOIN core.users u ON u.id = i.user_id
WHERE i.town_id = core.acting_town_id() AND i.is_active
UNION ALL
SELECT NULL::uuid, compat.user_text_id(core.acting_user_id()), p.default_mood, p.default_gandhi_genghis::integer,
       p.default_flirt_level::integer, NULL::timestamptz
FROM ai.personalities p
WHERE p.slug = 'robbie-f' AND core.acting_town_id() IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM ai.personality_instances i
                  WHERE i.town_id = core.acting_town_id() AND i.user_id = core.acting_user_id() AND i.is_active);

CREATE FUNCTION extension_compat.robbie_personality_state_update() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    IF NEW.id IS DISTINCT FROM OLD.id OR NEW.user_id IS DISTINCT FROM OLD.user_id
       OR NEW.updated_at IS DISTINCT FROM OLD.updated_at THEN
        RAISE EXCEPTION 'robbie_personality_state: id, user_id and updated_at are kept by the database'
            USING ERRCODE = 'feature_not_supported';
    END IF;
    NEW.id := compat.apply_mood(OLD.id, NEW.current_mood, NEW.attraction_level, NEW.gandhi_genghis_level, 'code',
                                'compat:extension');
    SELECT i.updated_at INTO NEW.updated_at FROM ai.personality_instances i WHERE i.id = NEW.id;
    RETURN NEW;
END
$$;
CREATE TRIGGER robbie_personality_state_update INSTEAD OF UPDATE ON extension_compat.robbie_personality_state
    FOR EACH ROW EXECUTE FUNCTION extension_compat.robbie_personality_state_update();
REVOKE ALL ON FUNCTION extension_compat.robbie_personality_state_update() FROM PUBLIC;
--rollback DROP VIEW extension_compat.robbie_personality_state;
--rollback DROP FUNCTION extension_compat.robbie_personality_state_update();

--changeset townhall:compat-032-extension-pending-sync splitStatements:false
--comment: extension_compat.pending_sync: the extension's offline queue over sync.pending_sync (table map, row id, provisional HLC)
-- data keeps the old app's column shape; the queue row is marked with it ("_compat_shape") so the sync agent knows
-- to translate before applying, and the view hides the mark again.
CREATE VIEW extension_compat.pending_sync WITH (security_invoker = true) AS
SELECT s.id, compat.sync_old_table_name(s.table_name) AS table_name, s.operation, s.payload - '_compat_shape' AS data,
       s.created_at, s.applied_at AS synced_at, s.last_error AS error, s.retry_count, s.last_attempt_at AS last_retry
FROM sync.pending_sync s;
ALTER VIEW extension_compat.pending_sync ALTER COLUMN id SET DEFAULT gen_random_uuid();
ALTER VIEW extension_compat.pending_sync ALTER COLUMN created_at SET DEFAULT now();
ALTER VIEW extension_compat.pending_sync ALTER COLUMN retry_count SET DEFAULT 0;

CREATE FUNCTION extension_compat.pending_sync_insert() RETURNS trigger
    LANGUAGE plpgsql
AS $$
DECLARE
    v_table  text := compat.sync_table_of(NEW.table_name);
    v_row_id text := NEW.data ->> 'id';
BEGIN
    IF v_row_id IS NULL OR v_row_id !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN
        RAISE EXCEPTION 'pending_sync: data must carry the row''s uuid as "id", got %', coalesce(v_row_id, 'none')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    INSERT INTO sync.pending_sync (id, table_name, row_id, operation, payload, hlc, status, retry_count, last_error,
                                   last_attempt_at, applied_at, created_at)
    VALUES (NEW.id, v_table, v_row_id::uuid, lower(NEW.operation),
            NEW.data || jsonb_build_object('_compat_shape', 'extension_compat.' || lower(btrim(NEW.table_name))),
            sync.next_hlc(), CASE WHEN NEW.synced_at IS NULL THEN 'pending' ELSE 'applied' END, NEW.retry_count,
            NEW.error, NEW.last_retry, NEW.synced_at, NEW.created_at)
    RETURNING id, created_at INTO NEW.id, NEW.created_at;
    RETURN NEW;
END
$$;
CREATE TRIGGER pending_sync_insert INSTEAD OF INSERT ON extension_compat.pending_sync
    FOR EACH ROW EXECUTE FUNCTION extension_compat.pending_sync_insert();
REVOKE ALL ON FUNCTION extension_compat.pending_sync_insert() FROM PUBLIC;
--rollback DROP VIEW extension_compat.pending_sync;
--rollback DROP FUNCTION extension_compat.pending_sync_insert();
