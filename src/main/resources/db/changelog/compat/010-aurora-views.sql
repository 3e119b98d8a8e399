--liquibase formatted sql

--changeset townhall:compat-010-aurora-read-views
--comment: aurora_compat: the Aurora tables read-only in their old shape (users, mentors, deals, companies, contacts)
-- password_hash is left out on purpose: the old app's login is TownHall's job now (docs/compat.md).
CREATE VIEW aurora_compat.users WITH (security_invoker = true) AS
SELECT u.id, u.username::text AS username, u.email::text AS email,
       (SELECT m.role::text FROM core.memberships m
        WHERE m.user_id = u.id AND m.town_id = core.acting_town_id()) AS role,
       u.is_active, u.created_at, u.updated_at, u.last_login, u.preferences, u.org_id, u.first_name, u.last_name,
       u.job_title, u.phone, u.avatar_url, u.timezone
FROM core.users u;

CREATE VIEW aurora_compat.mentors WITH (security_invoker = true) AS
SELECT p.id, p.name, p.description, p.system_prompt, p.avatar_url, p.is_active, p.created_at, p.updated_at
FROM ai.personalities p
WHERE p.category_id = (SELECT c.id FROM ai.personality_categories c WHERE c.slug = 'mentors');

CREATE VIEW aurora_compat.deals WITH (security_invoker = true) AS
SELECT d.id, d.org_id, d.company_id, d.primary_contact_id, d.owner_user_id AS owner_id, d.name, d.amount_cents,
       d.currency::text AS currency, d.stage, d.probability::integer AS probability, d.expected_close_date,
       d.created_at, d.updated_at
FROM crm.deals d;

CREATE VIEW aurora_compat.companies WITH (security_invoker = true) AS
SELECT c.id, c.org_id, c.name, c.domain::text AS domain, c.website, c.industry, c.employee_count, c.city, c.state,
       c.country, c.created_at, c.updated_at
FROM crm.companies c;

CREATE VIEW aurora_compat.contacts WITH (security_invoker = true) AS
SELECT t.id, t.org_id, t.first_name, t.last_name, t.email::text AS email, t.phone,
       coalesce((SELECT c.name FROM crm.companies c WHERE c.town_id = t.town_id AND c.id = t.company_id),
                t.company_name) AS company,
       t.job_title, t.linkedin_url, t.avatar_url, t.notes, t.tags, t.is_vip, t.created_at, t.updated_at
FROM crm.contacts t;
--rollback DROP VIEW aurora_compat.contacts;
--rollback DROP VIEW aurora_compat.companies;
--rollback DROP VIEW aurora_compat.deals;
--rollback DROP VIEW aurora_compat.mentors;
--rollback DROP VIEW aurora_compat.users;

--changeset townhall:compat-011-aurora-plain-views
--comment: aurora_compat: conversations, sticky_notes and tasks as plain (auto-updatable) views, so inserts and upserts work as before
CREATE VIEW aurora_compat.conversations WITH (security_invoker = true) AS
SELECT c.id, c.user_id, c.title, c.created_at, c.updated_at, c.is_archived, c.metadata, c.org_id, c.session_type,
       c.participants
FROM comms.conversations c
WHERE c.session_type = 'chat'
WITH LOCAL CHECK OPTION;

CREATE VIEW aurora_compat.sticky_notes WITH (security_invoker = true) AS
SELECT n.id, n.org_id, n.user_id, n.content, n.note_type, n.color, n.tags, n.related_to_id, n.related_to_type,
       n.created_at, n.updated_at
FROM memory.sticky_notes n;

CREATE VIEW aurora_compat.tasks WITH (security_invoker = true) AS
SELECT t.id, t.org_id, t.user_id, t.title, t.description, t.status, t.priority, t.due_at AS due_date,
       t.completed_at, t.created_at, t.updated_at
FROM work.tasks t;
--rollback DROP VIEW aurora_compat.tasks;
--rollback DROP VIEW aurora_compat.sticky_notes;
--rollback DROP VIEW aurora_compat.conversations;

--changeset townhall:compat-012-aurora-messages splitStatements:false
--comment: aurora_compat.messages: chat messages with their old 1536-d embedding and integer levels; inserts through a trigger
CREATE VIEW aurora_compat.messages WITH (security_invoker = true) AS
SELECT m.id, m.conversation_id, m.role, m.content, (SELECT e.embedding::public.vector(1536) FROM memory.embeddings e
        WHERE e.town_id = m.town_id AND e.entity_type = 'message' AND e.entity_id = m.id
          AND e.model = compat.legacy_embedding_model() AND e.chunk_no = 0
          AND e.content_hash = compat.content_hash(compat.legacy_embedding_model(), m.content)) AS embedding, m.created_at,
       m.metadata - 'personality_mode' AS metadata, m.token_count, m.model_used, m.org_id, m.user_id,
       m.metadata ->> 'personality_mode' AS personality_mode, m.flirt_level::integer AS flirt_level,
       m.gandhi_genghis::integer AS genghis_gandhi_level
FROM comms.messages m
WHERE EXISTS (SELECT 1 FROM comms.conversations c
              WHERE c.town_id = m.town_id AND c.id = m.conversation_id AND c.session_type = 'chat');
ALTER VIEW aurora_compat.messages ALTER COLUMN id SET DEFAULT gen_random_uuid();
ALTER VIEW aurora_compat.messages ALTER COLUMN created_at SET DEFAULT now();
ALTER VIEW aurora_compat.messages ALTER COLUMN metadata SET DEFAULT '{}'::jsonb;
ALTER VIEW aurora_compat.messages ALTER COLUMN token_count SET DEFAULT 0;

-- personality_mode has no unified column (it became personality + mood, and its old values are unknown): it is
-- kept verbatim in metadata, never mapped. The vector goes to memory.embeddings under the legacy model.
CREATE FUNCTION aurora_compat.messages_insert() RETURNS trigger
    LANGUAGE plpgsql
AS $$
DECLARE
    v_town       uuid;
    v_visibility core.visibility;
    v_shared     uuid[];
BEGIN
    INSERT INTO comms.messages (id, conversation_id, user_id, role, content, metadata, token_count, model_used,
                                flirt_level, gandhi_genghis, created_at)
    VALUES (NEW.id, NEW.conversation_id, NEW.user_id, NEW.role, NEW.content,
            coalesce(NEW.metadata, '{}'::jsonb) || CASE WHEN NEW.personality_mode IS NULL THEN '{}'::jsonb
                ELSE jsonb_build_object('personality_mode', NEW.personality_mode) END,
            NEW.token_count, NEW.model_used, NEW.flirt_level, NEW.genghis_gandhi_level, NEW.created_at)
    RETURNING id, org_id, user_id, created_at, town_id, visibility, shared_with
        INTO NEW.id, NEW.org_id, NEW.user_id, NEW.created_at, v_town, v_visibility, v_shared;
    PERFORM compat.store_legacy_embedding('message', NEW.id, v_town, v_visibility, v_shared, NEW.content,
                                          NEW.embedding);
    RETURN NEW;
END
$$;
CREATE TRIGGER messages_insert INSTEAD OF INSERT ON aurora_compat.messages
    FOR EACH ROW EXECUTE FUNCTION aurora_compat.messages_insert();
REVOKE ALL ON FUNCTION aurora_compat.messages_insert() FROM PUBLIC;
--rollback DROP VIEW aurora_compat.messages;
--rollback DROP FUNCTION aurora_compat.messages_insert();
