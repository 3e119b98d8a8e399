--liquibase formatted sql

-- The context functions again, in PL/pgSQL. Their first versions were SQL functions; PostgreSQL plans a
-- non-inlinable SQL function body on every call, and SECURITY DEFINER or a FROM clause prevents inlining, so
-- every policy check paid a fresh plan of the membership join (~0.3 ms per statement, measured with
-- ./townhall bench rls). PL/pgSQL caches its plans per session: same answers, a fraction of the cost.
-- Behaviour is unchanged; each rollback restores the previous definition.

--changeset townhall:core-110-plpgsql-acting-membership splitStatements:false
--comment: same contract as core-022-fn-acting-membership, with a cached plan
CREATE OR REPLACE FUNCTION core.acting_membership()
RETURNS TABLE (town_id uuid, org_id uuid, role core.member_role, is_capital boolean)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, core
AS $$
BEGIN
    RETURN QUERY
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
      AND o.status = 'active';
END
$$;
--rollback CREATE OR REPLACE FUNCTION core.acting_membership()
--rollback RETURNS TABLE (town_id uuid, org_id uuid, role core.member_role, is_capital boolean)
--rollback LANGUAGE sql STABLE SECURITY DEFINER
--rollback SET search_path = pg_catalog, core
--rollback AS $$
--rollback     SELECT t.id, t.org_id, m.role, t.is_capital
--rollback     FROM core.memberships m
--rollback     JOIN core.towns t ON t.id = m.town_id AND t.org_id = m.org_id
--rollback     JOIN core.users u ON u.id = m.user_id AND u.org_id = m.org_id
--rollback     JOIN core.organizations o ON o.id = t.org_id
--rollback     WHERE m.user_id = core.acting_user_id()
--rollback       AND m.town_id = core.requested_town_id()
--rollback       AND m.is_active
--rollback       AND u.is_active
--rollback       AND t.status = 'active'
--rollback       AND o.status = 'active'
--rollback $$;

--changeset townhall:core-111-plpgsql-acting-town-id splitStatements:false
--comment: same contract as core-023-fn-acting-town-id, with a cached plan
CREATE OR REPLACE FUNCTION core.acting_town_id() RETURNS uuid
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, core
AS $$
BEGIN
    RETURN (SELECT m.town_id FROM core.acting_membership() m);
END
$$;
--rollback CREATE OR REPLACE FUNCTION core.acting_town_id() RETURNS uuid
--rollback LANGUAGE sql STABLE
--rollback SET search_path = pg_catalog, core
--rollback AS $$
--rollback     SELECT m.town_id FROM core.acting_membership() m
--rollback $$;

--changeset townhall:core-112-plpgsql-acting-org-id splitStatements:false
--comment: same contract as core-024-fn-acting-org-id, with a cached plan
CREATE OR REPLACE FUNCTION core.acting_org_id() RETURNS uuid
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, core
AS $$
BEGIN
    RETURN (SELECT m.org_id FROM core.acting_membership() m);
END
$$;
--rollback CREATE OR REPLACE FUNCTION core.acting_org_id() RETURNS uuid
--rollback LANGUAGE sql STABLE
--rollback SET search_path = pg_catalog, core
--rollback AS $$
--rollback     SELECT m.org_id FROM core.acting_membership() m
--rollback $$;

--changeset townhall:core-113-plpgsql-acting-role splitStatements:false
--comment: same contract as core-025-fn-acting-role, with a cached plan
CREATE OR REPLACE FUNCTION core.acting_role() RETURNS core.member_role
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, core
AS $$
BEGIN
    RETURN (SELECT m.role FROM core.acting_membership() m);
END
$$;
--rollback CREATE OR REPLACE FUNCTION core.acting_role() RETURNS core.member_role
--rollback LANGUAGE sql STABLE
--rollback SET search_path = pg_catalog, core
--rollback AS $$
--rollback     SELECT m.role FROM core.acting_membership() m
--rollback $$;

--changeset townhall:core-114-plpgsql-acting-can-write splitStatements:false
--comment: same contract as core-026-fn-acting-can-write, with a cached plan
CREATE OR REPLACE FUNCTION core.acting_can_write() RETURNS boolean
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, core
AS $$
BEGIN
    RETURN coalesce((SELECT m.role IN ('owner', 'admin', 'member', 'service') FROM core.acting_membership() m), false);
