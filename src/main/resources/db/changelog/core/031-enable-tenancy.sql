--liquibase formatted sql

--changeset townhall:core-031-fn-enable-tenancy splitStatements:false
--comment: one definition of the tenant policies; every tenant table calls it in the changeset that creates it, so RLS is on from its first migration
-- Read: rows of the towns the acting user may read (all towns from the capital), plus rows shared within the
-- organisation (shared_with empty) or shared with the acting town by name.
-- Write (insert/update/delete): only rows of the acting town, only for roles that may write (not viewer).
-- It also creates <table>_shared_idx (org_id) WHERE visibility = 'shared', so the shared arm can use an index.
-- DROP TABLE removes the policies and that index with the table.
CREATE FUNCTION core.enable_tenancy(tbl regclass) RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, core
AS $$
DECLARE
    missing text;
    rel     name;
BEGIN
    SELECT string_agg(required.col, ', ') INTO missing
    FROM unnest(ARRAY['org_id', 'town_id', 'visibility', 'shared_with']) AS required(col)
    WHERE NOT EXISTS (SELECT 1 FROM pg_attribute a
                      WHERE a.attrelid = tbl AND a.attname = required.col AND NOT a.attisdropped);
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION 'table % is not a tenant table: missing column(s) %', tbl, missing;
    END IF;

    SELECT c.relname INTO rel FROM pg_class c WHERE c.oid = tbl;
    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
    EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', tbl);
    EXECUTE format($p$CREATE POLICY tenant_select ON %s FOR SELECT
        USING (town_id = ANY ((SELECT core.readable_town_ids())::uuid[])
               OR (visibility = 'shared'
                   AND org_id = (SELECT core.acting_org_id())
                   AND (shared_with = '{}' OR (SELECT core.acting_town_id()) = ANY (shared_with))))$p$, tbl);
    EXECUTE format($p$CREATE POLICY tenant_insert ON %s FOR INSERT
        WITH CHECK (town_id = (SELECT core.acting_town_id()) AND (SELECT core.acting_can_write()))$p$, tbl);
    EXECUTE format($p$CREATE POLICY tenant_update ON %s FOR UPDATE
        USING (town_id = (SELECT core.acting_town_id()) AND (SELECT core.acting_can_write()))
        WITH CHECK (town_id = (SELECT core.acting_town_id()) AND (SELECT core.acting_can_write()))$p$, tbl);
    EXECUTE format($p$CREATE POLICY tenant_delete ON %s FOR DELETE
        USING (town_id = (SELECT core.acting_town_id()) AND (SELECT core.acting_can_write()))$p$, tbl);
    -- lets the planner answer the shared arm of tenant_select from an index (a BitmapOr with the town_id index)
    EXECUTE format('CREATE INDEX %I ON %s (org_id) WHERE visibility = ''shared''', rel || '_shared_idx', tbl);
END
$$;
--rollback DROP FUNCTION core.enable_tenancy(regclass);

--changeset townhall:core-032-enable-tenancy-grants
--comment: only the migrating owner turns tenancy on
REVOKE ALL ON FUNCTION core.enable_tenancy(regclass) FROM PUBLIC;
--rollback GRANT EXECUTE ON FUNCTION core.enable_tenancy(regclass) TO PUBLIC;

--changeset townhall:core-033-tenant-tables-view
--comment: the catalog's own list of tenant tables (those carrying the tenant_* policies), for verify and for tests that must cover future tables
CREATE VIEW core.tenant_tables WITH (security_invoker = true) AS
SELECT c.oid::regclass AS table_name,
       n.nspname       AS schema_name,
       c.relname       AS relation_name,
       c.relrowsecurity      AS rls_enabled,
       c.relforcerowsecurity AS rls_forced,
       (SELECT count(*) FROM pg_catalog.pg_policy p
        WHERE p.polrelid = c.oid
          AND p.polname IN ('tenant_select', 'tenant_insert', 'tenant_update', 'tenant_delete')) AS tenant_policies
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p')
  AND EXISTS (SELECT 1 FROM pg_catalog.pg_policy p WHERE p.polrelid = c.oid AND p.polname = 'tenant_select');
REVOKE INSERT, UPDATE, DELETE ON core.tenant_tables FROM townhall_app;
--rollback DROP VIEW core.tenant_tables;
