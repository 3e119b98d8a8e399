--liquibase formatted sql

--changeset townhall:compat-000-schemas
--comment: the compatibility schemas of issue 15: the old apps' table names over the unified tables, plus compat for their shared functions
CREATE SCHEMA compat;
COMMENT ON SCHEMA compat IS 'functions shared by the compatibility views (user text ids, legacy embeddings, the sync table map); no tables';
CREATE SCHEMA aurora_compat;
COMMENT ON SCHEMA aurora_compat IS 'the main Aurora schema (database/schema.sql, seed 001) as views over the unified tables; docs/compat.md';
CREATE SCHEMA backend_compat;
COMMENT ON SCHEMA backend_compat IS 'the backend memory schema (/backend/schema.sql, seed 003) as views over the unified tables; docs/compat.md';
CREATE SCHEMA extension_compat;
COMMENT ON SCHEMA extension_compat IS 'the extension''s Smart Robbie schema (init-smart-robbie.sql, seed 002) as views over the unified tables; docs/compat.md';
--rollback DROP SCHEMA extension_compat;
--rollback DROP SCHEMA backend_compat;
--rollback DROP SCHEMA aurora_compat;
--rollback DROP SCHEMA compat;

--changeset townhall:compat-001-user-text-ids splitStatements:false
--comment: the old apps' text user ids ('allan') to uuids and back; invoker rights, so only the acting organisation's users resolve
CREATE FUNCTION compat.user_text_id(p_user uuid) RETURNS text
    LANGUAGE sql STABLE
AS $$
    SELECT u.text_id FROM core.users u WHERE u.id = p_user
$$;
COMMENT ON FUNCTION compat.user_text_id(uuid) IS 'the text id an old app knows a user by: the handle, else the e-mail (as api keys show users)';

-- Aliases recorded by the importer (legacy.id_map) are owner-only and stay so: a text id resolves by handle or e-mail.
CREATE FUNCTION compat.user_uuid(p_text_id text) RETURNS uuid
    LANGUAGE plpgsql STABLE
AS $$
DECLARE
    v_key  text := lower(btrim(p_text_id));
    v_user uuid;
BEGIN
    IF p_text_id IS NULL THEN
        RETURN NULL;
    END IF;
    SELECT u.id INTO v_user FROM core.users u WHERE u.handle = v_key;
    IF v_user IS NULL THEN
        SELECT u.id INTO v_user FROM core.users u WHERE lower(u.email::text) = v_key;
    END IF;
    IF v_user IS NULL THEN
        RAISE EXCEPTION 'no user with the text id ''%'' (handle or e-mail) in this organisation', p_text_id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN v_user;
END
$$;
COMMENT ON FUNCTION compat.user_uuid(text) IS 'the user an old text id names (handle, else e-mail; case and spaces ignored); unknown: error 23503';
REVOKE ALL ON FUNCTION compat.user_text_id(uuid) FROM PUBLIC;
REVOKE ALL ON FUNCTION compat.user_uuid(text) FROM PUBLIC;
--rollback DROP FUNCTION compat.user_uuid(text);
--rollback DROP FUNCTION compat.user_text_id(uuid);

--changeset townhall:compat-002-legacy-embeddings splitStatements:false
--comment: the old apps' 1536-d vectors, kept under an honest model name in memory.embeddings (never mixed into a known model's index)
-- The seeds say only "1536d": the model that made the old apps' vectors is unknown, so they are stored under their
-- own label and compared only with each other. content_hash follows search.internal.ContentHash (sha256 of
-- model, newline, body), so a vector whose text was edited afterwards no longer matches and reads as NULL.
CREATE FUNCTION compat.legacy_embedding_model() RETURNS text
    LANGUAGE sql IMMUTABLE
AS $$ SELECT 'legacy-1536'::text $$;
COMMENT ON FUNCTION compat.legacy_embedding_model() IS 'the model name of vectors written through the compatibility views: unknown origin, 1536 dimensions';

CREATE FUNCTION compat.content_hash(p_model text, p_body text) RETURNS text
    LANGUAGE sql IMMUTABLE
