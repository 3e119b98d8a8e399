--liquibase formatted sql

--changeset townhall:ai-011-moods
--comment: the six mood states (also the avatar's expressions); other tables reference a mood by its slug
CREATE TABLE ai.moods (
    id          uuid        NOT NULL DEFAULT gen_random_uuid(),
    slug        text        NOT NULL,
    name        text        NOT NULL,
    description text        NOT NULL,
    emoji       text,
    position    smallint    NOT NULL DEFAULT 100,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT moods_pkey PRIMARY KEY (id),
    CONSTRAINT moods_slug_key UNIQUE (slug),
    CONSTRAINT moods_slug_check CHECK (slug ~ '^[a-z][a-z_]*$'),
    CONSTRAINT moods_name_check CHECK (btrim(name) <> '')
);
CREATE TRIGGER moods_touch_updated_at BEFORE UPDATE ON ai.moods
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
REVOKE INSERT, UPDATE, DELETE ON ai.moods FROM townhall_app;
COMMENT ON TABLE ai.moods IS 'global: the six moods are reference data shared by every town';
--rollback DROP TABLE ai.moods;
