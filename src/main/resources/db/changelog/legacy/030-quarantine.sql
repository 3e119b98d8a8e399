--liquibase formatted sql

--changeset townhall:legacy-030-quarantine
--comment: source rows the importer could not take, with the reason and the original row; reviewable, fixable and re-importable
CREATE TABLE legacy.quarantine (
    id              uuid        NOT NULL DEFAULT gen_random_uuid(),
    run_id          uuid        NOT NULL,
    source_db       text        NOT NULL,
    source_table    text        NOT NULL,
    -- NULL when the row has no usable id
    source_id       text,
    -- machine reason: orphan_reference, invalid_email, unparseable_date, missing_required, duplicate_id,
    -- invalid_json, absurd_amount, unknown_user ...
    reason_code     text        NOT NULL,
    reason          text        NOT NULL,
    -- the row exactly as read (opaque, so not indexed)
    original_row    jsonb       NOT NULL,
    -- a corrected row for --retry-quarantine
    fixed_row       jsonb,
    status          text        NOT NULL DEFAULT 'open',
    resolved_run_id uuid,
    resolved_at     timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT quarantine_pkey PRIMARY KEY (id),
    CONSTRAINT quarantine_run_fkey FOREIGN KEY (run_id) REFERENCES legacy.import_runs (id) ON DELETE CASCADE,
    CONSTRAINT quarantine_resolved_run_fkey FOREIGN KEY (resolved_run_id) REFERENCES legacy.import_runs (id) ON DELETE SET NULL,
    CONSTRAINT quarantine_reason_code_check CHECK (reason_code ~ '^[a-z][a-z0-9_]*$'),
    CONSTRAINT quarantine_status_check CHECK (status IN ('open', 'fixed', 'reimported', 'discarded')),
    CONSTRAINT quarantine_resolved_check CHECK ((status IN ('reimported', 'discarded')) = (resolved_at IS NOT NULL))
);
CREATE INDEX quarantine_run_idx ON legacy.quarantine (run_id);
CREATE INDEX quarantine_resolved_run_idx ON legacy.quarantine (resolved_run_id);
CREATE INDEX quarantine_source_status_idx ON legacy.quarantine (source_db, source_table, status);
CREATE INDEX quarantine_source_id_idx ON legacy.quarantine (source_db, source_table, source_id);
CREATE INDEX quarantine_reason_code_idx ON legacy.quarantine (reason_code);
CREATE TRIGGER quarantine_touch_updated_at BEFORE UPDATE ON legacy.quarantine
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
--rollback DROP TABLE legacy.quarantine;
