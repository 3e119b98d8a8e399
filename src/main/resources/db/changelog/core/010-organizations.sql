--liquibase formatted sql

--changeset townhall:core-010-organizations
--comment: the organisation (the seeds' "empire"); owns towns and users. Replaces the seeds' owner_id = 'testpilot' label
CREATE TABLE core.organizations (
    id          uuid        NOT NULL DEFAULT gen_random_uuid(),
    slug        text        NOT NULL,
    name        text        NOT NULL,
    domain      citext,
    org_type    text        NOT NULL DEFAULT 'corporate',
    status      text        NOT NULL DEFAULT 'active',
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT organizations_pkey PRIMARY KEY (id),
    CONSTRAINT organizations_slug_key UNIQUE (slug),
    CONSTRAINT organizations_domain_key UNIQUE (domain),
    CONSTRAINT organizations_slug_check CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    CONSTRAINT organizations_name_check CHECK (btrim(name) <> ''),
    CONSTRAINT organizations_org_type_check CHECK (org_type IN ('personal', 'corporate', 'nonprofit')),
    CONSTRAINT organizations_status_check CHECK (status IN ('active', 'suspended', 'archived'))
);
CREATE TRIGGER organizations_touch_updated_at BEFORE UPDATE ON core.organizations
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
-- organisations are created by the owner role (bootstrap, reference data, admin tooling), never by the application
REVOKE INSERT, UPDATE, DELETE ON core.organizations FROM townhall_app;
--rollback DROP TABLE core.organizations;
