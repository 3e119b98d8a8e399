--liquibase formatted sql

--changeset townhall:sync-000-schema
--comment: sync holds replica peers, the durable offline write queue, kept conflicts, and external integrations and webhooks
CREATE SCHEMA sync;
GRANT USAGE ON SCHEMA sync TO townhall_app, townhall_analytics;
ALTER DEFAULT PRIVILEGES IN SCHEMA sync GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO townhall_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA sync GRANT SELECT ON TABLES TO townhall_analytics;
ALTER DEFAULT PRIVILEGES IN SCHEMA sync GRANT USAGE, SELECT ON SEQUENCES TO townhall_app;
--rollback ALTER DEFAULT PRIVILEGES IN SCHEMA sync REVOKE USAGE, SELECT ON SEQUENCES FROM townhall_app;
--rollback ALTER DEFAULT PRIVILEGES IN SCHEMA sync REVOKE SELECT ON TABLES FROM townhall_analytics;
--rollback ALTER DEFAULT PRIVILEGES IN SCHEMA sync REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM townhall_app;
--rollback DROP SCHEMA sync;
