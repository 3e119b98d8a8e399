--liquibase formatted sql

--changeset townhall:sync-010-peers
--comment: the primary and its replicas; a replica may be restricted to some towns (plus shared data); global, maintained by the owner role
CREATE TABLE sync.peers (
    id               uuid        NOT NULL DEFAULT gen_random_uuid(),
    name             text        NOT NULL,
    role             text        NOT NULL,
    -- towns this peer holds; empty = every town
    town_ids         uuid[]      NOT NULL DEFAULT '{}',
    include_shared   boolean     NOT NULL DEFAULT true,
    -- where to reach it (host:port/db); credentials are never stored here
    endpoint         text,
    status           text        NOT NULL DEFAULT 'active',
    last_seen_at     timestamptz,
    -- the newest hybrid-logical-clock value applied from this peer
    last_applied_hlc text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT peers_pkey PRIMARY KEY (id),
    CONSTRAINT peers_name_key UNIQUE (name),
    CONSTRAINT peers_name_check CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,62}$'),
    CONSTRAINT peers_role_check CHECK (role IN ('primary', 'replica')),
    CONSTRAINT peers_status_check CHECK (status IN ('active', 'paused', 'retired')),
    CONSTRAINT peers_endpoint_check CHECK (endpoint !~ '(password|@)')
);
CREATE UNIQUE INDEX peers_one_primary_idx ON sync.peers (role) WHERE role = 'primary' AND status <> 'retired';
CREATE INDEX peers_town_ids_idx ON sync.peers USING gin (town_ids);
CREATE TRIGGER peers_touch_updated_at BEFORE UPDATE ON sync.peers
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
REVOKE INSERT, UPDATE, DELETE ON sync.peers FROM townhall_app;
COMMENT ON TABLE sync.peers IS 'global: replicas of the whole database; a peer names the towns it holds';
--rollback DROP TABLE sync.peers;
