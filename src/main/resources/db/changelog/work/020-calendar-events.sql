--liquibase formatted sql

--changeset townhall:work-020-calendar-events
--comment: calendar entries (Google Calendar sync or local): meetings, focus time, personal, travel; feeds the capacity heatmap
CREATE TABLE work.calendar_events (
    id                 uuid            NOT NULL DEFAULT gen_random_uuid(),
    org_id             uuid            NOT NULL DEFAULT core.acting_org_id(),
    town_id            uuid            NOT NULL DEFAULT core.acting_town_id(),
    visibility         core.visibility NOT NULL DEFAULT 'private',
    shared_with        uuid[]          NOT NULL DEFAULT '{}',
    -- whose calendar it is
    user_id            uuid,
    title              text            NOT NULL,
    description        text,
    location           text,
    starts_at          timestamptz     NOT NULL,
    ends_at            timestamptz     NOT NULL,
    all_day            boolean         NOT NULL DEFAULT false,
    duration_minutes   integer GENERATED ALWAYS AS ((extract(epoch FROM ends_at - starts_at) / 60)::integer) STORED,
    event_type         text            NOT NULL DEFAULT 'meeting',
    status             text            NOT NULL DEFAULT 'confirmed',
    organizer_email    citext,
    attendee_emails    citext[]        NOT NULL DEFAULT '{}',
    -- RFC 5545 RRULE of a recurring series
    recurrence         text,
    google_calendar_id text,
    google_event_id    text,
    contact_id         uuid,
    deal_id            uuid,
    created_at         timestamptz     NOT NULL DEFAULT now(),
    updated_at         timestamptz     NOT NULL DEFAULT now(),
    CONSTRAINT calendar_events_pkey PRIMARY KEY (id),
    CONSTRAINT calendar_events_town_id_key UNIQUE (town_id, id),
    CONSTRAINT calendar_events_town_google_key UNIQUE (town_id, google_calendar_id, google_event_id),
    CONSTRAINT calendar_events_org_town_fkey FOREIGN KEY (org_id, town_id) REFERENCES core.towns (org_id, id),
    CONSTRAINT calendar_events_user_fkey FOREIGN KEY (user_id) REFERENCES core.users (id) ON DELETE SET NULL,
    CONSTRAINT calendar_events_town_contact_fkey FOREIGN KEY (town_id, contact_id) REFERENCES crm.contacts (town_id, id)
        ON UPDATE CASCADE ON DELETE SET NULL (contact_id),
    CONSTRAINT calendar_events_town_deal_fkey FOREIGN KEY (town_id, deal_id) REFERENCES crm.deals (town_id, id)
        ON UPDATE CASCADE ON DELETE SET NULL (deal_id),
    CONSTRAINT calendar_events_shared_with_check CHECK (visibility = 'shared' OR shared_with = '{}'),
    CONSTRAINT calendar_events_title_check CHECK (btrim(title) <> ''),
    CONSTRAINT calendar_events_time_check CHECK (ends_at >= starts_at),
    CONSTRAINT calendar_events_event_type_check CHECK (event_type IN ('meeting', 'focus', 'personal', 'travel', 'reminder', 'other')),
    CONSTRAINT calendar_events_status_check CHECK (status IN ('confirmed', 'tentative', 'cancelled')),
    CONSTRAINT calendar_events_google_check CHECK ((google_event_id IS NULL) OR (google_calendar_id IS NOT NULL))
);
CREATE INDEX calendar_events_org_town_idx ON work.calendar_events (org_id, town_id);
CREATE INDEX calendar_events_town_starts_idx ON work.calendar_events (town_id, starts_at);
CREATE INDEX calendar_events_user_starts_idx ON work.calendar_events (user_id, starts_at);
CREATE INDEX calendar_events_town_contact_idx ON work.calendar_events (town_id, contact_id);
CREATE INDEX calendar_events_town_deal_idx ON work.calendar_events (town_id, deal_id);
CREATE INDEX calendar_events_attendee_emails_idx ON work.calendar_events USING gin (attendee_emails);
CREATE TRIGGER calendar_events_touch_updated_at BEFORE UPDATE ON work.calendar_events
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
SELECT core.enable_tenancy('work.calendar_events');
--rollback DROP TABLE work.calendar_events;
