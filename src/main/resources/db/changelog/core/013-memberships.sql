--liquibase formatted sql

--changeset townhall:core-013-memberships
--comment: which user may act in which town, with which role; the composite keys keep user and town in one organisation
CREATE TABLE core.memberships (
    id          uuid             NOT NULL DEFAULT gen_random_uuid(),
    org_id      uuid             NOT NULL,
    user_id     uuid             NOT NULL,
    town_id     uuid             NOT NULL,
    role        core.member_role NOT NULL DEFAULT 'member',
    is_active   boolean          NOT NULL DEFAULT true,
    invited_by  uuid,
    created_at  timestamptz      NOT NULL DEFAULT now(),
    updated_at  timestamptz      NOT NULL DEFAULT now(),
    CONSTRAINT memberships_pkey PRIMARY KEY (id),
    CONSTRAINT memberships_user_town_key UNIQUE (user_id, town_id),
    CONSTRAINT memberships_org_user_fkey FOREIGN KEY (org_id, user_id) REFERENCES core.users (org_id, id) ON DELETE CASCADE,
    CONSTRAINT memberships_org_town_fkey FOREIGN KEY (org_id, town_id) REFERENCES core.towns (org_id, id) ON DELETE CASCADE,
    CONSTRAINT memberships_invited_by_fkey FOREIGN KEY (invited_by) REFERENCES core.users (id) ON DELETE SET NULL
);
CREATE INDEX memberships_org_user_idx ON core.memberships (org_id, user_id);
CREATE INDEX memberships_org_town_idx ON core.memberships (org_id, town_id);
CREATE INDEX memberships_town_idx ON core.memberships (town_id);
CREATE INDEX memberships_invited_by_idx ON core.memberships (invited_by);
CREATE TRIGGER memberships_touch_updated_at BEFORE UPDATE ON core.memberships
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
--rollback DROP TABLE core.memberships;
