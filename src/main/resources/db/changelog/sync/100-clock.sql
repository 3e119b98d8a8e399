--liquibase formatted sql

-- The hybrid logical clock of issue 12: one bigint, (unix milliseconds << 16) | counter, so values compare as
-- numbers, pack into one column and index. Unique and strictly increasing per database across sessions and
-- restarts: the value lives in a sequence (non-transactional, WAL-logged, never handed out twice, never reset by a
-- crash), pulled up to physical time under a short session advisory lock, never by a row lock held to commit.

--changeset townhall:sync-100-local-node splitStatements:false
--comment: the node id of this database, made once at migration; every locally made change carries it as its origin
-- One current id; a database copied to make a peer copies it too, so the peers tooling must give the copy a new
-- current id (the old one kept, not current) before it captures anything.
CREATE TABLE sync.local_node (
    node_id    uuid        NOT NULL DEFAULT gen_random_uuid(),
    is_current boolean     NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT local_node_pkey PRIMARY KEY (node_id)
);
CREATE UNIQUE INDEX local_node_current_idx ON sync.local_node (is_current) WHERE is_current;
REVOKE ALL ON sync.local_node FROM townhall_app, townhall_analytics, PUBLIC;
COMMENT ON TABLE sync.local_node IS 'global: this database''s node id (the current row) and ids it had before';
INSERT INTO sync.local_node DEFAULT VALUES;
CREATE FUNCTION sync.local_node_id() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, sync
AS $$ SELECT node_id FROM sync.local_node WHERE is_current $$;
COMMENT ON FUNCTION sync.local_node_id() IS 'this database''s node id: the origin of the changes made here';
REVOKE ALL ON FUNCTION sync.local_node_id() FROM PUBLIC;
--rollback DROP FUNCTION sync.local_node_id();
--rollback DROP TABLE sync.local_node;

--changeset townhall:sync-101-hlc-sequence
--comment: the clock's state: the last HLC handed out (a sequence never hands a value out twice, not even after a crash)
CREATE SEQUENCE sync.hlc_seq AS bigint MINVALUE 1 NO CYCLE;
REVOKE ALL ON SEQUENCE sync.hlc_seq FROM townhall_app, townhall_analytics, PUBLIC;
--rollback DROP SEQUENCE sync.hlc_seq;

--changeset townhall:sync-102-hlc-helpers splitStatements:false
--comment: pack, unpack and show HLC values; the allowed clock skew of a peer
CREATE FUNCTION sync.hlc_pack(p_ms bigint, p_counter integer) RETURNS bigint
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT (p_ms << 16) | (p_counter & 65535) $$;
CREATE FUNCTION sync.hlc_ms(p_hlc bigint) RETURNS bigint
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT p_hlc >> 16 $$;
CREATE FUNCTION sync.hlc_counter(p_hlc bigint) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT (p_hlc & 65535)::integer $$;
-- The text form sync-020 describes for sync.pending_sync.hlc (15-digit ms, 6-digit counter), so it sorts like the number.
CREATE FUNCTION sync.hlc_to_text(p_hlc bigint) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT lpad((p_hlc >> 16)::text, 15, '0') || '-' || lpad((p_hlc & 65535)::text, 6, '0') $$;
CREATE FUNCTION sync.hlc_timestamp(p_hlc bigint) RETURNS timestamptz
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT to_timestamp((p_hlc >> 16) / 1000.0) $$;
-- A remote clock further ahead of local physical time than this is not trusted (the HLC receive rule would drag
-- every later local value into the future).
CREATE FUNCTION sync.max_clock_skew() RETURNS interval
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT interval '5 minutes' $$;
CREATE FUNCTION sync.physical_hlc() RETURNS bigint
    LANGUAGE sql VOLATILE PARALLEL SAFE
AS $$ SELECT floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint << 16 $$;
COMMENT ON FUNCTION sync.hlc_to_text(bigint) IS 'an HLC as <15-digit unix ms>-<6-digit counter>; sorts like the number';
COMMENT ON FUNCTION sync.physical_hlc() IS 'local physical time as an HLC with counter 0';
--rollback DROP FUNCTION sync.physical_hlc();
--rollback DROP FUNCTION sync.max_clock_skew();
--rollback DROP FUNCTION sync.hlc_timestamp(bigint);
--rollback DROP FUNCTION sync.hlc_to_text(bigint);
--rollback DROP FUNCTION sync.hlc_counter(bigint);
--rollback DROP FUNCTION sync.hlc_ms(bigint);
--rollback DROP FUNCTION sync.hlc_pack(bigint, integer);

