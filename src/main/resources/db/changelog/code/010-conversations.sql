--liquibase formatted sql

--changeset townhall:code-010-conversations
--comment: the VS Code extension's chat sessions (Smart Robbie's code_conversations), with their repository and workspace
CREATE TABLE code.conversations (
    id              uuid            NOT NULL DEFAULT gen_random_uuid(),
    org_id          uuid            NOT NULL DEFAULT core.acting_org_id(),
    town_id         uuid            NOT NULL DEFAULT core.acting_town_id(),
    visibility      core.visibility NOT NULL DEFAULT 'private',
    shared_with     uuid[]          NOT NULL DEFAULT '{}',
    user_id         uuid,
    -- the editor's session id
    session_id      text,
    title           text,
    context_type    text            NOT NULL DEFAULT 'code',
    repository      text,
    workspace_path  text,
    language        text,
    personality_id  uuid,
    is_archived     boolean         NOT NULL DEFAULT false,
    tags            text[]          NOT NULL DEFAULT '{}',
    -- maintained by trigger from code.messages
    message_count   integer         NOT NULL DEFAULT 0,
    last_message_at timestamptz,
    created_at      timestamptz     NOT NULL DEFAULT now(),
    updated_at      timestamptz     NOT NULL DEFAULT now(),
    CONSTRAINT conversations_pkey PRIMARY KEY (id),
    CONSTRAINT conversations_town_id_key UNIQUE (town_id, id),
    CONSTRAINT conversations_org_town_fkey FOREIGN KEY (org_id, town_id) REFERENCES core.towns (org_id, id),
    CONSTRAINT conversations_user_fkey FOREIGN KEY (user_id) REFERENCES core.users (id) ON DELETE SET NULL,
    CONSTRAINT conversations_personality_fkey FOREIGN KEY (personality_id) REFERENCES ai.personalities (id) ON DELETE SET NULL,
    CONSTRAINT conversations_shared_with_check CHECK (visibility = 'shared' OR shared_with = '{}'),
    CONSTRAINT conversations_context_type_check CHECK (context_type IN ('code', 'chat', 'debug', 'review', 'refactor', 'explain', 'docs', 'test')),
    CONSTRAINT conversations_message_count_check CHECK (message_count >= 0)
);
CREATE INDEX conversations_org_town_idx ON code.conversations (org_id, town_id);
CREATE INDEX conversations_town_session_idx ON code.conversations (town_id, session_id);
CREATE INDEX conversations_user_idx ON code.conversations (user_id);
CREATE INDEX conversations_personality_idx ON code.conversations (personality_id);
CREATE INDEX conversations_tags_idx ON code.conversations USING gin (tags);
CREATE TRIGGER conversations_touch_updated_at BEFORE UPDATE ON code.conversations
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
SELECT core.enable_tenancy('code.conversations');
--rollback DROP TABLE code.conversations;
