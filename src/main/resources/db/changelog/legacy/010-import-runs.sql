--liquibase formatted sql

--changeset townhall:legacy-010-import-runs
--comment: one row per import run (full, delta, staged, quarantine retry, dry run) with its totals and the reconciliation report
CREATE TABLE legacy.import_runs (
    id                  uuid        NOT NULL DEFAULT gen_random_uuid(),
    -- the organisation and town the run imports into
    org_id              uuid        NOT NULL,
    town_id             uuid        NOT NULL,
    -- source names as configured ('robbie', 'robbie_allan'); never URLs or credentials
    sources             text[]      NOT NULL,
    mode                text        NOT NULL DEFAULT 'full',
    dry_run             boolean     NOT NULL DEFAULT false,
    -- run options (--only, --latest, --since ...)
    options             jsonb       NOT NULL DEFAULT '{}',
    -- the run this one resumes after a crash
    resumed_from_run_id uuid,
    status              text        NOT NULL DEFAULT 'running',
    started_at          timestamptz NOT NULL DEFAULT now(),
    heartbeat_at        timestamptz NOT NULL DEFAULT now(),
    finished_at         timestamptz,
    rows_read           bigint      NOT NULL DEFAULT 0,
    rows_imported       bigint      NOT NULL DEFAULT 0,
    rows_merged         bigint      NOT NULL DEFAULT 0,
    rows_quarantined    bigint      NOT NULL DEFAULT 0,
    error               text,
    -- the reconciliation report as JSON (also written to a file)
    report              jsonb,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT import_runs_pkey PRIMARY KEY (id),
    CONSTRAINT import_runs_org_town_fkey FOREIGN KEY (org_id, town_id) REFERENCES core.towns (org_id, id),
    CONSTRAINT import_runs_resumed_from_run_fkey FOREIGN KEY (resumed_from_run_id) REFERENCES legacy.import_runs (id) ON DELETE SET NULL,
    CONSTRAINT import_runs_sources_check CHECK (cardinality(sources) > 0),
    CONSTRAINT import_runs_mode_check CHECK (mode IN ('full', 'delta', 'staged', 'retry_quarantine')),
    CONSTRAINT import_runs_status_check CHECK (status IN ('running', 'succeeded', 'failed', 'interrupted')),
    CONSTRAINT import_runs_finished_check CHECK ((status = 'running') = (finished_at IS NULL)),
    CONSTRAINT import_runs_counts_check CHECK (rows_read >= 0 AND rows_imported >= 0 AND rows_merged >= 0 AND rows_quarantined >= 0),
    CONSTRAINT import_runs_options_check CHECK (jsonb_typeof(options) = 'object')
);
CREATE INDEX import_runs_org_town_idx ON legacy.import_runs (org_id, town_id);
CREATE INDEX import_runs_resumed_from_run_idx ON legacy.import_runs (resumed_from_run_id);
CREATE INDEX import_runs_started_idx ON legacy.import_runs (started_at DESC);
CREATE INDEX import_runs_options_idx ON legacy.import_runs USING gin (options jsonb_path_ops);
CREATE TRIGGER import_runs_touch_updated_at BEFORE UPDATE ON legacy.import_runs
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
--rollback DROP TABLE legacy.import_runs;

--changeset townhall:legacy-011-import-checkpoints
--comment: how far a run got in each source table (last source key in read order), so a killed run resumes without duplicating
CREATE TABLE legacy.import_checkpoints (
    id              uuid        NOT NULL DEFAULT gen_random_uuid(),
    run_id          uuid        NOT NULL,
    source_db       text        NOT NULL,
    source_table    text        NOT NULL,
    last_source_key text,
    rows_done       bigint      NOT NULL DEFAULT 0,
    is_complete     boolean     NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT import_checkpoints_pkey PRIMARY KEY (id),
    CONSTRAINT import_checkpoints_run_source_key UNIQUE (run_id, source_db, source_table),
    CONSTRAINT import_checkpoints_run_fkey FOREIGN KEY (run_id) REFERENCES legacy.import_runs (id) ON DELETE CASCADE,
    CONSTRAINT import_checkpoints_rows_done_check CHECK (rows_done >= 0)
);
CREATE TRIGGER import_checkpoints_touch_updated_at BEFORE UPDATE ON legacy.import_checkpoints
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
--rollback DROP TABLE legacy.import_checkpoints;
