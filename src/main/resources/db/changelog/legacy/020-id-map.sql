--liquibase formatted sql

--changeset townhall:legacy-020-id-map
--comment: the one mapping from every legacy id (bigint, serial, text, uuid, and text user ids like 'allan') to the TownHall row it became or was merged into
-- Text user ids: source_table = 'user_text_id', source_id = the text id, target_table = 'core.users'.
-- A source row without a unique id (apollo tables have repeated ids) uses a stable derived source_id
-- chosen by the importer's mapping file (e.g. '<apollo_id>#<n>').
CREATE TABLE legacy.id_map (
    id              uuid        NOT NULL DEFAULT gen_random_uuid(),
    source_db       text        NOT NULL,
    source_table    text        NOT NULL,
    source_id       text        NOT NULL,
    target_table    text        NOT NULL,
    target_id       uuid        NOT NULL,
    -- imported: the row created target_id; merged: folded into an existing target_id; mapped: points at an existing row (users)
    outcome         text        NOT NULL,
    run_id          uuid,
    -- hash of the source row as read: a changed row is re-imported by a delta run
    source_row_hash text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT id_map_pkey PRIMARY KEY (id),
    CONSTRAINT id_map_source_key UNIQUE (source_db, source_table, source_id),
    CONSTRAINT id_map_run_fkey FOREIGN KEY (run_id) REFERENCES legacy.import_runs (id) ON DELETE SET NULL,
    CONSTRAINT id_map_source_check CHECK (btrim(source_db) <> '' AND btrim(source_table) <> '' AND source_id <> ''),
    CONSTRAINT id_map_target_table_check CHECK (target_table ~ '^[a-z_]+\.[a-z_]+$'),
    CONSTRAINT id_map_outcome_check CHECK (outcome IN ('imported', 'merged', 'mapped'))
);
CREATE INDEX id_map_target_idx ON legacy.id_map (target_table, target_id);
CREATE INDEX id_map_run_idx ON legacy.id_map (run_id);
CREATE TRIGGER id_map_touch_updated_at BEFORE UPDATE ON legacy.id_map
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
--rollback DROP TABLE legacy.id_map;
