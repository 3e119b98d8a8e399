--liquibase formatted sql

--changeset townhall:ai-040-model-usage
--comment: one row per model call with tokens, latency and cost (merges ai_model_usage and ai_costs; intel.ai_costs aggregates it)
CREATE TABLE ai.model_usage (
    id              uuid            NOT NULL DEFAULT gen_random_uuid(),
    org_id          uuid            NOT NULL DEFAULT core.acting_org_id(),
    town_id         uuid            NOT NULL DEFAULT core.acting_town_id(),
    visibility      core.visibility NOT NULL DEFAULT 'private',
    shared_with     uuid[]          NOT NULL DEFAULT '{}',
    user_id         uuid,
    conversation_id uuid,
    message_id      uuid,
    provider        text            NOT NULL,
    model           text            NOT NULL,
    operation       text            NOT NULL DEFAULT 'chat',
    -- the feature that made the call: chat, embedding_worker, touch_drafts, prompt_optimizer ...
    feature         text,
    input_tokens    integer         NOT NULL DEFAULT 0,
    output_tokens   integer         NOT NULL DEFAULT 0,
    total_tokens    integer GENERATED ALWAYS AS (input_tokens + output_tokens) STORED,
    latency_ms      integer,
    status          text            NOT NULL DEFAULT 'ok',
    error           text,
    -- NULL on insert is computed from ai.models prices (trigger); stays NULL for unknown models
    cost_usd        numeric(14,6),
    occurred_at     timestamptz     NOT NULL DEFAULT now(),
    created_at      timestamptz     NOT NULL DEFAULT now(),
    updated_at      timestamptz     NOT NULL DEFAULT now(),
    CONSTRAINT model_usage_pkey PRIMARY KEY (id),
    CONSTRAINT model_usage_town_id_key UNIQUE (town_id, id),
    CONSTRAINT model_usage_org_town_fkey FOREIGN KEY (org_id, town_id) REFERENCES core.towns (org_id, id),
    CONSTRAINT model_usage_user_fkey FOREIGN KEY (user_id) REFERENCES core.users (id) ON DELETE SET NULL,
    CONSTRAINT model_usage_town_conversation_fkey FOREIGN KEY (town_id, conversation_id) REFERENCES comms.conversations (town_id, id)
        ON UPDATE CASCADE ON DELETE SET NULL (conversation_id),
    CONSTRAINT model_usage_town_message_fkey FOREIGN KEY (town_id, message_id) REFERENCES comms.messages (town_id, id)
        ON UPDATE CASCADE ON DELETE SET NULL (message_id),
    CONSTRAINT model_usage_shared_with_check CHECK (visibility = 'shared' OR shared_with = '{}'),
    CONSTRAINT model_usage_operation_check CHECK (operation IN ('chat', 'completion', 'embedding', 'rerank', 'transcription', 'other')),
    CONSTRAINT model_usage_tokens_check CHECK (input_tokens >= 0 AND output_tokens >= 0),
    CONSTRAINT model_usage_latency_check CHECK (latency_ms >= 0),
    CONSTRAINT model_usage_status_check CHECK (status IN ('ok', 'error', 'timeout', 'cancelled')),
    CONSTRAINT model_usage_cost_check CHECK (cost_usd >= 0)
);
CREATE INDEX model_usage_org_town_idx ON ai.model_usage (org_id, town_id);
CREATE INDEX model_usage_town_occurred_idx ON ai.model_usage (town_id, occurred_at DESC);
CREATE INDEX model_usage_user_idx ON ai.model_usage (user_id);
CREATE INDEX model_usage_town_conversation_idx ON ai.model_usage (town_id, conversation_id);
CREATE INDEX model_usage_town_message_idx ON ai.model_usage (town_id, message_id);
CREATE TRIGGER model_usage_touch_updated_at BEFORE UPDATE ON ai.model_usage
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
SELECT core.enable_tenancy('ai.model_usage');
--rollback DROP TABLE ai.model_usage;

--changeset townhall:ai-041-fn-model-usage-cost splitStatements:false
--comment: costs a call from ai.models list prices when the caller did not give a cost: (input x input price + output x output price) / 1e6
CREATE FUNCTION ai.model_usage_cost() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    -- a correction of model or tokens re-prices the call, unless the same UPDATE also sets the cost
    IF TG_OP = 'UPDATE' AND NEW.cost_usd IS NOT DISTINCT FROM OLD.cost_usd
       AND (NEW.model, NEW.input_tokens, NEW.output_tokens) IS DISTINCT FROM (OLD.model, OLD.input_tokens, OLD.output_tokens) THEN
        NEW.cost_usd := NULL;
    END IF;
    IF NEW.cost_usd IS NULL THEN
        SELECT round((NEW.input_tokens * m.input_usd_per_mtok + NEW.output_tokens * m.output_usd_per_mtok) / 1000000.0, 6)
        INTO NEW.cost_usd
        FROM ai.models m
        WHERE m.slug = NEW.model;
    END IF;
    RETURN NEW;
END
$$;
--rollback DROP FUNCTION ai.model_usage_cost();

--changeset townhall:ai-042-model-usage-cost-trigger
--comment: wires costing into ai.model_usage
CREATE TRIGGER model_usage_cost BEFORE INSERT OR UPDATE OF model, input_tokens, output_tokens, cost_usd ON ai.model_usage
    FOR EACH ROW EXECUTE FUNCTION ai.model_usage_cost();
--rollback DROP TRIGGER model_usage_cost ON ai.model_usage;
