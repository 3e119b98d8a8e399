--liquibase formatted sql

--changeset townhall:intel-010-insights
--comment: AI insights and best practices (the seeds' insights); a shared dataset
CREATE TABLE intel.insights (
    id                uuid            NOT NULL DEFAULT gen_random_uuid(),
    org_id            uuid            NOT NULL DEFAULT core.acting_org_id(),
    town_id           uuid            NOT NULL DEFAULT core.acting_town_id(),
    visibility        core.visibility NOT NULL DEFAULT 'shared',
    shared_with       uuid[]          NOT NULL DEFAULT '{}',
    insight_type      text            NOT NULL,
    title             text            NOT NULL,
    body              text            NOT NULL,
    confidence        real,
    source            text            NOT NULL DEFAULT 'ai',
    -- the record it is about, if any (same town; no FK across types)
    related_to_type   text,
    related_to_id     uuid,
    personality_id    uuid,
    valid_until       timestamptz,
    tags              text[]          NOT NULL DEFAULT '{}',
    search            tsvector GENERATED ALWAYS AS (
                          setweight(to_tsvector('english', title), 'A')
                          || setweight(to_tsvector('english', left(body, 100000)), 'B')
                      ) STORED,
    created_at        timestamptz     NOT NULL DEFAULT now(),
    updated_at        timestamptz     NOT NULL DEFAULT now(),
    CONSTRAINT insights_pkey PRIMARY KEY (id),
    CONSTRAINT insights_town_id_key UNIQUE (town_id, id),
    CONSTRAINT insights_org_town_fkey FOREIGN KEY (org_id, town_id) REFERENCES core.towns (org_id, id),
    CONSTRAINT insights_personality_fkey FOREIGN KEY (personality_id) REFERENCES ai.personalities (id) ON DELETE SET NULL,
    CONSTRAINT insights_shared_with_check CHECK (visibility = 'shared' OR shared_with = '{}'),
    CONSTRAINT insights_insight_type_check CHECK (insight_type IN ('best_practice', 'pattern', 'risk', 'opportunity', 'trend', 'recommendation')),
    CONSTRAINT insights_title_check CHECK (btrim(title) <> ''),
    CONSTRAINT insights_confidence_check CHECK (confidence BETWEEN 0 AND 1),
    CONSTRAINT insights_source_check CHECK (source ~ '^[a-z0-9_]+$'),
    CONSTRAINT insights_related_to_type_check CHECK (related_to_type IN ('contact', 'company', 'deal', 'activity', 'task', 'meeting', 'conversation', 'knowledge')),
    CONSTRAINT insights_related_check CHECK ((related_to_type IS NULL) = (related_to_id IS NULL))
);
CREATE INDEX insights_org_town_idx ON intel.insights (org_id, town_id);
CREATE INDEX insights_town_related_idx ON intel.insights (town_id, related_to_type, related_to_id);
CREATE INDEX insights_personality_idx ON intel.insights (personality_id);
CREATE INDEX insights_tags_idx ON intel.insights USING gin (tags);
CREATE INDEX insights_search_idx ON intel.insights USING gin (search);
CREATE TRIGGER insights_touch_updated_at BEFORE UPDATE ON intel.insights
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
SELECT core.enable_tenancy('intel.insights');
--rollback DROP TABLE intel.insights;
