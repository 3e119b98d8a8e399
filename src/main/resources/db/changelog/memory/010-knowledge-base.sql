--liquibase formatted sql

--changeset townhall:memory-010-knowledge-base
--comment: curated knowledge articles; a shared dataset (visible to every town of the organisation unless narrowed)
CREATE TABLE memory.knowledge_base (
    id             uuid            NOT NULL DEFAULT gen_random_uuid(),
    org_id         uuid            NOT NULL DEFAULT core.acting_org_id(),
    town_id        uuid            NOT NULL DEFAULT core.acting_town_id(),
    visibility     core.visibility NOT NULL DEFAULT 'shared',
    shared_with    uuid[]          NOT NULL DEFAULT '{}',
    title          text            NOT NULL,
    content        text            NOT NULL,
    summary        text,
    category       text,
    tags           text[]          NOT NULL DEFAULT '{}',
    -- manual, robbie_allan, import, web ...
    source         text            NOT NULL DEFAULT 'manual',
    source_uri     text,
    author_user_id uuid,
    search         tsvector GENERATED ALWAYS AS (
                       setweight(to_tsvector('english', title), 'A')
                       || setweight(to_tsvector('english', left(coalesce(summary, '') || ' ' || content, 100000)), 'B')
                   ) STORED,
    created_at     timestamptz     NOT NULL DEFAULT now(),
    updated_at     timestamptz     NOT NULL DEFAULT now(),
    CONSTRAINT knowledge_base_pkey PRIMARY KEY (id),
    CONSTRAINT knowledge_base_town_id_key UNIQUE (town_id, id),
    CONSTRAINT knowledge_base_org_town_fkey FOREIGN KEY (org_id, town_id) REFERENCES core.towns (org_id, id),
    CONSTRAINT knowledge_base_author_user_fkey FOREIGN KEY (author_user_id) REFERENCES core.users (id) ON DELETE SET NULL,
    CONSTRAINT knowledge_base_shared_with_check CHECK (visibility = 'shared' OR shared_with = '{}'),
    CONSTRAINT knowledge_base_title_check CHECK (btrim(title) <> ''),
    CONSTRAINT knowledge_base_source_check CHECK (source ~ '^[a-z0-9_]+$')
);
CREATE INDEX knowledge_base_org_town_idx ON memory.knowledge_base (org_id, town_id);
CREATE INDEX knowledge_base_author_user_idx ON memory.knowledge_base (author_user_id);
CREATE INDEX knowledge_base_tags_idx ON memory.knowledge_base USING gin (tags);
CREATE INDEX knowledge_base_search_idx ON memory.knowledge_base USING gin (search);
CREATE TRIGGER knowledge_base_touch_updated_at BEFORE UPDATE ON memory.knowledge_base
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
SELECT core.enable_tenancy('memory.knowledge_base');
--rollback DROP TABLE memory.knowledge_base;
