--liquibase formatted sql

--changeset townhall:core-004-fn-touch-updated-at splitStatements:false
--comment: one shared BEFORE UPDATE trigger keeps updated_at true on every table that has it
CREATE FUNCTION core.touch_updated_at() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    -- An UPDATE that sets updated_at itself (sync replay, importer) keeps the value it gave;
    -- every other UPDATE stamps the transaction time.
    IF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN
        NEW.updated_at := now();
    END IF;
    RETURN NEW;
END
$$;
--rollback DROP FUNCTION core.touch_updated_at();
