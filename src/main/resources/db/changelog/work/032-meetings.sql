--liquibase formatted sql

--changeset townhall:work-032-meetings
--comment: meetings that happen(ed), optionally tied to a calendar event and a deal; health score and status are generated (the seeds' meeting_health)
CREATE TABLE work.meetings (
    id                uuid            NOT NULL DEFAULT gen_random_uuid(),
    org_id            uuid            NOT NULL DEFAULT core.acting_org_id(),
    town_id           uuid            NOT NULL DEFAULT core.acting_town_id(),
    visibility        core.visibility NOT NULL DEFAULT 'private',
    shared_with       uuid[]          NOT NULL DEFAULT '{}',
    calendar_event_id uuid,
    deal_id           uuid,
    company_id        uuid,
    organizer_user_id uuid,
    title             text            NOT NULL,
    started_at        timestamptz     NOT NULL,
    duration_minutes  integer,
    agenda            text,
    summary           text,
    -- maintained from work.meeting_attendees when attendee rows change; may be set directly when they are unknown
    attendee_count    integer         NOT NULL DEFAULT 0,
    has_agenda        boolean GENERATED ALWAYS AS (agenda IS NOT NULL AND btrim(agenda) <> '') STORED,
    health_score      smallint GENERATED ALWAYS AS (work.meeting_health_score(agenda, duration_minutes, attendee_count)) STORED,
    health_status     text GENERATED ALWAYS AS (work.meeting_health_status(work.meeting_health_score(agenda, duration_minutes, attendee_count))) STORED,
    created_at        timestamptz     NOT NULL DEFAULT now(),
    updated_at        timestamptz     NOT NULL DEFAULT now(),
    CONSTRAINT meetings_pkey PRIMARY KEY (id),
    CONSTRAINT meetings_town_id_key UNIQUE (town_id, id),
    CONSTRAINT meetings_org_town_fkey FOREIGN KEY (org_id, town_id) REFERENCES core.towns (org_id, id),
    CONSTRAINT meetings_town_calendar_event_fkey FOREIGN KEY (town_id, calendar_event_id) REFERENCES work.calendar_events (town_id, id)
        ON UPDATE CASCADE ON DELETE SET NULL (calendar_event_id),
    CONSTRAINT meetings_town_deal_fkey FOREIGN KEY (town_id, deal_id) REFERENCES crm.deals (town_id, id)
        ON UPDATE CASCADE ON DELETE SET NULL (deal_id),
    CONSTRAINT meetings_town_company_fkey FOREIGN KEY (town_id, company_id) REFERENCES crm.companies (town_id, id)
        ON UPDATE CASCADE ON DELETE SET NULL (company_id),
    CONSTRAINT meetings_organizer_user_fkey FOREIGN KEY (organizer_user_id) REFERENCES core.users (id) ON DELETE SET NULL,
    CONSTRAINT meetings_shared_with_check CHECK (visibility = 'shared' OR shared_with = '{}'),
    CONSTRAINT meetings_title_check CHECK (btrim(title) <> ''),
    CONSTRAINT meetings_duration_check CHECK (duration_minutes >= 0),
    CONSTRAINT meetings_attendee_count_check CHECK (attendee_count >= 0),
    CONSTRAINT meetings_health_score_check CHECK (health_score BETWEEN 0 AND 100),
    CONSTRAINT meetings_health_status_check CHECK (health_status IN ('healthy', 'warning', 'problematic'))
);
CREATE INDEX meetings_org_town_idx ON work.meetings (org_id, town_id);
CREATE INDEX meetings_town_started_idx ON work.meetings (town_id, started_at DESC);
CREATE INDEX meetings_town_calendar_event_idx ON work.meetings (town_id, calendar_event_id);
CREATE INDEX meetings_town_deal_idx ON work.meetings (town_id, deal_id);
CREATE INDEX meetings_town_company_idx ON work.meetings (town_id, company_id);
CREATE INDEX meetings_organizer_user_idx ON work.meetings (organizer_user_id);
CREATE TRIGGER meetings_touch_updated_at BEFORE UPDATE ON work.meetings
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
SELECT core.enable_tenancy('work.meetings');
--rollback DROP TABLE work.meetings;
