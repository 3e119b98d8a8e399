--liquibase formatted sql

--changeset townhall:comms-010-conversations
--comment: a conversation thread: an AI chat session (legacy chat_history sessions), an email thread, a Slack thread or a meeting chat
CREATE TABLE comms.conversations (
    id              uuid            NOT NULL DEFAULT gen_random_uuid(),
    org_id          uuid            NOT NULL DEFAULT core.acting_org_id(),
    town_id         uuid            NOT NULL DEFAULT core.acting_town_id(),
    visibility      core.visibility NOT NULL DEFAULT 'private',
    shared_with     uuid[]          NOT NULL DEFAULT '{}',
    -- the user who owns the conversation
    user_id         uuid,
    title           text,
    session_type    text            NOT NULL DEFAULT 'chat',
    -- user ids taking part (no FK on array elements)
    participants    uuid[]          NOT NULL DEFAULT '{}',
    personality_id  uuid,
    contact_id      uuid,
    is_archived     boolean         NOT NULL DEFAULT false,
    tags            text[]          NOT NULL DEFAULT '{}',
    -- maintained by trigger from comms.messages
    message_count   integer         NOT NULL DEFAULT 0,
    last_message_at timestamptz,
    metadata        jsonb           NOT NULL DEFAULT '{}',
    created_at      timestamptz     NOT NULL DEFAULT now(),
    updated_at      timestamptz     NOT NULL DEFAULT now(),
    CONSTRAINT conversations_pkey PRIMARY KEY (id),
    CONSTRAINT conversations_town_id_key UNIQUE (town_id, id),
    CONSTRAINT conversations_org_town_fkey FOREIGN KEY (org_id, town_id) REFERENCES core.towns (org_id, id),
    CONSTRAINT conversations_user_fkey FOREIGN KEY (user_id) REFERENCES core.users (id) ON DELETE SET NULL,
    CONSTRAINT conversations_personality_fkey FOREIGN KEY (personality_id) REFERENCES ai.personalities (id) ON DELETE SET NULL,
    CONSTRAINT conversations_town_contact_fkey FOREIGN KEY (town_id, contact_id) REFERENCES crm.contacts (town_id, id)
        ON UPDATE CASCADE ON DELETE SET NULL (contact_id),
    CONSTRAINT conversations_shared_with_check CHECK (visibility = 'shared' OR shared_with = '{}'),
    CONSTRAINT conversations_session_type_check CHECK (session_type IN ('chat', 'email', 'slack', 'meeting', 'sms')),
    CONSTRAINT conversations_message_count_check CHECK (message_count >= 0),
    CONSTRAINT conversations_metadata_check CHECK (jsonb_typeof(metadata) = 'object')
);
CREATE INDEX conversations_org_town_idx ON comms.conversations (org_id, town_id);
CREATE INDEX conversations_town_last_message_idx ON comms.conversations (town_id, last_message_at DESC);
CREATE INDEX conversations_user_idx ON comms.conversations (user_id);
CREATE INDEX conversations_personality_idx ON comms.conversations (personality_id);
CREATE INDEX conversations_town_contact_idx ON comms.conversations (town_id, contact_id);
CREATE INDEX conversations_participants_idx ON comms.conversations USING gin (participants);
CREATE INDEX conversations_tags_idx ON comms.conversations USING gin (tags);
CREATE INDEX conversations_metadata_idx ON comms.conversations USING gin (metadata jsonb_path_ops);
CREATE TRIGGER conversations_touch_updated_at BEFORE UPDATE ON comms.conversations
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
SELECT core.enable_tenancy('comms.conversations');
--rollback DROP TABLE comms.conversations;
