--liquibase formatted sql

-- Bound logins (./townhall logins, docs/schema.md "Bound logins"): a database login for one old service, a member
-- of the group role townhall_compat, that always acts as one user in one town. The binding lives in a table keyed
-- by the login's name and is read through session_user, which neither SET ROLE nor a SECURITY DEFINER function
-- changes and which only a superuser may SET. The three leaf context functions (acting user, requested town, role
-- cap) take their answers from the binding for members of townhall_compat and ignore the townhall.* settings, so a
-- leaked service URL cannot SET its way into another user or town. A member of townhall_compat without a binding
-- gets an empty context (sees nothing). Every other session keeps the settings, as before; its only added cost is
-- one pg_has_role() check, answered from the backend's cached role memberships.

--changeset townhall:core-160-login-bindings
--comment: which user and town each bound login (a member of townhall_compat) acts as; owner-only
CREATE TABLE core.login_bindings (
    role_name   text        NOT NULL,
    id          uuid        NOT NULL DEFAULT gen_random_uuid(),
    org_id      uuid        NOT NULL,
    town_id     uuid        NOT NULL,
    user_id     uuid        NOT NULL,
    read_only   boolean     NOT NULL DEFAULT false,
    schema_name text        NOT NULL,
    created_by  text        NOT NULL DEFAULT session_user,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT login_bindings_pkey PRIMARY KEY (role_name),
    CONSTRAINT login_bindings_id_key UNIQUE (id),
    CONSTRAINT login_bindings_org_town_fkey FOREIGN KEY (org_id, town_id) REFERENCES core.towns (org_id, id) ON DELETE CASCADE,
    CONSTRAINT login_bindings_org_user_fkey FOREIGN KEY (org_id, user_id) REFERENCES core.users (org_id, id) ON DELETE CASCADE,
    CONSTRAINT login_bindings_role_name_check CHECK (role_name ~ '^[a-z][a-z0-9_]{2,62}$'
                                                     AND role_name !~ '^(pg_|townhall_)'),
    CONSTRAINT login_bindings_schema_name_check CHECK (schema_name IN ('aurora_compat', 'backend_compat', 'extension_compat'))
);
CREATE INDEX login_bindings_org_town_idx ON core.login_bindings (org_id, town_id);
CREATE INDEX login_bindings_org_user_idx ON core.login_bindings (org_id, user_id);
COMMENT ON TABLE core.login_bindings IS 'bound logins: the database role (a member of townhall_compat) acts only as this user in this town; read by core.login_binding()';
COMMENT ON COLUMN core.login_bindings.read_only IS 'the login acts with the viewer role whatever the user''s membership role';
COMMENT ON COLUMN core.login_bindings.created_by IS 'the database login of the operator who created it';
-- owner-only: the schema's default privileges would hand it to the application roles
REVOKE ALL ON core.login_bindings FROM PUBLIC, townhall_app, townhall_analytics;
ALTER TABLE core.login_bindings ENABLE ROW LEVEL SECURITY;
--rollback DROP TABLE core.login_bindings;

--changeset townhall:core-161-fn-login-binding splitStatements:false
--comment: the binding of the session's login: decides (is_bound) for a bound login and for any other non-superuser member of townhall_compat (then with no user or town: fails closed); callable by townhall_compat only
-- Owned by the migrating role, so the login reads its own binding without any privilege on the table. Superusers
-- count as members of every role in pg_has_role(); they answer is_bound false and keep their settings.
CREATE FUNCTION core.login_binding()
RETURNS TABLE (is_bound boolean, user_id uuid, town_id uuid, read_only boolean)
LANGUAGE plpgsql STABLE SECURITY DEFINER PARALLEL SAFE
SET search_path = pg_catalog, core
AS $$
BEGIN
    RETURN QUERY
    SELECT true, b.user_id, b.town_id, b.read_only FROM core.login_bindings b WHERE b.role_name = session_user;
    IF NOT FOUND THEN
        RETURN QUERY
        SELECT NOT r.rolsuper, NULL::uuid, NULL::uuid, true FROM pg_catalog.pg_roles r WHERE r.rolname = session_user;
    END IF;
END
$$;
REVOKE ALL ON FUNCTION core.login_binding() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.login_binding() TO townhall_compat;
--rollback DROP FUNCTION core.login_binding();

--changeset townhall:core-162-acting-user-id-bound splitStatements:false rollbackSplitStatements:false
--comment: a bound login acts as the user of its binding, whatever townhall.user_id says; otherwise the contract of core-020
CREATE OR REPLACE FUNCTION core.acting_user_id() RETURNS uuid
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, core
AS $$
DECLARE
    bound      boolean;
    bound_user uuid;
