--liquibase formatted sql

--changeset townhall:ops-000-schema
--comment: ops holds what operating TownHall needs: the backups taken and verified, retention and PII policies
-- Owner only: operations run as the owner from the CLI; nothing here is a town's data.
CREATE SCHEMA ops;
REVOKE ALL ON SCHEMA ops FROM PUBLIC;
--rollback DROP SCHEMA ops;

--changeset townhall:ops-010-backups
--comment: every backup taken by ./townhall backup, with its manifest, and when it was last verified by a restore
CREATE TABLE ops.backups (
    id          uuid        NOT NULL DEFAULT gen_random_uuid(),
    -- full: the whole database; town: a town-only export (town_id)
    kind        text        NOT NULL,
    town_id     uuid,
    -- where it was written (a path on the machine that took it)
    file        text        NOT NULL,
    bytes       bigint      NOT NULL,
    -- TownHall version, migration tag, per table and per town: row counts and content checksums
    manifest    jsonb       NOT NULL,
    started_at  timestamptz NOT NULL,
    finished_at timestamptz NOT NULL DEFAULT now(),
    -- set by ./townhall backup verify when a restore into a scratch database matched the manifest
    verified_at timestamptz,
    CONSTRAINT backups_pkey PRIMARY KEY (id),
    CONSTRAINT backups_kind_check CHECK (kind IN ('full', 'town')),
    CONSTRAINT backups_town_check CHECK ((kind = 'town') = (town_id IS NOT NULL)),
    CONSTRAINT backups_bytes_check CHECK (bytes >= 0),
    CONSTRAINT backups_finished_check CHECK (finished_at >= started_at),
    CONSTRAINT backups_manifest_check CHECK (jsonb_typeof(manifest) = 'object')
);
CREATE INDEX backups_finished_at_idx ON ops.backups (finished_at DESC);
COMMENT ON TABLE ops.backups IS 'global: owner only; the backups taken, their manifests and last verification';
--rollback DROP TABLE ops.backups;
