--liquibase formatted sql

--changeset townhall:crm-030-activities
--comment: the one timeline of touches with contacts, companies and deals: hubspot activities (email/call/meeting/note/task) and Robbie_Allan interactions (channel, direction, sentiment) are the same concept
CREATE TABLE crm.activities (
    id            uuid            NOT NULL DEFAULT gen_random_uuid(),
    org_id        uuid            NOT NULL DEFAULT core.acting_org_id(),
    town_id       uuid            NOT NULL DEFAULT core.acting_town_id(),
    visibility    core.visibility NOT NULL DEFAULT 'private',
    shared_with   uuid[]          NOT NULL DEFAULT '{}',
    -- what kind of touch; an interaction's channel maps here (email, call, linkedin, ...)
    activity_type text            NOT NULL,
    -- NULL for notes and tasks, which have no direction
    direction     text,
    subject       text,
    body          text,
    summary       text,
    -- -1 (negative) .. 1 (positive), when a source measured it
    sentiment     real,
    occurred_at   timestamptz     NOT NULL,
    contact_id    uuid,
    company_id    uuid,
    deal_id       uuid,
    user_id       uuid,
    -- where the row came from: manual, hubspot, robbie_allan, gmail, slack, linkedin ...
    source        text            NOT NULL DEFAULT 'manual',
    -- open source-specific data (the legacy metadata text, when it parses)
    metadata      jsonb           NOT NULL DEFAULT '{}',
    search        tsvector GENERATED ALWAYS AS (
                      setweight(to_tsvector('english', coalesce(subject, '')), 'A')
                      || setweight(to_tsvector('english', left(coalesce(summary, '') || ' ' || coalesce(body, ''), 100000)), 'B')
                  ) STORED,
    created_at    timestamptz     NOT NULL DEFAULT now(),
    updated_at    timestamptz     NOT NULL DEFAULT now(),
    CONSTRAINT activities_pkey PRIMARY KEY (id),
    CONSTRAINT activities_town_id_key UNIQUE (town_id, id),
    CONSTRAINT activities_org_town_fkey FOREIGN KEY (org_id, town_id) REFERENCES core.towns (org_id, id),
    CONSTRAINT activities_town_contact_fkey FOREIGN KEY (town_id, contact_id) REFERENCES crm.contacts (town_id, id)
        ON UPDATE CASCADE ON DELETE SET NULL (contact_id),
    CONSTRAINT activities_town_company_fkey FOREIGN KEY (town_id, company_id) REFERENCES crm.companies (town_id, id)
        ON UPDATE CASCADE ON DELETE SET NULL (company_id),
    CONSTRAINT activities_town_deal_fkey FOREIGN KEY (town_id, deal_id) REFERENCES crm.deals (town_id, id)
        ON UPDATE CASCADE ON DELETE SET NULL (deal_id),
    CONSTRAINT activities_user_fkey FOREIGN KEY (user_id) REFERENCES core.users (id) ON DELETE SET NULL,
    CONSTRAINT activities_shared_with_check CHECK (visibility = 'shared' OR shared_with = '{}'),
    CONSTRAINT activities_activity_type_check CHECK (activity_type IN ('email', 'call', 'meeting', 'note', 'task', 'message', 'linkedin', 'slack', 'sms', 'other')),
    CONSTRAINT activities_direction_check CHECK (direction IN ('inbound', 'outbound')),
    CONSTRAINT activities_sentiment_check CHECK (sentiment BETWEEN -1 AND 1),
    CONSTRAINT activities_source_check CHECK (source ~ '^[a-z0-9_]+$'),
    CONSTRAINT activities_metadata_check CHECK (jsonb_typeof(metadata) = 'object')
);
CREATE INDEX activities_org_town_idx ON crm.activities (org_id, town_id);
CREATE INDEX activities_town_occurred_idx ON crm.activities (town_id, occurred_at DESC);
CREATE INDEX activities_town_contact_idx ON crm.activities (town_id, contact_id, occurred_at DESC);
CREATE INDEX activities_town_company_idx ON crm.activities (town_id, company_id, occurred_at DESC);
CREATE INDEX activities_town_deal_idx ON crm.activities (town_id, deal_id, occurred_at DESC);
CREATE INDEX activities_user_idx ON crm.activities (user_id);
CREATE INDEX activities_search_idx ON crm.activities USING gin (search);
CREATE INDEX activities_metadata_idx ON crm.activities USING gin (metadata jsonb_path_ops);
CREATE TRIGGER activities_touch_updated_at BEFORE UPDATE ON crm.activities
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
SELECT core.enable_tenancy('crm.activities');
--rollback DROP TABLE crm.activities;