AS $$ SELECT encode(sha256(convert_to(p_model || E'\n' || p_body, 'UTF8')), 'hex') $$;
COMMENT ON FUNCTION compat.content_hash(text, text) IS 'the content hash of search.internal.ContentHash: hex sha256 of model, newline, body';

CREATE FUNCTION compat.store_legacy_embedding(p_entity_type text, p_entity_id uuid, p_town uuid,
                                              p_visibility core.visibility, p_shared_with uuid[], p_body text,
                                              p_embedding public.vector) RETURNS void
    LANGUAGE sql VOLATILE
AS $$
    INSERT INTO memory.embeddings (town_id, visibility, shared_with, entity_type, entity_id, chunk_no, chunk_start,
                                   chunk_end, provider, model, dimensions, content_hash, embedding)
    SELECT p_town, p_visibility, p_shared_with, p_entity_type, p_entity_id, 0, 0, length(p_body), 'unknown',
           compat.legacy_embedding_model(), public.vector_dims(p_embedding),
           compat.content_hash(compat.legacy_embedding_model(), p_body), p_embedding
    WHERE p_embedding IS NOT NULL
$$;
COMMENT ON FUNCTION compat.store_legacy_embedding(text, uuid, uuid, core.visibility, uuid[], text, public.vector)
    IS 'stores an old app''s vector for a row it wrote (same town and sharing as the row); nothing when the vector is NULL';
