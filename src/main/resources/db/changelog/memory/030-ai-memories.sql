--liquibase formatted sql

--changeset townhall:memory-030-ai-memories
--comment: long-term facts the AI keeps about a user (facts, preferences, relationships, goals ...), with where it learned them
CREATE TABLE memory.ai_memories (
    id                     uuid            NOT NULL DEFAULT gen_random_uuid(),
    org_id                 uuid            NOT NULL DEFAULT core.acting_org_id(),
    town_id                uuid            NOT NULL DEFAULT core.acting_town_id(),
    visibility             core.visibility NOT NULL DEFAULT 'private',
    shared_with            uuid[]          NOT NULL DEFAULT '{}',
    user_id                uuid,
    personality_id         uuid,
    category               text            NOT NULL,
    content                text            NOT NULL,
    importance             smallint        NOT NULL DEFAULT 5,
    source_conversation_id uuid,
    source_message_id      uuid,
    access_count           integer         NOT NULL DEFAULT 0,
    last_accessed_at       timestamptz,
    expires_at             timestamptz,
    tags                   text[]          NOT NULL DEFAULT '{}',
    created_at             timestamptz     NOT NULL DEFAULT now(),
    updated_at             timestamptz     NOT NULL DEFAULT now(),
    CONSTRAINT ai_memories_pkey PRIMARY KEY (id),
    CONSTRAINT ai_memories_town_id_key UNIQUE (town_id, id),
    CONSTRAINT ai_memories_org_town_fkey FOREIGN KEY (org_id, town_id) REFERENCES core.towns (org_id, id),
    CONSTRAINT ai_memories_user_fkey FOREIGN KEY (user_id) REFERENCES core.users (id) ON DELETE SET NULL,
    CONSTRAINT ai_memories_personality_fkey FOREIGN KEY (personality_id) REFERENCES ai.personalities (id) ON DELETE SET NULL,
    CONSTRAINT ai_memories_town_source_conversation_fkey FOREIGN KEY (town_id, source_conversation_id) REFERENCES comms.conversations (town_id, id)
        ON UPDATE CASCADE ON DELETE SET NULL (source_conversation_id),
    CONSTRAINT ai_memories_town_source_message_fkey FOREIGN KEY (town_id, source_message_id) REFERENCES comms.messages (town_id, id)
        ON UPDATE CASCADE ON DELETE SET NULL (source_message_id),
    CONSTRAINT ai_memories_shared_with_check CHECK (visibility = 'shared' OR shared_with = '{}'),
    CONSTRAINT ai_memories_category_check CHECK (category IN ('fact', 'preference', 'relationship', 'goal', 'event', 'instruction', 'insight')),
    CONSTRAINT ai_memories_content_check CHECK (btrim(content) <> ''),
    CONSTRAINT ai_memories_importance_check CHECK (importance BETWEEN 1 AND 10),
    CONSTRAINT ai_memories_access_count_check CHECK (access_count >= 0)
);
CREATE INDEX ai_memories_org_town_idx ON memory.ai_memories (org_id, town_id);
CREATE INDEX ai_memories_user_idx ON memory.ai_memories (user_id, importance DESC);
CREATE INDEX ai_memories_personality_idx ON memory.ai_memories (personality_id);
CREATE INDEX ai_memories_town_source_conversation_idx ON memory.ai_memories (town_id, source_conversation_id);
CREATE INDEX ai_memories_town_source_message_idx ON memory.ai_memories (town_id, source_message_id);
CREATE INDEX ai_memories_tags_idx ON memory.ai_memories USING gin (tags);
CREATE TRIGGER ai_memories_touch_updated_at BEFORE UPDATE ON memory.ai_memories
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
SELECT core.enable_tenancy('memory.ai_memories');
--rollback DROP TABLE memory.ai_memories;
