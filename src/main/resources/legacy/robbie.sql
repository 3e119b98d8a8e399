-- The old "Robbie" database, as its owners' pg_dump --schema-only describes it (see legacy-schemas.md).
-- 13 tables. These are facts about an outside system, so they keep its habits: text where a type belongs,
-- ids without primary keys where the data came from CSV, references without foreign keys.
-- Executed as one script by LegacyGenerator into an empty schema; keep every statement ending with ';'.

-- HubSpot CRM export. created_date is free text in whatever format the export used;
-- hs_lastmodifieddate has no zone and holds UTC.
CREATE TABLE hubspot_companies (
    id                  bigint NOT NULL,
    name                text,
    domain              text,
    industry            text,
    employee_count      text,
    annual_revenue      numeric,
    city                text,
    state               text,
    country             text,
    owner_email         text,
    created_date        text,
    hs_lastmodifieddate timestamp without time zone,
    lifecycle_stage     text,
    notes               text,
    CONSTRAINT hubspot_companies_pkey PRIMARY KEY (id)
);

-- Enrichment vendor export, loaded from CSV: no primary key, so an apollo_id can repeat.
CREATE TABLE apollo_companies (
    apollo_id     text,
    company_name  text,
    website_url   text,
    linkedin_url  text,
    num_employees integer,
    industry      text,
    founded_year  integer,
    enriched_at   timestamp with time zone,
    raw           jsonb
);

-- Typed by hand; added_by is a user's text id ('allan', ...).
CREATE TABLE manual_companies (
    id       serial,
    name     text,
    website  text,
    added_by text,
    added_on date,
    CONSTRAINT manual_companies_pkey PRIMARY KEY (id)
);

-- company_id means hubspot_companies.id, but nothing enforces it.
CREATE TABLE hubspot_contacts (
    id               bigint NOT NULL,
    firstname        text,
    lastname         text,
    email            text,
    phone            text,
    jobtitle         text,
    company_id       bigint,
    lifecyclestage   text,
    createdate       text,
    lastmodifieddate timestamp without time zone,
    owner            text,
    CONSTRAINT hubspot_contacts_pkey PRIMARY KEY (id)
);

-- No primary key; organization_id means apollo_companies.apollo_id, unenforced.
-- phone_numbers is a JSON array of strings.
CREATE TABLE apollo_contacts (
    id              text,
    first_name      text,
    last_name       text,
    email           text,
    email_status    text,
    title           text,
    organization_id text,
    linkedin_url    text,
    city            text,
    state           text,
    country         text,
    phone_numbers   jsonb,
    created_at      timestamp with time zone
);

-- One name field, and the company as free text.
CREATE TABLE manual_contacts (
    id           serial,
    full_name    text,
    email        text,
    phone        text,
    company_name text,
    notes        text,
    added_by     text,
    CONSTRAINT manual_contacts_pkey PRIMARY KEY (id)
);

-- amount is text as the CRM exported it; company_id and contact_id are hubspot ids, unenforced.
CREATE TABLE hubspot_deals (
    deal_id    bigint NOT NULL,
    dealname   text,
    amount     text,
    dealstage  text,
    pipeline   text,
    closedate  text,
    company_id bigint,
    contact_id bigint,
    owner      text,
    createdate text,
    CONSTRAINT hubspot_deals_pkey PRIMARY KEY (deal_id)
);

CREATE TABLE manual_deals (
    id           serial,
    name         text,
    value        numeric,
    stage        text,
    company_name text,
    added_by     text,
    CONSTRAINT manual_deals_pkey PRIMARY KEY (id)
);

CREATE TABLE pipeline_deals (
    id            uuid NOT NULL,
    title         text,
    amount_cents  bigint,
    currency      character(3),
    stage         text,
    contact_email text,
    CONSTRAINT pipeline_deals_pkey PRIMARY KEY (id)
);

-- The bulk of the data. contact_id, company_id and deal_id are hubspot ids (any may be null, none enforced);
-- "timestamp" is epoch milliseconds; metadata is JSON kept as text.
CREATE TABLE activities (
    id          bigint NOT NULL,
    type        text,
    subject     text,
    body        text,
    contact_id  bigint,
    company_id  bigint,
    deal_id     bigint,
    "timestamp" bigint,
    source      text,
    metadata    text,
    CONSTRAINT activities_pkey PRIMARY KEY (id)
);

-- attendees: comma- or semicolon-separated emails or names; deal_id is a hubspot deal id, unenforced.
CREATE TABLE meeting_transcripts (
    id               uuid NOT NULL,
    meeting_title    text,
    started_at       timestamp with time zone,
    duration_seconds integer,
    attendees        text,
    transcript       text,
    summary          text,
    deal_id          bigint,
    CONSTRAINT meeting_transcripts_pkey PRIMARY KEY (id)
);

-- assigned_to is a user's text id; contact_id a hubspot contact id, unenforced.
CREATE TABLE tasks (
    id          serial,
    title       text,
    notes       text,
    status      text,
    priority    text,
    due_date    text,
    assigned_to text,
    contact_id  bigint,
    completed   boolean,
    CONSTRAINT tasks_pkey PRIMARY KEY (id)
);

-- created_at has no zone and holds local time in America/New_York.
CREATE TABLE chat_history (
    id         serial,
    session_id text,
    user_id    text,
    role       text,
    message    text,
    created_at timestamp without time zone,
    model      text,
    tokens     integer,
    mood       text,
    CONSTRAINT chat_history_pkey PRIMARY KEY (id)
);
