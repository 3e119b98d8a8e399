--liquibase formatted sql

--changeset townhall:core-150-audit-log-at-idx
--comment: the audit log read newest first across the caller's towns (GET /api/v1/audit?sort=-at); the existing indexes lead with org and town
CREATE INDEX audit_log_at_idx ON core.audit_log (at, id);
--rollback DROP INDEX core.audit_log_at_idx;
