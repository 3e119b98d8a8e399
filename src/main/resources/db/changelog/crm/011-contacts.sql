--liquibase formatted sql

--changeset townhall:crm-011-contacts
--comment: people of a town; the composite FK keeps them from pointing at another town's company; full name generated, engagement maintained from crm.activities
CREATE TABLE crm.contacts (
    id               uuid             NOT NULL DEFAULT gen_random_uuid(),
    org_id           uuid             NOT NULL DEFAULT core.acting_org_id(),
    town_id          uuid             NOT NULL DEFAULT core.acting_town_id(),
    visibility       core.visibility  NOT NULL DEFAULT 'private',
    shared_with      uuid[]           NOT NULL DEFAULT '{}',
    first_name       text             NOT NULL,
    -- empty for people known by one name only
    last_name        text             NOT NULL DEFAULT '',
    full_name        text GENERATED ALWAYS AS (btrim(first_name || ' ' || last_name)) STORED,
    email            citext,
    email_status     text,
    phone            text,
    company_id       uuid,
    -- the company as free text when no company row is linked (manual sources)
    company_name     text,
    job_title        text,
    linkedin_url     text,
    avatar_url       text,
    city             text,
    state            text,
    country          text,
    lifecycle_stage  text,
    owner_user_id    uuid,
    is_vip           boolean          NOT NULL DEFAULT false,
    do_not_contact   boolean          NOT NULL DEFAULT false,
    tags             text[]           NOT NULL DEFAULT '{}',
    notes            text,
    -- derived (trigger from crm.activities): see crm.refresh_engagement()
    engagement_score smallint         NOT NULL DEFAULT 0,
    touch_count      integer          NOT NULL DEFAULT 0,
    last_touch_at    timestamptz,
    last_touch_type  text,
    created_at       timestamptz      NOT NULL DEFAULT now(),
    updated_at       timestamptz      NOT NULL DEFAULT now(),
    CONSTRAINT contacts_pkey PRIMARY KEY (id),
    CONSTRAINT contacts_town_id_key UNIQUE (town_id, id),
    CONSTRAINT contacts_org_town_fkey FOREIGN KEY (org_id, town_id) REFERENCES core.towns (org_id, id),
    CONSTRAINT contacts_town_company_fkey FOREIGN KEY (town_id, company_id) REFERENCES crm.companies (town_id, id)
        ON UPDATE CASCADE ON DELETE SET NULL (company_id),
    CONSTRAINT contacts_owner_user_fkey FOREIGN KEY (owner_user_id) REFERENCES core.users (id) ON DELETE SET NULL,
    CONSTRAINT contacts_shared_with_check CHECK (visibility = 'shared' OR shared_with = '{}'),
    CONSTRAINT contacts_first_name_check CHECK (btrim(first_name) <> ''),
    CONSTRAINT contacts_email_check CHECK (email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'),
    CONSTRAINT contacts_email_status_check CHECK (email_status IN ('verified', 'guessed', 'unavailable', 'invalid', 'unknown')),
    CONSTRAINT contacts_lifecycle_stage_check CHECK (lifecycle_stage IN ('subscriber', 'lead', 'mql', 'sql', 'opportunity', 'customer', 'evangelist', 'other')),
    CONSTRAINT contacts_engagement_score_check CHECK (engagement_score BETWEEN 0 AND 100),
    CONSTRAINT contacts_touch_count_check CHECK (touch_count >= 0),
    CONSTRAINT contacts_last_touch_type_check CHECK (last_touch_type IN ('email', 'call', 'meeting', 'note', 'task', 'message', 'linkedin', 'slack', 'sms', 'other'))
);
CREATE INDEX contacts_org_town_idx ON crm.contacts (org_id, town_id);
CREATE INDEX contacts_town_company_idx ON crm.contacts (town_id, company_id);
CREATE INDEX contacts_town_email_idx ON crm.contacts (town_id, email);
CREATE INDEX contacts_town_full_name_idx ON crm.contacts (town_id, lower(full_name));
CREATE INDEX contacts_owner_user_idx ON crm.contacts (owner_user_id);
CREATE INDEX contacts_tags_idx ON crm.contacts USING gin (tags);
CREATE TRIGGER contacts_touch_updated_at BEFORE UPDATE ON crm.contacts
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
SELECT core.enable_tenancy('crm.contacts');
--rollback DROP TABLE crm.contacts;
