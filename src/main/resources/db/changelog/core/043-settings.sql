--liquibase formatted sql

--changeset townhall:core-043-settings
--comment: key/value settings at organisation, town or user level (the seeds' system_config; widgets and UI preferences live here too)
CREATE TABLE core.settings (
    id          uuid        NOT NULL DEFAULT gen_random_uuid(),
    org_id      uuid        NOT NULL,
    town_id     uuid,
    user_id     uuid,
    key         text        NOT NULL,
    -- the setting itself; opaque, so not indexed
    value       jsonb       NOT NULL,
    description text,
    updated_by  uuid,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT settings_pkey PRIMARY KEY (id),
    CONSTRAINT settings_scope_key_key UNIQUE NULLS NOT DISTINCT (org_id, town_id, user_id, key),
    CONSTRAINT settings_org_fkey FOREIGN KEY (org_id) REFERENCES core.organizations (id) ON DELETE CASCADE,
    CONSTRAINT settings_org_town_fkey FOREIGN KEY (org_id, town_id) REFERENCES core.towns (org_id, id) ON DELETE CASCADE,
    CONSTRAINT settings_org_user_fkey FOREIGN KEY (org_id, user_id) REFERENCES core.users (org_id, id) ON DELETE CASCADE,
    CONSTRAINT settings_updated_by_fkey FOREIGN KEY (updated_by) REFERENCES core.users (id) ON DELETE SET NULL,
    CONSTRAINT settings_key_check CHECK (key ~ '^[a-z][a-z0-9_.-]*$')
);
CREATE INDEX settings_org_town_idx ON core.settings (org_id, town_id);
CREATE INDEX settings_org_user_idx ON core.settings (org_id, user_id);
CREATE INDEX settings_updated_by_idx ON core.settings (updated_by);
CREATE TRIGGER settings_touch_updated_at BEFORE UPDATE ON core.settings
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
ALTER TABLE core.settings ENABLE ROW LEVEL SECURITY;
-- read: organisation settings, settings of readable towns, and one's own user settings
CREATE POLICY settings_select ON core.settings FOR SELECT
    USING (org_id = (SELECT core.acting_org_id())
           AND (town_id IS NULL OR town_id = ANY ((SELECT core.readable_town_ids())::uuid[]))
           AND (user_id IS NULL OR user_id = (SELECT core.acting_user_id())));
-- write: one's own user settings; town settings by its owners/admins; organisation settings by capital owners/admins
CREATE POLICY settings_insert ON core.settings FOR INSERT
    WITH CHECK (org_id = (SELECT core.acting_org_id())
                AND ((user_id = (SELECT core.acting_user_id()) AND (town_id IS NULL OR town_id = (SELECT core.acting_town_id())))
                     OR (user_id IS NULL AND town_id IS NOT NULL AND core.acting_can_admin(town_id))
                     OR (user_id IS NULL AND town_id IS NULL AND (SELECT core.acting_is_capital_admin()))));
CREATE POLICY settings_update ON core.settings FOR UPDATE
    USING (org_id = (SELECT core.acting_org_id())
           AND ((user_id = (SELECT core.acting_user_id()) AND (town_id IS NULL OR town_id = (SELECT core.acting_town_id())))
                OR (user_id IS NULL AND town_id IS NOT NULL AND core.acting_can_admin(town_id))
                OR (user_id IS NULL AND town_id IS NULL AND (SELECT core.acting_is_capital_admin()))))
    WITH CHECK (org_id = (SELECT core.acting_org_id())
                AND ((user_id = (SELECT core.acting_user_id()) AND (town_id IS NULL OR town_id = (SELECT core.acting_town_id())))
                     OR (user_id IS NULL AND town_id IS NOT NULL AND core.acting_can_admin(town_id))
                     OR (user_id IS NULL AND town_id IS NULL AND (SELECT core.acting_is_capital_admin()))));
CREATE POLICY settings_delete ON core.settings FOR DELETE
    USING (org_id = (SELECT core.acting_org_id())
           AND ((user_id = (SELECT core.acting_user_id()) AND (town_id IS NULL OR town_id = (SELECT core.acting_town_id())))
                OR (user_id IS NULL AND town_id IS NOT NULL AND core.acting_can_admin(town_id))
                OR (user_id IS NULL AND town_id IS NULL AND (SELECT core.acting_is_capital_admin()))));
--rollback DROP TABLE core.settings;
