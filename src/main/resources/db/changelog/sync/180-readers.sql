--liquibase formatted sql

--changeset townhall:sync-180-readers
--comment: how far each node has read this node's change log, so pruning needs no peer to be reachable (decision 47)
-- Written here by whichever agent ran the flow (ours pushing, or the reader's own agent pulling), after the batches
-- are applied at the reader; a stale row only delays pruning. A node that syncs with us but that we never reach (a
-- laptop running its own agent) is a reader all the same.
CREATE TABLE sync.readers (
    reader_node uuid        NOT NULL,
    -- the reader's cursor into this node's log (an xid8 horizon): every change of a transaction below it is read
    cursor      bigint      NOT NULL,
    read_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT readers_pkey PRIMARY KEY (reader_node),
    CONSTRAINT readers_cursor_check CHECK (cursor >= 0)
);
REVOKE ALL ON sync.readers FROM townhall_app, townhall_analytics, PUBLIC;
COMMENT ON TABLE sync.readers IS 'global: owner only; per reading node, how far it has read this node''s change log';
--rollback DROP TABLE sync.readers;
