--liquibase formatted sql

-- The service lists rows newest first (GET /api/v1/{resource}?sort=-created_at) with keyset pages on
-- (created_at, id); records sorts only on a never-null column that leads a btree index, so each listed table
-- gets one. The existing indexes lead with town_id and serve one town's reads, not a capital's list across towns.

--changeset townhall:crm-100-companies-created-idx
--comment: crm.companies newest first, keyset on (created_at, id)
CREATE INDEX companies_created_idx ON crm.companies (created_at, id);
--rollback DROP INDEX crm.companies_created_idx;

--changeset townhall:crm-100-contacts-created-idx
--comment: crm.contacts newest first, keyset on (created_at, id)
CREATE INDEX contacts_created_idx ON crm.contacts (created_at, id);
--rollback DROP INDEX crm.contacts_created_idx;

--changeset townhall:crm-100-deals-created-idx
--comment: crm.deals newest first, keyset on (created_at, id)
CREATE INDEX deals_created_idx ON crm.deals (created_at, id);
--rollback DROP INDEX crm.deals_created_idx;

--changeset townhall:crm-100-activities-created-idx
--comment: crm.activities newest first, keyset on (created_at, id)
CREATE INDEX activities_created_idx ON crm.activities (created_at, id);
--rollback DROP INDEX crm.activities_created_idx;
