--liquibase formatted sql

-- Salvage (issue 14): a legacy row whose reference points at nothing, or at a parent that is in quarantine, is
-- imported with the reference empty; the dangling legacy key waits here until the parent arrives (a delta import,
-- a quarantined parent accepted or retried), when the importer links the row and marks the link resolved.

--changeset townhall:legacy-120-deferred-links
--comment: references an imported row could not link yet: the child row, its column, the legacy key or lookup value it names, why it waits, and when it was linked
CREATE TABLE legacy.deferred_links (
    id                  uuid        NOT NULL DEFAULT gen_random_uuid(),
    run_id              uuid        NOT NULL,
    source_db           text        NOT NULL,
    source_table        text        NOT NULL,
    source_id           text        NOT NULL,
    -- the row the source row became (or was merged into), and its column that waits for the parent
    target_table        text        NOT NULL,
    target_id           uuid        NOT NULL,
    column_name         text        NOT NULL,
    -- the parent: a legacy table's key (parent_source_db/_table) or a lookup among imported rows (lookup)
    parent_source_db    text,
    parent_source_table text,
    lookup              text,
    parent_key          text        NOT NULL,
    -- orphan_reference: no such parent row; parent_quarantined: the parent row is in quarantine
    reason_code         text        NOT NULL,
    status              text        NOT NULL DEFAULT 'pending',
    parent_target_id    uuid,
    resolved_run_id     uuid,
    resolved_at         timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT deferred_links_pkey PRIMARY KEY (id),
    CONSTRAINT deferred_links_source_column_key UNIQUE (source_db, source_table, source_id, column_name),
    CONSTRAINT deferred_links_run_fkey FOREIGN KEY (run_id) REFERENCES legacy.import_runs (id) ON DELETE CASCADE,
    CONSTRAINT deferred_links_resolved_run_fkey FOREIGN KEY (resolved_run_id) REFERENCES legacy.import_runs (id) ON DELETE SET NULL,
    CONSTRAINT deferred_links_source_check CHECK (btrim(source_db) <> '' AND btrim(source_table) <> '' AND source_id <> ''),
    CONSTRAINT deferred_links_target_table_check CHECK (target_table ~ '^[a-z_]+\.[a-z_]+$'),
    CONSTRAINT deferred_links_parent_check CHECK ((parent_source_table IS NOT NULL AND parent_source_db IS NOT NULL AND lookup IS NULL)
                                                  OR (parent_source_table IS NULL AND parent_source_db IS NULL AND lookup IS NOT NULL)),
    CONSTRAINT deferred_links_parent_key_check CHECK (parent_key <> ''),
    CONSTRAINT deferred_links_reason_code_check CHECK (reason_code IN ('orphan_reference', 'parent_quarantined')),
    CONSTRAINT deferred_links_status_check CHECK (status IN ('pending', 'resolved')),
    CONSTRAINT deferred_links_resolution_check CHECK ((status = 'resolved') = (parent_target_id IS NOT NULL)
                                                      AND (status = 'resolved') = (resolved_at IS NOT NULL))
);
CREATE INDEX deferred_links_pending_idx ON legacy.deferred_links (parent_source_db, parent_source_table, parent_key)
    WHERE status = 'pending';
CREATE INDEX deferred_links_target_idx ON legacy.deferred_links (target_table, target_id);
CREATE INDEX deferred_links_run_idx ON legacy.deferred_links (run_id);
CREATE INDEX deferred_links_resolved_run_idx ON legacy.deferred_links (resolved_run_id);
CREATE TRIGGER deferred_links_touch_updated_at BEFORE UPDATE ON legacy.deferred_links
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
--rollback DROP TABLE legacy.deferred_links;

--changeset townhall:legacy-121-reconciliation-salvage
--comment: the reconciliation splits imported rows into clean and with value issues (of rows_imported), and counts the table's deferred links pending and resolved
ALTER TABLE legacy.reconciliation
    ADD COLUMN rows_with_value_issues bigint NOT NULL DEFAULT 0,
    ADD COLUMN links_pending          bigint NOT NULL DEFAULT 0,
    ADD COLUMN links_resolved         bigint NOT NULL DEFAULT 0,
    ADD CONSTRAINT reconciliation_salvage_counts_check
        CHECK (rows_with_value_issues >= 0 AND rows_with_value_issues <= rows_imported
               AND links_pending >= 0 AND links_resolved >= 0);
--rollback ALTER TABLE legacy.reconciliation DROP CONSTRAINT reconciliation_salvage_counts_check, DROP COLUMN links_resolved, DROP COLUMN links_pending, DROP COLUMN rows_with_value_issues;
