--liquibase formatted sql

--changeset townhall:intel-020-market-intelligence
--comment: market intelligence (competitors, pricing, trends, news, funding); a shared dataset
CREATE TABLE intel.market_intelligence (
    id              uuid            NOT NULL DEFAULT gen_random_uuid(),
    org_id          uuid            NOT NULL DEFAULT core.acting_org_id(),
    town_id         uuid            NOT NULL DEFAULT core.acting_town_id(),
    visibility      core.visibility NOT NULL DEFAULT 'shared',
    shared_with     uuid[]          NOT NULL DEFAULT '{}',
    category        text            NOT NULL,
    title           text            NOT NULL,
    content         text            NOT NULL,
    -- who it is about, as text (other towns cannot see this town's companies) and as a link within the town
    subject_company text,
    subject_domain  citext,
    company_id      uuid,
    source          text,
    source_url      text,
    observed_at     timestamptz     NOT NULL DEFAULT now(),
    relevance       smallint,
    tags            text[]          NOT NULL DEFAULT '{}',
    search          tsvector GENERATED ALWAYS AS (
                        setweight(to_tsvector('english', title), 'A')
                        || setweight(to_tsvector('english', left(content, 100000)), 'B')
                    ) STORED,
    created_at      timestamptz     NOT NULL DEFAULT now(),
    updated_at      timestamptz     NOT NULL DEFAULT now(),
    CONSTRAINT market_intelligence_pkey PRIMARY KEY (id),
    CONSTRAINT market_intelligence_town_id_key UNIQUE (town_id, id),
    CONSTRAINT market_intelligence_org_town_fkey FOREIGN KEY (org_id, town_id) REFERENCES core.towns (org_id, id),
    CONSTRAINT market_intelligence_town_company_fkey FOREIGN KEY (town_id, company_id) REFERENCES crm.companies (town_id, id)
        ON UPDATE CASCADE ON DELETE SET NULL (company_id),
    CONSTRAINT market_intelligence_shared_with_check CHECK (visibility = 'shared' OR shared_with = '{}'),
    CONSTRAINT market_intelligence_category_check CHECK (category IN ('competitor', 'market', 'trend', 'pricing', 'news', 'regulation', 'funding')),
    CONSTRAINT market_intelligence_title_check CHECK (btrim(title) <> ''),
    CONSTRAINT market_intelligence_relevance_check CHECK (relevance BETWEEN 0 AND 100)
);
CREATE INDEX market_intelligence_org_town_idx ON intel.market_intelligence (org_id, town_id);
CREATE INDEX market_intelligence_town_company_idx ON intel.market_intelligence (town_id, company_id);
CREATE INDEX market_intelligence_subject_domain_idx ON intel.market_intelligence (subject_domain);
CREATE INDEX market_intelligence_tags_idx ON intel.market_intelligence USING gin (tags);
CREATE INDEX market_intelligence_search_idx ON intel.market_intelligence USING gin (search);
CREATE TRIGGER market_intelligence_touch_updated_at BEFORE UPDATE ON intel.market_intelligence
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
SELECT core.enable_tenancy('intel.market_intelligence');
--rollback DROP TABLE intel.market_intelligence;
