--liquibase formatted sql

-- The organisation's directory (towns, users, memberships) syncs too, so a replica started empty (./townhall up,
-- migrate) can hold the rows that name a user. Directory rows are organisation-wide, not owned by a town: they are
-- logged as shared with the whole organisation, so every peer, town replicas included, receives them, as every
-- member may read them (core-037). A town replica may not write them (decision 46). Secrets stay on their node.

--changeset townhall:sync-170-synced-tables-scope
--comment: a synced table is a town table (rows owned by a town) or part of the organisation's directory; kept_local columns never leave their node
ALTER TABLE sync.synced_tables
    ADD COLUMN scope text NOT NULL DEFAULT 'town',
    -- left out of the row image, of the row hash, and never overwritten on apply (a password hash, a last login)
    ADD COLUMN kept_local text[] NOT NULL DEFAULT '{}',
    ADD CONSTRAINT synced_tables_scope_check CHECK (scope IN ('town', 'directory'));
--rollback ALTER TABLE sync.synced_tables DROP COLUMN kept_local, DROP COLUMN scope;

--changeset townhall:sync-171-fn-capture-directory-change splitStatements:false
--comment: the capture trigger of directory tables: as sync.capture_change (stamped by sync.change_stamp), with the scope of an organisation-wide row
-- town_id: the town itself for core.towns, the row's town where it has one (a membership), else the organisation's
-- capital; visibility shared with the whole organisation (shared_with '{}'). No moves: the scope never changes.
-- Trigger arguments: the columns left out of the row image (generated and kept_local).
CREATE FUNCTION sync.capture_directory_change() RETURNS trigger
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, sync
AS $$
DECLARE
    v_table    text := TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME;
    v_excluded text[] := coalesce(TG_ARGV, '{}');
    v_row      jsonb := to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END);
    v_new      jsonb;
    v_org      uuid;
    v_town     uuid;
    v_origin   uuid;
    v_hlc      bigint;
    v_writer   uuid;
    v_base     bigint;
BEGIN
    IF TG_OP <> 'DELETE' THEN
        v_new := to_jsonb(NEW) - v_excluded;
    END IF;
    IF TG_OP = 'UPDATE' AND (v_new - 'updated_at') = ((to_jsonb(OLD) - v_excluded) - 'updated_at') THEN
        RETURN NULL;
    END IF;
    v_org := (v_row ->> 'org_id')::uuid;
    v_town := CASE WHEN v_table = 'core.towns' THEN (v_row ->> 'id')::uuid ELSE (v_row ->> 'town_id')::uuid END;
    IF v_town IS NULL THEN
        SELECT t.id INTO v_town FROM core.towns t WHERE t.org_id = v_org ORDER BY t.is_capital DESC, t.created_at LIMIT 1;
    END IF;
    IF v_town IS NULL THEN
        RAISE EXCEPTION 'organisation % has no town yet: create its towns before its users, so they can be synced', v_org
            USING ERRCODE = 'foreign_key_violation';
    END IF;

    SELECT s.origin, s.hlc, s.writer, s.base INTO v_origin, v_hlc, v_writer, v_base
    FROM sync.change_stamp(v_table, (v_row ->> 'id')::uuid) s;

    INSERT INTO sync.changes (hlc, origin_node, table_name, row_id, org_id, town_id, visibility, shared_with,
                              operation, row_data, writer_town_id, base_hlc)
    VALUES (v_hlc, v_origin, v_table, (v_row ->> 'id')::uuid, v_org, v_town, 'shared', '{}',
            lower(TG_OP), v_new, v_writer, v_base);
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION sync.capture_directory_change() FROM PUBLIC;
--rollback DROP FUNCTION sync.capture_directory_change();

--changeset townhall:sync-172-fn-enable-directory-capture splitStatements:false
--comment: installs (or refreshes) the directory capture trigger on one table and lists it as a directory table
CREATE FUNCTION sync.enable_directory_capture(tbl regclass, kept_local text[]) RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, sync
AS $$
DECLARE
    v_name     text;
    v_rel      name;
    v_excluded text;
BEGIN
    SELECT n.nspname || '.' || c.relname, c.relname INTO v_name, v_rel
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = tbl;
    SELECT coalesce(string_agg(quote_literal(a.attname), ', ' ORDER BY a.attnum), '') INTO v_excluded
    FROM pg_attribute a
    WHERE a.attrelid = tbl AND a.attnum > 0 AND NOT a.attisdropped
      AND (a.attgenerated <> '' OR a.attname = ANY (kept_local));

    EXECUTE format('DROP TRIGGER IF EXISTS %I ON %s', v_rel || '_sync_capture', tbl);
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %s'
                   ' FOR EACH ROW EXECUTE FUNCTION sync.capture_directory_change(%s)', v_rel || '_sync_capture', tbl,
                   v_excluded);
    INSERT INTO sync.synced_tables (table_name, scope, kept_local) VALUES (v_name, 'directory', kept_local)
    ON CONFLICT (table_name) DO UPDATE SET scope = 'directory', kept_local = EXCLUDED.kept_local;
END
$$;
REVOKE ALL ON FUNCTION sync.enable_directory_capture(regclass, text[]) FROM PUBLIC;
--rollback DROP FUNCTION sync.enable_directory_capture(regclass, text[]);

--changeset townhall:sync-173-reference-towns-created-at
--comment: the reference towns (core-090) get one creation time on every node, so replicas hold identical directory rows
-- core-090 stamped them with the time each database was migrated; every node migrates at another time. A correction
-- of the migrations' own data, recorded in databasechangelog, not in the audit log (whose rows would outlive a rollback).
SET LOCAL townhall.bulk = 'on';
UPDATE core.towns SET created_at = '2026-01-01 00:00:00+00'
WHERE id IN ('00000000-0000-4000-8000-00000000000a', '00000000-0000-4000-8000-00000000000f',
             '00000000-0000-4000-8000-00000000000c');
--rollback SELECT 'the reference towns keep their common creation time: the migration''s own clock was no fact to restore';

--changeset townhall:sync-174-capture-directory
--comment: the directory tables: towns, users (their password hash and last login stay on their node), memberships
SELECT sync.enable_directory_capture('core.towns', '{}');
SELECT sync.enable_directory_capture('core.users', '{password_hash,last_login}');
SELECT sync.enable_directory_capture('core.memberships', '{}');
--rollback SELECT sync.disable_capture(table_name::regclass) FROM sync.synced_tables WHERE scope = 'directory';