--changeset townhall:crm-031-fn-activities-default-company splitStatements:false
--comment: an activity about a contact counts for the contact's company too: company_id defaults to the contact's company
CREATE FUNCTION crm.activities_default_company() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    IF NEW.company_id IS NULL AND NEW.contact_id IS NOT NULL THEN
        SELECT c.company_id INTO NEW.company_id
        FROM crm.contacts c
        WHERE c.town_id = NEW.town_id AND c.id = NEW.contact_id;
    END IF;
    RETURN NEW;
END
$$;
--rollback DROP FUNCTION crm.activities_default_company();

--changeset townhall:crm-032-activities-default-company-trigger
--comment: wires the company default into crm.activities
CREATE TRIGGER activities_default_company BEFORE INSERT OR UPDATE OF contact_id, company_id ON crm.activities
    FOR EACH ROW EXECUTE FUNCTION crm.activities_default_company();
--rollback DROP TRIGGER activities_default_company ON crm.activities;

--changeset townhall:crm-033-fn-activity-weight splitStatements:false
--comment: how much one touch counts towards engagement, by type and direction
-- meeting 10, call 8, inbound email 6, outbound email 3, linkedin/slack/sms/message 3 (inbound 4), note/task/other 1
CREATE FUNCTION crm.activity_weight(p_activity_type text, p_direction text) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE
        WHEN p_activity_type = 'meeting' THEN 10
        WHEN p_activity_type = 'call' THEN 8
        WHEN p_activity_type = 'email' THEN CASE WHEN p_direction = 'inbound' THEN 6 ELSE 3 END
        WHEN p_activity_type IN ('linkedin', 'slack', 'sms', 'message') THEN CASE WHEN p_direction = 'inbound' THEN 4 ELSE 3 END
        ELSE 1
    END::double precision
$$;
--rollback DROP FUNCTION crm.activity_weight(text, text);

--changeset townhall:crm-034-fn-refresh-engagement splitStatements:false
--comment: recomputes engagement of the given contacts, companies and deals from their activities (idempotent; also usable for a nightly decay refresh)
-- engagement_score = least(100, round(sum over activities of activity_weight(type, direction) * 0.5 ^ (age in days / 30)))
--   (a touch loses half its weight every 30 days; future-dated touches count fully), computed at the time of the change;
-- touch_count = number of activities; last_touch_at = latest occurred_at; last_touch_type = its type (contacts).
-- Deals get last_activity_at. Rows are only updated when a value changes.
CREATE FUNCTION crm.refresh_engagement(p_contact_ids uuid[], p_company_ids uuid[], p_deal_ids uuid[]) RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    IF cardinality(p_contact_ids) > 0 THEN
        UPDATE crm.contacts c
        SET engagement_score = s.score, touch_count = s.n, last_touch_at = s.last_at, last_touch_type = s.last_type
        FROM (
            SELECT c2.id,
                   -- FILTER: the LEFT JOIN's all-NULL row of an untouched record must weigh nothing (score 0)
                   least(100, round(coalesce(sum(crm.activity_weight(a.activity_type, a.direction)
                        * power(0.5::float8, greatest(0, extract(epoch FROM now() - a.occurred_at))::float8 / 2592000.0))
                        FILTER (WHERE a.id IS NOT NULL), 0)))::smallint AS score,
                   count(a.id)::integer AS n,
                   max(a.occurred_at) AS last_at,
                   (array_agg(a.activity_type ORDER BY a.occurred_at DESC) FILTER (WHERE a.id IS NOT NULL))[1] AS last_type
            FROM crm.contacts c2
            LEFT JOIN crm.activities a ON a.town_id = c2.town_id AND a.contact_id = c2.id
            WHERE c2.id = ANY (p_contact_ids)
            GROUP BY c2.id
        ) s
        WHERE c.id = s.id
          AND (c.engagement_score, c.touch_count, c.last_touch_at, c.last_touch_type)
              IS DISTINCT FROM (s.score, s.n, s.last_at, s.last_type);
    END IF;
    IF cardinality(p_company_ids) > 0 THEN
        UPDATE crm.companies c
        SET engagement_score = s.score, touch_count = s.n, last_touch_at = s.last_at
        FROM (
            SELECT c2.id,
                   -- FILTER: the LEFT JOIN's all-NULL row of an untouched record must weigh nothing (score 0)
                   least(100, round(coalesce(sum(crm.activity_weight(a.activity_type, a.direction)
                        * power(0.5::float8, greatest(0, extract(epoch FROM now() - a.occurred_at))::float8 / 2592000.0))
                        FILTER (WHERE a.id IS NOT NULL), 0)))::smallint AS score,
                   count(a.id)::integer AS n,
                   max(a.occurred_at) AS last_at
            FROM crm.companies c2
            LEFT JOIN crm.activities a ON a.town_id = c2.town_id AND a.company_id = c2.id
            WHERE c2.id = ANY (p_company_ids)
            GROUP BY c2.id
        ) s
        WHERE c.id = s.id
          AND (c.engagement_score, c.touch_count, c.last_touch_at) IS DISTINCT FROM (s.score, s.n, s.last_at);
    END IF;
    IF cardinality(p_deal_ids) > 0 THEN
        UPDATE crm.deals d
        SET last_activity_at = s.last_at
        FROM (
            SELECT d2.id, max(a.occurred_at) AS last_at
            FROM crm.deals d2
            LEFT JOIN crm.activities a ON a.town_id = d2.town_id AND a.deal_id = d2.id
            WHERE d2.id = ANY (p_deal_ids)
            GROUP BY d2.id
        ) s
        WHERE d.id = s.id
          AND d.last_activity_at IS DISTINCT FROM s.last_at;
    END IF;
