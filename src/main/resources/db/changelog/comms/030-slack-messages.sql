--liquibase formatted sql

--changeset townhall:comms-030-slack-messages
--comment: Slack messages synced from a workspace (the unified schema's slack_* tables), linked to a user or contact when known
CREATE TABLE comms.slack_messages (
    id               uuid            NOT NULL DEFAULT gen_random_uuid(),
    org_id           uuid            NOT NULL DEFAULT core.acting_org_id(),
    town_id          uuid            NOT NULL DEFAULT core.acting_town_id(),
    visibility       core.visibility NOT NULL DEFAULT 'private',
    shared_with      uuid[]          NOT NULL DEFAULT '{}',
    -- the thread (session_type = 'slack')
    conversation_id  uuid,
    user_id          uuid,
    contact_id       uuid,
    slack_team_id    text            NOT NULL,
    slack_channel_id text            NOT NULL,
    channel_name     text,
    slack_ts         text            NOT NULL,
    thread_ts        text,
    slack_user_id    text,
    is_bot           boolean         NOT NULL DEFAULT false,
    body             text            NOT NULL DEFAULT '',
    posted_at        timestamptz     NOT NULL,
    search           tsvector GENERATED ALWAYS AS (to_tsvector('english', left(body, 100000))) STORED,
    created_at       timestamptz     NOT NULL DEFAULT now(),
    updated_at       timestamptz     NOT NULL DEFAULT now(),
    CONSTRAINT slack_messages_pkey PRIMARY KEY (id),
    CONSTRAINT slack_messages_town_id_key UNIQUE (town_id, id),
    CONSTRAINT slack_messages_town_slack_key UNIQUE (town_id, slack_team_id, slack_channel_id, slack_ts),
    CONSTRAINT slack_messages_org_town_fkey FOREIGN KEY (org_id, town_id) REFERENCES core.towns (org_id, id),
    CONSTRAINT slack_messages_town_conversation_fkey FOREIGN KEY (town_id, conversation_id) REFERENCES comms.conversations (town_id, id)
        ON UPDATE CASCADE ON DELETE SET NULL (conversation_id),
    CONSTRAINT slack_messages_user_fkey FOREIGN KEY (user_id) REFERENCES core.users (id) ON DELETE SET NULL,
    CONSTRAINT slack_messages_town_contact_fkey FOREIGN KEY (town_id, contact_id) REFERENCES crm.contacts (town_id, id)
        ON UPDATE CASCADE ON DELETE SET NULL (contact_id),
    CONSTRAINT slack_messages_shared_with_check CHECK (visibility = 'shared' OR shared_with = '{}'),
    CONSTRAINT slack_messages_ts_check CHECK (slack_ts ~ '^[0-9]+\.[0-9]+$' AND (thread_ts IS NULL OR thread_ts ~ '^[0-9]+\.[0-9]+$'))
);
CREATE INDEX slack_messages_org_town_idx ON comms.slack_messages (org_id, town_id);
CREATE INDEX slack_messages_town_posted_idx ON comms.slack_messages (town_id, posted_at DESC);
CREATE INDEX slack_messages_town_conversation_idx ON comms.slack_messages (town_id, conversation_id);
CREATE INDEX slack_messages_user_idx ON comms.slack_messages (user_id);
CREATE INDEX slack_messages_town_contact_idx ON comms.slack_messages (town_id, contact_id);
CREATE INDEX slack_messages_search_idx ON comms.slack_messages USING gin (search);
CREATE TRIGGER slack_messages_touch_updated_at BEFORE UPDATE ON comms.slack_messages
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
SELECT core.enable_tenancy('comms.slack_messages');
--rollback DROP TABLE comms.slack_messages;
