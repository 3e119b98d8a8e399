--liquibase formatted sql

--changeset townhall:work-033-meeting-attendees
--comment: who was invited to / attended a meeting: a user, a contact, or just an email or name (legacy transcripts list names)
CREATE TABLE work.meeting_attendees (
    id              uuid            NOT NULL DEFAULT gen_random_uuid(),
    org_id          uuid            NOT NULL DEFAULT core.acting_org_id(),
    town_id         uuid            NOT NULL DEFAULT core.acting_town_id(),
    visibility      core.visibility NOT NULL DEFAULT 'private',
    shared_with     uuid[]          NOT NULL DEFAULT '{}',
    meeting_id      uuid            NOT NULL,
    user_id         uuid,
    contact_id      uuid,
    email           citext,
    display_name    text,
    is_organizer    boolean         NOT NULL DEFAULT false,
    response_status text,
    attended        boolean,
    created_at      timestamptz     NOT NULL DEFAULT now(),
    updated_at      timestamptz     NOT NULL DEFAULT now(),
    CONSTRAINT meeting_attendees_pkey PRIMARY KEY (id),
    CONSTRAINT meeting_attendees_town_id_key UNIQUE (town_id, id),
    CONSTRAINT meeting_attendees_org_town_fkey FOREIGN KEY (org_id, town_id) REFERENCES core.towns (org_id, id),
    CONSTRAINT meeting_attendees_town_meeting_fkey FOREIGN KEY (town_id, meeting_id) REFERENCES work.meetings (town_id, id)
        ON UPDATE CASCADE ON DELETE CASCADE,
    CONSTRAINT meeting_attendees_user_fkey FOREIGN KEY (user_id) REFERENCES core.users (id) ON DELETE SET NULL,
    CONSTRAINT meeting_attendees_town_contact_fkey FOREIGN KEY (town_id, contact_id) REFERENCES crm.contacts (town_id, id)
        ON UPDATE CASCADE ON DELETE SET NULL (contact_id),
    CONSTRAINT meeting_attendees_shared_with_check CHECK (visibility = 'shared' OR shared_with = '{}'),
    CONSTRAINT meeting_attendees_who_check CHECK (user_id IS NOT NULL OR contact_id IS NOT NULL OR email IS NOT NULL OR display_name IS NOT NULL),
    CONSTRAINT meeting_attendees_response_status_check CHECK (response_status IN ('accepted', 'declined', 'tentative', 'needs_action'))
);
CREATE INDEX meeting_attendees_org_town_idx ON work.meeting_attendees (org_id, town_id);
CREATE INDEX meeting_attendees_town_meeting_idx ON work.meeting_attendees (town_id, meeting_id);
CREATE INDEX meeting_attendees_user_idx ON work.meeting_attendees (user_id);
CREATE INDEX meeting_attendees_town_contact_idx ON work.meeting_attendees (town_id, contact_id);
CREATE TRIGGER meeting_attendees_touch_updated_at BEFORE UPDATE ON work.meeting_attendees
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
SELECT core.enable_tenancy('work.meeting_attendees');
--rollback DROP TABLE work.meeting_attendees;

--changeset townhall:work-034-fn-meeting-attendee-count splitStatements:false
--comment: recounts work.meetings.attendee_count (and so its health) for the meetings whose attendees changed
CREATE FUNCTION work.meeting_attendees_recount() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE work.meetings m
        SET attendee_count = (SELECT count(*) FROM work.meeting_attendees a
                              WHERE a.town_id = m.town_id AND a.meeting_id = m.id)
        WHERE m.town_id = NEW.town_id AND m.id = NEW.meeting_id;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE work.meetings m
        SET attendee_count = (SELECT count(*) FROM work.meeting_attendees a
                              WHERE a.town_id = m.town_id AND a.meeting_id = m.id)
        WHERE m.town_id = OLD.town_id AND m.id = OLD.meeting_id
          AND (TG_OP = 'DELETE' OR OLD.meeting_id IS DISTINCT FROM NEW.meeting_id OR OLD.town_id IS DISTINCT FROM NEW.town_id);
    END IF;
    RETURN NULL;
END
$$;
--rollback DROP FUNCTION work.meeting_attendees_recount();

--changeset townhall:work-035-meeting-attendee-count-trigger
--comment: wires the attendee recount into work.meeting_attendees
CREATE TRIGGER meeting_attendees_recount AFTER INSERT OR DELETE OR UPDATE OF meeting_id, town_id ON work.meeting_attendees
    FOR EACH ROW EXECUTE FUNCTION work.meeting_attendees_recount();
--rollback DROP TRIGGER meeting_attendees_recount ON work.meeting_attendees;
