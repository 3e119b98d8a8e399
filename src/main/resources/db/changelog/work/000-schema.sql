--liquibase formatted sql

--changeset townhall:work-000-schema
--comment: work holds tasks, priorities, calendar events, meetings with attendees, transcripts and health, focus blocks and feature requests
CREATE SCHEMA work;
GRANT USAGE ON SCHEMA work TO townhall_app, townhall_analytics;
ALTER DEFAULT PRIVILEGES IN SCHEMA work GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO townhall_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA work GRANT SELECT ON TABLES TO townhall_analytics;
ALTER DEFAULT PRIVILEGES IN SCHEMA work GRANT USAGE, SELECT ON SEQUENCES TO townhall_app;
--rollback ALTER DEFAULT PRIVILEGES IN SCHEMA work REVOKE USAGE, SELECT ON SEQUENCES FROM townhall_app;
--rollback ALTER DEFAULT PRIVILEGES IN SCHEMA work REVOKE SELECT ON TABLES FROM townhall_analytics;
--rollback ALTER DEFAULT PRIVILEGES IN SCHEMA work REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM townhall_app;
--rollback DROP SCHEMA work;
