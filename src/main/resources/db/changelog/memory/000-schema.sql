--liquibase formatted sql

--changeset townhall:memory-000-schema
--comment: memory holds the shared knowledge base, sticky notes, AI memories, working memory, documents and the one embeddings store
CREATE SCHEMA memory;
GRANT USAGE ON SCHEMA memory TO townhall_app, townhall_analytics;
ALTER DEFAULT PRIVILEGES IN SCHEMA memory GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO townhall_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA memory GRANT SELECT ON TABLES TO townhall_analytics;
ALTER DEFAULT PRIVILEGES IN SCHEMA memory GRANT USAGE, SELECT ON SEQUENCES TO townhall_app;
--rollback ALTER DEFAULT PRIVILEGES IN SCHEMA memory REVOKE USAGE, SELECT ON SEQUENCES FROM townhall_app;
--rollback ALTER DEFAULT PRIVILEGES IN SCHEMA memory REVOKE SELECT ON TABLES FROM townhall_analytics;
--rollback ALTER DEFAULT PRIVILEGES IN SCHEMA memory REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM townhall_app;
--rollback DROP SCHEMA memory;
