--liquibase formatted sql

--changeset townhall:crm-021-deals
--comment: the sales pipeline; amount kept in minor units with a generated major-unit amount, weighted amount and sales-cycle length
CREATE TABLE crm.deals (
    id                    uuid            NOT NULL DEFAULT gen_random_uuid(),
    org_id                uuid            NOT NULL DEFAULT core.acting_org_id(),
    town_id               uuid            NOT NULL DEFAULT core.acting_town_id(),
    visibility            core.visibility NOT NULL DEFAULT 'private',
    shared_with           uuid[]          NOT NULL DEFAULT '{}',
    name                  text            NOT NULL,
    company_id            uuid,
    primary_contact_id    uuid,
    owner_user_id         uuid,
    amount_cents          bigint,
    currency              char(3)         NOT NULL DEFAULT 'USD',
    -- major units assume two decimal places (USD, EUR, GBP ...)
    amount                numeric(20,2) GENERATED ALWAYS AS (amount_cents / 100.0) STORED,
    stage                 text            NOT NULL DEFAULT 'awareness',
    -- NULL on insert takes the stage's probability (trigger); a stage change resets it unless set in the same UPDATE
    probability           smallint        NOT NULL,
    weighted_amount_cents bigint GENERATED ALWAYS AS (amount_cents * probability / 100) STORED,
    pipeline              text            NOT NULL DEFAULT 'default',
    expected_close_date   date,
    opened_at             timestamptz     NOT NULL DEFAULT now(),
    -- maintained by trigger on stage changes
    stage_entered_at      timestamptz     NOT NULL DEFAULT now(),
    closed_at             timestamptz,
    cycle_days            numeric(10,1) GENERATED ALWAYS AS (round(extract(epoch FROM closed_at - opened_at) / 86400.0, 1)) STORED,
    -- maintained by trigger from crm.activities
    last_activity_at      timestamptz,
    next_step             text,
    lost_reason           text,
    source                text,
    ai_score              smallint,
    tags                  text[]          NOT NULL DEFAULT '{}',
    created_at            timestamptz     NOT NULL DEFAULT now(),
    updated_at            timestamptz     NOT NULL DEFAULT now(),
    CONSTRAINT deals_pkey PRIMARY KEY (id),
    CONSTRAINT deals_town_id_key UNIQUE (town_id, id),
    CONSTRAINT deals_org_town_fkey FOREIGN KEY (org_id, town_id) REFERENCES core.towns (org_id, id),
    CONSTRAINT deals_town_company_fkey FOREIGN KEY (town_id, company_id) REFERENCES crm.companies (town_id, id)
        ON UPDATE CASCADE ON DELETE SET NULL (company_id),
    CONSTRAINT deals_town_primary_contact_fkey FOREIGN KEY (town_id, primary_contact_id) REFERENCES crm.contacts (town_id, id)
        ON UPDATE CASCADE ON DELETE SET NULL (primary_contact_id),
    CONSTRAINT deals_owner_user_fkey FOREIGN KEY (owner_user_id) REFERENCES core.users (id) ON DELETE SET NULL,
    CONSTRAINT deals_stage_fkey FOREIGN KEY (stage) REFERENCES crm.deal_stages (slug) ON UPDATE CASCADE,
    CONSTRAINT deals_shared_with_check CHECK (visibility = 'shared' OR shared_with = '{}'),
    CONSTRAINT deals_name_check CHECK (btrim(name) <> ''),
    CONSTRAINT deals_amount_cents_check CHECK (amount_cents >= 0),
    CONSTRAINT deals_currency_check CHECK (currency ~ '^[A-Z]{3}$'),
    CONSTRAINT deals_probability_check CHECK (probability BETWEEN 0 AND 100),
    CONSTRAINT deals_ai_score_check CHECK (ai_score BETWEEN 0 AND 100),
    CONSTRAINT deals_closed_check CHECK (closed_at IS NULL OR closed_at >= opened_at)
);
CREATE INDEX deals_org_town_idx ON crm.deals (org_id, town_id);
CREATE INDEX deals_town_company_idx ON crm.deals (town_id, company_id);
CREATE INDEX deals_town_primary_contact_idx ON crm.deals (town_id, primary_contact_id);
CREATE INDEX deals_owner_user_idx ON crm.deals (owner_user_id);
CREATE INDEX deals_stage_idx ON crm.deals (stage);
CREATE INDEX deals_town_stage_idx ON crm.deals (town_id, stage);
CREATE INDEX deals_tags_idx ON crm.deals USING gin (tags);
CREATE TRIGGER deals_touch_updated_at BEFORE UPDATE ON crm.deals
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
SELECT core.enable_tenancy('crm.deals');
--rollback DROP TABLE crm.deals;

