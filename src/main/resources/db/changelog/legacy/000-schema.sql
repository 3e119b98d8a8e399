--liquibase formatted sql

--changeset townhall:legacy-000-schema
--comment: legacy holds the importer's bookkeeping (runs, checkpoints, id map, quarantine, merge conflicts, reconciliation); owner-only, no grants to the application
CREATE SCHEMA legacy;
REVOKE ALL ON SCHEMA legacy FROM PUBLIC;
--rollback DROP SCHEMA legacy;
