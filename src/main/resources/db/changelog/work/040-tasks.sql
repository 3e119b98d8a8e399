--liquibase formatted sql

--changeset townhall:work-040-tasks
--comment: to-dos (todo/doing/done) of a town, including commitments the AI made; completed_at is kept true to the status by trigger
CREATE TABLE work.tasks (
    id                uuid            NOT NULL DEFAULT gen_random_uuid(),
    org_id            uuid            NOT NULL DEFAULT core.acting_org_id(),
    town_id           uuid            NOT NULL DEFAULT core.acting_town_id(),
    visibility        core.visibility NOT NULL DEFAULT 'private',
    shared_with       uuid[]          NOT NULL DEFAULT '{}',
    -- the assignee
    user_id           uuid,
    created_by        uuid,
    title             text            NOT NULL,
    description       text,
    status            text            NOT NULL DEFAULT 'todo',
    priority          text            NOT NULL DEFAULT 'medium',
    due_at            timestamptz,
    completed_at      timestamptz,
    -- planned effort; the capacity heatmap counts 30 minutes when unknown
    estimated_minutes integer,
    -- where the task came from; ai_commitment = something the AI promised to do (the seeds' commitments)
    source            text            NOT NULL DEFAULT 'manual',
    contact_id        uuid,
    company_id        uuid,
    deal_id           uuid,
    meeting_id        uuid,
    priority_id       uuid,
    tags              text[]          NOT NULL DEFAULT '{}',
    created_at        timestamptz     NOT NULL DEFAULT now(),
    updated_at        timestamptz     NOT NULL DEFAULT now(),
    CONSTRAINT tasks_pkey PRIMARY KEY (id),
    CONSTRAINT tasks_town_id_key UNIQUE (town_id, id),
    CONSTRAINT tasks_org_town_fkey FOREIGN KEY (org_id, town_id) REFERENCES core.towns (org_id, id),
    CONSTRAINT tasks_user_fkey FOREIGN KEY (user_id) REFERENCES core.users (id) ON DELETE SET NULL,
    CONSTRAINT tasks_created_by_fkey FOREIGN KEY (created_by) REFERENCES core.users (id) ON DELETE SET NULL,
    CONSTRAINT tasks_town_contact_fkey FOREIGN KEY (town_id, contact_id) REFERENCES crm.contacts (town_id, id)
        ON UPDATE CASCADE ON DELETE SET NULL (contact_id),
    CONSTRAINT tasks_town_company_fkey FOREIGN KEY (town_id, company_id) REFERENCES crm.companies (town_id, id)
        ON UPDATE CASCADE ON DELETE SET NULL (company_id),
    CONSTRAINT tasks_town_deal_fkey FOREIGN KEY (town_id, deal_id) REFERENCES crm.deals (town_id, id)
        ON UPDATE CASCADE ON DELETE SET NULL (deal_id),
    CONSTRAINT tasks_town_meeting_fkey FOREIGN KEY (town_id, meeting_id) REFERENCES work.meetings (town_id, id)
        ON UPDATE CASCADE ON DELETE SET NULL (meeting_id),
    CONSTRAINT tasks_town_priority_fkey FOREIGN KEY (town_id, priority_id) REFERENCES work.priorities (town_id, id)
        ON UPDATE CASCADE ON DELETE SET NULL (priority_id),
    CONSTRAINT tasks_shared_with_check CHECK (visibility = 'shared' OR shared_with = '{}'),
    CONSTRAINT tasks_title_check CHECK (btrim(title) <> ''),
    CONSTRAINT tasks_status_check CHECK (status IN ('todo', 'doing', 'done')),
    CONSTRAINT tasks_priority_check CHECK (priority IN ('low', 'medium', 'high')),
    CONSTRAINT tasks_completed_check CHECK ((status = 'done') = (completed_at IS NOT NULL)),
    CONSTRAINT tasks_estimated_minutes_check CHECK (estimated_minutes > 0),
    CONSTRAINT tasks_source_check CHECK (source IN ('manual', 'ai_commitment', 'meeting', 'email', 'slack', 'import'))
);
CREATE INDEX tasks_org_town_idx ON work.tasks (org_id, town_id);
CREATE INDEX tasks_town_status_due_idx ON work.tasks (town_id, status, due_at);
CREATE INDEX tasks_user_status_idx ON work.tasks (user_id, status);
CREATE INDEX tasks_created_by_idx ON work.tasks (created_by);
CREATE INDEX tasks_town_contact_idx ON work.tasks (town_id, contact_id);
CREATE INDEX tasks_town_company_idx ON work.tasks (town_id, company_id);
CREATE INDEX tasks_town_deal_idx ON work.tasks (town_id, deal_id);
CREATE INDEX tasks_town_meeting_idx ON work.tasks (town_id, meeting_id);
CREATE INDEX tasks_town_priority_idx ON work.tasks (town_id, priority_id);
CREATE INDEX tasks_tags_idx ON work.tasks USING gin (tags);
CREATE TRIGGER tasks_touch_updated_at BEFORE UPDATE ON work.tasks
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
SELECT core.enable_tenancy('work.tasks');
--rollback DROP TABLE work.tasks;

--changeset townhall:work-041-fn-tasks-track-completion splitStatements:false
--comment: status done stamps completed_at (unless given); any other status clears it
CREATE FUNCTION work.tasks_track_completion() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    IF NEW.status = 'done' THEN
        IF NEW.completed_at IS NULL THEN
            NEW.completed_at := now();
        END IF;
    ELSE
        NEW.completed_at := NULL;
    END IF;
    RETURN NEW;
END
$$;
--rollback DROP FUNCTION work.tasks_track_completion();

--changeset townhall:work-042-tasks-completion-trigger
--comment: wires completion tracking into work.tasks
CREATE TRIGGER tasks_track_completion BEFORE INSERT OR UPDATE OF status, completed_at ON work.tasks
    FOR EACH ROW EXECUTE FUNCTION work.tasks_track_completion();
--rollback DROP TRIGGER tasks_track_completion ON work.tasks;
