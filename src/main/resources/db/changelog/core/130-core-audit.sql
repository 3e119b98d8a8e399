--liquibase formatted sql

-- Writes to the core tables (towns, users, memberships, API keys, sessions, settings) are audited too. Unlike
-- tenant rows they may belong to no town (users) or to a town other than the acting one (a capital admin changes
-- a fluenti membership), which core.audit_log's insert policy would refuse; so this trigger function runs as the
-- owner. It records the acting user from the context and never copies a secret: columns whose name ends in
-- "_hash" are left out of the snapshots.

--changeset townhall:core-130-fn-audit-core-statement splitStatements:false
--comment: the audit trigger function of core tables: definer rights, org/town read from the row, *_hash columns dropped
CREATE FUNCTION core.audit_core_statement() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, core
AS $$
DECLARE
    v_table text := TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME;
    v_user  uuid := core.acting_user_id();
    v_actor text := CASE WHEN core.acting_user_id() IS NULL THEN session_user ELSE 'user' END;
BEGIN
    IF current_setting('townhall.bulk', true) = 'on'
       AND EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = session_user AND (r.rolbypassrls OR r.rolsuper)) THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        INSERT INTO core.audit_log (org_id, town_id, user_id, actor, action, table_name, row_id, after_data)
        SELECT (j ->> 'org_id')::uuid, core.audit_town(TG_TABLE_NAME, j), v_user, v_actor, 'insert', v_table,
               (j ->> 'id')::uuid, core.audit_snapshot(j)
        FROM (SELECT to_jsonb(n) AS j FROM new_rows n) r;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO core.audit_log (org_id, town_id, user_id, actor, action, table_name, row_id, before_data, after_data)
        SELECT (j ->> 'org_id')::uuid, core.audit_town(TG_TABLE_NAME, j), v_user, v_actor, 'update', v_table,
               (j ->> 'id')::uuid, core.audit_snapshot(b), core.audit_snapshot(j)
        FROM (SELECT to_jsonb(n) AS j, to_jsonb(o) AS b FROM new_rows n JOIN old_rows o ON o.id = n.id) r;
    ELSE
        INSERT INTO core.audit_log (org_id, town_id, user_id, actor, action, table_name, row_id, before_data)
        SELECT (b ->> 'org_id')::uuid, core.audit_town(TG_TABLE_NAME, b), v_user, v_actor, 'delete', v_table,
               (b ->> 'id')::uuid, core.audit_snapshot(b)
        FROM (SELECT to_jsonb(o) AS b FROM old_rows o) r;
    END IF;
    RETURN NULL;
END
$$;
--rollback DROP FUNCTION core.audit_core_statement();

--changeset townhall:core-131-fn-audit-helpers splitStatements:false
--comment: the town an audited core row belongs to (a town row is its own town), NULL once that town is deleted (the audit row outlives it)
CREATE FUNCTION core.audit_town(p_table name, p_row jsonb) RETURNS uuid
LANGUAGE sql STABLE
SET search_path = pg_catalog, core
AS $$
    SELECT t.id FROM core.towns t
    WHERE t.id = CASE WHEN p_table = 'towns' THEN (p_row ->> 'id')::uuid ELSE (p_row ->> 'town_id')::uuid END
$$;
--rollback DROP FUNCTION core.audit_town(name, jsonb);

--changeset townhall:core-132-fn-audit-snapshot splitStatements:false
--comment: a row as jsonb without its *_hash columns (password, key and token hashes never reach the audit log)
CREATE FUNCTION core.audit_snapshot(p_row jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE
AS $$
    SELECT coalesce(jsonb_object_agg(key, value), '{}'::jsonb) FROM jsonb_each(p_row) WHERE key NOT LIKE '%\_hash'
$$;
--rollback DROP FUNCTION core.audit_snapshot(jsonb);

--changeset townhall:core-133-audit-core-tables splitStatements:false
--comment: attach the three statement-level audit triggers to the core tables the application writes
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['towns', 'users', 'memberships', 'api_keys', 'sessions', 'settings'] LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON core.%I REFERENCING NEW TABLE AS new_rows'
                       ' FOR EACH STATEMENT EXECUTE FUNCTION core.audit_core_statement()', t || '_audit_insert', t);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON core.%I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows'
                       ' FOR EACH STATEMENT EXECUTE FUNCTION core.audit_core_statement()', t || '_audit_update', t);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON core.%I REFERENCING OLD TABLE AS old_rows'
                       ' FOR EACH STATEMENT EXECUTE FUNCTION core.audit_core_statement()', t || '_audit_delete', t);
    END LOOP;
END
$$;
--rollback SELECT core.disable_audit(('core.' || t)::regclass) FROM unnest(ARRAY['towns', 'users', 'memberships', 'api_keys', 'sessions', 'settings']) t;

--changeset townhall:core-134-audit-core-grants
--comment: the definer function is called only by its triggers
REVOKE ALL ON FUNCTION core.audit_core_statement() FROM PUBLIC;
--rollback GRANT EXECUTE ON FUNCTION core.audit_core_statement() TO PUBLIC;
