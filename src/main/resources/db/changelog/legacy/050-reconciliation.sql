--liquibase formatted sql

--changeset townhall:legacy-050-reconciliation
--comment: per run and source table: rows read and where each went (imported/merged/quarantined), against the plan's stated inventory; differences shown, never hidden
CREATE TABLE legacy.reconciliation (
    id                    uuid        NOT NULL DEFAULT gen_random_uuid(),
    run_id                uuid        NOT NULL,
    source_db             text        NOT NULL,
    source_table          text        NOT NULL,
    -- the migration plan's figure for this table (seeds/000), NULL when it gives none
    expected_rows         bigint,
    rows_read             bigint      NOT NULL,
    rows_imported         bigint      NOT NULL DEFAULT 0,
    rows_merged           bigint      NOT NULL DEFAULT 0,
    rows_quarantined      bigint      NOT NULL DEFAULT 0,
    -- {"orphan_reference": 12, "invalid_email": 3, ...}
    quarantined_by_reason jsonb       NOT NULL DEFAULT '{}',
    -- must be 0: every row read ended somewhere
    unaccounted_rows      bigint GENERATED ALWAYS AS (rows_read - rows_imported - rows_merged - rows_quarantined) STORED,
    -- read minus the plan's figure (the plan's own arithmetic is not always right)
    plan_difference       bigint GENERATED ALWAYS AS (rows_read - expected_rows) STORED,
    notes                 text,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT reconciliation_pkey PRIMARY KEY (id),
    CONSTRAINT reconciliation_run_source_key UNIQUE (run_id, source_db, source_table),
    CONSTRAINT reconciliation_run_fkey FOREIGN KEY (run_id) REFERENCES legacy.import_runs (id) ON DELETE CASCADE,
    CONSTRAINT reconciliation_counts_check CHECK (rows_read >= 0 AND rows_imported >= 0 AND rows_merged >= 0 AND rows_quarantined >= 0 AND expected_rows >= 0),
    CONSTRAINT reconciliation_quarantined_by_reason_check CHECK (jsonb_typeof(quarantined_by_reason) = 'object')
);
CREATE INDEX reconciliation_quarantined_by_reason_idx ON legacy.reconciliation USING gin (quarantined_by_reason jsonb_path_ops);
CREATE TRIGGER reconciliation_touch_updated_at BEFORE UPDATE ON legacy.reconciliation
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
--rollback DROP TABLE legacy.reconciliation;
