--liquibase formatted sql

--changeset townhall:sync-040-integrations
--comment: external systems a town is connected to (Google Workspace, Slack, LinkedIn, HubSpot, Apollo ...); secrets stay in a secret store, referenced by name
CREATE TABLE sync.integrations (
    id                 uuid            NOT NULL DEFAULT gen_random_uuid(),
    org_id             uuid            NOT NULL DEFAULT core.acting_org_id(),
    town_id            uuid            NOT NULL DEFAULT core.acting_town_id(),
    visibility         core.visibility NOT NULL DEFAULT 'private',
    shared_with        uuid[]          NOT NULL DEFAULT '{}',
    provider           text            NOT NULL,
    name               text            NOT NULL,
    -- the account on the other side: a mailbox, a Slack team id ...
    account_identifier text            NOT NULL DEFAULT '',
    status             text            NOT NULL DEFAULT 'active',
    scopes             text[]          NOT NULL DEFAULT '{}',
    -- non-secret settings (calendars to sync, channels ...)
    config             jsonb           NOT NULL DEFAULT '{}',
    -- name of the secret in the secret store; never the secret itself
    credentials_ref    text,
    sync_cursor        text,
    last_synced_at     timestamptz,
    last_error         text,
    connected_by       uuid,
    created_at         timestamptz     NOT NULL DEFAULT now(),
    updated_at         timestamptz     NOT NULL DEFAULT now(),
    CONSTRAINT integrations_pkey PRIMARY KEY (id),
    CONSTRAINT integrations_town_id_key UNIQUE (town_id, id),
    CONSTRAINT integrations_town_provider_account_key UNIQUE (town_id, provider, account_identifier),
    CONSTRAINT integrations_org_town_fkey FOREIGN KEY (org_id, town_id) REFERENCES core.towns (org_id, id),
    CONSTRAINT integrations_connected_by_fkey FOREIGN KEY (connected_by) REFERENCES core.users (id) ON DELETE SET NULL,
    CONSTRAINT integrations_shared_with_check CHECK (visibility = 'shared' OR shared_with = '{}'),
    CONSTRAINT integrations_provider_check CHECK (provider IN ('google_workspace', 'gmail', 'google_calendar', 'google_drive', 'slack', 'linkedin', 'hubspot', 'apollo', 'clay', 'github', 'openai', 'anthropic', 'other')),
    CONSTRAINT integrations_name_check CHECK (btrim(name) <> ''),
    CONSTRAINT integrations_status_check CHECK (status IN ('active', 'paused', 'error', 'revoked')),
    CONSTRAINT integrations_config_check CHECK (jsonb_typeof(config) = 'object')
);
CREATE INDEX integrations_org_town_idx ON sync.integrations (org_id, town_id);
CREATE INDEX integrations_connected_by_idx ON sync.integrations (connected_by);
CREATE INDEX integrations_scopes_idx ON sync.integrations USING gin (scopes);
CREATE INDEX integrations_config_idx ON sync.integrations USING gin (config jsonb_path_ops);
CREATE TRIGGER integrations_touch_updated_at BEFORE UPDATE ON sync.integrations
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
SELECT core.enable_tenancy('sync.integrations');
--rollback DROP TABLE sync.integrations;

--changeset townhall:sync-041-webhooks
--comment: inbound and outbound webhooks of a town; the signing secret is referenced, not stored
CREATE TABLE sync.webhooks (
    id               uuid            NOT NULL DEFAULT gen_random_uuid(),
    org_id           uuid            NOT NULL DEFAULT core.acting_org_id(),
    town_id          uuid            NOT NULL DEFAULT core.acting_town_id(),
    visibility       core.visibility NOT NULL DEFAULT 'private',
    shared_with      uuid[]          NOT NULL DEFAULT '{}',
    integration_id   uuid,
    direction        text            NOT NULL,
    url              text            NOT NULL,
    events           text[]          NOT NULL DEFAULT '{}',
    secret_ref       text,
    is_active        boolean         NOT NULL DEFAULT true,
    last_delivery_at timestamptz,
    last_status      integer,
    failure_count    integer         NOT NULL DEFAULT 0,
    created_by       uuid,
    created_at       timestamptz     NOT NULL DEFAULT now(),
    updated_at       timestamptz     NOT NULL DEFAULT now(),
    CONSTRAINT webhooks_pkey PRIMARY KEY (id),
    CONSTRAINT webhooks_town_id_key UNIQUE (town_id, id),
    CONSTRAINT webhooks_org_town_fkey FOREIGN KEY (org_id, town_id) REFERENCES core.towns (org_id, id),
    CONSTRAINT webhooks_town_integration_fkey FOREIGN KEY (town_id, integration_id) REFERENCES sync.integrations (town_id, id)
        ON UPDATE CASCADE ON DELETE CASCADE,
    CONSTRAINT webhooks_created_by_fkey FOREIGN KEY (created_by) REFERENCES core.users (id) ON DELETE SET NULL,
    CONSTRAINT webhooks_shared_with_check CHECK (visibility = 'shared' OR shared_with = '{}'),
    CONSTRAINT webhooks_direction_check CHECK (direction IN ('inbound', 'outbound')),
    CONSTRAINT webhooks_url_check CHECK (url ~ '^https?://[^[:space:]]+$'),
    CONSTRAINT webhooks_last_status_check CHECK (last_status BETWEEN 100 AND 599),
    CONSTRAINT webhooks_failure_count_check CHECK (failure_count >= 0)
);
CREATE INDEX webhooks_org_town_idx ON sync.webhooks (org_id, town_id);
CREATE INDEX webhooks_town_integration_idx ON sync.webhooks (town_id, integration_id);
CREATE INDEX webhooks_created_by_idx ON sync.webhooks (created_by);
CREATE INDEX webhooks_events_idx ON sync.webhooks USING gin (events);
CREATE TRIGGER webhooks_touch_updated_at BEFORE UPDATE ON sync.webhooks
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
SELECT core.enable_tenancy('sync.webhooks');
--rollback DROP TABLE sync.webhooks;
