--liquibase formatted sql

--changeset townhall:core-011-towns
--comment: a town (the seeds' "city"/workspace) is the unit of data ownership; at most one capital per organisation
CREATE TABLE core.towns (
    id          uuid        NOT NULL DEFAULT gen_random_uuid(),
    org_id      uuid        NOT NULL,
    slug        text        NOT NULL,
    name        text        NOT NULL,
    description text,
    is_capital  boolean     NOT NULL DEFAULT false,
    status      text        NOT NULL DEFAULT 'active',
    timezone    text        NOT NULL DEFAULT 'UTC',
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT towns_pkey PRIMARY KEY (id),
    CONSTRAINT towns_org_slug_key UNIQUE (org_id, slug),
    -- target of every tenant table's (org_id, town_id) foreign key
    CONSTRAINT towns_org_id_key UNIQUE (org_id, id),
    CONSTRAINT towns_org_fkey FOREIGN KEY (org_id) REFERENCES core.organizations (id),
    CONSTRAINT towns_slug_check CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    CONSTRAINT towns_name_check CHECK (btrim(name) <> ''),
    CONSTRAINT towns_status_check CHECK (status IN ('active', 'archived'))
);
CREATE UNIQUE INDEX towns_one_capital_per_org_idx ON core.towns (org_id) WHERE is_capital;
CREATE TRIGGER towns_touch_updated_at BEFORE UPDATE ON core.towns
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
--rollback DROP TABLE core.towns;
