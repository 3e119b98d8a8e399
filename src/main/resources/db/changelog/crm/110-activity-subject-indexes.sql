--liquibase formatted sql

-- An assistant asks for the recent activity of one contact, company or deal (the MCP tool list_recent_activity, and
-- GET /api/v1/activities?contact_id=…&sort=-occurred_at): records filters only on a column that leads a btree index
-- and sorts only on a never-null one that does. The existing indexes lead with town_id and serve one town's reads,
-- not a capital's across towns; these lead with the subject, then keyset order (occurred_at, id).

--changeset townhall:crm-110-activities-contact-idx
--comment: crm.activities of one contact, newest first, keyset on (occurred_at, id)
CREATE INDEX activities_contact_occurred_idx ON crm.activities (contact_id, occurred_at, id);
--rollback DROP INDEX crm.activities_contact_occurred_idx;

--changeset townhall:crm-110-activities-company-idx
--comment: crm.activities of one company, newest first, keyset on (occurred_at, id)
CREATE INDEX activities_company_occurred_idx ON crm.activities (company_id, occurred_at, id);
--rollback DROP INDEX crm.activities_company_occurred_idx;

--changeset townhall:crm-110-activities-deal-idx
--comment: crm.activities of one deal, newest first, keyset on (occurred_at, id)
CREATE INDEX activities_deal_occurred_idx ON crm.activities (deal_id, occurred_at, id);
--rollback DROP INDEX crm.activities_deal_occurred_idx;

--changeset townhall:crm-110-activities-occurred-idx
--comment: crm.activities by when they happened, keyset on (occurred_at, id); makes occurred_at a sort of the list
CREATE INDEX activities_occurred_idx ON crm.activities (occurred_at, id);
--rollback DROP INDEX crm.activities_occurred_idx;
