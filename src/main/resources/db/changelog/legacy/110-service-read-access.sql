--liquibase formatted sql

-- The service (REST API, MCP tools) shows a town's owners and admins their import runs, reconciliation and
-- quarantine, read as the application role under row-level security like every other resource. Only these three
-- tables are granted, only SELECT: the id map, checkpoints, merge conflicts, value issues and filled values stay
-- owner-only, and the importer keeps writing as the owner, which owns these tables and so is not subject to the
-- policies (RLS is ENABLEd, not FORCEd, like the core tables).

--changeset townhall:legacy-110-schema-usage
--comment: the application role may look up names in legacy; it still reads only the tables granted below
GRANT USAGE ON SCHEMA legacy TO townhall_app;
--rollback REVOKE USAGE ON SCHEMA legacy FROM townhall_app;

--changeset townhall:legacy-111-import-runs-read
--comment: an import run is visible to owners/admins of the town it imported into (capital owners/admins: every town of the organisation)
ALTER TABLE legacy.import_runs ENABLE ROW LEVEL SECURITY;
CREATE POLICY import_runs_select ON legacy.import_runs FOR SELECT
    USING (core.acting_can_admin(town_id));
GRANT SELECT ON legacy.import_runs TO townhall_app;
--rollback REVOKE SELECT ON legacy.import_runs FROM townhall_app;
--rollback DROP POLICY import_runs_select ON legacy.import_runs;
--rollback ALTER TABLE legacy.import_runs DISABLE ROW LEVEL SECURITY;

--changeset townhall:legacy-112-reconciliation-read
--comment: a run's reconciliation is visible exactly when the run is; the uncorrelated sub-select is evaluated once per statement
ALTER TABLE legacy.reconciliation ENABLE ROW LEVEL SECURITY;
CREATE POLICY reconciliation_select ON legacy.reconciliation FOR SELECT
    USING (run_id IN (SELECT r.id FROM legacy.import_runs r WHERE core.acting_can_admin(r.town_id)));
GRANT SELECT ON legacy.reconciliation TO townhall_app;
--rollback REVOKE SELECT ON legacy.reconciliation FROM townhall_app;
--rollback DROP POLICY reconciliation_select ON legacy.reconciliation;
--rollback ALTER TABLE legacy.reconciliation DISABLE ROW LEVEL SECURITY;

--changeset townhall:legacy-113-quarantine-read
--comment: a run's quarantined rows are visible exactly when the run is (they hold source rows of that town's legacy data)
ALTER TABLE legacy.quarantine ENABLE ROW LEVEL SECURITY;
CREATE POLICY quarantine_select ON legacy.quarantine FOR SELECT
    USING (run_id IN (SELECT r.id FROM legacy.import_runs r WHERE core.acting_can_admin(r.town_id)));
GRANT SELECT ON legacy.quarantine TO townhall_app;
--rollback REVOKE SELECT ON legacy.quarantine FROM townhall_app;
--rollback DROP POLICY quarantine_select ON legacy.quarantine;
--rollback ALTER TABLE legacy.quarantine DISABLE ROW LEVEL SECURITY;
