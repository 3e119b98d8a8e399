--liquibase formatted sql

-- The service lists rows newest first (GET /api/v1/{resource}?sort=-created_at) with keyset pages on
-- (created_at, id); records sorts only on a never-null column that leads a btree index, so each listed table
-- gets one. The existing indexes lead with town_id and serve one town's reads, not a capital's list across towns.

--changeset townhall:comms-100-conversations-created-idx
--comment: comms.conversations newest first, keyset on (created_at, id)
CREATE INDEX conversations_created_idx ON comms.conversations (created_at, id);
--rollback DROP INDEX comms.conversations_created_idx;

--changeset townhall:comms-100-messages-created-idx
--comment: comms.messages newest first, keyset on (created_at, id)
CREATE INDEX messages_created_idx ON comms.messages (created_at, id);
--rollback DROP INDEX comms.messages_created_idx;