--changeset townhall:sync-103-hlc-now splitStatements:false
--comment: the next local HLC: unique and increasing across sessions and restarts, never behind physical time
-- Fast path: nextval alone, when the sequence is already at or past physical time (many writes in one millisecond).
-- Otherwise the sequence is pulled up to physical time under a session advisory lock held for two sequence calls,
-- so two sessions never both set it; a transaction-scoped lock would be held to commit and serialize every writer.
-- The lock is released on any error, cancel included, so a pooled connection never keeps it.
-- Residual bound: a session on the fast path could take a value the setval then hands out again only if more than
-- 65536 values (one millisecond of counter) were drawn between this session's nextval and its setval.
CREATE FUNCTION sync.hlc_now() RETURNS bigint
    LANGUAGE plpgsql VOLATILE
    SECURITY DEFINER
    SET search_path = pg_catalog, sync
AS $$
DECLARE
    v_next bigint := nextval('sync.hlc_seq');
    v_phys bigint := sync.physical_hlc();
BEGIN
    IF v_next >= v_phys THEN
        RETURN v_next;
    END IF;
    PERFORM pg_advisory_lock(hashtextextended('townhall.sync.hlc', 0));
    BEGIN
        v_next := nextval('sync.hlc_seq');
        IF v_next < v_phys THEN
            PERFORM setval('sync.hlc_seq', v_phys, true);
            v_next := v_phys;
        END IF;
    EXCEPTION WHEN OTHERS OR query_canceled THEN
        PERFORM pg_advisory_unlock(hashtextextended('townhall.sync.hlc', 0));
        RAISE;
    END;
    PERFORM pg_advisory_unlock(hashtextextended('townhall.sync.hlc', 0));
    RETURN v_next;
END
$$;
COMMENT ON FUNCTION sync.hlc_now() IS 'the next local hybrid logical clock value, (unix ms << 16) | counter; unique per database';
REVOKE ALL ON FUNCTION sync.hlc_now() FROM PUBLIC;
--rollback DROP FUNCTION sync.hlc_now();

--changeset townhall:sync-104-hlc-observe splitStatements:false
--comment: the HLC receive rule: the local clock moves to at least a remote value, unless that value is too far ahead
-- Returns false, and leaves the clock alone, when the remote value is more than sync.max_clock_skew() ahead of local
-- physical time: the caller flags the change instead of trusting its clock. Owner only: the sync agent calls it.
CREATE FUNCTION sync.hlc_observe(p_remote bigint) RETURNS boolean
    LANGUAGE plpgsql VOLATILE STRICT
    SET search_path = pg_catalog, sync
AS $$
DECLARE
    v_limit bigint := sync.physical_hlc()
                      + ((extract(epoch FROM sync.max_clock_skew()) * 1000)::bigint << 16);
BEGIN
    IF p_remote > v_limit THEN
        RETURN false;
    END IF;
    PERFORM pg_advisory_lock(hashtextextended('townhall.sync.hlc', 0));
    BEGIN
        IF nextval('sync.hlc_seq') < p_remote THEN
            PERFORM setval('sync.hlc_seq', p_remote, true);
        END IF;
    EXCEPTION WHEN OTHERS OR query_canceled THEN
        PERFORM pg_advisory_unlock(hashtextextended('townhall.sync.hlc', 0));
        RAISE;
    END;
    PERFORM pg_advisory_unlock(hashtextextended('townhall.sync.hlc', 0));
    RETURN true;
END
$$;
COMMENT ON FUNCTION sync.hlc_observe(bigint) IS 'advances the local HLC past a remote one; false (clock untouched) when it is too far in the future';
REVOKE ALL ON FUNCTION sync.hlc_observe(bigint) FROM PUBLIC;
--rollback DROP FUNCTION sync.hlc_observe(bigint);

--changeset townhall:sync-105-next-hlc-on-the-clock splitStatements:false rollbackSplitStatements:false
--comment: sync.next_hlc() (provisional in compat-004) now reads the real clock: <15-digit ms>-<6-digit counter>-<node id>
-- Same name, result type and text shape, so sync.pending_sync rows written before and after sort together.
CREATE OR REPLACE FUNCTION sync.next_hlc() RETURNS text
    LANGUAGE sql VOLATILE
    SECURITY DEFINER
    SET search_path = pg_catalog, sync
AS $$
    SELECT sync.hlc_to_text(sync.hlc_now()) || '-' || sync.local_node_id()::text
$$;
COMMENT ON FUNCTION sync.next_hlc() IS 'the next local HLC as text: <15-digit ms>-<6-digit counter>-<node id>';
--rollback CREATE OR REPLACE FUNCTION sync.next_hlc() RETURNS text
--rollback     LANGUAGE sql VOLATILE
--rollback     SECURITY INVOKER
--rollback AS $$
--rollback     SELECT lpad((floor(extract(epoch FROM clock_timestamp()) * 1000))::bigint::text, 15, '0')
--rollback            || '-' || lpad(nextval('sync.hlc_counter')::text, 6, '0')
--rollback            || '-' || coalesce(nullif(current_setting('townhall.node_id', true), ''), 'local')
--rollback $$;
--rollback COMMENT ON FUNCTION sync.next_hlc() IS 'provisional HLC: <15-digit ms>-<6-digit counter>-<node>; replaced by the sync issue';
