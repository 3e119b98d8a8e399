--liquibase formatted sql

-- A bound login holds INSERT and UPDATE on the tables behind the views (they run with the caller's rights), and the
-- tenant policies only keep its rows in its town: they let any writer of the town name any user as a row's author,
-- publish a row to other towns (visibility, shared_with), change another member's personality instance (mood) and
-- queue anything in sync.pending_sync. The application is trusted not to; an old service's leaked URL is not.
-- These restrictive policies apply to townhall_compat only (the application's sessions are unchanged), and the
-- group loses UPDATE on the columns that say whose a row is and who may see it.

--changeset townhall:compat-050-bound-rows-as-the-bound-user splitStatements:false
--comment: a bound login inserts rows in its own user's name (or none) and private to its town, and changes only its own user's personality instance
DO $$
DECLARE
    t regclass;
BEGIN
    FOREACH t IN ARRAY ARRAY['comms.conversations', 'comms.messages', 'memory.sticky_notes', 'code.conversations',
                             'code.messages', 'ai.personality_instances', 'ai.mood_events']::regclass[] LOOP
        EXECUTE format($p$CREATE POLICY compat_as_bound_user ON %s AS RESTRICTIVE FOR INSERT TO townhall_compat
            WITH CHECK ((user_id IS NULL OR user_id = (SELECT core.acting_user_id())) AND visibility = 'private')$p$, t);
    END LOOP;
END
$$;
CREATE POLICY compat_as_bound_user ON work.tasks AS RESTRICTIVE FOR INSERT TO townhall_compat
    WITH CHECK ((user_id IS NULL OR user_id = (SELECT core.acting_user_id()))
                AND (created_by IS NULL OR created_by = (SELECT core.acting_user_id())) AND visibility = 'private');
CREATE POLICY compat_own_instance ON ai.personality_instances AS RESTRICTIVE FOR UPDATE TO townhall_compat
    USING (user_id = (SELECT core.acting_user_id()))
    WITH CHECK (user_id = (SELECT core.acting_user_id()));
--rollback DROP POLICY compat_own_instance ON ai.personality_instances;
--rollback DROP POLICY compat_as_bound_user ON work.tasks;
--rollback DROP POLICY compat_as_bound_user ON ai.mood_events;
--rollback DROP POLICY compat_as_bound_user ON ai.personality_instances;
--rollback DROP POLICY compat_as_bound_user ON code.messages;
--rollback DROP POLICY compat_as_bound_user ON code.conversations;
--rollback DROP POLICY compat_as_bound_user ON memory.sticky_notes;
--rollback DROP POLICY compat_as_bound_user ON comms.messages;
--rollback DROP POLICY compat_as_bound_user ON comms.conversations;

--changeset townhall:compat-051-bound-update-columns
--comment: a bound login updates content, never a row's id, organisation, town, author or sharing
REVOKE UPDATE ON comms.conversations, memory.sticky_notes, work.tasks, ai.personality_instances, code.conversations
    FROM townhall_compat;
GRANT UPDATE (title, session_type, participants, personality_id, contact_id, is_archived, tags, message_count,
              last_message_at, metadata, created_at, updated_at) ON comms.conversations TO townhall_compat;
GRANT UPDATE (content, note_type, color, tags, related_to_type, related_to_id, is_pinned, source, confidence,
              created_at, updated_at) ON memory.sticky_notes TO townhall_compat;
GRANT UPDATE (title, description, status, priority, due_at, completed_at, estimated_minutes, source, contact_id,
              company_id, deal_id, meeting_id, priority_id, tags, created_at, updated_at) ON work.tasks TO townhall_compat;
GRANT UPDATE (personality_id, is_active, flirt_level, gandhi_genghis, genghis_gandhi_intensity,
              cocktail_lightning_energy, current_mood, current_expression, mood_changed_at, last_interface,
              custom_prompt, behavior, created_at, updated_at) ON ai.personality_instances TO townhall_compat;
GRANT UPDATE (session_id, title, context_type, repository, workspace_path, language, personality_id, is_archived,
              tags, message_count, last_message_at, created_at, updated_at) ON code.conversations TO townhall_compat;
--rollback REVOKE UPDATE ON comms.conversations, memory.sticky_notes, work.tasks, ai.personality_instances, code.conversations FROM townhall_compat;
--rollback GRANT UPDATE ON comms.conversations, memory.sticky_notes, work.tasks, ai.personality_instances, code.conversations TO townhall_compat;

--changeset townhall:compat-052-bound-sync-queue
--comment: a bound login queues only what extension_compat.pending_sync writes: a private, local row of a mapped table in the old shape, pending or already applied
CREATE POLICY compat_extension_queue ON sync.pending_sync AS RESTRICTIVE FOR INSERT TO townhall_compat
    WITH CHECK (table_name IN ('code.conversations', 'code.messages', 'code.blocks', 'code.learned_patterns',
                               'ai.personality_instances')
                AND payload -> '_compat_shape' IS NOT NULL AND peer_id IS NULL AND origin_peer_id IS NULL
                AND status IN ('pending', 'applied') AND visibility = 'private');
--rollback DROP POLICY compat_extension_queue ON sync.pending_sync;
