--liquibase formatted sql

-- core-037's users_update let an owner/admin of ANY town update ANY user of the organisation, so fluenti's admin
-- could rewrite the capital owner's email or password_hash (an account takeover of the capital, which reads every
-- town). A town owner/admin now manages only users whose every membership is in the acting town; capital
-- owners/admins manage every user of the organisation; everyone still edits their own row.

--changeset townhall:core-100-fn-acting-can-admin-user splitStatements:false
--comment: whether the acting user may manage a user's row: capital owner/admin of its organisation, or owner/admin of the acting town when every membership of that user is in the acting town; admins never manage owners
CREATE FUNCTION core.acting_can_admin_user(p_user_id uuid) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, core
AS $$
DECLARE
    m record;
BEGIN
    SELECT a.town_id, a.org_id, a.role, a.is_capital INTO m FROM core.acting_membership() a;
    IF NOT FOUND OR m.role NOT IN ('owner', 'admin') THEN
        RETURN false;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM core.users u WHERE u.id = p_user_id AND u.org_id = m.org_id) THEN
        RETURN false;
    END IF;
    -- an admin never manages an owner (that would hand the admin the owner's account); owners manage owners
    IF m.role = 'admin' AND EXISTS (SELECT 1 FROM core.memberships x WHERE x.user_id = p_user_id AND x.role = 'owner') THEN
        RETURN false;
    END IF;
    IF m.is_capital THEN
        RETURN true;
    END IF;
    -- memberships are read as the owner (this function is SECURITY DEFINER): the caller cannot see other towns'
    RETURN EXISTS (SELECT 1 FROM core.memberships x WHERE x.user_id = p_user_id)
       AND NOT EXISTS (SELECT 1 FROM core.memberships x WHERE x.user_id = p_user_id AND x.town_id <> m.town_id);
END
$$;
--rollback DROP FUNCTION core.acting_can_admin_user(uuid);

--changeset townhall:core-101-acting-can-admin-user-grants
--comment: like the other context functions: callable by the two application roles, not by PUBLIC
REVOKE ALL ON FUNCTION core.acting_can_admin_user(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.acting_can_admin_user(uuid) TO townhall_app, townhall_analytics;
--rollback REVOKE EXECUTE ON FUNCTION core.acting_can_admin_user(uuid) FROM townhall_app, townhall_analytics;
--rollback GRANT EXECUTE ON FUNCTION core.acting_can_admin_user(uuid) TO PUBLIC;

--changeset townhall:core-102-users-update-town-admins
--comment: users_update: one's own row, or users the acting owner/admin manages (core.acting_can_admin_user), never users of other towns
DROP POLICY users_update ON core.users;
CREATE POLICY users_update ON core.users FOR UPDATE
    USING (org_id = (SELECT core.acting_org_id())
           AND (id = (SELECT core.acting_user_id()) OR core.acting_can_admin_user(id)))
    WITH CHECK (org_id = (SELECT core.acting_org_id())
                AND (id = (SELECT core.acting_user_id()) OR core.acting_can_admin_user(id)));
--rollback DROP POLICY users_update ON core.users;
--rollback CREATE POLICY users_update ON core.users FOR UPDATE USING (org_id = (SELECT core.acting_org_id()) AND (id = (SELECT core.acting_user_id()) OR (SELECT core.acting_role()) IN ('owner', 'admin'))) WITH CHECK (org_id = (SELECT core.acting_org_id()) AND (id = (SELECT core.acting_user_id()) OR (SELECT core.acting_role()) IN ('owner', 'admin')));