END
$$;
--rollback CREATE OR REPLACE FUNCTION core.acting_can_write() RETURNS boolean
--rollback LANGUAGE sql STABLE
--rollback SET search_path = pg_catalog, core
--rollback AS $$
--rollback     SELECT coalesce((SELECT m.role IN ('owner', 'admin', 'member', 'service') FROM core.acting_membership() m), false)
--rollback $$;

--changeset townhall:core-115-plpgsql-readable-town-ids splitStatements:false
--comment: same contract as core-027-fn-readable-town-ids, with a cached plan
CREATE OR REPLACE FUNCTION core.readable_town_ids() RETURNS uuid[]
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, core
AS $$
DECLARE
    m record;
BEGIN
    SELECT a.town_id, a.org_id, a.is_capital INTO m FROM core.acting_membership() a;
    IF NOT FOUND THEN
        RETURN '{}'::uuid[];
    END IF;
    IF m.is_capital THEN
        RETURN ARRAY(SELECT t.id FROM core.towns t WHERE t.org_id = m.org_id ORDER BY t.id);
    END IF;
    RETURN ARRAY[m.town_id];
END
$$;
--rollback CREATE OR REPLACE FUNCTION core.readable_town_ids() RETURNS uuid[]
--rollback LANGUAGE sql STABLE SECURITY DEFINER
--rollback SET search_path = pg_catalog, core
--rollback AS $$
--rollback     SELECT coalesce(
--rollback         (SELECT CASE
--rollback                     WHEN m.is_capital THEN ARRAY(SELECT t.id FROM core.towns t WHERE t.org_id = m.org_id ORDER BY t.id)
--rollback                     ELSE ARRAY[m.town_id]
--rollback                 END
--rollback          FROM core.acting_membership() m),
--rollback         '{}'::uuid[])
--rollback $$;

--changeset townhall:core-116-plpgsql-acting-can-admin splitStatements:false
--comment: same contract as core-028-fn-acting-can-admin, with a cached plan
CREATE OR REPLACE FUNCTION core.acting_can_admin(p_town_id uuid) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, core
AS $$
BEGIN
    RETURN coalesce(
        (SELECT m.role IN ('owner', 'admin')
                AND (m.town_id = p_town_id
                     OR (m.is_capital AND EXISTS (SELECT 1 FROM core.towns t
                                                  WHERE t.id = p_town_id AND t.org_id = m.org_id)))
         FROM core.acting_membership() m),
        false);
END
$$;
--rollback CREATE OR REPLACE FUNCTION core.acting_can_admin(p_town_id uuid) RETURNS boolean
--rollback LANGUAGE sql STABLE SECURITY DEFINER
--rollback SET search_path = pg_catalog, core
--rollback AS $$
--rollback     SELECT coalesce(
--rollback         (SELECT m.role IN ('owner', 'admin')
--rollback                 AND (m.town_id = p_town_id
--rollback                      OR (m.is_capital AND EXISTS (SELECT 1 FROM core.towns t
--rollback                                                   WHERE t.id = p_town_id AND t.org_id = m.org_id)))
--rollback          FROM core.acting_membership() m),
--rollback         false)
--rollback $$;

--changeset townhall:core-117-plpgsql-acting-is-capital-admin splitStatements:false
--comment: same contract as core-029-fn-acting-is-capital-admin, with a cached plan
CREATE OR REPLACE FUNCTION core.acting_is_capital_admin() RETURNS boolean
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, core
AS $$
BEGIN
    RETURN coalesce((SELECT m.is_capital AND m.role IN ('owner', 'admin') FROM core.acting_membership() m), false);
END
$$;
--rollback CREATE OR REPLACE FUNCTION core.acting_is_capital_admin() RETURNS boolean
--rollback LANGUAGE sql STABLE
--rollback SET search_path = pg_catalog, core
--rollback AS $$
--rollback     SELECT coalesce((SELECT m.is_capital AND m.role IN ('owner', 'admin') FROM core.acting_membership() m), false)
--rollback $$;
