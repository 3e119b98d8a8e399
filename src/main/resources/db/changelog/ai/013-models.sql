--liquibase formatted sql

--changeset townhall:ai-013-models
--comment: the language and embedding models TownHall knows, with list prices so ai.model_usage can cost each call
CREATE TABLE ai.models (
    id                  uuid          NOT NULL DEFAULT gen_random_uuid(),
    slug                text          NOT NULL,
    provider            text          NOT NULL,
    kind                text          NOT NULL,
    -- output dimensions of an embedding model (memory.embeddings.dimensions must match)
    dimensions          integer,
    context_window      integer,
    input_usd_per_mtok  numeric(12,6) NOT NULL DEFAULT 0,
    output_usd_per_mtok numeric(12,6) NOT NULL DEFAULT 0,
    is_active           boolean       NOT NULL DEFAULT true,
    created_at          timestamptz   NOT NULL DEFAULT now(),
    updated_at          timestamptz   NOT NULL DEFAULT now(),
    CONSTRAINT models_pkey PRIMARY KEY (id),
    CONSTRAINT models_slug_key UNIQUE (slug),
    CONSTRAINT models_slug_check CHECK (slug ~ '^[a-z0-9][a-z0-9._:/-]*$'),
    CONSTRAINT models_provider_check CHECK (provider ~ '^[a-z0-9][a-z0-9_-]*$'),
    CONSTRAINT models_kind_check CHECK (kind IN ('chat', 'embedding', 'rerank', 'transcription')),
    CONSTRAINT models_dimensions_check CHECK ((kind = 'embedding') = (dimensions IS NOT NULL) AND (dimensions IS NULL OR dimensions BETWEEN 1 AND 16000)),
    CONSTRAINT models_context_window_check CHECK (context_window IS NULL OR context_window > 0),
    CONSTRAINT models_prices_check CHECK (input_usd_per_mtok >= 0 AND output_usd_per_mtok >= 0)
);
CREATE TRIGGER models_touch_updated_at BEFORE UPDATE ON ai.models
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
REVOKE INSERT, UPDATE, DELETE ON ai.models FROM townhall_app;
COMMENT ON TABLE ai.models IS 'global: model names and list prices are the same for every town';
--rollback DROP TABLE ai.models;
