--liquibase formatted sql

-- The engagement trigger of crm.activities (crm-036) refreshes the touched contacts, companies and deals once per
-- statement, from all their activities. An import writes activities in batches of thousands, each touching most
-- contacts again, so it paid that refresh once per batch over every activity imported so far. The owner may now
-- defer it for its session (townhall.defer_engagement = 'on'; ignored for roles without BYPASSRLS, like
-- townhall.bulk) and refresh the town once at the end (crm.refresh_town_engagement), which the importer does.
-- Every other write is unchanged; the rollback restores crm-036's body.

--changeset townhall:crm-120-activities-engagement-deferrable splitStatements:false rollbackSplitStatements:false
--comment: crm-036's trigger body, skipped when the owner's session defers engagement to one refresh at the end of a bulk load
CREATE OR REPLACE FUNCTION crm.activities_refresh_engagement() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    -- a bulk load by the owner (the importer) refreshes the town once at its end instead of once per statement
    IF current_setting('townhall.defer_engagement', true) = 'on'
       AND EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = session_user AND (r.rolbypassrls OR r.rolsuper)) THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        PERFORM crm.refresh_engagement(
            ARRAY(SELECT DISTINCT contact_id FROM new_rows WHERE contact_id IS NOT NULL),
            ARRAY(SELECT DISTINCT company_id FROM new_rows WHERE company_id IS NOT NULL),
            ARRAY(SELECT DISTINCT deal_id FROM new_rows WHERE deal_id IS NOT NULL));
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM crm.refresh_engagement(
            ARRAY(SELECT contact_id FROM new_rows WHERE contact_id IS NOT NULL
                  UNION SELECT contact_id FROM old_rows WHERE contact_id IS NOT NULL),
            ARRAY(SELECT company_id FROM new_rows WHERE company_id IS NOT NULL
                  UNION SELECT company_id FROM old_rows WHERE company_id IS NOT NULL),
            ARRAY(SELECT deal_id FROM new_rows WHERE deal_id IS NOT NULL
                  UNION SELECT deal_id FROM old_rows WHERE deal_id IS NOT NULL));
    ELSE
        PERFORM crm.refresh_engagement(
            ARRAY(SELECT DISTINCT contact_id FROM old_rows WHERE contact_id IS NOT NULL),
            ARRAY(SELECT DISTINCT company_id FROM old_rows WHERE company_id IS NOT NULL),
            ARRAY(SELECT DISTINCT deal_id FROM old_rows WHERE deal_id IS NOT NULL));
    END IF;
    RETURN NULL;
END
$$;
--rollback CREATE OR REPLACE FUNCTION crm.activities_refresh_engagement() RETURNS trigger
--rollback LANGUAGE plpgsql
--rollback AS $$
--rollback BEGIN
--rollback     IF TG_OP = 'INSERT' THEN
--rollback         PERFORM crm.refresh_engagement(
--rollback             ARRAY(SELECT DISTINCT contact_id FROM new_rows WHERE contact_id IS NOT NULL),
--rollback             ARRAY(SELECT DISTINCT company_id FROM new_rows WHERE company_id IS NOT NULL),
--rollback             ARRAY(SELECT DISTINCT deal_id FROM new_rows WHERE deal_id IS NOT NULL));
--rollback     ELSIF TG_OP = 'UPDATE' THEN
--rollback         PERFORM crm.refresh_engagement(
--rollback             ARRAY(SELECT contact_id FROM new_rows WHERE contact_id IS NOT NULL
--rollback                   UNION SELECT contact_id FROM old_rows WHERE contact_id IS NOT NULL),
--rollback             ARRAY(SELECT company_id FROM new_rows WHERE company_id IS NOT NULL
--rollback                   UNION SELECT company_id FROM old_rows WHERE company_id IS NOT NULL),
--rollback             ARRAY(SELECT deal_id FROM new_rows WHERE deal_id IS NOT NULL
--rollback                   UNION SELECT deal_id FROM old_rows WHERE deal_id IS NOT NULL));
--rollback     ELSE
--rollback         PERFORM crm.refresh_engagement(
--rollback             ARRAY(SELECT DISTINCT contact_id FROM old_rows WHERE contact_id IS NOT NULL),
--rollback             ARRAY(SELECT DISTINCT company_id FROM old_rows WHERE company_id IS NOT NULL),
--rollback             ARRAY(SELECT DISTINCT deal_id FROM old_rows WHERE deal_id IS NOT NULL));
--rollback     END IF;
--rollback     RETURN NULL;
--rollback END
--rollback $$;
