--liquibase formatted sql

--changeset townhall:legacy-100-value-issues
--comment: values an imported row was kept without (an unparseable date, an invalid phone, an unknown user text id, JSON that does not parse, a second phone number): the row is imported, the raw value waits here for review, so nothing is lost
CREATE TABLE legacy.value_issues (
    id            uuid        NOT NULL DEFAULT gen_random_uuid(),
    run_id        uuid        NOT NULL,
    source_db     text        NOT NULL,
    source_table  text        NOT NULL,
    source_id     text        NOT NULL,
    -- the row the source row became or was merged into
    target_table  text        NOT NULL,
    target_id     uuid        NOT NULL,
    -- NULL for notes about the whole row (update_rejected)
    column_name   text,
    source_column text,
    raw_value     text,
    -- unparseable_date, implausible_date, invalid_phone, invalid_domain, invalid_url, unknown_user, invalid_json,
    -- out_of_range, unparseable_number, unmapped_value, unknown_value, extra_value, contradiction, update_rejected ...
    reason_code   text        NOT NULL,
    reason        text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT value_issues_pkey PRIMARY KEY (id),
    CONSTRAINT value_issues_run_fkey FOREIGN KEY (run_id) REFERENCES legacy.import_runs (id) ON DELETE CASCADE,
    CONSTRAINT value_issues_source_check CHECK (btrim(source_db) <> '' AND btrim(source_table) <> '' AND source_id <> ''),
    CONSTRAINT value_issues_target_table_check CHECK (target_table ~ '^[a-z_]+\.[a-z_]+$'),
    CONSTRAINT value_issues_reason_code_check CHECK (reason_code ~ '^[a-z][a-z0-9_]*$')
);
CREATE INDEX value_issues_run_idx ON legacy.value_issues (run_id);
CREATE INDEX value_issues_source_idx ON legacy.value_issues (source_db, source_table, source_id);
CREATE INDEX value_issues_target_idx ON legacy.value_issues (target_table, target_id);
CREATE INDEX value_issues_reason_code_idx ON legacy.value_issues (reason_code);
CREATE TRIGGER value_issues_touch_updated_at BEFORE UPDATE ON legacy.value_issues
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
--rollback DROP TABLE legacy.value_issues;
