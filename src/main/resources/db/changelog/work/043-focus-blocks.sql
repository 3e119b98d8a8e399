--liquibase formatted sql

--changeset townhall:work-043-focus-blocks
--comment: protected time a person reserves for deep work and the like; counted by the capacity heatmap
CREATE TABLE work.focus_blocks (
    id                uuid            NOT NULL DEFAULT gen_random_uuid(),
    org_id            uuid            NOT NULL DEFAULT core.acting_org_id(),
    town_id           uuid            NOT NULL DEFAULT core.acting_town_id(),
    visibility        core.visibility NOT NULL DEFAULT 'private',
    shared_with       uuid[]          NOT NULL DEFAULT '{}',
    user_id           uuid            NOT NULL,
    title             text,
    block_type        text            NOT NULL DEFAULT 'deep_work',
    starts_at         timestamptz     NOT NULL,
    ends_at           timestamptz     NOT NULL,
    duration_minutes  integer GENERATED ALWAYS AS ((extract(epoch FROM ends_at - starts_at) / 60)::integer) STORED,
    status            text            NOT NULL DEFAULT 'planned',
    interruptions     integer         NOT NULL DEFAULT 0,
    calendar_event_id uuid,
    task_id           uuid,
    notes             text,
    created_at        timestamptz     NOT NULL DEFAULT now(),
    updated_at        timestamptz     NOT NULL DEFAULT now(),
    CONSTRAINT focus_blocks_pkey PRIMARY KEY (id),
    CONSTRAINT focus_blocks_town_id_key UNIQUE (town_id, id),
    CONSTRAINT focus_blocks_org_town_fkey FOREIGN KEY (org_id, town_id) REFERENCES core.towns (org_id, id),
    CONSTRAINT focus_blocks_user_fkey FOREIGN KEY (user_id) REFERENCES core.users (id) ON DELETE CASCADE,
    CONSTRAINT focus_blocks_town_calendar_event_fkey FOREIGN KEY (town_id, calendar_event_id) REFERENCES work.calendar_events (town_id, id)
        ON UPDATE CASCADE ON DELETE SET NULL (calendar_event_id),
    CONSTRAINT focus_blocks_town_task_fkey FOREIGN KEY (town_id, task_id) REFERENCES work.tasks (town_id, id)
        ON UPDATE CASCADE ON DELETE SET NULL (task_id),
    CONSTRAINT focus_blocks_shared_with_check CHECK (visibility = 'shared' OR shared_with = '{}'),
    CONSTRAINT focus_blocks_time_check CHECK (ends_at > starts_at),
    CONSTRAINT focus_blocks_block_type_check CHECK (block_type IN ('deep_work', 'admin', 'learning', 'planning', 'break')),
    CONSTRAINT focus_blocks_status_check CHECK (status IN ('planned', 'active', 'completed', 'cancelled')),
    CONSTRAINT focus_blocks_interruptions_check CHECK (interruptions >= 0)
);
CREATE INDEX focus_blocks_org_town_idx ON work.focus_blocks (org_id, town_id);
CREATE INDEX focus_blocks_user_starts_idx ON work.focus_blocks (user_id, starts_at);
CREATE INDEX focus_blocks_town_calendar_event_idx ON work.focus_blocks (town_id, calendar_event_id);
CREATE INDEX focus_blocks_town_task_idx ON work.focus_blocks (town_id, task_id);
CREATE TRIGGER focus_blocks_touch_updated_at BEFORE UPDATE ON work.focus_blocks
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
SELECT core.enable_tenancy('work.focus_blocks');
--rollback DROP TABLE work.focus_blocks;
