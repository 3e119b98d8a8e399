--liquibase formatted sql

--changeset townhall:core-042-audit-log
--comment: append-only record of who did what where (merges the seeds' audit_log and system_logs); operational logs stay in log files
CREATE TABLE core.audit_log (
    id          uuid        NOT NULL DEFAULT gen_random_uuid(),
    org_id      uuid        NOT NULL,
    -- NULL for organisation-wide events (a town created, a user added)
    town_id     uuid,
    user_id     uuid,
    -- who acted when there is no user: 'system', 'importer', 'sync', a service name
    actor       text        NOT NULL DEFAULT 'user',
    action      text        NOT NULL,
    table_name  text,
    row_id      uuid,
    -- snapshots of the row; opaque, so not indexed
    before_data jsonb,
    after_data  jsonb,
    request_id  text,
    at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT audit_log_pkey PRIMARY KEY (id),
    CONSTRAINT audit_log_org_fkey FOREIGN KEY (org_id) REFERENCES core.organizations (id),
    CONSTRAINT audit_log_org_town_fkey FOREIGN KEY (org_id, town_id) REFERENCES core.towns (org_id, id) ON DELETE SET NULL (town_id),
    CONSTRAINT audit_log_user_fkey FOREIGN KEY (user_id) REFERENCES core.users (id) ON DELETE SET NULL,
    CONSTRAINT audit_log_action_check CHECK (action ~ '^[a-z][a-z0-9_.:-]*$'),
    CONSTRAINT audit_log_actor_check CHECK (btrim(actor) <> ''),
    CONSTRAINT audit_log_row_check CHECK (row_id IS NULL OR table_name IS NOT NULL)
);
CREATE INDEX audit_log_org_town_at_idx ON core.audit_log (org_id, town_id, at DESC);
CREATE INDEX audit_log_town_at_idx ON core.audit_log (town_id, at DESC);
CREATE INDEX audit_log_user_idx ON core.audit_log (user_id);
CREATE INDEX audit_log_row_idx ON core.audit_log (table_name, row_id);
ALTER TABLE core.audit_log ENABLE ROW LEVEL SECURITY;
-- read: owners/admins of the town (capital owners/admins for every town and for organisation-wide events)
CREATE POLICY audit_log_select ON core.audit_log FOR SELECT
    USING (org_id = (SELECT core.acting_org_id())
           AND ((town_id IS NOT NULL AND core.acting_can_admin(town_id))
                OR (town_id IS NULL AND (SELECT core.acting_is_capital_admin()))));
-- write: anyone with a context, for the acting town or organisation-wide; never changed afterwards
CREATE POLICY audit_log_insert ON core.audit_log FOR INSERT
    WITH CHECK (org_id = (SELECT core.acting_org_id())
                AND (town_id IS NULL OR town_id = (SELECT core.acting_town_id()))
                AND (user_id IS NULL OR user_id = (SELECT core.acting_user_id())));
REVOKE UPDATE, DELETE ON core.audit_log FROM townhall_app;
--rollback DROP TABLE core.audit_log;
