--liquibase formatted sql

--changeset townhall:memory-040-working-memory
--comment: short-lived context the AI tracks in and across conversations (topics, entities, goals, open commitments): the seeds' context_tracking / conversation_context
CREATE TABLE memory.working_memory (
    id              uuid            NOT NULL DEFAULT gen_random_uuid(),
    org_id          uuid            NOT NULL DEFAULT core.acting_org_id(),
    town_id         uuid            NOT NULL DEFAULT core.acting_town_id(),
    visibility      core.visibility NOT NULL DEFAULT 'private',
    shared_with     uuid[]          NOT NULL DEFAULT '{}',
    user_id         uuid,
    conversation_id uuid,
    personality_id  uuid,
    item_type       text            NOT NULL,
    content         text            NOT NULL,
    -- ids and attributes of what the item refers to
    data            jsonb           NOT NULL DEFAULT '{}',
    importance      smallint        NOT NULL DEFAULT 5,
    expires_at      timestamptz,
    created_at      timestamptz     NOT NULL DEFAULT now(),
    updated_at      timestamptz     NOT NULL DEFAULT now(),
    CONSTRAINT working_memory_pkey PRIMARY KEY (id),
    CONSTRAINT working_memory_town_id_key UNIQUE (town_id, id),
    CONSTRAINT working_memory_org_town_fkey FOREIGN KEY (org_id, town_id) REFERENCES core.towns (org_id, id),
    CONSTRAINT working_memory_user_fkey FOREIGN KEY (user_id) REFERENCES core.users (id) ON DELETE CASCADE,
    CONSTRAINT working_memory_town_conversation_fkey FOREIGN KEY (town_id, conversation_id) REFERENCES comms.conversations (town_id, id)
        ON UPDATE CASCADE ON DELETE CASCADE,
    CONSTRAINT working_memory_personality_fkey FOREIGN KEY (personality_id) REFERENCES ai.personalities (id) ON DELETE SET NULL,
    CONSTRAINT working_memory_shared_with_check CHECK (visibility = 'shared' OR shared_with = '{}'),
    CONSTRAINT working_memory_item_type_check CHECK (item_type IN ('topic', 'entity', 'goal', 'fact', 'instruction', 'commitment')),
    CONSTRAINT working_memory_importance_check CHECK (importance BETWEEN 1 AND 10),
    CONSTRAINT working_memory_data_check CHECK (jsonb_typeof(data) = 'object')
);
CREATE INDEX working_memory_org_town_idx ON memory.working_memory (org_id, town_id);
CREATE INDEX working_memory_town_conversation_idx ON memory.working_memory (town_id, conversation_id);
CREATE INDEX working_memory_user_idx ON memory.working_memory (user_id);
CREATE INDEX working_memory_personality_idx ON memory.working_memory (personality_id);
CREATE INDEX working_memory_town_expires_idx ON memory.working_memory (town_id, expires_at);
CREATE INDEX working_memory_data_idx ON memory.working_memory USING gin (data jsonb_path_ops);
CREATE TRIGGER working_memory_touch_updated_at BEFORE UPDATE ON memory.working_memory
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
SELECT core.enable_tenancy('memory.working_memory');
--rollback DROP TABLE memory.working_memory;
