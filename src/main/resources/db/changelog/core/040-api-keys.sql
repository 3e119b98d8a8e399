--liquibase formatted sql

--changeset townhall:core-040-api-keys
--comment: machine credentials: a key acts as one user in one town; only a prefix (to find it) and a hash (to verify it) are stored, never the key
CREATE TABLE core.api_keys (
    id           uuid        NOT NULL DEFAULT gen_random_uuid(),
    org_id       uuid        NOT NULL,
    town_id      uuid        NOT NULL,
    user_id      uuid        NOT NULL,
    name         text        NOT NULL,
    key_prefix   text        NOT NULL,
    key_hash     text        NOT NULL,
    scopes       text[]      NOT NULL DEFAULT '{}',
    expires_at   timestamptz,
    revoked_at   timestamptz,
    last_used_at timestamptz,
    created_by   uuid,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT api_keys_pkey PRIMARY KEY (id),
    CONSTRAINT api_keys_key_prefix_key UNIQUE (key_prefix),
    CONSTRAINT api_keys_org_town_fkey FOREIGN KEY (org_id, town_id) REFERENCES core.towns (org_id, id) ON DELETE CASCADE,
    CONSTRAINT api_keys_org_user_fkey FOREIGN KEY (org_id, user_id) REFERENCES core.users (org_id, id) ON DELETE CASCADE,
    CONSTRAINT api_keys_created_by_fkey FOREIGN KEY (created_by) REFERENCES core.users (id) ON DELETE SET NULL,
    CONSTRAINT api_keys_name_check CHECK (btrim(name) <> ''),
    CONSTRAINT api_keys_key_prefix_check CHECK (key_prefix ~ '^[A-Za-z0-9_]{6,32}$'),
    CONSTRAINT api_keys_key_hash_check CHECK (length(key_hash) >= 32),
    CONSTRAINT api_keys_expires_check CHECK (expires_at IS NULL OR expires_at > created_at)
);
CREATE INDEX api_keys_org_town_idx ON core.api_keys (org_id, town_id);
CREATE INDEX api_keys_org_user_idx ON core.api_keys (org_id, user_id);
CREATE INDEX api_keys_town_idx ON core.api_keys (town_id);
CREATE INDEX api_keys_created_by_idx ON core.api_keys (created_by);
CREATE INDEX api_keys_scopes_idx ON core.api_keys USING gin (scopes);
CREATE TRIGGER api_keys_touch_updated_at BEFORE UPDATE ON core.api_keys
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
ALTER TABLE core.api_keys ENABLE ROW LEVEL SECURITY;
-- a user sees and manages their own keys; town owners/admins (and capital owners/admins) manage every key of the town
CREATE POLICY api_keys_select ON core.api_keys FOR SELECT
    USING (user_id = (SELECT core.acting_user_id()) OR core.acting_can_admin(town_id));
-- a key acts as its user: people make keys for themselves; admins make them only for service users, never for
-- another person (that would let an admin act as the town's owner)
CREATE POLICY api_keys_insert ON core.api_keys FOR INSERT
    WITH CHECK (town_id = (SELECT core.acting_town_id())
                AND (user_id = (SELECT core.acting_user_id())
                     OR (core.acting_can_admin(town_id)
                         AND EXISTS (SELECT 1 FROM core.users u WHERE u.id = user_id AND u.is_service))));
CREATE POLICY api_keys_update ON core.api_keys FOR UPDATE
    USING (user_id = (SELECT core.acting_user_id()) OR core.acting_can_admin(town_id))
    WITH CHECK (user_id = (SELECT core.acting_user_id())
                OR (core.acting_can_admin(town_id)
                    AND EXISTS (SELECT 1 FROM core.users u WHERE u.id = user_id AND u.is_service)));
CREATE POLICY api_keys_delete ON core.api_keys FOR DELETE
    USING (user_id = (SELECT core.acting_user_id()) OR core.acting_can_admin(town_id));
--rollback DROP TABLE core.api_keys;
