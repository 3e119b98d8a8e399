--liquibase formatted sql

-- The town context. The application sets, per transaction:
--   SET LOCAL townhall.user_id = '<uuid>';  SET LOCAL townhall.town_id = '<uuid>';
-- Policies never trust those settings directly: the acting town is the requested town only while the acting
-- user holds an active membership there. Every function here is STABLE and answers NULL / false / '{}' when the
-- context is missing or wrong, so a missing context sees nothing. Policies call them inside sub-selects
-- ((SELECT core.acting_town_id())) so the planner evaluates each once per statement (an InitPlan) and can use
-- the town_id indexes.

--changeset townhall:core-019-fn-setting-uuid splitStatements:false
--comment: a session setting read as a uuid: NULL when unset, empty or not a uuid (never raises), so a forged or garbled context sees nothing
CREATE FUNCTION core.setting_uuid(p_name text) RETURNS uuid
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, core
AS $$
DECLARE
    raw text := current_setting(p_name, true);
BEGIN
    IF raw IS NULL OR raw !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN
        RETURN NULL;
    END IF;
    RETURN raw::uuid;
END
$$;
--rollback DROP FUNCTION core.setting_uuid(text);

--changeset townhall:core-020-fn-acting-user-id splitStatements:false
--comment: the acting user from townhall.user_id; NULL when unset, empty or not a uuid (never raises)
CREATE FUNCTION core.acting_user_id() RETURNS uuid
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, core
AS $$
BEGIN
    RETURN core.setting_uuid('townhall.user_id');
END
$$;
--rollback DROP FUNCTION core.acting_user_id();

--changeset townhall:core-021-fn-requested-town-id splitStatements:false
--comment: the town named by townhall.town_id, unchecked; policies use acting_town_id(), which checks membership
CREATE FUNCTION core.requested_town_id() RETURNS uuid
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, core
AS $$
BEGIN
    RETURN core.setting_uuid('townhall.town_id');
END
$$;
--rollback DROP FUNCTION core.requested_town_id();

--changeset townhall:core-022-fn-acting-membership splitStatements:false
--comment: the acting user's active membership in the requested town (zero or one row); SECURITY DEFINER so it works whatever the caller may read
-- Owned by the migrating (owner) role, which bypasses RLS on the core tables (they are not FORCEd).
-- It only ever returns facts about the acting user. Archived towns, inactive users and suspended
-- organisations yield no membership.
CREATE FUNCTION core.acting_membership()
RETURNS TABLE (town_id uuid, org_id uuid, role core.member_role, is_capital boolean)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, core
AS $$
    SELECT t.id, t.org_id, m.role, t.is_capital
    FROM core.memberships m
    JOIN core.towns t ON t.id = m.town_id AND t.org_id = m.org_id
    JOIN core.users u ON u.id = m.user_id AND u.org_id = m.org_id
    JOIN core.organizations o ON o.id = t.org_id
    WHERE m.user_id = core.acting_user_id()
      AND m.town_id = core.requested_town_id()
      AND m.is_active
      AND u.is_active
      AND t.status = 'active'
      AND o.status = 'active'
$$;
--rollback DROP FUNCTION core.acting_membership();

--changeset townhall:core-023-fn-acting-town-id splitStatements:false
--comment: the acting town: the requested town only if the acting user is an active member there, else NULL
CREATE FUNCTION core.acting_town_id() RETURNS uuid
LANGUAGE sql STABLE
SET search_path = pg_catalog, core
AS $$
    SELECT m.town_id FROM core.acting_membership() m
$$;
--rollback DROP FUNCTION core.acting_town_id();

--changeset townhall:core-024-fn-acting-org-id splitStatements:false
--comment: the organisation of the acting town, NULL without a valid context
CREATE FUNCTION core.acting_org_id() RETURNS uuid
LANGUAGE sql STABLE
SET search_path = pg_catalog, core
AS $$
    SELECT m.org_id FROM core.acting_membership() m
$$;
--rollback DROP FUNCTION core.acting_org_id();

--changeset townhall:core-025-fn-acting-role splitStatements:false
--comment: the acting user's role in the acting town, NULL without a valid context
CREATE FUNCTION core.acting_role() RETURNS core.member_role
LANGUAGE sql STABLE
SET search_path = pg_catalog, core
AS $$
    SELECT m.role FROM core.acting_membership() m
$$;
--rollback DROP FUNCTION core.acting_role();

--changeset townhall:core-026-fn-acting-can-write splitStatements:false
--comment: whether the acting role may write tenant rows of the acting town (owner, admin, member, service; not viewer)
CREATE FUNCTION core.acting_can_write() RETURNS boolean
LANGUAGE sql STABLE
SET search_path = pg_catalog, core
AS $$
    SELECT coalesce((SELECT m.role IN ('owner', 'admin', 'member', 'service') FROM core.acting_membership() m), false)
$$;
--rollback DROP FUNCTION core.acting_can_write();

--changeset townhall:core-027-fn-readable-town-ids splitStatements:false
--comment: towns whose private rows the acting user may read: every town of the organisation from the capital, else only the acting town
CREATE FUNCTION core.readable_town_ids() RETURNS uuid[]
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, core
AS $$
    SELECT coalesce(
        (SELECT CASE
                    WHEN m.is_capital THEN ARRAY(SELECT t.id FROM core.towns t WHERE t.org_id = m.org_id ORDER BY t.id)
                    ELSE ARRAY[m.town_id]
                END
         FROM core.acting_membership() m),
        '{}'::uuid[])
$$;
--rollback DROP FUNCTION core.readable_town_ids();

--changeset townhall:core-028-fn-acting-can-admin splitStatements:false
--comment: whether the acting user administers a given town: owner/admin of it, or owner/admin in the capital of its organisation
CREATE FUNCTION core.acting_can_admin(p_town_id uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, core
AS $$
    SELECT coalesce(
        (SELECT m.role IN ('owner', 'admin')
                AND (m.town_id = p_town_id
                     OR (m.is_capital AND EXISTS (SELECT 1 FROM core.towns t
                                                  WHERE t.id = p_town_id AND t.org_id = m.org_id)))
         FROM core.acting_membership() m),
        false)
$$;
--rollback DROP FUNCTION core.acting_can_admin(uuid);

--changeset townhall:core-029-fn-acting-is-capital-admin splitStatements:false
--comment: whether the acting user is owner/admin in their organisation's capital (creates towns, manages users org-wide)
CREATE FUNCTION core.acting_is_capital_admin() RETURNS boolean
LANGUAGE sql STABLE
SET search_path = pg_catalog, core
AS $$
    SELECT coalesce((SELECT m.is_capital AND m.role IN ('owner', 'admin') FROM core.acting_membership() m), false)
$$;
--rollback DROP FUNCTION core.acting_is_capital_admin();
