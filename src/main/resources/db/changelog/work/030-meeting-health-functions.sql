--liquibase formatted sql

--changeset townhall:work-030-fn-meeting-health-score splitStatements:false
--comment: the meeting health score (0-100) from agenda, duration and attendee count; used by a generated column of work.meetings
-- agenda present (non-blank): 40, else 0
-- duration:  <= 30 min: 30 | <= 60: 20 | <= 90: 10 | longer: 0 | unknown: 15
-- attendees: 2-5: 30 | 6-8: 20 | 1: 15 | 9-12: 10 | 0 or more than 12: 0 | unknown: 15
CREATE FUNCTION work.meeting_health_score(p_agenda text, p_duration_minutes integer, p_attendee_count integer) RETURNS smallint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT (CASE WHEN p_agenda IS NOT NULL AND btrim(p_agenda) <> '' THEN 40 ELSE 0 END
          + CASE WHEN p_duration_minutes IS NULL THEN 15
                 WHEN p_duration_minutes <= 30 THEN 30
                 WHEN p_duration_minutes <= 60 THEN 20
                 WHEN p_duration_minutes <= 90 THEN 10
                 ELSE 0 END
          + CASE WHEN p_attendee_count IS NULL THEN 15
                 WHEN p_attendee_count BETWEEN 2 AND 5 THEN 30
                 WHEN p_attendee_count BETWEEN 6 AND 8 THEN 20
                 WHEN p_attendee_count = 1 THEN 15
                 WHEN p_attendee_count BETWEEN 9 AND 12 THEN 10
                 ELSE 0 END)::smallint
$$;
--rollback DROP FUNCTION work.meeting_health_score(text, integer, integer);

--changeset townhall:work-031-fn-meeting-health-status splitStatements:false
--comment: the status for a health score: >= 70 healthy, >= 40 warning, below problematic
CREATE FUNCTION work.meeting_health_status(p_score integer) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN p_score >= 70 THEN 'healthy' WHEN p_score >= 40 THEN 'warning' ELSE 'problematic' END
$$;
--rollback DROP FUNCTION work.meeting_health_status(integer);
