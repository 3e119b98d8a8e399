--liquibase formatted sql

-- The service lists rows newest first (GET /api/v1/{resource}?sort=-created_at) with keyset pages on
-- (created_at, id); records sorts only on a never-null column that leads a btree index, so each listed table
-- gets one. The existing indexes lead with town_id and serve one town's reads, not a capital's list across towns.

--changeset townhall:memory-120-knowledge-base-created-idx
--comment: memory.knowledge_base newest first, keyset on (created_at, id)
CREATE INDEX knowledge_base_created_idx ON memory.knowledge_base (created_at, id);
--rollback DROP INDEX memory.knowledge_base_created_idx;

--changeset townhall:memory-120-sticky-notes-created-idx
--comment: memory.sticky_notes newest first, keyset on (created_at, id)
CREATE INDEX sticky_notes_created_idx ON memory.sticky_notes (created_at, id);
--rollback DROP INDEX memory.sticky_notes_created_idx;