REVOKE ALL ON FUNCTION compat.legacy_embedding_model() FROM PUBLIC;
REVOKE ALL ON FUNCTION compat.content_hash(text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION compat.store_legacy_embedding(text, uuid, uuid, core.visibility, uuid[], text, public.vector) FROM PUBLIC;
--rollback DROP FUNCTION compat.store_legacy_embedding(text, uuid, uuid, core.visibility, uuid[], text, public.vector);
--rollback DROP FUNCTION compat.content_hash(text, text);
--rollback DROP FUNCTION compat.legacy_embedding_model();

--changeset townhall:compat-003-mood-writes splitStatements:false
--comment: a mood change through an old app's view, as the personality service records one (instance created on first write)
-- Rule of dev.townhall.personality.Personalities: a user without an instance talks to robbie-f in its default mood,
-- and the first recorded mood creates the instance with that personality's defaults. The views show that default
-- row (id NULL) and this function creates the instance when it is written.
CREATE FUNCTION compat.apply_mood(p_instance uuid, p_mood text, p_flirt_level integer, p_gandhi_genghis integer,
                                  p_interface text, p_reason text) RETURNS uuid
    LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    v_reason text := current_setting('townhall.mood_reason', true);
    v_id     uuid;
BEGIN
    -- the mood event trigger (ai-032) records the reason; restored below so it does not outlive this write
    PERFORM set_config('townhall.mood_reason', p_reason, true);
    IF p_instance IS NULL THEN
        INSERT INTO ai.personality_instances (user_id, personality_id, is_active, flirt_level, gandhi_genghis,
                                              genghis_gandhi_intensity, cocktail_lightning_energy, current_mood,
                                              last_interface)
        SELECT core.acting_user_id(), p.id, true, coalesce(p_flirt_level, p.default_flirt_level),
               coalesce(p_gandhi_genghis, p.default_gandhi_genghis), p.default_genghis_gandhi_intensity,
               p.default_cocktail_lightning_energy, coalesce(p_mood, p.default_mood), p_interface
        FROM ai.personalities p WHERE p.slug = 'robbie-f'
        RETURNING id INTO v_id;
    ELSE
        UPDATE ai.personality_instances
        SET current_mood = p_mood, flirt_level = p_flirt_level, gandhi_genghis = p_gandhi_genghis,
            last_interface = p_interface
        WHERE id = p_instance
        RETURNING id INTO v_id;
        -- an instance the caller may not change (another user's, under compat-050) fails rather than report a
        -- row it did not write
        IF v_id IS NULL THEN
            RAISE EXCEPTION 'mood: personality instance % is not the acting user''s to change', p_instance
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    END IF;
    PERFORM set_config('townhall.mood_reason', coalesce(v_reason, ''), true);
    RETURN v_id;
END
$$;
COMMENT ON FUNCTION compat.apply_mood(uuid, text, integer, integer, text, text)
    IS 'sets mood and levels on an instance, or creates the acting user''s robbie-f instance when p_instance is NULL; returns its id';
REVOKE ALL ON FUNCTION compat.apply_mood(uuid, text, integer, integer, text, text) FROM PUBLIC;
--rollback DROP FUNCTION compat.apply_mood(uuid, text, integer, integer, text, text);

--changeset townhall:compat-004-provisional-hlc splitStatements:false
--comment: a provisional hybrid logical clock for rows queued in sync.pending_sync, until the sync issue brings the real one
CREATE SEQUENCE sync.hlc_counter AS bigint MINVALUE 0 MAXVALUE 999999 CYCLE;
-- The format sync-020 describes: zero-padded physical milliseconds, a logical counter, a node id, joined by '-',
-- so the text sorts in time order. Provisional: the counter is a database-wide sequence (a tie-breaker within a
-- millisecond, not yet advanced from peers' clocks), and the node id is the setting townhall.node_id, else 'local'.
-- The sync issue replaces this function (same name and result type) with one that merges remote clocks.
CREATE FUNCTION sync.next_hlc() RETURNS text
    LANGUAGE sql VOLATILE
AS $$
    SELECT lpad((floor(extract(epoch FROM clock_timestamp()) * 1000))::bigint::text, 15, '0')
           || '-' || lpad(nextval('sync.hlc_counter')::text, 6, '0')
           || '-' || coalesce(nullif(current_setting('townhall.node_id', true), ''), 'local')
$$;
COMMENT ON FUNCTION sync.next_hlc() IS 'provisional HLC: <15-digit ms>-<6-digit counter>-<node>; replaced by the sync issue';
REVOKE ALL ON FUNCTION sync.next_hlc() FROM PUBLIC;
--rollback DROP FUNCTION sync.next_hlc();
--rollback DROP SEQUENCE sync.hlc_counter;

--changeset townhall:compat-005-sync-table-map splitStatements:false
--comment: the extension's pending_sync table names and the unified tables they became (a fixed map; unknown names refused)
CREATE FUNCTION compat.sync_table_of(p_old_name text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE
AS $$
DECLARE
    v_name text := CASE lower(btrim(p_old_name))
        WHEN 'code_conversations' THEN 'code.conversations'
        WHEN 'code_messages' THEN 'code.messages'
        WHEN 'code_blocks' THEN 'code.blocks'
        WHEN 'learned_patterns' THEN 'code.learned_patterns'
        WHEN 'robbie_personality_state' THEN 'ai.personality_instances'
    END;
BEGIN
    IF v_name IS NULL THEN
        RAISE EXCEPTION 'pending_sync: no unified table for the old table name ''%''', p_old_name
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'known: code_conversations, code_messages, code_blocks, learned_patterns, robbie_personality_state';
    END IF;
    RETURN v_name;
END
$$;
CREATE FUNCTION compat.sync_old_table_name(p_table text) RETURNS text
    LANGUAGE sql IMMUTABLE
AS $$
    SELECT CASE p_table
        WHEN 'code.conversations' THEN 'code_conversations'
        WHEN 'code.messages' THEN 'code_messages'
        WHEN 'code.blocks' THEN 'code_blocks'
        WHEN 'code.learned_patterns' THEN 'learned_patterns'
        WHEN 'ai.personality_instances' THEN 'robbie_personality_state'
        ELSE p_table
    END
$$;
COMMENT ON FUNCTION compat.sync_table_of(text) IS 'the schema-qualified unified table of an extension pending_sync table name; unknown: error 22023';
COMMENT ON FUNCTION compat.sync_old_table_name(text) IS 'the extension''s name of a unified table (the reverse of compat.sync_table_of), else the name itself';
REVOKE ALL ON FUNCTION compat.sync_table_of(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION compat.sync_old_table_name(text) FROM PUBLIC;
--rollback DROP FUNCTION compat.sync_old_table_name(text);
--rollback DROP FUNCTION compat.sync_table_of(text);
