--liquibase formatted sql

-- Every write to a tenant table is audited: three statement-level triggers per table (insert, update, delete)
-- append one core.audit_log row per changed row, set-based through transition tables, with the acting user and
-- the row before/after. Bulk loads by the owner (the importer, which records itself in legacy.import_runs) may
-- switch row auditing off for their own transaction with SET LOCAL townhall.bulk = 'on'; the switch is ignored
-- for roles without BYPASSRLS, so the application can never write unaudited.

--changeset townhall:core-120-fn-audit-statement splitStatements:false
--comment: the trigger function behind row auditing; runs as the writer, so RLS on core.audit_log still applies
CREATE FUNCTION core.audit_statement() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, core
AS $$
DECLARE
    v_table text := TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME;
    v_actor text := CASE WHEN core.acting_user_id() IS NULL THEN current_user ELSE 'user' END;
BEGIN
    IF current_setting('townhall.bulk', true) = 'on'
       AND EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = current_user AND (r.rolbypassrls OR r.rolsuper)) THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        INSERT INTO core.audit_log (org_id, town_id, user_id, actor, action, table_name, row_id, after_data)
        SELECT n.org_id, n.town_id, core.acting_user_id(), v_actor, 'insert', v_table, n.id, to_jsonb(n) FROM new_rows n;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO core.audit_log (org_id, town_id, user_id, actor, action, table_name, row_id, before_data, after_data)
        SELECT n.org_id, n.town_id, core.acting_user_id(), v_actor, 'update', v_table, n.id, to_jsonb(o), to_jsonb(n)
        FROM new_rows n JOIN old_rows o ON o.id = n.id;
    ELSE
        INSERT INTO core.audit_log (org_id, town_id, user_id, actor, action, table_name, row_id, before_data)
        SELECT o.org_id, o.town_id, core.acting_user_id(), v_actor, 'delete', v_table, o.id, to_jsonb(o) FROM old_rows o;
    END IF;
    RETURN NULL;
END
$$;
--rollback DROP FUNCTION core.audit_statement();

--changeset townhall:core-121-fn-enable-audit splitStatements:false
--comment: attaches the three audit triggers to a table; future tenant tables call it beside core.enable_tenancy (verify checks they do)
CREATE FUNCTION core.enable_audit(tbl regclass) RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, core
AS $$
DECLARE
    rel name := (SELECT c.relname FROM pg_class c WHERE c.oid = tbl);
BEGIN
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %s REFERENCING NEW TABLE AS new_rows'
                   ' FOR EACH STATEMENT EXECUTE FUNCTION core.audit_statement()', rel || '_audit_insert', tbl);
    EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %s REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows'
                   ' FOR EACH STATEMENT EXECUTE FUNCTION core.audit_statement()', rel || '_audit_update', tbl);
    EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %s REFERENCING OLD TABLE AS old_rows'
                   ' FOR EACH STATEMENT EXECUTE FUNCTION core.audit_statement()', rel || '_audit_delete', tbl);
END
$$;
--rollback DROP FUNCTION core.enable_audit(regclass);

--changeset townhall:core-122-fn-disable-audit splitStatements:false
--comment: removes the three audit triggers of a table (used by rollbacks; a single statement, which Liquibase does not split)
CREATE FUNCTION core.disable_audit(tbl regclass) RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, core
AS $$
DECLARE
    rel name := (SELECT c.relname FROM pg_class c WHERE c.oid = tbl);
BEGIN
    EXECUTE format('DROP TRIGGER IF EXISTS %I ON %s', rel || '_audit_insert', tbl);
    EXECUTE format('DROP TRIGGER IF EXISTS %I ON %s', rel || '_audit_update', tbl);
    EXECUTE format('DROP TRIGGER IF EXISTS %I ON %s', rel || '_audit_delete', tbl);
END
$$;
--rollback DROP FUNCTION core.disable_audit(regclass);

--changeset townhall:core-123-audit-tenant-tables splitStatements:false
--comment: audit every tenant table that exists now
DO $$
DECLARE
    t regclass;
BEGIN
    FOR t IN SELECT table_name FROM core.tenant_tables ORDER BY 1 LOOP
        PERFORM core.enable_audit(t);
    END LOOP;
END
$$;
--rollback SELECT core.disable_audit(table_name) FROM core.tenant_tables;
