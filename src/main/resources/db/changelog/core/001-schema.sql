--liquibase formatted sql

--changeset townhall:core-001-schema
--comment: core holds the organisation, its towns, users, memberships, credentials, audit log and settings
CREATE SCHEMA core;
GRANT USAGE ON SCHEMA core TO townhall_app, townhall_analytics;
ALTER DEFAULT PRIVILEGES IN SCHEMA core GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO townhall_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA core GRANT SELECT ON TABLES TO townhall_analytics;
ALTER DEFAULT PRIVILEGES IN SCHEMA core GRANT USAGE, SELECT ON SEQUENCES TO townhall_app;
--rollback ALTER DEFAULT PRIVILEGES IN SCHEMA core REVOKE USAGE, SELECT ON SEQUENCES FROM townhall_app;
--rollback ALTER DEFAULT PRIVILEGES IN SCHEMA core REVOKE SELECT ON TABLES FROM townhall_analytics;
--rollback ALTER DEFAULT PRIVILEGES IN SCHEMA core REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM townhall_app;
--rollback DROP SCHEMA core;
