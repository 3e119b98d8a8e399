--liquibase formatted sql

--changeset townhall:crm-020-deal-stages
--comment: the sales pipeline's stages with default probability and expected days (deal risk compares against it); a global catalogue
CREATE TABLE crm.deal_stages (
    id            uuid        NOT NULL DEFAULT gen_random_uuid(),
    slug          text        NOT NULL,
    name          text        NOT NULL,
    position      smallint    NOT NULL,
    probability   smallint    NOT NULL,
    is_closed     boolean     NOT NULL DEFAULT false,
    is_won        boolean     NOT NULL DEFAULT false,
    -- how long a deal normally stays in this stage; NULL for closed stages
    expected_days integer,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT deal_stages_pkey PRIMARY KEY (id),
    CONSTRAINT deal_stages_slug_key UNIQUE (slug),
    CONSTRAINT deal_stages_position_key UNIQUE (position),
    CONSTRAINT deal_stages_slug_check CHECK (slug ~ '^[a-z][a-z_]*$'),
    CONSTRAINT deal_stages_probability_check CHECK (probability BETWEEN 0 AND 100),
    CONSTRAINT deal_stages_won_check CHECK (NOT is_won OR is_closed),
    CONSTRAINT deal_stages_expected_days_check CHECK (expected_days > 0)
);
CREATE TRIGGER deal_stages_touch_updated_at BEFORE UPDATE ON crm.deal_stages
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
REVOKE INSERT, UPDATE, DELETE ON crm.deal_stages FROM townhall_app;
COMMENT ON TABLE crm.deal_stages IS 'global: one pipeline definition for every town';
--rollback DROP TABLE crm.deal_stages;
