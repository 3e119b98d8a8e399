--liquibase formatted sql

-- API keys as the service uses them (docs/api.md, "Keys"): a key may carry a role cap below its user's membership
-- role, which the request's context passes to the database (core.role_cap(), core-140..144); authentication is one
-- lookup by prefix that also answers the town and effective role the key acts with; use is recorded at most
-- once a minute per key.

--changeset townhall:core-145-api-keys-role-cap
--comment: the role a key is limited to (NULL: its user's membership role); enforced per request by core.role_cap(), never above the membership
ALTER TABLE core.api_keys ADD COLUMN role_cap core.member_role;
COMMENT ON COLUMN core.api_keys.role_cap IS 'the role the key is limited to; NULL acts with the user''s membership role; a cap never raises';
--rollback ALTER TABLE core.api_keys DROP COLUMN role_cap;

--changeset townhall:core-146-api-keys-limited-contexts-write-nothing
--comment: a limited context (an API key's request) never writes keys: otherwise a capped key could lift its own cap or mint an uncapped key of its user
DROP POLICY api_keys_insert ON core.api_keys;
DROP POLICY api_keys_update ON core.api_keys;
DROP POLICY api_keys_delete ON core.api_keys;
CREATE POLICY api_keys_insert ON core.api_keys FOR INSERT
    WITH CHECK ((SELECT core.role_cap()) IS NULL
                AND town_id = (SELECT core.acting_town_id())
                AND (user_id = (SELECT core.acting_user_id())
                     OR (core.acting_can_admin(town_id)
                         AND EXISTS (SELECT 1 FROM core.users u WHERE u.id = user_id AND u.is_service))));
CREATE POLICY api_keys_update ON core.api_keys FOR UPDATE
    USING ((SELECT core.role_cap()) IS NULL
           AND (user_id = (SELECT core.acting_user_id()) OR core.acting_can_admin(town_id)))
    WITH CHECK ((SELECT core.role_cap()) IS NULL
                AND (user_id = (SELECT core.acting_user_id())
                     OR (core.acting_can_admin(town_id)
                         AND EXISTS (SELECT 1 FROM core.users u WHERE u.id = user_id AND u.is_service))));
CREATE POLICY api_keys_delete ON core.api_keys FOR DELETE
    USING ((SELECT core.role_cap()) IS NULL
           AND (user_id = (SELECT core.acting_user_id()) OR core.acting_can_admin(town_id)));
--rollback DROP POLICY api_keys_insert ON core.api_keys;
--rollback DROP POLICY api_keys_update ON core.api_keys;
--rollback DROP POLICY api_keys_delete ON core.api_keys;
--rollback CREATE POLICY api_keys_insert ON core.api_keys FOR INSERT WITH CHECK (town_id = (SELECT core.acting_town_id()) AND (user_id = (SELECT core.acting_user_id()) OR (core.acting_can_admin(town_id) AND EXISTS (SELECT 1 FROM core.users u WHERE u.id = user_id AND u.is_service))));
--rollback CREATE POLICY api_keys_update ON core.api_keys FOR UPDATE USING (user_id = (SELECT core.acting_user_id()) OR core.acting_can_admin(town_id)) WITH CHECK (user_id = (SELECT core.acting_user_id()) OR (core.acting_can_admin(town_id) AND EXISTS (SELECT 1 FROM core.users u WHERE u.id = user_id AND u.is_service)));
--rollback CREATE POLICY api_keys_delete ON core.api_keys FOR DELETE USING (user_id = (SELECT core.acting_user_id()) OR core.acting_can_admin(town_id));

--changeset townhall:core-147-fn-find-api-key-caller splitStatements:false
--comment: API-key authentication in one lookup: the key for a prefix, whether it is usable now, and the town (the key's, or one named by slug) and effective role it acts with there; only townhall_app may call it
-- The caller compares key_hash itself (in constant time) before using anything else in the row. town_id,
-- town_slug and role are NULL when the key's user is not an active member of that town (same conditions as
-- core.acting_membership()); role is the membership role limited by the key's cap.
CREATE FUNCTION core.find_api_key_caller(p_key_prefix text, p_town_slug text)
RETURNS TABLE (api_key_id uuid, key_hash text, user_id uuid, role_cap core.member_role, is_usable boolean,
               needs_touch boolean, town_id uuid, town_slug text, role core.member_role)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, core
AS $$
BEGIN
    RETURN QUERY
    SELECT k.id, k.key_hash, k.user_id, k.role_cap,
           k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now()),
           k.last_used_at IS NULL OR k.last_used_at < now() - interval '1 minute',
           a.town_id, a.town_slug, core.lesser_role(a.role, k.role_cap)
    FROM core.api_keys k
    LEFT JOIN LATERAL (
        SELECT t.id AS town_id, t.slug AS town_slug, m.role
        FROM core.towns t
        JOIN core.memberships m ON m.town_id = t.id AND m.org_id = t.org_id AND m.user_id = k.user_id
        JOIN core.users u ON u.id = m.user_id AND u.org_id = m.org_id
        JOIN core.organizations o ON o.id = t.org_id
        WHERE t.org_id = k.org_id
          AND CASE WHEN p_town_slug IS NULL THEN t.id = k.town_id ELSE t.slug = p_town_slug END
          AND m.is_active
          AND u.is_active
          AND t.status = 'active'
          AND o.status = 'active'
    ) a ON true
    WHERE k.key_prefix = p_key_prefix;
END
$$;
REVOKE ALL ON FUNCTION core.find_api_key_caller(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.find_api_key_caller(text, text) TO townhall_app;
--rollback DROP FUNCTION core.find_api_key_caller(text, text);

--changeset townhall:core-148-fn-touch-api-key splitStatements:false
--comment: records a key's use: sets last_used_at at most once a minute (a request is not a write), only for a caller that knows the key's hash; only townhall_app may call it
CREATE FUNCTION core.touch_api_key(p_api_key_id uuid, p_key_hash text) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, core
AS $$
BEGIN
    -- concurrent touches serialise on the row; the second re-checks the condition and changes nothing
    UPDATE core.api_keys
    SET last_used_at = now()
    WHERE id = p_api_key_id
      AND key_hash = p_key_hash
      AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute');
END
$$;
REVOKE ALL ON FUNCTION core.touch_api_key(uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.touch_api_key(uuid, text) TO townhall_app;
--rollback DROP FUNCTION core.touch_api_key(uuid, text);

--changeset townhall:core-149-audit-core-skips-usage-stamps splitStatements:false
--comment: an update whose only change is a new last_used_at (with the updated_at it bumps) is bookkeeping, not an administrative change: not audited, so key use cannot flood core.audit_log; otherwise the contract of core-130
CREATE OR REPLACE FUNCTION core.audit_core_statement() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, core
AS $$
DECLARE
    v_table text := TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME;
    v_user  uuid := core.acting_user_id();
    v_actor text := CASE WHEN core.acting_user_id() IS NULL THEN session_user ELSE 'user' END;
BEGIN
    IF current_setting('townhall.bulk', true) = 'on'
       AND EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = session_user AND (r.rolbypassrls OR r.rolsuper)) THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        INSERT INTO core.audit_log (org_id, town_id, user_id, actor, action, table_name, row_id, after_data)
        SELECT (j ->> 'org_id')::uuid, core.audit_town(TG_TABLE_NAME, j), v_user, v_actor, 'insert', v_table,
               (j ->> 'id')::uuid, core.audit_snapshot(j)
        FROM (SELECT to_jsonb(n) AS j FROM new_rows n) r;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO core.audit_log (org_id, town_id, user_id, actor, action, table_name, row_id, before_data, after_data)
        SELECT (j ->> 'org_id')::uuid, core.audit_town(TG_TABLE_NAME, j), v_user, v_actor, 'update', v_table,
               (j ->> 'id')::uuid, core.audit_snapshot(b), core.audit_snapshot(j)
        FROM (SELECT to_jsonb(n) AS j, to_jsonb(o) AS b FROM new_rows n JOIN old_rows o ON o.id = n.id) r
        WHERE (b - 'last_used_at' - 'updated_at') IS DISTINCT FROM (j - 'last_used_at' - 'updated_at')
           OR (b -> 'last_used_at') IS NOT DISTINCT FROM (j -> 'last_used_at');
    ELSE
        INSERT INTO core.audit_log (org_id, town_id, user_id, actor, action, table_name, row_id, before_data)
        SELECT (b ->> 'org_id')::uuid, core.audit_town(TG_TABLE_NAME, b), v_user, v_actor, 'delete', v_table,
               (b ->> 'id')::uuid, core.audit_snapshot(b)
        FROM (SELECT to_jsonb(o) AS b FROM old_rows o) r;
    END IF;
    RETURN NULL;
END
$$;
--rollback CREATE OR REPLACE FUNCTION core.audit_core_statement() RETURNS trigger
--rollback LANGUAGE plpgsql SECURITY DEFINER
--rollback SET search_path = pg_catalog, core
--rollback AS $$
--rollback DECLARE
--rollback     v_table text := TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME;
--rollback     v_user  uuid := core.acting_user_id();
--rollback     v_actor text := CASE WHEN core.acting_user_id() IS NULL THEN session_user ELSE 'user' END;
--rollback BEGIN
--rollback     IF current_setting('townhall.bulk', true) = 'on'
--rollback        AND EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = session_user AND (r.rolbypassrls OR r.rolsuper)) THEN
--rollback         RETURN NULL;
--rollback     END IF;
--rollback     IF TG_OP = 'INSERT' THEN
--rollback         INSERT INTO core.audit_log (org_id, town_id, user_id, actor, action, table_name, row_id, after_data)
--rollback         SELECT (j ->> 'org_id')::uuid, core.audit_town(TG_TABLE_NAME, j), v_user, v_actor, 'insert', v_table,
--rollback                (j ->> 'id')::uuid, core.audit_snapshot(j)
--rollback         FROM (SELECT to_jsonb(n) AS j FROM new_rows n) r;
--rollback     ELSIF TG_OP = 'UPDATE' THEN
--rollback         INSERT INTO core.audit_log (org_id, town_id, user_id, actor, action, table_name, row_id, before_data, after_data)
--rollback         SELECT (j ->> 'org_id')::uuid, core.audit_town(TG_TABLE_NAME, j), v_user, v_actor, 'update', v_table,
--rollback                (j ->> 'id')::uuid, core.audit_snapshot(b), core.audit_snapshot(j)
--rollback         FROM (SELECT to_jsonb(n) AS j, to_jsonb(o) AS b FROM new_rows n JOIN old_rows o ON o.id = n.id) r;
--rollback     ELSE
--rollback         INSERT INTO core.audit_log (org_id, town_id, user_id, actor, action, table_name, row_id, before_data)
--rollback         SELECT (b ->> 'org_id')::uuid, core.audit_town(TG_TABLE_NAME, b), v_user, v_actor, 'delete', v_table,
--rollback                (b ->> 'id')::uuid, core.audit_snapshot(b)
--rollback         FROM (SELECT to_jsonb(o) AS b FROM old_rows o) r;
--rollback     END IF;
--rollback     RETURN NULL;
--rollback END
--rollback $$;
