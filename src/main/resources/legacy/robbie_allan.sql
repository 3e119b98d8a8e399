-- The old "Robbie_Allan" database, as its owners' pg_dump --schema-only describes it (see legacy-schemas.md).
-- 5 tables. Executed as one script by LegacyGenerator into an empty schema; keep every statement ending with ';'.

-- contact_email is the only link to a contact; occurred_at is ISO 8601 text with offsets.
CREATE TABLE interactions (
    id            uuid NOT NULL,
    contact_email text,
    channel       text,
    direction     text,
    summary       text,
    occurred_at   text,
    sentiment     real,
    CONSTRAINT interactions_pkey PRIMARY KEY (id)
);

CREATE TABLE contacts (
    id      integer NOT NULL,
    name    text,
    email   text,
    company text,
    CONSTRAINT contacts_pkey PRIMARY KEY (id)
);

-- contact_id means contacts.id, unenforced.
CREATE TABLE deals (
    id          integer NOT NULL,
    title       text,
    value_cents integer,
    stage       text,
    contact_id  integer,
    CONSTRAINT deals_pkey PRIMARY KEY (id)
);

CREATE TABLE companies (
    id   integer NOT NULL,
    name text,
    url  text,
    CONSTRAINT companies_pkey PRIMARY KEY (id)
);

-- tags: comma-separated.
CREATE TABLE knowledge_base (
    id      integer NOT NULL,
    title   text,
    content text,
    tags    text,
    created timestamp without time zone,
    CONSTRAINT knowledge_base_pkey PRIMARY KEY (id)
);
