--liquibase formatted sql

--changeset townhall:ai-012-personalities
--comment: AI personalities (the seeds' mentors, mentor_systems, ai_personalities): base prompt, default settings and behaviour; a global catalogue
CREATE TABLE ai.personalities (
    id                                uuid        NOT NULL DEFAULT gen_random_uuid(),
    category_id                       uuid        NOT NULL,
    slug                              text        NOT NULL,
    name                              text        NOT NULL,
    description                       text,
    -- the base system prompt; ai.get_active_prompt() falls back to it
    system_prompt                     text        NOT NULL,
    default_mood                      text        NOT NULL DEFAULT 'friendly',
    default_flirt_level               smallint    NOT NULL DEFAULT 5,
    default_gandhi_genghis            smallint    NOT NULL DEFAULT 5,
    default_genghis_gandhi_intensity  smallint    NOT NULL DEFAULT 50,
    default_cocktail_lightning_energy smallint    NOT NULL DEFAULT 50,
    -- the seeds' mentor_behavior: traits, tone, expertise, do/don't lists
    behavior                          jsonb       NOT NULL DEFAULT '{}',
    avatar_url                        text,
    is_active                         boolean     NOT NULL DEFAULT true,
    created_at                        timestamptz NOT NULL DEFAULT now(),
    updated_at                        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT personalities_pkey PRIMARY KEY (id),
    CONSTRAINT personalities_slug_key UNIQUE (slug),
    CONSTRAINT personalities_name_key UNIQUE (name),
    CONSTRAINT personalities_category_fkey FOREIGN KEY (category_id) REFERENCES ai.personality_categories (id),
    CONSTRAINT personalities_default_mood_fkey FOREIGN KEY (default_mood) REFERENCES ai.moods (slug) ON UPDATE CASCADE,
    CONSTRAINT personalities_slug_check CHECK (slug ~ '^[a-z0-9][a-z0-9-]*$'),
    CONSTRAINT personalities_system_prompt_check CHECK (btrim(system_prompt) <> ''),
    CONSTRAINT personalities_default_flirt_level_check CHECK (default_flirt_level BETWEEN 1 AND 10),
    CONSTRAINT personalities_default_gandhi_genghis_check CHECK (default_gandhi_genghis BETWEEN 1 AND 10),
    CONSTRAINT personalities_default_genghis_gandhi_intensity_check CHECK (default_genghis_gandhi_intensity BETWEEN 0 AND 100),
    CONSTRAINT personalities_default_cocktail_lightning_energy_check CHECK (default_cocktail_lightning_energy BETWEEN 0 AND 100),
    CONSTRAINT personalities_behavior_check CHECK (jsonb_typeof(behavior) = 'object')
);
CREATE INDEX personalities_category_idx ON ai.personalities (category_id);
CREATE INDEX personalities_default_mood_idx ON ai.personalities (default_mood);
CREATE INDEX personalities_behavior_idx ON ai.personalities USING gin (behavior jsonb_path_ops);
CREATE TRIGGER personalities_touch_updated_at BEFORE UPDATE ON ai.personalities
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
REVOKE INSERT, UPDATE, DELETE ON ai.personalities FROM townhall_app;
COMMENT ON TABLE ai.personalities IS 'global: the personality catalogue is shared by every organisation and town';
--rollback DROP TABLE ai.personalities;
