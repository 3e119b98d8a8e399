--liquibase formatted sql

--changeset townhall:legacy-040-merge-conflicts
--comment: when duplicates merge and sources disagree on a column, the value kept and the value not kept, with the rule that chose (no silent overwrite)
CREATE TABLE legacy.merge_conflicts (
    id                 uuid        NOT NULL DEFAULT gen_random_uuid(),
    run_id             uuid        NOT NULL,
    target_table       text        NOT NULL,
    target_id          uuid        NOT NULL,
    column_name        text        NOT NULL,
    kept_value         jsonb,
    other_value        jsonb,
    kept_source        text,
    other_source_db    text        NOT NULL,
    other_source_table text        NOT NULL,
    other_source_id    text,
    -- the rule from the mapping file: first_non_empty, newest, source_priority ...
    rule               text        NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT merge_conflicts_pkey PRIMARY KEY (id),
    CONSTRAINT merge_conflicts_run_fkey FOREIGN KEY (run_id) REFERENCES legacy.import_runs (id) ON DELETE CASCADE,
    CONSTRAINT merge_conflicts_target_table_check CHECK (target_table ~ '^[a-z_]+\.[a-z_]+$'),
    CONSTRAINT merge_conflicts_rule_check CHECK (rule ~ '^[a-z][a-z0-9_]*$')
);
CREATE INDEX merge_conflicts_run_idx ON legacy.merge_conflicts (run_id);
CREATE INDEX merge_conflicts_target_idx ON legacy.merge_conflicts (target_table, target_id);
CREATE TRIGGER merge_conflicts_touch_updated_at BEFORE UPDATE ON legacy.merge_conflicts
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
--rollback DROP TABLE legacy.merge_conflicts;
