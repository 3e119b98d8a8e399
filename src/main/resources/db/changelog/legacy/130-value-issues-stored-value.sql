--liquibase formatted sql

--changeset townhall:legacy-130-value-issues-stored-value
--comment: what the import stored instead of a value it could not keep (an honest default, a fallback date, the map's catch-all); NULL when the column was left empty
ALTER TABLE legacy.value_issues ADD COLUMN stored_value text;
--rollback ALTER TABLE legacy.value_issues DROP COLUMN stored_value;
