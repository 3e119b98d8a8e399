--liquibase formatted sql

--changeset townhall:core-000-extensions
--comment: the extensions the schema needs; the bootstrap (a superuser) creates them before migrating, so here they are only asserted
-- vector and pg_stat_statements are not "trusted" extensions: the owner role cannot create them, only find them present.
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE EXTENSION IF NOT EXISTS citext;
CREATE EXTENSION IF NOT EXISTS vector;
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
--rollback SELECT 'extensions belong to the bootstrap (dropping them needs a superuser): left installed';
