--liquibase formatted sql

--changeset townhall:crm-010-companies
--comment: companies of a town (hubspot, apollo and manual sources merge here); engagement columns are maintained from crm.activities
CREATE TABLE crm.companies (
    id               uuid             NOT NULL DEFAULT gen_random_uuid(),
    org_id           uuid             NOT NULL DEFAULT core.acting_org_id(),
    town_id          uuid             NOT NULL DEFAULT core.acting_town_id(),
    visibility       core.visibility  NOT NULL DEFAULT 'private',
    shared_with      uuid[]           NOT NULL DEFAULT '{}',
    name             text             NOT NULL,
    -- normalised host name (lower case, no scheme, no www., no path): the first dedup key
    domain           citext,
    website          text,
    linkedin_url     text,
    industry         text,
    description      text,
    employee_count   integer,
    -- the range as a source gave it ('51-200', '1,000+') when no exact count is known
    employee_range   text,
    annual_revenue   numeric(18,2),
    revenue_currency char(3)          NOT NULL DEFAULT 'USD',
    founded_year     smallint,
    city             text,
    state            text,
    country          text,
    lifecycle_stage  text,
    owner_user_id    uuid,
    tags             text[]           NOT NULL DEFAULT '{}',
    notes            text,
    -- derived (trigger from crm.activities): see crm.refresh_engagement()
    engagement_score smallint         NOT NULL DEFAULT 0,
    touch_count      integer          NOT NULL DEFAULT 0,
    last_touch_at    timestamptz,
    created_at       timestamptz      NOT NULL DEFAULT now(),
    updated_at       timestamptz      NOT NULL DEFAULT now(),
    CONSTRAINT companies_pkey PRIMARY KEY (id),
    CONSTRAINT companies_town_id_key UNIQUE (town_id, id),
    CONSTRAINT companies_org_town_fkey FOREIGN KEY (org_id, town_id) REFERENCES core.towns (org_id, id),
    CONSTRAINT companies_owner_user_fkey FOREIGN KEY (owner_user_id) REFERENCES core.users (id) ON DELETE SET NULL,
    CONSTRAINT companies_shared_with_check CHECK (visibility = 'shared' OR shared_with = '{}'),
    CONSTRAINT companies_name_check CHECK (btrim(name) <> ''),
    CONSTRAINT companies_domain_check CHECK (domain ~ '^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$'),
    CONSTRAINT companies_employee_count_check CHECK (employee_count >= 0),
    CONSTRAINT companies_annual_revenue_check CHECK (annual_revenue >= 0),
    CONSTRAINT companies_revenue_currency_check CHECK (revenue_currency ~ '^[A-Z]{3}$'),
    CONSTRAINT companies_founded_year_check CHECK (founded_year BETWEEN 1600 AND 2200),
    CONSTRAINT companies_lifecycle_stage_check CHECK (lifecycle_stage IN ('subscriber', 'lead', 'mql', 'sql', 'opportunity', 'customer', 'evangelist', 'other')),
    CONSTRAINT companies_engagement_score_check CHECK (engagement_score BETWEEN 0 AND 100),
    CONSTRAINT companies_touch_count_check CHECK (touch_count >= 0)
);
CREATE INDEX companies_org_town_idx ON crm.companies (org_id, town_id);
CREATE INDEX companies_town_domain_idx ON crm.companies (town_id, domain);
CREATE INDEX companies_town_name_idx ON crm.companies (town_id, lower(name));
CREATE INDEX companies_owner_user_idx ON crm.companies (owner_user_id);
CREATE INDEX companies_tags_idx ON crm.companies USING gin (tags);
CREATE TRIGGER companies_touch_updated_at BEFORE UPDATE ON crm.companies
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
SELECT core.enable_tenancy('crm.companies');
--rollback DROP TABLE crm.companies;
