--liquibase formatted sql

--changeset townhall:core-012-users
--comment: people and service accounts of an organisation; merges Aurora's auth columns with V3's profile columns
CREATE TABLE core.users (
    id            uuid        NOT NULL DEFAULT gen_random_uuid(),
    org_id        uuid        NOT NULL,
    username      citext,
    -- the text id old systems used for this person ('allan'); legacy.id_map records every mapping
    handle        text,
    email         citext      NOT NULL,
    -- NULL for users that only authenticate with API keys (service users)
    password_hash text,
    first_name    text,
    last_name     text,
    full_name     text GENERATED ALWAYS AS (nullif(btrim(coalesce(first_name, '') || ' ' || coalesce(last_name, '')), '')) STORED,
    job_title     text,
    phone         text,
    avatar_url    text,
    timezone      text        NOT NULL DEFAULT 'UTC',
    is_active     boolean     NOT NULL DEFAULT true,
    is_service    boolean     NOT NULL DEFAULT false,
    last_login    timestamptz,
    preferences   jsonb       NOT NULL DEFAULT '{}',
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_pkey PRIMARY KEY (id),
    -- target of (org_id, user_id) foreign keys, which keep memberships and keys inside one organisation
    CONSTRAINT users_org_id_key UNIQUE (org_id, id),
    CONSTRAINT users_org_email_key UNIQUE (org_id, email),
    CONSTRAINT users_org_username_key UNIQUE (org_id, username),
    CONSTRAINT users_org_handle_key UNIQUE (org_id, handle),
    CONSTRAINT users_org_fkey FOREIGN KEY (org_id) REFERENCES core.organizations (id),
    CONSTRAINT users_email_check CHECK (email ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
    CONSTRAINT users_username_check CHECK (username ~ '^[a-z0-9][a-z0-9._-]{0,49}$'),
    CONSTRAINT users_handle_check CHECK (handle ~ '^[a-z0-9][a-z0-9._-]{0,62}$'),
    CONSTRAINT users_password_hash_check CHECK (password_hash <> ''),
    CONSTRAINT users_preferences_check CHECK (jsonb_typeof(preferences) = 'object')
);
CREATE INDEX users_preferences_idx ON core.users USING gin (preferences jsonb_path_ops);
CREATE TRIGGER users_touch_updated_at BEFORE UPDATE ON core.users
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
--rollback DROP TABLE core.users;
