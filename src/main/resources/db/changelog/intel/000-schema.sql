--liquibase formatted sql

--changeset townhall:intel-000-schema
--comment: intel holds the shared insight and market-intelligence datasets and the analytics views over the other schemas
CREATE SCHEMA intel;
GRANT USAGE ON SCHEMA intel TO townhall_app, townhall_analytics;
ALTER DEFAULT PRIVILEGES IN SCHEMA intel GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO townhall_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA intel GRANT SELECT ON TABLES TO townhall_analytics;
ALTER DEFAULT PRIVILEGES IN SCHEMA intel GRANT USAGE, SELECT ON SEQUENCES TO townhall_app;
--rollback ALTER DEFAULT PRIVILEGES IN SCHEMA intel REVOKE USAGE, SELECT ON SEQUENCES FROM townhall_app;
--rollback ALTER DEFAULT PRIVILEGES IN SCHEMA intel REVOKE SELECT ON TABLES FROM townhall_analytics;
--rollback ALTER DEFAULT PRIVILEGES IN SCHEMA intel REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM townhall_app;
--rollback DROP SCHEMA intel;
