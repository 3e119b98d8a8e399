--liquibase formatted sql

-- The service lists rows newest first (GET /api/v1/{resource}?sort=-created_at) with keyset pages on
-- (created_at, id); records sorts only on a never-null column that leads a btree index, so each listed table
-- gets one. The existing indexes lead with town_id and serve one town's reads, not a capital's list across towns.

--changeset townhall:work-100-tasks-created-idx
--comment: work.tasks newest first, keyset on (created_at, id)
CREATE INDEX tasks_created_idx ON work.tasks (created_at, id);
--rollback DROP INDEX work.tasks_created_idx;

--changeset townhall:work-100-calendar-events-created-idx
--comment: work.calendar_events newest first, keyset on (created_at, id)
CREATE INDEX calendar_events_created_idx ON work.calendar_events (created_at, id);
--rollback DROP INDEX work.calendar_events_created_idx;

--changeset townhall:work-100-meetings-created-idx
--comment: work.meetings newest first, keyset on (created_at, id)
CREATE INDEX meetings_created_idx ON work.meetings (created_at, id);
--rollback DROP INDEX work.meetings_created_idx;
