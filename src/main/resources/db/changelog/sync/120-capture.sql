--liquibase formatted sql

--changeset townhall:sync-120-fn-change-stamp splitStatements:false
--comment: who made a change and when, for the capture triggers: a local write, or a remote change the agent applies
-- Origin: the sync agent applies a remote change with SET LOCAL townhall.sync_origin = '<origin node uuid>' and
-- townhall.sync_hlc = '<remote hlc>'; both are honoured only for a login that bypasses RLS (the owner role, as
-- core.audit_statement's bulk switch), so no application or compat session can pass its writes off as remote.
-- The agent also sets townhall.sync_writer_town (the remote change's writer_town_id, empty for none); a local
-- write records core.acting_town_id(). base: the hlc of the row's latest change logged here.
-- A batched apply (one statement writing many rows of one table) cannot give each row its own settings, because
-- AFTER ROW triggers fire at the end of the statement: it sets townhall.sync_rows instead, the table followed by one
-- ';<row id> <origin> <hlc> <writer town or nothing>' entry per row and a closing ';', looked up by the row's id.
-- A row the statement writes that is not listed (a cascade into another row) is an error, so the agent falls back
-- to applying that batch change by change.
CREATE FUNCTION sync.change_stamp(p_table text, p_id uuid, OUT origin uuid, OUT hlc bigint, OUT writer uuid,
                                  OUT base bigint)
    LANGUAGE plpgsql
    SET search_path = pg_catalog, sync
AS $$
DECLARE
    v_rows  text := nullif(current_setting('townhall.sync_rows', true), '');
    v_at    integer;
    v_entry text[];
BEGIN
    IF (v_rows IS NOT NULL OR nullif(current_setting('townhall.sync_origin', true), '') IS NOT NULL)
       AND EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = session_user AND (r.rolbypassrls OR r.rolsuper)) THEN
        IF v_rows IS NOT NULL THEN
            v_at := strpos(v_rows, ';' || p_id::text || ' ');
            IF v_at = 0 OR left(v_rows, length(p_table) + 1) <> p_table || ';' THEN
                RAISE EXCEPTION 'townhall.sync_rows does not list % %', p_table, p_id
                    USING ERRCODE = 'invalid_parameter_value';
            END IF;
            -- an entry is at most 36 + 1 + 36 + 1 + 20 + 1 + 36 characters after its ';'
            v_entry := string_to_array(split_part(substr(v_rows, v_at + 1, 140), ';', 1), ' ');
            origin := v_entry[2]::uuid;
            hlc := v_entry[3]::bigint;
            writer := nullif(v_entry[4], '')::uuid;
        ELSE
            origin := current_setting('townhall.sync_origin')::uuid;
            hlc := nullif(current_setting('townhall.sync_hlc', true), '')::bigint;
            writer := nullif(current_setting('townhall.sync_writer_town', true), '')::uuid;
            IF hlc IS NULL THEN
                RAISE EXCEPTION 'townhall.sync_origin is set, so townhall.sync_hlc must carry the remote change''s clock'
                    USING ERRCODE = 'invalid_parameter_value';
            END IF;
        END IF;
    ELSE
        origin := sync.local_node_id();
        hlc := sync.hlc_now();
        writer := core.acting_town_id();
    END IF;
    SELECT c.hlc INTO base FROM sync.changes c
    WHERE c.table_name = p_table AND c.row_id = p_id
    ORDER BY c.id DESC LIMIT 1;
END
$$;
REVOKE ALL ON FUNCTION sync.change_stamp(text, uuid) FROM PUBLIC;
--rollback DROP FUNCTION sync.change_stamp(text, uuid);

--changeset townhall:sync-120-fn-capture-change splitStatements:false
--comment: the capture trigger: one sync.changes row per changed row, in the writing transaction
-- SECURITY DEFINER so the application's writes are captured while it cannot read or write the log itself.
-- Trigger arguments: the table's generated columns, left out of the row image (they cannot be inserted on apply).
-- An update that changes nothing but updated_at (touch_updated_at stamps every UPDATE) is not captured.
-- Origin, clock, writer town and base: sync.change_stamp.
CREATE FUNCTION sync.capture_change() RETURNS trigger
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, sync
AS $$
DECLARE
    v_table    text := TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME;
    v_excluded text[] := coalesce(TG_ARGV, '{}');
    v_new      jsonb;
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
    SELECT s.origin, s.hlc, s.writer, s.base INTO v_origin, v_hlc, v_writer, v_base
    FROM sync.change_stamp(v_table, CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END) s;

    IF TG_OP = 'INSERT' THEN
        INSERT INTO sync.changes (hlc, origin_node, table_name, row_id, org_id, town_id, visibility, shared_with,
                                  operation, row_data, writer_town_id, base_hlc)
        VALUES (v_hlc, v_origin, v_table, NEW.id, NEW.org_id, NEW.town_id, NEW.visibility, NEW.shared_with,
                'insert', v_new, v_writer, v_base);
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO sync.changes (hlc, origin_node, table_name, row_id, org_id, town_id, visibility, shared_with,
                                  operation, row_data, writer_town_id, base_hlc)
        VALUES (v_hlc, v_origin, v_table, OLD.id, OLD.org_id, OLD.town_id, OLD.visibility, OLD.shared_with,
                'delete', NULL, v_writer, v_base);
    ELSIF (OLD.org_id, OLD.town_id, OLD.visibility, OLD.shared_with)
          IS DISTINCT FROM (NEW.org_id, NEW.town_id, NEW.visibility, NEW.shared_with) THEN
        -- a move: a tombstone where the row was visible, the image where it is now
        INSERT INTO sync.changes (hlc, origin_node, table_name, row_id, org_id, town_id, visibility, shared_with,
                                  operation, row_data, writer_town_id, base_hlc)
        VALUES (v_hlc, v_origin, v_table, OLD.id, OLD.org_id, OLD.town_id, OLD.visibility, OLD.shared_with,
                'move_out', NULL, v_writer, v_base),
               (v_hlc, v_origin, v_table, NEW.id, NEW.org_id, NEW.town_id, NEW.visibility, NEW.shared_with,
                'move_in', v_new, v_writer, v_base);
    ELSE
        INSERT INTO sync.changes (hlc, origin_node, table_name, row_id, org_id, town_id, visibility, shared_with,
                                  operation, row_data, writer_town_id, base_hlc)
        VALUES (v_hlc, v_origin, v_table, NEW.id, NEW.org_id, NEW.town_id, NEW.visibility, NEW.shared_with,
                'update', v_new, v_writer, v_base);
    END IF;
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION sync.capture_change() FROM PUBLIC;
--rollback DROP FUNCTION sync.capture_change();

--changeset townhall:sync-121-fn-enable-capture splitStatements:false
--comment: installs (or refreshes) the capture trigger on one table and lists it in sync.synced_tables
-- Re-run it after adding a generated column to a synced table: the trigger's arguments name them (SyncedTablesTest checks).
CREATE FUNCTION sync.enable_capture(tbl regclass) RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, sync
AS $$
DECLARE
    v_missing   text;
    v_name      text;
    v_rel       name;
    v_generated text;
BEGIN
    SELECT string_agg(required.col, ', ') INTO v_missing
    FROM unnest(ARRAY['id', 'org_id', 'town_id', 'visibility', 'shared_with']) AS required(col)
    WHERE NOT EXISTS (SELECT 1 FROM pg_attribute a
                      WHERE a.attrelid = tbl AND a.attname = required.col AND NOT a.attisdropped);
    IF v_missing IS NOT NULL THEN
        RAISE EXCEPTION 'table % cannot be synced: missing column(s) %', tbl, v_missing;
    END IF;
    SELECT n.nspname || '.' || c.relname, c.relname INTO v_name, v_rel
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = tbl;
    SELECT coalesce(string_agg(quote_literal(a.attname), ', ' ORDER BY a.attnum), '') INTO v_generated
    FROM pg_attribute a
    WHERE a.attrelid = tbl AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated <> '';

    EXECUTE format('DROP TRIGGER IF EXISTS %I ON %s', v_rel || '_sync_capture', tbl);
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %s'
                   ' FOR EACH ROW EXECUTE FUNCTION sync.capture_change(%s)', v_rel || '_sync_capture', tbl, v_generated);
    INSERT INTO sync.synced_tables (table_name) VALUES (v_name) ON CONFLICT (table_name) DO NOTHING;