END
$$;
--rollback DROP FUNCTION crm.refresh_engagement(uuid[], uuid[], uuid[]);

--changeset townhall:crm-035-fn-refresh-town-engagement splitStatements:false
--comment: recomputes engagement for every contact, company and deal of one town (scores decay with time, so run it periodically); returns rows examined
CREATE FUNCTION crm.refresh_town_engagement(p_town_id uuid) RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    contact_ids uuid[] := ARRAY(SELECT id FROM crm.contacts WHERE town_id = p_town_id);
    company_ids uuid[] := ARRAY(SELECT id FROM crm.companies WHERE town_id = p_town_id);
    deal_ids    uuid[] := ARRAY(SELECT id FROM crm.deals WHERE town_id = p_town_id);
BEGIN
    PERFORM crm.refresh_engagement(contact_ids, company_ids, deal_ids);
    RETURN cardinality(contact_ids) + cardinality(company_ids) + cardinality(deal_ids);
END
$$;
--rollback DROP FUNCTION crm.refresh_town_engagement(uuid);

--changeset townhall:crm-036-fn-activities-refresh-engagement splitStatements:false
--comment: statement-level trigger body: refreshes engagement once per statement for the rows it touched (a COPY of 60k activities refreshes once)
CREATE FUNCTION crm.activities_refresh_engagement() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM crm.refresh_engagement(
            ARRAY(SELECT DISTINCT contact_id FROM new_rows WHERE contact_id IS NOT NULL),
            ARRAY(SELECT DISTINCT company_id FROM new_rows WHERE company_id IS NOT NULL),
            ARRAY(SELECT DISTINCT deal_id FROM new_rows WHERE deal_id IS NOT NULL));
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM crm.refresh_engagement(
            ARRAY(SELECT contact_id FROM new_rows WHERE contact_id IS NOT NULL
                  UNION SELECT contact_id FROM old_rows WHERE contact_id IS NOT NULL),
            ARRAY(SELECT company_id FROM new_rows WHERE company_id IS NOT NULL
                  UNION SELECT company_id FROM old_rows WHERE company_id IS NOT NULL),
            ARRAY(SELECT deal_id FROM new_rows WHERE deal_id IS NOT NULL
                  UNION SELECT deal_id FROM old_rows WHERE deal_id IS NOT NULL));
    ELSE
        PERFORM crm.refresh_engagement(
            ARRAY(SELECT DISTINCT contact_id FROM old_rows WHERE contact_id IS NOT NULL),
            ARRAY(SELECT DISTINCT company_id FROM old_rows WHERE company_id IS NOT NULL),
            ARRAY(SELECT DISTINCT deal_id FROM old_rows WHERE deal_id IS NOT NULL));
    END IF;
    RETURN NULL;
END
$$;
--rollback DROP FUNCTION crm.activities_refresh_engagement();

--changeset townhall:crm-037-activities-engagement-triggers
--comment: keeps contact/company engagement and deal last activity true after every insert, update and delete of activities
CREATE TRIGGER activities_engagement_insert AFTER INSERT ON crm.activities
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION crm.activities_refresh_engagement();
CREATE TRIGGER activities_engagement_update AFTER UPDATE ON crm.activities
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION crm.activities_refresh_engagement();
CREATE TRIGGER activities_engagement_delete AFTER DELETE ON crm.activities
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION crm.activities_refresh_engagement();
--rollback DROP TRIGGER activities_engagement_delete ON crm.activities;
--rollback DROP TRIGGER activities_engagement_update ON crm.activities;
--rollback DROP TRIGGER activities_engagement_insert ON crm.activities;
