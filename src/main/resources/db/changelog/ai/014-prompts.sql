--liquibase formatted sql

--changeset townhall:ai-014-prompts
--comment: versioned prompts per personality and mood (mood NULL = any mood), generated or optimised; at most one active per (personality, mood)
CREATE TABLE ai.prompts (
    id             uuid        NOT NULL DEFAULT gen_random_uuid(),
    personality_id uuid        NOT NULL,
    mood           text,
    version        integer     NOT NULL DEFAULT 1,
    content        text        NOT NULL,
    source         text        NOT NULL DEFAULT 'generated',
    is_active      boolean     NOT NULL DEFAULT false,
    activated_at   timestamptz,
    created_by     uuid,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT prompts_pkey PRIMARY KEY (id),
    CONSTRAINT prompts_personality_mood_version_key UNIQUE NULLS NOT DISTINCT (personality_id, mood, version),
    CONSTRAINT prompts_personality_fkey FOREIGN KEY (personality_id) REFERENCES ai.personalities (id) ON DELETE CASCADE,
    CONSTRAINT prompts_mood_fkey FOREIGN KEY (mood) REFERENCES ai.moods (slug) ON UPDATE CASCADE,
    CONSTRAINT prompts_created_by_fkey FOREIGN KEY (created_by) REFERENCES core.users (id) ON DELETE SET NULL,
    CONSTRAINT prompts_version_check CHECK (version >= 1),
    CONSTRAINT prompts_content_check CHECK (btrim(content) <> ''),
    CONSTRAINT prompts_source_check CHECK (source IN ('generated', 'optimized', 'manual'))
);
CREATE UNIQUE INDEX prompts_one_active_idx ON ai.prompts (personality_id, mood) NULLS NOT DISTINCT WHERE is_active;
CREATE INDEX prompts_mood_idx ON ai.prompts (mood);
CREATE INDEX prompts_created_by_idx ON ai.prompts (created_by);
CREATE TRIGGER prompts_touch_updated_at BEFORE UPDATE ON ai.prompts
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
REVOKE INSERT, UPDATE, DELETE ON ai.prompts FROM townhall_app;
COMMENT ON TABLE ai.prompts IS 'global: prompts belong to catalogue personalities, not to a town';
--rollback DROP TABLE ai.prompts;
