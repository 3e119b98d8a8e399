--liquibase formatted sql

--changeset townhall:core-170-users-text-id
--comment: a user's text id (the handle, else the e-mail), stored and indexed: old apps name users this way ('allan'), and a filter on it must reach the rows through an index
-- The compatibility views show it as the old user_id column. Computed in each view, coalesce(handle, email) over a
-- LEFT JOIN can use no index: a filter on it joined and sorted every row the town could see (bench compat).
ALTER TABLE core.users ADD COLUMN text_id text GENERATED ALWAYS AS (coalesce(handle, email::text)) STORED;
CREATE INDEX users_org_text_id_idx ON core.users (org_id, text_id);
--rollback DROP INDEX core.users_org_text_id_idx;
--rollback ALTER TABLE core.users DROP COLUMN text_id;
