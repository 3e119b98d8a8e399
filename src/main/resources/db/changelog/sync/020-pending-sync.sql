--liquibase formatted sql

--changeset townhall:sync-020-pending-sync
--comment: the durable offline write queue: each local write waiting to reach a peer, retried with its count and last error
-- hlc: hybrid logical clock of the write, as text that sorts in causal order
-- (zero-padded physical milliseconds, logical counter, node id); last-write-wins inside a town compares it.
CREATE TABLE sync.pending_sync (
    id              uuid            NOT NULL DEFAULT gen_random_uuid(),
    org_id          uuid            NOT NULL DEFAULT core.acting_org_id(),
    town_id         uuid            NOT NULL DEFAULT core.acting_town_id(),
    visibility      core.visibility NOT NULL DEFAULT 'private',
    shared_with     uuid[]          NOT NULL DEFAULT '{}',
    -- destination peer; NULL = every peer that holds the town
    peer_id         uuid,
    origin_peer_id  uuid,
    table_name      text            NOT NULL,
    row_id          uuid            NOT NULL,
    operation       text            NOT NULL,
    -- the row after the write (insert/update) or its key (delete); opaque, so not indexed
    payload         jsonb           NOT NULL,
    hlc             text            NOT NULL,
    status          text            NOT NULL DEFAULT 'pending',
    retry_count     integer         NOT NULL DEFAULT 0,
    last_error      text,
    last_attempt_at timestamptz,
    next_attempt_at timestamptz     NOT NULL DEFAULT now(),
    applied_at      timestamptz,
    created_at      timestamptz     NOT NULL DEFAULT now(),
    updated_at      timestamptz     NOT NULL DEFAULT now(),
    CONSTRAINT pending_sync_pkey PRIMARY KEY (id),
    CONSTRAINT pending_sync_town_id_key UNIQUE (town_id, id),
    CONSTRAINT pending_sync_org_town_fkey FOREIGN KEY (org_id, town_id) REFERENCES core.towns (org_id, id),
    CONSTRAINT pending_sync_peer_fkey FOREIGN KEY (peer_id) REFERENCES sync.peers (id) ON DELETE CASCADE,
    CONSTRAINT pending_sync_origin_peer_fkey FOREIGN KEY (origin_peer_id) REFERENCES sync.peers (id) ON DELETE SET NULL,
    CONSTRAINT pending_sync_shared_with_check CHECK (visibility = 'shared' OR shared_with = '{}'),
    CONSTRAINT pending_sync_table_name_check CHECK (table_name ~ '^[a-z_]+\.[a-z_]+$'),
    CONSTRAINT pending_sync_operation_check CHECK (operation IN ('insert', 'update', 'delete')),
    CONSTRAINT pending_sync_hlc_check CHECK (btrim(hlc) <> ''),
    CONSTRAINT pending_sync_status_check CHECK (status IN ('pending', 'in_flight', 'applied', 'failed', 'dead')),
    CONSTRAINT pending_sync_retry_count_check CHECK (retry_count >= 0),
    CONSTRAINT pending_sync_applied_check CHECK ((status = 'applied') = (applied_at IS NOT NULL)),
    CONSTRAINT pending_sync_payload_check CHECK (jsonb_typeof(payload) = 'object')
);
CREATE INDEX pending_sync_org_town_idx ON sync.pending_sync (org_id, town_id);
CREATE INDEX pending_sync_due_idx ON sync.pending_sync (next_attempt_at, hlc) WHERE status IN ('pending', 'failed');
CREATE INDEX pending_sync_row_idx ON sync.pending_sync (table_name, row_id, hlc);
CREATE INDEX pending_sync_peer_idx ON sync.pending_sync (peer_id);
CREATE INDEX pending_sync_origin_peer_idx ON sync.pending_sync (origin_peer_id);
CREATE TRIGGER pending_sync_touch_updated_at BEFORE UPDATE ON sync.pending_sync
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
SELECT core.enable_tenancy('sync.pending_sync');
--rollback DROP TABLE sync.pending_sync;
