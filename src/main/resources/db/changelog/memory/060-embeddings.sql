--liquibase formatted sql

--changeset townhall:memory-060-embeddings
--comment: the one store of vectors for every embedded entity (no vector column elsewhere); one row per (town, entity, model)
-- The embedding column has no fixed dimension so several models can live side by side; each model gets a partial
-- HNSW index over the expression embedding::vector(N) (queries must use the same expression and WHERE model = ...).
-- Recall under town scoping: the HNSW scan applies the town/RLS filter after the ef_search nearest candidates,
-- so a small town can get fewer than k rows. Search code must use iterative scans plus an exact re-check, or a
-- per-town partial index (WHERE model = ... AND town_id = ...) created with the town; see docs/schema.md.
CREATE TABLE memory.embeddings (
    id           uuid            NOT NULL DEFAULT gen_random_uuid(),
    org_id       uuid            NOT NULL DEFAULT core.acting_org_id(),
    town_id      uuid            NOT NULL DEFAULT core.acting_town_id(),
    -- copied from the embedded row by the embedding worker, so shared rows are findable where they are readable
    visibility   core.visibility NOT NULL DEFAULT 'private',
    shared_with  uuid[]          NOT NULL DEFAULT '{}',
    entity_type  text            NOT NULL,
    entity_id    uuid            NOT NULL,
    model        text            NOT NULL,
    dimensions   integer         NOT NULL,
    -- hash of the embedded text: the worker re-embeds only when it changes
    content_hash text            NOT NULL,
    embedding    vector          NOT NULL,
    created_at   timestamptz     NOT NULL DEFAULT now(),
    updated_at   timestamptz     NOT NULL DEFAULT now(),
    CONSTRAINT embeddings_pkey PRIMARY KEY (id),
    CONSTRAINT embeddings_town_id_key UNIQUE (town_id, id),
    CONSTRAINT embeddings_town_entity_model_key UNIQUE (town_id, entity_type, entity_id, model),
    CONSTRAINT embeddings_org_town_fkey FOREIGN KEY (org_id, town_id) REFERENCES core.towns (org_id, id),
    CONSTRAINT embeddings_shared_with_check CHECK (visibility = 'shared' OR shared_with = '{}'),
    CONSTRAINT embeddings_entity_type_check CHECK (entity_type IN (
        'company', 'contact', 'deal', 'activity', 'enrichment',
        'task', 'meeting', 'transcript_chunk',
        'message', 'email', 'slack_message',
        'knowledge', 'sticky_note', 'ai_memory', 'document_chunk',
        'code_message', 'code_block', 'learned_pattern',
        'insight', 'market_intelligence')),
    CONSTRAINT embeddings_model_check CHECK (model ~ '^[a-z0-9][a-z0-9._:/-]*$'),
    CONSTRAINT embeddings_dimensions_check CHECK (dimensions BETWEEN 1 AND 16000),
    CONSTRAINT embeddings_vector_dims_check CHECK (vector_dims(embedding) = dimensions),
    CONSTRAINT embeddings_known_model_dims_check CHECK (
        (model <> 'all-minilm-l6-v2' OR dimensions = 384)
        AND (model <> 'text-embedding-3-small' OR dimensions = 1536)),
    CONSTRAINT embeddings_content_hash_check CHECK (content_hash ~ '^[0-9a-f]{16,128}$')
);
CREATE INDEX embeddings_org_town_idx ON memory.embeddings (org_id, town_id);
CREATE INDEX embeddings_town_entity_idx ON memory.embeddings (town_id, entity_type, entity_id);
CREATE INDEX embeddings_minilm_hnsw_idx ON memory.embeddings
    USING hnsw ((embedding::vector(384)) vector_cosine_ops) WHERE model = 'all-minilm-l6-v2';
CREATE INDEX embeddings_openai_small_hnsw_idx ON memory.embeddings
    USING hnsw ((embedding::vector(1536)) vector_cosine_ops) WHERE model = 'text-embedding-3-small';
CREATE TRIGGER embeddings_touch_updated_at BEFORE UPDATE ON memory.embeddings
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
SELECT core.enable_tenancy('memory.embeddings');
--rollback DROP TABLE memory.embeddings;
