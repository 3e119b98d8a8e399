--liquibase formatted sql

--changeset townhall:legacy-101-filled-values
--comment: when a duplicate merges, which source row supplied each blank it filled; merge conflicts name that row as the kept value's source, also after an interrupted run resumes
CREATE TABLE legacy.filled_values (
    id           uuid        NOT NULL DEFAULT gen_random_uuid(),
    run_id       uuid        NOT NULL,
    target_table text        NOT NULL,
    target_id    uuid        NOT NULL,
    column_name  text        NOT NULL,
    source_db    text        NOT NULL,
    source_table text        NOT NULL,
    source_id    text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT filled_values_pkey PRIMARY KEY (id),
    CONSTRAINT filled_values_run_fkey FOREIGN KEY (run_id) REFERENCES legacy.import_runs (id) ON DELETE CASCADE,
    CONSTRAINT filled_values_target_table_check CHECK (target_table ~ '^[a-z_]+\.[a-z_]+$')
);
CREATE INDEX filled_values_run_idx ON legacy.filled_values (run_id);
CREATE INDEX filled_values_target_idx ON legacy.filled_values (target_table, target_id);
CREATE TRIGGER filled_values_touch_updated_at BEFORE UPDATE ON legacy.filled_values
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
--rollback DROP TABLE legacy.filled_values;