--changeset townhall:crm-022-deal-stage-history
--comment: every stage a deal passed through and how long it stayed: the basis of deal velocity
CREATE TABLE crm.deal_stage_history (
    id                     uuid            NOT NULL DEFAULT gen_random_uuid(),
    org_id                 uuid            NOT NULL DEFAULT core.acting_org_id(),
    town_id                uuid            NOT NULL DEFAULT core.acting_town_id(),
    visibility             core.visibility NOT NULL DEFAULT 'private',
    shared_with            uuid[]          NOT NULL DEFAULT '{}',
    deal_id                uuid            NOT NULL,
    from_stage             text,
    to_stage               text            NOT NULL,
    changed_by             uuid,
    changed_at             timestamptz     NOT NULL DEFAULT now(),
    days_in_previous_stage numeric(10,1),
    created_at             timestamptz     NOT NULL DEFAULT now(),
    updated_at             timestamptz     NOT NULL DEFAULT now(),
    CONSTRAINT deal_stage_history_pkey PRIMARY KEY (id),
    CONSTRAINT deal_stage_history_town_id_key UNIQUE (town_id, id),
    CONSTRAINT deal_stage_history_org_town_fkey FOREIGN KEY (org_id, town_id) REFERENCES core.towns (org_id, id),
    CONSTRAINT deal_stage_history_town_deal_fkey FOREIGN KEY (town_id, deal_id) REFERENCES crm.deals (town_id, id)
        ON UPDATE CASCADE ON DELETE CASCADE,
    CONSTRAINT deal_stage_history_from_stage_fkey FOREIGN KEY (from_stage) REFERENCES crm.deal_stages (slug) ON UPDATE CASCADE,
    CONSTRAINT deal_stage_history_to_stage_fkey FOREIGN KEY (to_stage) REFERENCES crm.deal_stages (slug) ON UPDATE CASCADE,
    CONSTRAINT deal_stage_history_changed_by_fkey FOREIGN KEY (changed_by) REFERENCES core.users (id) ON DELETE SET NULL,
    CONSTRAINT deal_stage_history_shared_with_check CHECK (visibility = 'shared' OR shared_with = '{}'),
    CONSTRAINT deal_stage_history_days_check CHECK (days_in_previous_stage >= 0)
);
CREATE INDEX deal_stage_history_org_town_idx ON crm.deal_stage_history (org_id, town_id);
CREATE INDEX deal_stage_history_town_deal_idx ON crm.deal_stage_history (town_id, deal_id, changed_at);
CREATE INDEX deal_stage_history_from_stage_idx ON crm.deal_stage_history (from_stage);
CREATE INDEX deal_stage_history_to_stage_idx ON crm.deal_stage_history (to_stage);
CREATE INDEX deal_stage_history_changed_by_idx ON crm.deal_stage_history (changed_by);
CREATE TRIGGER deal_stage_history_touch_updated_at BEFORE UPDATE ON crm.deal_stage_history
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
SELECT core.enable_tenancy('crm.deal_stage_history');
--rollback DROP TABLE crm.deal_stage_history;

--changeset townhall:crm-023-fn-deals-track-stage splitStatements:false
--comment: keeps probability, stage_entered_at and closed_at true to the stage (BEFORE row trigger)
CREATE FUNCTION crm.deals_track_stage() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
    st crm.deal_stages%ROWTYPE;
BEGIN
    SELECT * INTO st FROM crm.deal_stages WHERE slug = NEW.stage;
    IF NOT FOUND THEN
        -- the foreign key would say so too, but only after NOT NULL probability failed for want of a stage
        RAISE foreign_key_violation
            USING MESSAGE = 'insert or update on table "deals" violates foreign key constraint "deals_stage_fkey"',
                  DETAIL = format('Key (stage)=(%s) is not present in table "deal_stages".', NEW.stage),
                  CONSTRAINT = 'deals_stage_fkey', TABLE = 'deals', SCHEMA = 'crm';
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF NEW.probability IS NULL THEN
            NEW.probability := st.probability;
        END IF;
        IF st.is_closed AND NEW.closed_at IS NULL THEN
            NEW.closed_at := greatest(now(), NEW.opened_at);
        END IF;
    ELSIF NEW.stage IS DISTINCT FROM OLD.stage THEN
        IF NEW.stage_entered_at IS NOT DISTINCT FROM OLD.stage_entered_at THEN
            NEW.stage_entered_at := now();
        END IF;
        IF NEW.probability IS NOT DISTINCT FROM OLD.probability THEN
            NEW.probability := st.probability;
        END IF;
        IF NOT st.is_closed THEN
            NEW.closed_at := NULL;
        ELSIF NEW.closed_at IS NULL THEN
            NEW.closed_at := greatest(now(), NEW.opened_at);
        END IF;
    END IF;
    RETURN NEW;
END
$$;
--rollback DROP FUNCTION crm.deals_track_stage();

--changeset townhall:crm-024-fn-deals-record-stage splitStatements:false
--comment: appends a crm.deal_stage_history row when a deal is created or changes stage (AFTER row trigger)
CREATE FUNCTION crm.deals_record_stage() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO crm.deal_stage_history (org_id, town_id, deal_id, from_stage, to_stage, changed_by, changed_at)
        VALUES (NEW.org_id, NEW.town_id, NEW.id, NULL, NEW.stage, core.acting_user_id(), NEW.stage_entered_at);
    ELSIF NEW.stage IS DISTINCT FROM OLD.stage THEN
        INSERT INTO crm.deal_stage_history (org_id, town_id, deal_id, from_stage, to_stage, changed_by, changed_at,
                                            days_in_previous_stage)
        VALUES (NEW.org_id, NEW.town_id, NEW.id, OLD.stage, NEW.stage, core.acting_user_id(), NEW.stage_entered_at,
                round(greatest(0, extract(epoch FROM NEW.stage_entered_at - OLD.stage_entered_at)) / 86400.0, 1));
    END IF;
    RETURN NULL;
END
$$;
--rollback DROP FUNCTION crm.deals_record_stage();

--changeset townhall:crm-025-deals-stage-triggers
--comment: wires the stage tracking into crm.deals
CREATE TRIGGER deals_track_stage BEFORE INSERT OR UPDATE OF stage ON crm.deals
    FOR EACH ROW EXECUTE FUNCTION crm.deals_track_stage();
CREATE TRIGGER deals_record_stage AFTER INSERT OR UPDATE OF stage ON crm.deals
    FOR EACH ROW EXECUTE FUNCTION crm.deals_record_stage();
--rollback DROP TRIGGER deals_record_stage ON crm.deals;
--rollback DROP TRIGGER deals_track_stage ON crm.deals;
