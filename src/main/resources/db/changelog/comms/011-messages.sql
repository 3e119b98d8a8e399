--liquibase formatted sql

--changeset townhall:comms-011-messages
--comment: the messages of a conversation, with who wrote them and the personality state they were written in (Aurora messages + V3 org/user/personality columns)
CREATE TABLE comms.messages (
    id              uuid            NOT NULL DEFAULT gen_random_uuid(),
    org_id          uuid            NOT NULL DEFAULT core.acting_org_id(),
    town_id         uuid            NOT NULL DEFAULT core.acting_town_id(),
    visibility      core.visibility NOT NULL DEFAULT 'private',
    shared_with     uuid[]          NOT NULL DEFAULT '{}',
    conversation_id uuid            NOT NULL,
    user_id         uuid,
    role            text            NOT NULL,
    content         text            NOT NULL,
    -- the seeds' personality_mode: which personality answered, in which mood, with which settings
    personality_id  uuid,
    mood            text,
    flirt_level     smallint,
    gandhi_genghis  smallint,
    token_count     integer         NOT NULL DEFAULT 0,
    model_used      text,
    metadata        jsonb           NOT NULL DEFAULT '{}',
    search          tsvector GENERATED ALWAYS AS (to_tsvector('english', left(content, 100000))) STORED,
    created_at      timestamptz     NOT NULL DEFAULT now(),
    updated_at      timestamptz     NOT NULL DEFAULT now(),
    CONSTRAINT messages_pkey PRIMARY KEY (id),
    CONSTRAINT messages_town_id_key UNIQUE (town_id, id),
    CONSTRAINT messages_org_town_fkey FOREIGN KEY (org_id, town_id) REFERENCES core.towns (org_id, id),
    CONSTRAINT messages_town_conversation_fkey FOREIGN KEY (town_id, conversation_id) REFERENCES comms.conversations (town_id, id)
        ON UPDATE CASCADE ON DELETE CASCADE,
    CONSTRAINT messages_user_fkey FOREIGN KEY (user_id) REFERENCES core.users (id) ON DELETE SET NULL,
    CONSTRAINT messages_personality_fkey FOREIGN KEY (personality_id) REFERENCES ai.personalities (id) ON DELETE SET NULL,
    CONSTRAINT messages_mood_fkey FOREIGN KEY (mood) REFERENCES ai.moods (slug) ON UPDATE CASCADE,
    CONSTRAINT messages_shared_with_check CHECK (visibility = 'shared' OR shared_with = '{}'),
    CONSTRAINT messages_role_check CHECK (role IN ('user', 'assistant', 'system')),
    CONSTRAINT messages_flirt_level_check CHECK (flirt_level BETWEEN 1 AND 10),
    CONSTRAINT messages_gandhi_genghis_check CHECK (gandhi_genghis BETWEEN 1 AND 10),
    CONSTRAINT messages_token_count_check CHECK (token_count >= 0),
    CONSTRAINT messages_metadata_check CHECK (jsonb_typeof(metadata) = 'object')
);
CREATE INDEX messages_org_town_idx ON comms.messages (org_id, town_id);
CREATE INDEX messages_town_conversation_idx ON comms.messages (town_id, conversation_id, created_at);
CREATE INDEX messages_user_idx ON comms.messages (user_id);
CREATE INDEX messages_personality_idx ON comms.messages (personality_id);
CREATE INDEX messages_mood_idx ON comms.messages (mood);
CREATE INDEX messages_search_idx ON comms.messages USING gin (search);
CREATE INDEX messages_metadata_idx ON comms.messages USING gin (metadata jsonb_path_ops);
CREATE TRIGGER messages_touch_updated_at BEFORE UPDATE ON comms.messages
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
SELECT core.enable_tenancy('comms.messages');
--rollback DROP TABLE comms.messages;

--changeset townhall:comms-013-messages-conversation-triggers
--comment: keeps conversation message counts and last-message times true
CREATE TRIGGER messages_conversation_insert AFTER INSERT ON comms.messages
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION core.refresh_conversation_stats('comms.conversations', 'comms.messages');
CREATE TRIGGER messages_conversation_update AFTER UPDATE ON comms.messages
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION core.refresh_conversation_stats('comms.conversations', 'comms.messages');
CREATE TRIGGER messages_conversation_delete AFTER DELETE ON comms.messages
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION core.refresh_conversation_stats('comms.conversations', 'comms.messages');
--rollback DROP TRIGGER messages_conversation_delete ON comms.messages;
--rollback DROP TRIGGER messages_conversation_update ON comms.messages;
--rollback DROP TRIGGER messages_conversation_insert ON comms.messages;
