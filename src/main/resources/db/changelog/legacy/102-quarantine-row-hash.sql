--liquibase formatted sql

--changeset townhall:legacy-102-quarantine-row-hash
--comment: the hash of the quarantined source row as read, so a later run tells an unchanged row (still quarantined) from one fixed at the source (retried)
ALTER TABLE legacy.quarantine ADD COLUMN source_row_hash text;
--rollback ALTER TABLE legacy.quarantine DROP COLUMN source_row_hash;

--changeset townhall:legacy-103-quarantine-one-open-entry
--comment: a source row has at most one open (or fixed, awaiting retry) quarantine entry; resolved entries stay as history
CREATE UNIQUE INDEX quarantine_open_source_key ON legacy.quarantine (source_db, source_table, source_id)
    WHERE status IN ('open', 'fixed');
--rollback DROP INDEX legacy.quarantine_open_source_key;
