--liquibase formatted sql

--changeset townhall:sync-110-changes
--comment: the change log: every committed write to a synced table, recorded by a trigger in the writing transaction
-- txid is the writing transaction; a reader takes only txid below the oldest transaction still running
-- (pg_snapshot_xmin), so a transaction that commits after a later-numbered one is never skipped.
-- org_id, town_id, visibility and shared_with are copied from the row so a reader filters by town in SQL.
-- operation: insert/update carry the row image (generated columns left out: they cannot be inserted on apply);
-- delete is a tombstone (no image). A write that changes which towns may see a row (town_id, visibility or
-- shared_with) is a move: move_out, a tombstone in the old scope, then move_in with the image in the new one;
-- a peer that receives both applies an update, one that holds only the old scope deletes, one that holds only the
-- new scope inserts, and the row's new content never reaches a replica of the old scope.
-- origin_node: the node where the change was first made (this node, or the remote origin the sync agent applied).
-- writer_town_id: the town the writing transaction acted in (core.acting_town_id(), carried along when applied
-- elsewhere); NULL for a write outside a town context (owner, migrations, imports). Conflict policies rank by it.
-- base_hlc: the hlc of the row's version this write replaced on the node that made it (the row's previous change
-- there); a remote change whose base is older than the local version was made without seeing it: a conflict.
-- Owner only: RLS is forced and the one policy admits no row, so only roles that bypass RLS (the owner) reach it.
CREATE TABLE sync.changes (
    id          bigint          GENERATED ALWAYS AS IDENTITY,
    txid        xid8            NOT NULL DEFAULT pg_current_xact_id(),
    hlc         bigint          NOT NULL,
    origin_node uuid            NOT NULL,
    table_name  text            NOT NULL,
    row_id      uuid            NOT NULL,
    org_id      uuid            NOT NULL,
    town_id     uuid            NOT NULL,
    visibility  core.visibility NOT NULL,
    shared_with uuid[]          NOT NULL,
    operation   text            NOT NULL,
    row_data    jsonb,
    writer_town_id uuid,
    base_hlc    bigint,
    created_at  timestamptz     NOT NULL DEFAULT now(),
    CONSTRAINT changes_pkey PRIMARY KEY (id),
    CONSTRAINT changes_table_name_check CHECK (table_name ~ '^[a-z_]+\.[a-z_]+$'),
    CONSTRAINT changes_operation_check CHECK (operation IN ('insert', 'update', 'delete', 'move_out', 'move_in')),
    CONSTRAINT changes_row_data_check CHECK ((row_data IS NULL) = (operation IN ('delete', 'move_out'))),
    CONSTRAINT changes_hlc_check CHECK (hlc > 0)
);
-- the reader's order and range, and pruning (txid < cursor)
CREATE INDEX changes_txid_idx ON sync.changes (txid, id);
-- a replica's town filter
CREATE INDEX changes_town_txid_idx ON sync.changes (town_id, txid);
-- a row's changes, newest last: capture's base_hlc and the agent's conflict check read the latest by a backward scan
CREATE INDEX changes_row_idx ON sync.changes (table_name, row_id, id);
ALTER TABLE sync.changes ENABLE ROW LEVEL SECURITY;
ALTER TABLE sync.changes FORCE ROW LEVEL SECURITY;
CREATE POLICY changes_owner_only ON sync.changes USING (false) WITH CHECK (false);
REVOKE ALL ON sync.changes FROM townhall_app, townhall_analytics, PUBLIC;
COMMENT ON TABLE sync.changes IS 'change log of synced tables, written by sync.capture_change(); read and pruned by the sync agent as the owner';
--rollback DROP TABLE sync.changes;

--changeset townhall:sync-111-synced-tables
--comment: the tables whose writes are captured, each with its conflict policy (decision 43 defines them)
CREATE TABLE sync.synced_tables (
    table_name text        NOT NULL,
    policy     text        NOT NULL DEFAULT 'town_precedence',
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT synced_tables_pkey PRIMARY KEY (table_name),
    CONSTRAINT synced_tables_table_name_check CHECK (table_name ~ '^[a-z_]+\.[a-z_]+$'),
    CONSTRAINT synced_tables_policy_check CHECK (policy IN ('town_precedence', 'capital_wins', 'last_write_wins'))
);
REVOKE ALL ON sync.synced_tables FROM townhall_app, townhall_analytics, PUBLIC;
COMMENT ON TABLE sync.synced_tables IS 'global: the synced tables and their conflict policy; maintained by sync.enable_capture()';
--rollback DROP TABLE sync.synced_tables;

--changeset townhall:sync-112-fn-prune-changes splitStatements:false
--comment: drops the changes every peer has acknowledged (the agent passes the lowest acknowledged cursor)
CREATE FUNCTION sync.prune_changes(p_before xid8) RETURNS bigint
    LANGUAGE sql VOLATILE STRICT
    SET search_path = pg_catalog, sync
AS $$
    WITH pruned AS (DELETE FROM sync.changes WHERE txid < p_before RETURNING 1)
    SELECT count(*) FROM pruned
$$;
COMMENT ON FUNCTION sync.prune_changes(xid8) IS 'deletes changes of transactions below the cursor; returns how many';
REVOKE ALL ON FUNCTION sync.prune_changes(xid8) FROM PUBLIC;
--rollback DROP FUNCTION sync.prune_changes(xid8);
