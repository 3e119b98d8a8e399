--liquibase formatted sql

--changeset townhall:code-011-messages
--comment: messages of a code conversation with the file and language in view (Smart Robbie's code_messages; its vectors move to memory.embeddings)
CREATE TABLE code.messages (
    id              uuid            NOT NULL DEFAULT gen_random_uuid(),
    org_id          uuid            NOT NULL DEFAULT core.acting_org_id(),
    town_id         uuid            NOT NULL DEFAULT core.acting_town_id(),
    visibility      core.visibility NOT NULL DEFAULT 'private',
    shared_with     uuid[]          NOT NULL DEFAULT '{}',
    conversation_id uuid            NOT NULL,
    user_id         uuid,
    role            text            NOT NULL,
    content         text            NOT NULL,
    model_used      text,
    token_count     integer         NOT NULL DEFAULT 0,
    file_path       text,
    language        text,
    metadata        jsonb           NOT NULL DEFAULT '{}',
    search          tsvector GENERATED ALWAYS AS (to_tsvector('english', left(content, 100000))) STORED,
    created_at      timestamptz     NOT NULL DEFAULT now(),
    updated_at      timestamptz     NOT NULL DEFAULT now(),
    CONSTRAINT messages_pkey PRIMARY KEY (id),
    CONSTRAINT messages_town_id_key UNIQUE (town_id, id),
    CONSTRAINT messages_org_town_fkey FOREIGN KEY (org_id, town_id) REFERENCES core.towns (org_id, id),
    CONSTRAINT messages_town_conversation_fkey FOREIGN KEY (town_id, conversation_id) REFERENCES code.conversations (town_id, id)
        ON UPDATE CASCADE ON DELETE CASCADE,
    CONSTRAINT messages_user_fkey FOREIGN KEY (user_id) REFERENCES core.users (id) ON DELETE SET NULL,
    CONSTRAINT messages_shared_with_check CHECK (visibility = 'shared' OR shared_with = '{}'),
    CONSTRAINT messages_role_check CHECK (role IN ('user', 'assistant', 'system')),
    CONSTRAINT messages_token_count_check CHECK (token_count >= 0),
    CONSTRAINT messages_metadata_check CHECK (jsonb_typeof(metadata) = 'object')
);
CREATE INDEX messages_org_town_idx ON code.messages (org_id, town_id);
CREATE INDEX messages_town_conversation_idx ON code.messages (town_id, conversation_id, created_at);
CREATE INDEX messages_user_idx ON code.messages (user_id);
CREATE INDEX messages_search_idx ON code.messages USING gin (search);
CREATE INDEX messages_metadata_idx ON code.messages USING gin (metadata jsonb_path_ops);
CREATE TRIGGER messages_touch_updated_at BEFORE UPDATE ON code.messages
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
SELECT core.enable_tenancy('code.messages');
--rollback DROP TABLE code.messages;

--changeset townhall:code-013-messages-conversation-triggers
--comment: keeps code conversation message counts and last-message times true
CREATE TRIGGER messages_conversation_insert AFTER INSERT ON code.messages
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION core.refresh_conversation_stats('code.conversations', 'code.messages');
CREATE TRIGGER messages_conversation_update AFTER UPDATE ON code.messages
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION core.refresh_conversation_stats('code.conversations', 'code.messages');
CREATE TRIGGER messages_conversation_delete AFTER DELETE ON code.messages
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION core.refresh_conversation_stats('code.conversations', 'code.messages');
--rollback DROP TRIGGER messages_conversation_delete ON code.messages;
--rollback DROP TRIGGER messages_conversation_update ON code.messages;
--rollback DROP TRIGGER messages_conversation_insert ON code.messages;