END
$$;
REVOKE ALL ON FUNCTION sync.enable_capture(regclass) FROM PUBLIC;
--rollback DROP FUNCTION sync.enable_capture(regclass);

--changeset townhall:sync-122-fn-disable-capture splitStatements:false
--comment: removes the capture trigger of a table and its sync.synced_tables row (used by rollbacks)
CREATE FUNCTION sync.disable_capture(tbl regclass) RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, sync
AS $$
DECLARE
    v_rel  name;
    v_name text;
BEGIN
    SELECT n.nspname || '.' || c.relname, c.relname INTO v_name, v_rel
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = tbl;
    EXECUTE format('DROP TRIGGER IF EXISTS %I ON %s', v_rel || '_sync_capture', tbl);
    DELETE FROM sync.synced_tables WHERE table_name = v_name;
END
$$;
REVOKE ALL ON FUNCTION sync.disable_capture(regclass) FROM PUBLIC;
--rollback DROP FUNCTION sync.disable_capture(regclass);

--changeset townhall:sync-123-capture-tenant-tables splitStatements:false
--comment: capture every tenant table that exists now, except derived ones (rebuilt from synced rows) and sync's own
DO $$
DECLARE
    t regclass;
BEGIN
    FOR t IN SELECT tt.table_name FROM core.tenant_tables tt
             WHERE tt.schema_name <> 'sync'
               AND coalesce(obj_description(tt.table_name, 'pg_class'), '') NOT LIKE 'derived:%'
             ORDER BY 1 LOOP
        PERFORM sync.enable_capture(t);
    END LOOP;
END
$$;
--rollback SELECT sync.disable_capture(table_name::regclass) FROM sync.synced_tables;
