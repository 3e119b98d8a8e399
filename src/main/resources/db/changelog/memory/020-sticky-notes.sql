--liquibase formatted sql

--changeset townhall:memory-020-sticky-notes
--comment: short notes (insight/action/objection/decision) pinned to any record; the sticky-notes learning system writes them too
CREATE TABLE memory.sticky_notes (
    id              uuid            NOT NULL DEFAULT gen_random_uuid(),
    org_id          uuid            NOT NULL DEFAULT core.acting_org_id(),
    town_id         uuid            NOT NULL DEFAULT core.acting_town_id(),
    visibility      core.visibility NOT NULL DEFAULT 'private',
    shared_with     uuid[]          NOT NULL DEFAULT '{}',
    user_id         uuid,
    content         text            NOT NULL,
    note_type       text            NOT NULL DEFAULT 'insight',
    color           text            NOT NULL DEFAULT 'yellow',
    tags            text[]          NOT NULL DEFAULT '{}',
    -- the record it is about (any tenant table of the same town; no FK across types)
    related_to_type text,
    related_to_id   uuid,
    is_pinned       boolean         NOT NULL DEFAULT false,
    source          text            NOT NULL DEFAULT 'manual',
    confidence      real,
    created_at      timestamptz     NOT NULL DEFAULT now(),
    updated_at      timestamptz     NOT NULL DEFAULT now(),
    CONSTRAINT sticky_notes_pkey PRIMARY KEY (id),
    CONSTRAINT sticky_notes_town_id_key UNIQUE (town_id, id),
    CONSTRAINT sticky_notes_org_town_fkey FOREIGN KEY (org_id, town_id) REFERENCES core.towns (org_id, id),
    CONSTRAINT sticky_notes_user_fkey FOREIGN KEY (user_id) REFERENCES core.users (id) ON DELETE SET NULL,
    CONSTRAINT sticky_notes_shared_with_check CHECK (visibility = 'shared' OR shared_with = '{}'),
    CONSTRAINT sticky_notes_content_check CHECK (btrim(content) <> ''),
    CONSTRAINT sticky_notes_note_type_check CHECK (note_type IN ('insight', 'action', 'objection', 'decision')),
    CONSTRAINT sticky_notes_color_check CHECK (color IN ('yellow', 'pink', 'blue', 'green', 'purple', 'orange')),
    CONSTRAINT sticky_notes_related_to_type_check CHECK (related_to_type IN ('contact', 'company', 'deal', 'activity', 'task', 'meeting', 'conversation', 'message', 'email', 'knowledge')),
    CONSTRAINT sticky_notes_related_check CHECK ((related_to_type IS NULL) = (related_to_id IS NULL)),
    CONSTRAINT sticky_notes_source_check CHECK (source IN ('manual', 'ai', 'meeting', 'import')),
    CONSTRAINT sticky_notes_confidence_check CHECK (confidence BETWEEN 0 AND 1)
);
CREATE INDEX sticky_notes_org_town_idx ON memory.sticky_notes (org_id, town_id);
CREATE INDEX sticky_notes_town_related_idx ON memory.sticky_notes (town_id, related_to_type, related_to_id);
CREATE INDEX sticky_notes_user_idx ON memory.sticky_notes (user_id);
CREATE INDEX sticky_notes_tags_idx ON memory.sticky_notes USING gin (tags);
CREATE TRIGGER sticky_notes_touch_updated_at BEFORE UPDATE ON memory.sticky_notes
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
SELECT core.enable_tenancy('memory.sticky_notes');
--rollback DROP TABLE memory.sticky_notes;
