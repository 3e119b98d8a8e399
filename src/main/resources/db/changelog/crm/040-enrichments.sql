--liquibase formatted sql

--changeset townhall:crm-040-enrichments
--comment: vendor enrichment records (Apollo, Clay, LinkedIn ...) about a company or contact; a shared dataset, matched across towns by subject_key
CREATE TABLE crm.enrichments (
    id               uuid            NOT NULL DEFAULT gen_random_uuid(),
    org_id           uuid            NOT NULL DEFAULT core.acting_org_id(),
    town_id          uuid            NOT NULL DEFAULT core.acting_town_id(),
    visibility       core.visibility NOT NULL DEFAULT 'shared',
    shared_with      uuid[]          NOT NULL DEFAULT '{}',
    entity_type      text            NOT NULL,
    -- what other towns match on: the normalised domain of a company, the email (or LinkedIn URL) of a contact
    subject_key      citext          NOT NULL,
    -- the row of this town it enriches, when there is one
    company_id       uuid,
    contact_id       uuid,
    source           text            NOT NULL,
    source_record_id text,
    data             jsonb           NOT NULL,
    confidence       real,
    enriched_at      timestamptz     NOT NULL DEFAULT now(),
    expires_at       timestamptz,
    created_at       timestamptz     NOT NULL DEFAULT now(),
    updated_at       timestamptz     NOT NULL DEFAULT now(),
    CONSTRAINT enrichments_pkey PRIMARY KEY (id),
    CONSTRAINT enrichments_town_id_key UNIQUE (town_id, id),
    CONSTRAINT enrichments_town_subject_source_key UNIQUE (town_id, entity_type, subject_key, source),
    CONSTRAINT enrichments_org_town_fkey FOREIGN KEY (org_id, town_id) REFERENCES core.towns (org_id, id),
    CONSTRAINT enrichments_town_company_fkey FOREIGN KEY (town_id, company_id) REFERENCES crm.companies (town_id, id)
        ON UPDATE CASCADE ON DELETE SET NULL (company_id),
    CONSTRAINT enrichments_town_contact_fkey FOREIGN KEY (town_id, contact_id) REFERENCES crm.contacts (town_id, id)
        ON UPDATE CASCADE ON DELETE SET NULL (contact_id),
    CONSTRAINT enrichments_shared_with_check CHECK (visibility = 'shared' OR shared_with = '{}'),
    CONSTRAINT enrichments_entity_type_check CHECK (entity_type IN ('company', 'contact')),
    CONSTRAINT enrichments_target_check CHECK ((company_id IS NULL OR entity_type = 'company') AND (contact_id IS NULL OR entity_type = 'contact')),
    CONSTRAINT enrichments_subject_key_check CHECK (btrim(subject_key) <> ''),
    CONSTRAINT enrichments_source_check CHECK (source IN ('apollo', 'clay', 'linkedin', 'clearbit', 'hubspot', 'manual', 'other')),
    CONSTRAINT enrichments_data_check CHECK (jsonb_typeof(data) = 'object'),
    CONSTRAINT enrichments_confidence_check CHECK (confidence BETWEEN 0 AND 1)
);
CREATE INDEX enrichments_org_town_idx ON crm.enrichments (org_id, town_id);
CREATE INDEX enrichments_town_company_idx ON crm.enrichments (town_id, company_id);
CREATE INDEX enrichments_town_contact_idx ON crm.enrichments (town_id, contact_id);
CREATE INDEX enrichments_subject_idx ON crm.enrichments (entity_type, subject_key);
CREATE INDEX enrichments_data_idx ON crm.enrichments USING gin (data jsonb_path_ops);
CREATE TRIGGER enrichments_touch_updated_at BEFORE UPDATE ON crm.enrichments
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
SELECT core.enable_tenancy('crm.enrichments');
--rollback DROP TABLE crm.enrichments;
