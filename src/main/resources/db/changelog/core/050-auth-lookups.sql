--liquibase formatted sql

-- Authentication happens before there is a town context, when RLS lets the application see nothing. These three
-- SECURITY DEFINER functions are the narrow exceptions: each answers one lookup by an exact key and returns only
-- what verifying a credential needs. Hash comparison is done by the caller (Java). Only townhall_app may call them.

--changeset townhall:core-050-fn-find-login splitStatements:false
--comment: password login: the user of an organisation by email or username (case-insensitive), with the hash to verify
CREATE FUNCTION core.find_login(p_org_slug text, p_login text)
RETURNS TABLE (user_id uuid, org_id uuid, password_hash text, is_active boolean)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, core
AS $$
    SELECT u.id, u.org_id, u.password_hash, u.is_active
    FROM core.users u
    JOIN core.organizations o ON o.id = u.org_id
    WHERE o.slug = p_org_slug
      AND o.status = 'active'
      AND (lower(u.email::text) = lower(p_login) OR lower(u.username::text) = lower(p_login))
$$;
--rollback DROP FUNCTION core.find_login(text, text);

--changeset townhall:core-051-fn-find-api-key splitStatements:false
--comment: API-key authentication: the key row for a prefix, with the hash to verify and the (user, town) it acts as
CREATE FUNCTION core.find_api_key(p_key_prefix text)
RETURNS TABLE (api_key_id uuid, org_id uuid, town_id uuid, user_id uuid, key_hash text, scopes text[],
               expires_at timestamptz, revoked_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, core
AS $$
    SELECT k.id, k.org_id, k.town_id, k.user_id, k.key_hash, k.scopes, k.expires_at, k.revoked_at
    FROM core.api_keys k
    WHERE k.key_prefix = p_key_prefix
$$;
--rollback DROP FUNCTION core.find_api_key(text);

--changeset townhall:core-052-fn-find-session splitStatements:false
--comment: session authentication: the session for a token hash
CREATE FUNCTION core.find_session(p_token_hash text)
RETURNS TABLE (session_id uuid, org_id uuid, user_id uuid, town_id uuid, expires_at timestamptz, revoked_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, core
AS $$
    SELECT s.id, s.org_id, s.user_id, s.town_id, s.expires_at, s.revoked_at
    FROM core.sessions s
    WHERE s.token_hash = p_token_hash
$$;
--rollback DROP FUNCTION core.find_session(text);

--changeset townhall:core-053-auth-lookup-grants
--comment: the lookups bypass RLS by design, so only the application role may call them
REVOKE ALL ON FUNCTION core.find_login(text, text), core.find_api_key(text), core.find_session(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.find_login(text, text), core.find_api_key(text), core.find_session(text) TO townhall_app;
--rollback REVOKE EXECUTE ON FUNCTION core.find_login(text, text), core.find_api_key(text), core.find_session(text) FROM townhall_app;
--rollback GRANT EXECUTE ON FUNCTION core.find_login(text, text), core.find_api_key(text), core.find_session(text) TO PUBLIC;
