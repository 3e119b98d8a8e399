--liquibase formatted sql

--changeset townhall:sync-150-applied-changes-source-txid
--comment: the source transaction of each applied change, so the keys of changes below the source's cursor can be pruned
-- NULL for rows applied before this column: each was committed with the cursor move past it, so it is below the cursor too.
ALTER TABLE sync.applied_changes ADD COLUMN source_txid bigint;
--rollback ALTER TABLE sync.applied_changes DROP COLUMN source_txid;

--changeset townhall:sync-151-fn-prune-changes-keeps-latest splitStatements:false rollbackSplitStatements:false
--comment: pruning keeps the newest change of each row per origin: conflict detection, capture's base_hlc and the relay check read them
-- (decision 44). A peer added later reads, from cursor 0, the current version of every row from these.
CREATE OR REPLACE FUNCTION sync.prune_changes(p_before xid8) RETURNS bigint
    LANGUAGE sql VOLATILE STRICT
    SET search_path = pg_catalog, sync
AS $$
    WITH pruned AS (
        DELETE FROM sync.changes c
        WHERE c.txid < p_before
          AND EXISTS (SELECT 1 FROM sync.changes newer
                      WHERE newer.table_name = c.table_name AND newer.row_id = c.row_id
                        AND newer.origin_node = c.origin_node AND newer.id > c.id)
        RETURNING 1)
    SELECT count(*) FROM pruned
$$;
COMMENT ON FUNCTION sync.prune_changes(xid8) IS 'deletes changes of transactions below the cursor, except the newest of each row per origin; returns how many';
REVOKE ALL ON FUNCTION sync.prune_changes(xid8) FROM PUBLIC;
--rollback CREATE OR REPLACE FUNCTION sync.prune_changes(p_before xid8) RETURNS bigint
--rollback     LANGUAGE sql VOLATILE STRICT
--rollback     SET search_path = pg_catalog, sync
--rollback AS $$
--rollback     WITH pruned AS (DELETE FROM sync.changes WHERE txid < p_before RETURNING 1)
--rollback     SELECT count(*) FROM pruned
--rollback $$;
--rollback COMMENT ON FUNCTION sync.prune_changes(xid8) IS 'deletes changes of transactions below the cursor; returns how many';

--changeset townhall:sync-152-fn-prune-applied-changes splitStatements:false
--comment: drops the idempotency keys of changes below their source's cursor here: the reader never returns them again
CREATE FUNCTION sync.prune_applied_changes() RETURNS bigint
    LANGUAGE sql VOLATILE
    SET search_path = pg_catalog, sync
AS $$
    WITH pruned AS (
        DELETE FROM sync.applied_changes a
        USING sync.peer_progress p
        WHERE a.source_node = p.source_node AND (a.source_txid IS NULL OR a.source_txid < p.cursor)
        RETURNING 1)
    SELECT count(*) FROM pruned
$$;
COMMENT ON FUNCTION sync.prune_applied_changes() IS 'deletes applied-change keys below their source''s cursor; returns how many';
REVOKE ALL ON FUNCTION sync.prune_applied_changes() FROM PUBLIC;
--rollback DROP FUNCTION sync.prune_applied_changes();
