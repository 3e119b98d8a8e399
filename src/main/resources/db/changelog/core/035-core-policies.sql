--liquibase formatted sql

-- The core tables are not tenant tables: organisations, towns and users are organisation-wide and memberships
-- describe access itself. They get RLS ENABLEd (so the application role sees only its organisation) but not
-- FORCEd: the SECURITY DEFINER context functions run as the owner and must read them without recursing into
-- these policies.

--changeset townhall:core-035-organizations-rls
--comment: the application sees only the acting organisation; it never writes organisations
ALTER TABLE core.organizations ENABLE ROW LEVEL SECURITY;
CREATE POLICY organizations_select ON core.organizations FOR SELECT
    USING (id = (SELECT core.acting_org_id()));
--rollback DROP POLICY organizations_select ON core.organizations;
--rollback ALTER TABLE core.organizations DISABLE ROW LEVEL SECURITY;

--changeset townhall:core-036-towns-rls
--comment: members see every town of their organisation (names, not data); only owners/admins of the capital create, change or delete towns (never the capital itself by delete)
ALTER TABLE core.towns ENABLE ROW LEVEL SECURITY;
CREATE POLICY towns_select ON core.towns FOR SELECT
    USING (org_id = (SELECT core.acting_org_id()));
CREATE POLICY towns_insert ON core.towns FOR INSERT
    WITH CHECK (org_id = (SELECT core.acting_org_id()) AND (SELECT core.acting_is_capital_admin()));
CREATE POLICY towns_update ON core.towns FOR UPDATE
    USING (org_id = (SELECT core.acting_org_id()) AND (SELECT core.acting_is_capital_admin()))
    WITH CHECK (org_id = (SELECT core.acting_org_id()) AND (SELECT core.acting_is_capital_admin()));
CREATE POLICY towns_delete ON core.towns FOR DELETE
    USING (org_id = (SELECT core.acting_org_id()) AND NOT is_capital
           AND (SELECT core.acting_is_capital_admin()));
--rollback DROP POLICY towns_delete ON core.towns;
--rollback DROP POLICY towns_update ON core.towns;
--rollback DROP POLICY towns_insert ON core.towns;
--rollback DROP POLICY towns_select ON core.towns;
--rollback ALTER TABLE core.towns DISABLE ROW LEVEL SECURITY;

--changeset townhall:core-037-users-rls
--comment: members see the users of their organisation; owners/admins add and edit users, everyone edits their own profile
ALTER TABLE core.users ENABLE ROW LEVEL SECURITY;
CREATE POLICY users_select ON core.users FOR SELECT
    USING (org_id = (SELECT core.acting_org_id()));
CREATE POLICY users_insert ON core.users FOR INSERT
    WITH CHECK (org_id = (SELECT core.acting_org_id()) AND (SELECT core.acting_role()) IN ('owner', 'admin'));
CREATE POLICY users_update ON core.users FOR UPDATE
    USING (org_id = (SELECT core.acting_org_id())
           AND (id = (SELECT core.acting_user_id()) OR (SELECT core.acting_role()) IN ('owner', 'admin')))
    WITH CHECK (org_id = (SELECT core.acting_org_id())
                AND (id = (SELECT core.acting_user_id()) OR (SELECT core.acting_role()) IN ('owner', 'admin')));
CREATE POLICY users_delete ON core.users FOR DELETE
    USING (org_id = (SELECT core.acting_org_id()) AND (SELECT core.acting_is_capital_admin()));
--rollback DROP POLICY users_delete ON core.users;
--rollback DROP POLICY users_update ON core.users;
--rollback DROP POLICY users_insert ON core.users;
--rollback DROP POLICY users_select ON core.users;
--rollback ALTER TABLE core.users DISABLE ROW LEVEL SECURITY;

--changeset townhall:core-038-memberships-rls
--comment: a user sees their own memberships and those of towns they can read; town owners/admins manage members, and only owners grant, change or remove owner
ALTER TABLE core.memberships ENABLE ROW LEVEL SECURITY;
CREATE POLICY memberships_select ON core.memberships FOR SELECT
    USING (user_id = (SELECT core.acting_user_id()) OR town_id = ANY ((SELECT core.readable_town_ids())::uuid[]));
CREATE POLICY memberships_insert ON core.memberships FOR INSERT
    WITH CHECK (core.acting_can_admin(town_id) AND (role <> 'owner' OR (SELECT core.acting_role()) = 'owner'));
CREATE POLICY memberships_update ON core.memberships FOR UPDATE
    USING (core.acting_can_admin(town_id) AND (role <> 'owner' OR (SELECT core.acting_role()) = 'owner'))
    WITH CHECK (core.acting_can_admin(town_id) AND (role <> 'owner' OR (SELECT core.acting_role()) = 'owner'));
CREATE POLICY memberships_delete ON core.memberships FOR DELETE
    USING (core.acting_can_admin(town_id) AND (role <> 'owner' OR (SELECT core.acting_role()) = 'owner'));
--rollback DROP POLICY memberships_delete ON core.memberships;
--rollback DROP POLICY memberships_update ON core.memberships;
--rollback DROP POLICY memberships_insert ON core.memberships;
--rollback DROP POLICY memberships_select ON core.memberships;
--rollback ALTER TABLE core.memberships DISABLE ROW LEVEL SECURITY;
