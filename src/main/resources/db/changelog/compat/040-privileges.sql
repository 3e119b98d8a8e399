--liquibase formatted sql

--changeset townhall:compat-040-privileges
--comment: townhall_compat reaches the compatibility views and, since they run with the caller's rights, exactly the tables behind them
GRANT USAGE ON SCHEMA compat, aurora_compat, backend_compat, extension_compat TO townhall_compat;
GRANT USAGE ON SCHEMA core, comms, memory, crm, work, ai, code, sync TO townhall_compat;
GRANT EXECUTE ON FUNCTION compat.user_text_id(uuid), compat.user_uuid(text), compat.legacy_embedding_model(),
    compat.content_hash(text, text),
    compat.store_legacy_embedding(text, uuid, uuid, core.visibility, uuid[], text, public.vector),
    compat.apply_mood(uuid, text, integer, integer, text, text), compat.sync_table_of(text),
    compat.sync_old_table_name(text), sync.next_hlc() TO townhall_compat;
GRANT USAGE ON SEQUENCE sync.hlc_counter TO townhall_compat;

GRANT SELECT ON aurora_compat.users, aurora_compat.mentors, aurora_compat.deals, aurora_compat.companies,
    aurora_compat.contacts, aurora_compat.conversations, aurora_compat.messages, aurora_compat.sticky_notes,
    aurora_compat.tasks TO townhall_compat;
GRANT INSERT, UPDATE ON aurora_compat.conversations, aurora_compat.sticky_notes, aurora_compat.tasks TO townhall_compat;
GRANT INSERT ON aurora_compat.messages TO townhall_compat;
GRANT SELECT ON backend_compat.conversations, backend_compat.current_mood, backend_compat.mood_history TO townhall_compat;
GRANT INSERT ON backend_compat.conversations TO townhall_compat;
GRANT UPDATE ON backend_compat.current_mood TO townhall_compat;
GRANT SELECT ON extension_compat.code_conversations, extension_compat.code_messages, extension_compat.code_blocks,
    extension_compat.learned_patterns, extension_compat.robbie_personality_state, extension_compat.pending_sync
    TO townhall_compat;
GRANT INSERT ON extension_compat.code_conversations, extension_compat.code_messages, extension_compat.pending_sync
    TO townhall_compat;
GRANT UPDATE ON extension_compat.robbie_personality_state TO townhall_compat;

-- the tables behind the views (RLS applies to every one of them); core.users without password_hash
GRANT SELECT (id, org_id, username, handle, email, text_id, first_name, last_name, full_name, job_title, phone,
              avatar_url, timezone, is_active, is_service, last_login, preferences, created_at, updated_at)
    ON core.users TO townhall_compat;
GRANT SELECT ON core.memberships, ai.personalities, ai.personality_categories, crm.deals, crm.companies, crm.contacts,
    code.blocks, code.learned_patterns TO townhall_compat;
GRANT SELECT, INSERT, UPDATE ON comms.conversations, memory.sticky_notes, work.tasks, ai.personality_instances,
    code.conversations TO townhall_compat;
GRANT SELECT, INSERT ON comms.messages, code.messages, memory.embeddings, ai.mood_events, sync.pending_sync
    TO townhall_compat;
-- written by the base tables' audit triggers, which run with the caller's rights
GRANT INSERT ON core.audit_log TO townhall_compat;
--rollback REVOKE INSERT ON core.audit_log FROM townhall_compat;
--rollback REVOKE ALL ON comms.messages, code.messages, memory.embeddings, ai.mood_events, sync.pending_sync FROM townhall_compat;
--rollback REVOKE ALL ON comms.conversations, memory.sticky_notes, work.tasks, ai.personality_instances, code.conversations FROM townhall_compat;
--rollback REVOKE ALL ON core.memberships, ai.personalities, ai.personality_categories, crm.deals, crm.companies, crm.contacts, code.blocks, code.learned_patterns FROM townhall_compat;
--rollback REVOKE ALL (id, org_id, username, handle, email, text_id, first_name, last_name, full_name, job_title, phone, avatar_url, timezone, is_active, is_service, last_login, preferences, created_at, updated_at) ON core.users FROM townhall_compat;
--rollback REVOKE USAGE ON SEQUENCE sync.hlc_counter FROM townhall_compat;
--rollback REVOKE USAGE ON SCHEMA core, comms, memory, crm, work, ai, code, sync FROM townhall_compat;
