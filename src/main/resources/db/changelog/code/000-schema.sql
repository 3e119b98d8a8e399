--liquibase formatted sql

--changeset townhall:code-000-schema
--comment: code holds the VS Code extension's conversations, messages, code blocks and learned patterns
CREATE SCHEMA code;
GRANT USAGE ON SCHEMA code TO townhall_app, townhall_analytics;
ALTER DEFAULT PRIVILEGES IN SCHEMA code GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO townhall_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA code GRANT SELECT ON TABLES TO townhall_analytics;
ALTER DEFAULT PRIVILEGES IN SCHEMA code GRANT USAGE, SELECT ON SEQUENCES TO townhall_app;
--rollback ALTER DEFAULT PRIVILEGES IN SCHEMA code REVOKE USAGE, SELECT ON SEQUENCES FROM townhall_app;
--rollback ALTER DEFAULT PRIVILEGES IN SCHEMA code REVOKE SELECT ON TABLES FROM townhall_analytics;
--rollback ALTER DEFAULT PRIVILEGES IN SCHEMA code REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM townhall_app;
--rollback DROP SCHEMA code;
