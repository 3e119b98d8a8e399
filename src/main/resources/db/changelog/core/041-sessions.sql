--liquibase formatted sql

--changeset townhall:core-041-sessions
--comment: console/API login sessions (the unified schema's sessions); only a hash of the token is stored
CREATE TABLE core.sessions (
    id           uuid        NOT NULL DEFAULT gen_random_uuid(),
    org_id       uuid        NOT NULL,
    user_id      uuid        NOT NULL,
    -- the town the session acts in; NULL until the user picks one
    town_id      uuid,
    token_hash   text        NOT NULL,
    expires_at   timestamptz NOT NULL,
    revoked_at   timestamptz,
    last_seen_at timestamptz,
    user_agent   text,
    ip_address   inet,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT sessions_pkey PRIMARY KEY (id),
    CONSTRAINT sessions_token_hash_key UNIQUE (token_hash),
    CONSTRAINT sessions_org_user_fkey FOREIGN KEY (org_id, user_id) REFERENCES core.users (org_id, id) ON DELETE CASCADE,
    CONSTRAINT sessions_org_town_fkey FOREIGN KEY (org_id, town_id) REFERENCES core.towns (org_id, id) ON DELETE CASCADE,
    CONSTRAINT sessions_token_hash_check CHECK (length(token_hash) >= 32),
    CONSTRAINT sessions_expires_check CHECK (expires_at > created_at)
);
CREATE INDEX sessions_org_user_idx ON core.sessions (org_id, user_id);
CREATE INDEX sessions_org_town_idx ON core.sessions (org_id, town_id);
CREATE INDEX sessions_expires_idx ON core.sessions (expires_at);
CREATE TRIGGER sessions_touch_updated_at BEFORE UPDATE ON core.sessions
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
ALTER TABLE core.sessions ENABLE ROW LEVEL SECURITY;
-- sessions are private to their user; lookups by token go through core.find_session()
CREATE POLICY sessions_select ON core.sessions FOR SELECT
    USING (user_id = (SELECT core.acting_user_id()));
CREATE POLICY sessions_insert ON core.sessions FOR INSERT
    WITH CHECK (user_id = (SELECT core.acting_user_id()) AND org_id = (SELECT core.acting_org_id()));
CREATE POLICY sessions_update ON core.sessions FOR UPDATE
    USING (user_id = (SELECT core.acting_user_id()))
    WITH CHECK (user_id = (SELECT core.acting_user_id()));
CREATE POLICY sessions_delete ON core.sessions FOR DELETE
    USING (user_id = (SELECT core.acting_user_id()));
--rollback DROP TABLE core.sessions;
