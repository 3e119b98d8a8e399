--liquibase formatted sql

--changeset townhall:work-010-priorities
--comment: a person's ranked priorities for a horizon (today .. year); tasks can hang under one
CREATE TABLE work.priorities (
    id          uuid            NOT NULL DEFAULT gen_random_uuid(),
    org_id      uuid            NOT NULL DEFAULT core.acting_org_id(),
    town_id     uuid            NOT NULL DEFAULT core.acting_town_id(),
    visibility  core.visibility NOT NULL DEFAULT 'private',
    shared_with uuid[]          NOT NULL DEFAULT '{}',
    user_id     uuid,
    title       text            NOT NULL,
    description text,
    rank        integer         NOT NULL DEFAULT 100,
    horizon     text            NOT NULL DEFAULT 'week',
    status      text            NOT NULL DEFAULT 'active',
    due_at      timestamptz,
    deal_id     uuid,
    tags        text[]          NOT NULL DEFAULT '{}',
    created_at  timestamptz     NOT NULL DEFAULT now(),
    updated_at  timestamptz     NOT NULL DEFAULT now(),
    CONSTRAINT priorities_pkey PRIMARY KEY (id),
    CONSTRAINT priorities_town_id_key UNIQUE (town_id, id),
    CONSTRAINT priorities_org_town_fkey FOREIGN KEY (org_id, town_id) REFERENCES core.towns (org_id, id),
    CONSTRAINT priorities_user_fkey FOREIGN KEY (user_id) REFERENCES core.users (id) ON DELETE SET NULL,
    CONSTRAINT priorities_town_deal_fkey FOREIGN KEY (town_id, deal_id) REFERENCES crm.deals (town_id, id)
        ON UPDATE CASCADE ON DELETE SET NULL (deal_id),
    CONSTRAINT priorities_shared_with_check CHECK (visibility = 'shared' OR shared_with = '{}'),
    CONSTRAINT priorities_title_check CHECK (btrim(title) <> ''),
    CONSTRAINT priorities_rank_check CHECK (rank >= 1),
    CONSTRAINT priorities_horizon_check CHECK (horizon IN ('today', 'week', 'month', 'quarter', 'year')),
    CONSTRAINT priorities_status_check CHECK (status IN ('active', 'achieved', 'dropped'))
);
CREATE INDEX priorities_org_town_idx ON work.priorities (org_id, town_id);
CREATE INDEX priorities_user_idx ON work.priorities (user_id, rank);
CREATE INDEX priorities_town_deal_idx ON work.priorities (town_id, deal_id);
CREATE INDEX priorities_tags_idx ON work.priorities USING gin (tags);
CREATE TRIGGER priorities_touch_updated_at BEFORE UPDATE ON work.priorities
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
SELECT core.enable_tenancy('work.priorities');
--rollback DROP TABLE work.priorities;
