--liquibase formatted sql

--changeset townhall:ai-010-personality-categories
--comment: the groups personalities come in (Robbie, Mentors, Pros); a global catalogue, not tenant data
CREATE TABLE ai.personality_categories (
    id          uuid        NOT NULL DEFAULT gen_random_uuid(),
    slug        text        NOT NULL,
    name        text        NOT NULL,
    description text,
    position    smallint    NOT NULL DEFAULT 100,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT personality_categories_pkey PRIMARY KEY (id),
    CONSTRAINT personality_categories_slug_key UNIQUE (slug),
    CONSTRAINT personality_categories_slug_check CHECK (slug ~ '^[a-z0-9][a-z0-9-]*$'),
    CONSTRAINT personality_categories_name_check CHECK (btrim(name) <> '')
);
CREATE TRIGGER personality_categories_touch_updated_at BEFORE UPDATE ON ai.personality_categories
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
-- catalogue tables are read-only to the application; the owner role maintains them
REVOKE INSERT, UPDATE, DELETE ON ai.personality_categories FROM townhall_app;
COMMENT ON TABLE ai.personality_categories IS 'global: the personality catalogue is shared by every organisation and town';
--rollback DROP TABLE ai.personality_categories;
