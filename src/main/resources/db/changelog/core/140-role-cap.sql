--liquibase formatted sql

-- A role cap: a context may be limited below its user's membership role (an API key made with --role viewer acts
-- as a viewer even for an owner). The application sets it per transaction beside the acting user and town:
--   set_config('townhall.role_cap', 'viewer', true)
-- and core.acting_membership() answers the lesser of the membership role and the cap, so every policy that asks
-- for a role (writes, administration, the capital) sees the capped one. A cap can only lower: a cap above the
-- membership role changes nothing, so setting it can never gain a context anything.

--changeset townhall:core-140-fn-role-rank splitStatements:false
--comment: how much a role may do, for comparing roles: owner 4, admin 3, member and service 2, viewer 1 (the enum's order is not a privilege order)
CREATE FUNCTION core.role_rank(p_role core.member_role) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE p_role
               WHEN 'owner' THEN 4
               WHEN 'admin' THEN 3
               WHEN 'member' THEN 2
               WHEN 'service' THEN 2
               WHEN 'viewer' THEN 1
           END
$$;
--rollback DROP FUNCTION core.role_rank(core.member_role);

--changeset townhall:core-141-fn-lesser-role splitStatements:false
--comment: a role limited by a cap: the cap when it ranks lower, else the role itself (a NULL cap limits nothing; a cap never raises)
CREATE FUNCTION core.lesser_role(p_role core.member_role, p_cap core.member_role) RETURNS core.member_role
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN p_cap IS NOT NULL AND core.role_rank(p_cap) < core.role_rank(p_role) THEN p_cap ELSE p_role END
$$;
--rollback DROP FUNCTION core.lesser_role(core.member_role, core.member_role);

--changeset townhall:core-142-fn-role-cap splitStatements:false
--comment: the cap from townhall.role_cap: NULL when unset or empty, the named role when valid, viewer when garbled (fails closed; never raises)
CREATE FUNCTION core.role_cap() RETURNS core.member_role
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, core
AS $$
DECLARE
    raw text := current_setting('townhall.role_cap', true);
BEGIN
    IF raw IS NULL OR raw = '' THEN
        RETURN NULL;
    END IF;
    IF raw = ANY (enum_range(NULL::core.member_role)::text[]) THEN
        RETURN raw::core.member_role;
    END IF;
    RETURN 'viewer';
END
$$;
--rollback DROP FUNCTION core.role_cap();

--changeset townhall:core-143-role-cap-grants
--comment: like the other context functions: callable by the two application roles, not by PUBLIC
REVOKE ALL ON FUNCTION core.role_rank(core.member_role), core.lesser_role(core.member_role, core.member_role), core.role_cap() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.role_rank(core.member_role), core.lesser_role(core.member_role, core.member_role), core.role_cap() TO townhall_app, townhall_analytics;
--rollback REVOKE EXECUTE ON FUNCTION core.role_rank(core.member_role), core.lesser_role(core.member_role, core.member_role), core.role_cap() FROM townhall_app, townhall_analytics;
--rollback GRANT EXECUTE ON FUNCTION core.role_rank(core.member_role), core.lesser_role(core.member_role, core.member_role), core.role_cap() TO PUBLIC;

--changeset townhall:core-144-acting-membership-role-cap splitStatements:false
--comment: the acting membership's role is limited by core.role_cap(), so every policy asking for a role sees the capped one; otherwise the contract of core-110
CREATE OR REPLACE FUNCTION core.acting_membership()
RETURNS TABLE (town_id uuid, org_id uuid, role core.member_role, is_capital boolean)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, core
AS $$
BEGIN
    RETURN QUERY
    SELECT t.id, t.org_id, core.lesser_role(m.role, core.role_cap()), t.is_capital
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
--rollback LANGUAGE plpgsql STABLE SECURITY DEFINER
--rollback SET search_path = pg_catalog, core
--rollback AS $$
--rollback BEGIN
--rollback     RETURN QUERY
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
--rollback       AND o.status = 'active';
--rollback END
--rollback $$;
