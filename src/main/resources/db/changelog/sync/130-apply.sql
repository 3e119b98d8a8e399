--liquibase formatted sql

-- The second layer of issue 12: peers know their node id and direction, and the sync agent applies a source's
-- changes here idempotently, recording the source's progress in the same transaction. A flow is one direction,
-- source node -> this database; its state lives on the APPLYING side, keyed by the source's node id, whichever
-- agent drives it (this one pulling, or the source pushing), so the cursor moves in the transaction that applies.

--changeset townhall:sync-130-peer-node
--comment: a peer's node id (its sync.local_node_id(), learned when added) and which directions the agent runs
-- node_id is NULL only for peers listed before sync-130; the agent refuses a peer without one.
ALTER TABLE sync.peers
    ADD COLUMN node_id uuid,
    ADD COLUMN direction text NOT NULL DEFAULT 'both',
    ADD CONSTRAINT peers_node_id_key UNIQUE (node_id),
    ADD CONSTRAINT peers_direction_check CHECK (direction IN ('both', 'push', 'pull'));
--rollback ALTER TABLE sync.peers DROP COLUMN direction, DROP COLUMN node_id;

--changeset townhall:sync-131-peer-progress
--comment: per source node, how far its change log has been applied here (an xid8 cursor on the source) and the flow's health
CREATE TABLE sync.peer_progress (
    source_node     uuid        NOT NULL,
    -- the source's xid8 horizon read so far: every change of a transaction below it is applied, parked or filtered out
    cursor          bigint      NOT NULL DEFAULT 0,
    last_hlc        bigint,
    applied_count   bigint      NOT NULL DEFAULT 0,
    -- consecutive failed attempts of the current batch; 0 after a success
    failures        integer     NOT NULL DEFAULT 0,
    last_error      text,
    last_attempt_at timestamptz,
    last_success_at timestamptz,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT peer_progress_pkey PRIMARY KEY (source_node),
    CONSTRAINT peer_progress_cursor_check CHECK (cursor >= 0),
    CONSTRAINT peer_progress_applied_count_check CHECK (applied_count >= 0),
    CONSTRAINT peer_progress_failures_check CHECK (failures >= 0)
);
CREATE TRIGGER peer_progress_touch_updated_at BEFORE UPDATE ON sync.peer_progress
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
REVOKE ALL ON sync.peer_progress FROM townhall_app, townhall_analytics, PUBLIC;
COMMENT ON TABLE sync.peer_progress IS 'global: owner only; the sync agent''s cursor and health per source node, written where the changes are applied';
--rollback DROP TABLE sync.peer_progress;

--changeset townhall:sync-132-applied-changes
--comment: the idempotency key of applied changes: a change of a source's log is applied here at most once
-- change_id is sync.changes.id on the source (source_node), not on the change's first origin: a change relayed by
-- a third node has another id there; the (hlc, origin) check of the agent makes that second copy a no-op.
CREATE TABLE sync.applied_changes (
    source_node uuid        NOT NULL,
    change_id   bigint      NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT applied_changes_pkey PRIMARY KEY (source_node, change_id),
    CONSTRAINT applied_changes_change_id_check CHECK (change_id > 0)
);
REVOKE ALL ON sync.applied_changes FROM townhall_app, townhall_analytics, PUBLIC;
COMMENT ON TABLE sync.applied_changes IS 'global: owner only; (source node, change id) of every change applied here';
--rollback DROP TABLE sync.applied_changes;

--changeset townhall:sync-133-parked-changes
--comment: changes the agent set aside so they block nothing: a clock too far ahead, a town replica's write it may not make, or an apply that kept failing
-- clock_skew: never applied (the remote clock is not trusted); not_permitted: a town replica's write to a row of
-- another town, never applied; apply_error: retried after every run until it applies.
CREATE TABLE sync.parked_changes (
    source_node uuid        NOT NULL,
    change_id   bigint      NOT NULL,
    origin_node uuid        NOT NULL,
    hlc         bigint      NOT NULL,
    table_name  text        NOT NULL,
    row_id      uuid        NOT NULL,
    operation   text        NOT NULL,
    -- the change as read from the source, whole, so a retry needs nothing from the source
    change      jsonb       NOT NULL,
    reason      text        NOT NULL,
    last_error  text        NOT NULL,
    retry_count integer     NOT NULL DEFAULT 0,
    parked_at   timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT parked_changes_pkey PRIMARY KEY (source_node, change_id),
    CONSTRAINT parked_changes_table_name_check CHECK (table_name ~ '^[a-z_]+\.[a-z_]+$'),
    CONSTRAINT parked_changes_operation_check CHECK (operation IN ('insert', 'update', 'delete', 'move_out', 'move_in')),
    CONSTRAINT parked_changes_reason_check CHECK (reason IN ('clock_skew', 'not_permitted', 'apply_error')),
    CONSTRAINT parked_changes_retry_count_check CHECK (retry_count >= 0),
    CONSTRAINT parked_changes_change_check CHECK (jsonb_typeof(change) = 'object')
);
CREATE TRIGGER parked_changes_touch_updated_at BEFORE UPDATE ON sync.parked_changes
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
REVOKE ALL ON sync.parked_changes FROM townhall_app, townhall_analytics, PUBLIC;
COMMENT ON TABLE sync.parked_changes IS 'global: owner only; changes set aside by the sync agent, with their error and retry count';
--rollback DROP TABLE sync.parked_changes;

--changeset townhall:sync-134-fn-renew-local-node splitStatements:false
--comment: gives a copied database a node id of its own (the old one is kept, not current)
CREATE FUNCTION sync.renew_local_node() RETURNS uuid
    LANGUAGE sql VOLATILE
    SET search_path = pg_catalog, sync
AS $$
    UPDATE sync.local_node SET is_current = false WHERE is_current;
    INSERT INTO sync.local_node DEFAULT VALUES RETURNING node_id;
$$;
COMMENT ON FUNCTION sync.renew_local_node() IS 'a new current node id for a database copied from another; returns it';
REVOKE ALL ON FUNCTION sync.renew_local_node() FROM PUBLIC;
--rollback DROP FUNCTION sync.renew_local_node();
