--liquibase formatted sql

--changeset townhall:core-180-touch-updated-at-keeps-synced splitStatements:false rollbackSplitStatements:false
--comment: an UPDATE that applies a synced change keeps the source's updated_at, even when it equals the row's current one
-- A row inserted and updated in one source transaction carries the same updated_at in both changes, so applying the
-- update looked like an UPDATE that does not set updated_at and was stamped with the apply time: the replica's row
-- differed from the source's. The sync agent applies changes as a session that bypasses RLS with
-- townhall.sync_origin set (sync/120 trusts the setting only from such a session); for that UPDATE the value given
-- is kept. Checked only when the setting is present, so every other UPDATE costs what it cost before.
CREATE OR REPLACE FUNCTION core.touch_updated_at() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    IF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN
        IF nullif(current_setting('townhall.sync_origin', true), '') IS NOT NULL THEN
            IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles r
                       WHERE r.rolname = session_user AND (r.rolbypassrls OR r.rolsuper)) THEN
                RETURN NEW;
            END IF;
        END IF;
        -- An UPDATE that sets updated_at itself (the importer) keeps the value it gave; every other UPDATE stamps
        -- the transaction time.
        NEW.updated_at := now();
    END IF;
    RETURN NEW;
END
$$;
--rollback CREATE OR REPLACE FUNCTION core.touch_updated_at() RETURNS trigger
--rollback LANGUAGE plpgsql
--rollback AS $$
--rollback BEGIN
--rollback     -- An UPDATE that sets updated_at itself (sync replay, importer) keeps the value it gave;
--rollback     -- every other UPDATE stamps the transaction time.
--rollback     IF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN
--rollback         NEW.updated_at := now();
--rollback     END IF;
--rollback     RETURN NEW;
--rollback END
--rollback $$;
