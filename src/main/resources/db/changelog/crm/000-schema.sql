--liquibase formatted sql

--changeset townhall:crm-000-schema
--comment: crm holds companies, contacts, deals and their stages, the activity timeline (activities + interactions) and shared enrichments
CREATE SCHEMA crm;
GRANT USAGE ON SCHEMA crm TO townhall_app, townhall_analytics;
ALTER DEFAULT PRIVILEGES IN SCHEMA crm GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO townhall_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA crm GRANT SELECT ON TABLES TO townhall_analytics;
ALTER DEFAULT PRIVILEGES IN SCHEMA crm GRANT USAGE, SELECT ON SEQUENCES TO townhall_app;
--rollback ALTER DEFAULT PRIVILEGES IN SCHEMA crm REVOKE USAGE, SELECT ON SEQUENCES FROM townhall_app;
--rollback ALTER DEFAULT PRIVILEGES IN SCHEMA crm REVOKE SELECT ON TABLES FROM townhall_analytics;
--rollback ALTER DEFAULT PRIVILEGES IN SCHEMA crm REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM townhall_app;
--rollback DROP SCHEMA crm;