BEGIN
    IF pg_has_role(session_user, 'townhall_compat', 'MEMBER') THEN
        SELECT b.is_bound, b.user_id INTO bound, bound_user FROM core.login_binding() b;
        IF bound IS NOT FALSE THEN
            RETURN bound_user;
        END IF;
    END IF;
    RETURN core.setting_uuid('townhall.user_id');
END
$$;
--rollback CREATE OR REPLACE FUNCTION core.acting_user_id() RETURNS uuid
--rollback LANGUAGE plpgsql STABLE PARALLEL SAFE
--rollback SET search_path = pg_catalog, core
--rollback AS $$
--rollback BEGIN
--rollback     RETURN core.setting_uuid('townhall.user_id');
--rollback END
--rollback $$;

--changeset townhall:core-163-requested-town-id-bound splitStatements:false rollbackSplitStatements:false
--comment: a bound login requests the town of its binding, whatever townhall.town_id says; otherwise the contract of core-021
CREATE OR REPLACE FUNCTION core.requested_town_id() RETURNS uuid
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, core
AS $$
DECLARE
    bound      boolean;
    bound_town uuid;
BEGIN
    IF pg_has_role(session_user, 'townhall_compat', 'MEMBER') THEN
        SELECT b.is_bound, b.town_id INTO bound, bound_town FROM core.login_binding() b;
        IF bound IS NOT FALSE THEN
            RETURN bound_town;
        END IF;
    END IF;
    RETURN core.setting_uuid('townhall.town_id');
END
$$;
--rollback CREATE OR REPLACE FUNCTION core.requested_town_id() RETURNS uuid
--rollback LANGUAGE plpgsql STABLE PARALLEL SAFE
--rollback SET search_path = pg_catalog, core
--rollback AS $$
--rollback BEGIN
--rollback     RETURN core.setting_uuid('townhall.town_id');
--rollback END
--rollback $$;

--changeset townhall:core-164-role-cap-bound splitStatements:false rollbackSplitStatements:false
--comment: a bound login's cap comes from its binding (viewer when read-only, else none), whatever townhall.role_cap says; otherwise the contract of core-142
CREATE OR REPLACE FUNCTION core.role_cap() RETURNS core.member_role
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, core
AS $$
DECLARE
    raw       text := current_setting('townhall.role_cap', true);
    bound           boolean;
    bound_read_only boolean;
BEGIN
    IF pg_has_role(session_user, 'townhall_compat', 'MEMBER') THEN
        SELECT b.is_bound, b.read_only INTO bound, bound_read_only FROM core.login_binding() b;
        IF bound IS NOT FALSE THEN
            RETURN CASE WHEN bound_read_only IS NOT FALSE THEN 'viewer'::core.member_role END;
        END IF;
    END IF;
    IF raw IS NULL OR raw = '' THEN
        RETURN NULL;
    END IF;
    IF raw = ANY (enum_range(NULL::core.member_role)::text[]) THEN
        RETURN raw::core.member_role;
    END IF;
    RETURN 'viewer';
END
$$;
--rollback CREATE OR REPLACE FUNCTION core.role_cap() RETURNS core.member_role
--rollback LANGUAGE plpgsql STABLE PARALLEL SAFE
--rollback SET search_path = pg_catalog, core
--rollback AS $$
--rollback DECLARE
--rollback     raw text := current_setting('townhall.role_cap', true);
--rollback BEGIN
--rollback     IF raw IS NULL OR raw = '' THEN
--rollback         RETURN NULL;
--rollback     END IF;
--rollback     IF raw = ANY (enum_range(NULL::core.member_role)::text[]) THEN
--rollback         RETURN raw::core.member_role;
--rollback     END IF;
--rollback     RETURN 'viewer';
--rollback END
--rollback $$;

--changeset townhall:core-165-compat-context-grants
--comment: bound logins evaluate the policies and column defaults like the application does, so they may call the context functions; never the authentication lookups (find_login, find_api_key, find_session, touch_api_key …)
GRANT USAGE ON SCHEMA core TO townhall_compat;
GRANT EXECUTE ON FUNCTION core.acting_user_id(), core.requested_town_id(), core.acting_membership(), core.acting_town_id(), core.acting_org_id(), core.acting_role(), core.acting_can_write(), core.readable_town_ids(), core.acting_can_admin(uuid), core.acting_is_capital_admin(), core.role_rank(core.member_role), core.lesser_role(core.member_role, core.member_role), core.role_cap() TO townhall_compat;
--rollback REVOKE EXECUTE ON FUNCTION core.acting_user_id(), core.requested_town_id(), core.acting_membership(), core.acting_town_id(), core.acting_org_id(), core.acting_role(), core.acting_can_write(), core.readable_town_ids(), core.acting_can_admin(uuid), core.acting_is_capital_admin(), core.role_rank(core.member_role), core.lesser_role(core.member_role, core.member_role), core.role_cap() FROM townhall_compat;
--rollback REVOKE USAGE ON SCHEMA core FROM townhall_compat;
