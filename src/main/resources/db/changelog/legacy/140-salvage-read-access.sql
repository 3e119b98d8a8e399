--liquibase formatted sql

-- The salvage review (issue 14) over the service: what imported rows went without (legacy.value_issues) and the
-- references imported empty (legacy.deferred_links) are shown to a town's owners and admins like the run's
-- reconciliation and quarantine (legacy-112, legacy-113): read as the application role under row-level security,
-- SELECT only. The importer keeps writing as the owner, which owns these tables and so is not subject to the
-- policies (RLS is ENABLEd, not FORCEd). The id map, checkpoints, merge conflicts and filled values stay owner-only.

--changeset townhall:legacy-140-value-issues-read
--comment: a run's value issues are visible exactly when the run is (they hold raw values of that town's legacy data)
ALTER TABLE legacy.value_issues ENABLE ROW LEVEL SECURITY;
CREATE POLICY value_issues_select ON legacy.value_issues FOR SELECT
    USING (run_id IN (SELECT r.id FROM legacy.import_runs r WHERE core.acting_can_admin(r.town_id)));
GRANT SELECT ON legacy.value_issues TO townhall_app;
--rollback REVOKE SELECT ON legacy.value_issues FROM townhall_app;
--rollback DROP POLICY value_issues_select ON legacy.value_issues;
--rollback ALTER TABLE legacy.value_issues DISABLE ROW LEVEL SECURITY;

--changeset townhall:legacy-141-deferred-links-read
--comment: a deferred link is visible exactly when the run that recorded it (run_id) is; the run that resolved it (resolved_run_id) imports into the same town and decides nothing
ALTER TABLE legacy.deferred_links ENABLE ROW LEVEL SECURITY;
CREATE POLICY deferred_links_select ON legacy.deferred_links FOR SELECT
    USING (run_id IN (SELECT r.id FROM legacy.import_runs r WHERE core.acting_can_admin(r.town_id)));
GRANT SELECT ON legacy.deferred_links TO townhall_app;
--rollback REVOKE SELECT ON legacy.deferred_links FROM townhall_app;
--rollback DROP POLICY deferred_links_select ON legacy.deferred_links;
--rollback ALTER TABLE legacy.deferred_links DISABLE ROW LEVEL SECURITY;
