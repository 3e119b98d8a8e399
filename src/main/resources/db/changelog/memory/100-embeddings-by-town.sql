--liquibase formatted sql

-- Town-correct nearest-neighbour search, by construction (decision #23). With one HNSW index over every town, the
-- town/RLS filter runs after the index hands back its ef_search nearest rows, so a town holding 1 % of the vectors
-- gets 0 to 3 of 10 results. Here the embeddings are LIST-partitioned by town and, inside each town, by entity type:
-- every (town, type) has its own HNSW indexes, so a town-scoped, type-scoped query reads exactly its own candidates
-- and never depends on a post-filter. Rows shared by other towns are found through per-partition partial indexes
-- (WHERE visibility = 'shared'). Creating a town creates its partitions (trigger on core.towns).

--changeset townhall:memory-100-searchable-types
--comment: the entity types search knows, with the sub-partition each gets; every other type lives in a town's "other" partition
CREATE FUNCTION memory.searchable_types() RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ARRAY['company', 'contact', 'deal', 'activity', 'message', 'knowledge', 'sticky_note', 'transcript'];
--rollback DROP FUNCTION memory.searchable_types();

--changeset townhall:memory-101-fn-ensure-embedding-partitions splitStatements:false
--comment: a town's partitions of memory.embeddings; each is closed to the app and analytics roles (they reach rows only through the parent, under its policies)
CREATE FUNCTION memory.ensure_embedding_partitions(p_town_id uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, memory
AS $$
DECLARE
    town_part text := 'embeddings_' || replace(p_town_id::text, '-', '');
    part      text;
    kind      text;
BEGIN
    IF to_regclass(format('memory.%I', town_part)) IS NULL THEN
        EXECUTE format('CREATE TABLE memory.%I PARTITION OF memory.embeddings FOR VALUES IN (%L)'
                       ' PARTITION BY LIST (entity_type)', town_part, p_town_id);
    END IF;
    FOREACH kind IN ARRAY memory.searchable_types() || ARRAY['other'] LOOP
        part := town_part || '_' || kind;
        IF to_regclass(format('memory.%I', part)) IS NULL THEN
            IF kind = 'other' THEN
                EXECUTE format('CREATE TABLE memory.%I PARTITION OF memory.%I DEFAULT', part, town_part);
            ELSE
                EXECUTE format('CREATE TABLE memory.%I PARTITION OF memory.%I FOR VALUES IN (%L)', part, town_part, kind);
            END IF;
        END IF;
    END LOOP;
    FOR part IN SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = format('memory.%I', town_part)::regclass
                UNION ALL SELECT town_part LOOP
        -- the schema's default privileges grant every new table to the app role; a partition must not be
        -- readable past the parent's policies, so it is closed and forced under RLS without any policy
        EXECUTE format('REVOKE ALL ON memory.%I FROM PUBLIC, townhall_app, townhall_analytics', part);
        EXECUTE format('ALTER TABLE memory.%I ENABLE ROW LEVEL SECURITY', part);
        EXECUTE format('ALTER TABLE memory.%I FORCE ROW LEVEL SECURITY', part);
    END LOOP;
END
$$;
-- DDL as the owner: only the owner (and the trigger on core.towns) may call it
REVOKE ALL ON FUNCTION memory.ensure_embedding_partitions(uuid) FROM PUBLIC;
--rollback DROP FUNCTION memory.ensure_embedding_partitions(uuid);

--changeset townhall:memory-102-fn-drop-embedding-partitions splitStatements:false
--comment: a deleted town's (empty) partitions go with it
CREATE FUNCTION memory.drop_embedding_partitions(p_town_id uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, memory
AS $$
BEGIN
    EXECUTE format('DROP TABLE IF EXISTS memory.%I', 'embeddings_' || replace(p_town_id::text, '-', ''));
END
$$;
-- drops a town's vectors: never callable by the app role (found by EscapeAttemptsTest's hostile calls)
REVOKE ALL ON FUNCTION memory.drop_embedding_partitions(uuid) FROM PUBLIC;
--rollback DROP FUNCTION memory.drop_embedding_partitions(uuid);

--changeset townhall:memory-103-embeddings-partitioned splitStatements:false
--comment: memory.embeddings rebuilt partitioned by town then entity type, with chunks (long texts embed as several vectors) and the provider recorded; existing vectors are kept
CREATE TABLE memory.embeddings_v010 AS SELECT * FROM memory.embeddings;
DROP TABLE memory.embeddings;
CREATE TABLE memory.embeddings (
    id           uuid            NOT NULL DEFAULT gen_random_uuid(),
    org_id       uuid            NOT NULL DEFAULT core.acting_org_id(),
    town_id      uuid            NOT NULL DEFAULT core.acting_town_id(),
    -- copied from the embedded row by the embedding worker, so shared rows are findable where they are readable
    visibility   core.visibility NOT NULL DEFAULT 'private',
    shared_with  uuid[]          NOT NULL DEFAULT '{}',
    entity_type  text            NOT NULL,
    entity_id    uuid            NOT NULL,
    -- a text longer than the model's window is embedded in overlapping chunks, 0..n-1
    chunk_no     integer         NOT NULL DEFAULT 0,
    -- the chunk's character range [chunk_start, chunk_end) in the embedded text (the text itself is not copied)
    chunk_start  integer         NOT NULL DEFAULT 0,
    chunk_end    integer         NOT NULL DEFAULT 0,
    provider     text            NOT NULL DEFAULT 'unknown',
    model        text            NOT NULL,
    dimensions   integer         NOT NULL,
    -- hash of the whole embedded text and the model: the worker re-embeds only when it changes
    content_hash text            NOT NULL,
    embedding    vector          NOT NULL,
    created_at   timestamptz     NOT NULL DEFAULT now(),
    updated_at   timestamptz     NOT NULL DEFAULT now(),
    CONSTRAINT embeddings_pkey PRIMARY KEY (town_id, entity_type, id),
    CONSTRAINT embeddings_town_entity_model_key UNIQUE (town_id, entity_type, entity_id, model, chunk_no),
    CONSTRAINT embeddings_org_town_fkey FOREIGN KEY (org_id, town_id) REFERENCES core.towns (org_id, id),
    CONSTRAINT embeddings_shared_with_check CHECK (visibility = 'shared' OR shared_with = '{}'),
    CONSTRAINT embeddings_entity_type_check CHECK (entity_type IN (
        'company', 'contact', 'deal', 'activity', 'enrichment',
        'task', 'meeting', 'transcript', 'transcript_chunk',
        'message', 'email', 'slack_message',
        'knowledge', 'sticky_note', 'ai_memory', 'document_chunk',
        'code_message', 'code_block', 'learned_pattern',
        'insight', 'market_intelligence')),
    CONSTRAINT embeddings_chunk_check CHECK (chunk_no >= 0 AND chunk_start >= 0 AND chunk_end >= chunk_start),
    CONSTRAINT embeddings_provider_check CHECK (provider ~ '^[a-z0-9][a-z0-9._-]*$'),
    CONSTRAINT embeddings_model_check CHECK (model ~ '^[a-z0-9][a-z0-9._:/-]*$'),
    CONSTRAINT embeddings_dimensions_check CHECK (dimensions BETWEEN 1 AND 16000),
    CONSTRAINT embeddings_vector_dims_check CHECK (vector_dims(embedding) = dimensions),
    CONSTRAINT embeddings_known_model_dims_check CHECK (
        (model NOT IN ('all-minilm-l6-v2', 'all-minilm-l6-v2-q') OR dimensions = 384)
        AND (model <> 'text-embedding-3-small' OR dimensions = 1536)),
    CONSTRAINT embeddings_content_hash_check CHECK (content_hash ~ '^[0-9a-f]{16,128}$')
) PARTITION BY LIST (town_id);
CREATE INDEX embeddings_org_town_idx ON memory.embeddings (org_id, town_id);
CREATE INDEX embeddings_town_entity_idx ON memory.embeddings (town_id, entity_type, entity_id);
-- one HNSW index per model in every (town, type) partition, and one over the partition's shared rows only;
-- all-minilm-l6-v2-q is the quantized model TownHall embeds with by default (decision #21)
CREATE INDEX embeddings_minilm_hnsw_idx ON memory.embeddings
    USING hnsw ((embedding::vector(384)) vector_cosine_ops) WHERE model = 'all-minilm-l6-v2-q';
CREATE INDEX embeddings_minilm_shared_hnsw_idx ON memory.embeddings
    USING hnsw ((embedding::vector(384)) vector_cosine_ops) WHERE model = 'all-minilm-l6-v2-q' AND visibility = 'shared';
CREATE INDEX embeddings_openai_small_hnsw_idx ON memory.embeddings
    USING hnsw ((embedding::vector(1536)) vector_cosine_ops) WHERE model = 'text-embedding-3-small';
CREATE INDEX embeddings_openai_small_shared_hnsw_idx ON memory.embeddings
    USING hnsw ((embedding::vector(1536)) vector_cosine_ops) WHERE model = 'text-embedding-3-small' AND visibility = 'shared';
CREATE TRIGGER embeddings_touch_updated_at BEFORE UPDATE ON memory.embeddings
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
SELECT core.enable_tenancy('memory.embeddings');
-- not audited row by row: a vector is derived from a row whose own writes are audited, and a snapshot per vector
-- would copy kilobytes of floats into the audit log for nothing a reader can check
COMMENT ON TABLE memory.embeddings IS 'derived: vectors of searchable rows, written by the embedding worker; the rows they derive from are audited';
SELECT memory.ensure_embedding_partitions(id) FROM core.towns;
INSERT INTO memory.embeddings (id, org_id, town_id, visibility, shared_with, entity_type, entity_id, model, dimensions,
                               content_hash, embedding, created_at, updated_at)
SELECT id, org_id, town_id, visibility, shared_with, entity_type, entity_id, model, dimensions,
       content_hash, embedding, created_at, updated_at
FROM memory.embeddings_v010;
DROP TABLE memory.embeddings_v010;
--rollback CREATE TABLE memory.embeddings_v020 AS SELECT * FROM memory.embeddings WHERE chunk_no = 0;
--rollback DROP TABLE memory.embeddings;
--rollback CREATE TABLE memory.embeddings (
--rollback     id uuid NOT NULL DEFAULT gen_random_uuid(), org_id uuid NOT NULL DEFAULT core.acting_org_id(),
--rollback     town_id uuid NOT NULL DEFAULT core.acting_town_id(), visibility core.visibility NOT NULL DEFAULT 'private',
--rollback     shared_with uuid[] NOT NULL DEFAULT '{}', entity_type text NOT NULL, entity_id uuid NOT NULL,
--rollback     model text NOT NULL, dimensions integer NOT NULL, content_hash text NOT NULL, embedding vector NOT NULL,
--rollback     created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now(),
--rollback     CONSTRAINT embeddings_pkey PRIMARY KEY (id),
--rollback     CONSTRAINT embeddings_town_id_key UNIQUE (town_id, id),
--rollback     CONSTRAINT embeddings_town_entity_model_key UNIQUE (town_id, entity_type, entity_id, model),
--rollback     CONSTRAINT embeddings_org_town_fkey FOREIGN KEY (org_id, town_id) REFERENCES core.towns (org_id, id),
--rollback     CONSTRAINT embeddings_shared_with_check CHECK (visibility = 'shared' OR shared_with = '{}'),
--rollback     CONSTRAINT embeddings_entity_type_check CHECK (entity_type IN ('company', 'contact', 'deal', 'activity', 'enrichment', 'task', 'meeting', 'transcript_chunk', 'message', 'email', 'slack_message', 'knowledge', 'sticky_note', 'ai_memory', 'document_chunk', 'code_message', 'code_block', 'learned_pattern', 'insight', 'market_intelligence')),
--rollback     CONSTRAINT embeddings_model_check CHECK (model ~ '^[a-z0-9][a-z0-9._:/-]*$'),
--rollback     CONSTRAINT embeddings_dimensions_check CHECK (dimensions BETWEEN 1 AND 16000),
--rollback     CONSTRAINT embeddings_vector_dims_check CHECK (vector_dims(embedding) = dimensions),
--rollback     CONSTRAINT embeddings_known_model_dims_check CHECK ((model <> 'all-minilm-l6-v2' OR dimensions = 384) AND (model <> 'text-embedding-3-small' OR dimensions = 1536)),
--rollback     CONSTRAINT embeddings_content_hash_check CHECK (content_hash ~ '^[0-9a-f]{16,128}$'));
--rollback CREATE INDEX embeddings_org_town_idx ON memory.embeddings (org_id, town_id);
--rollback CREATE INDEX embeddings_town_entity_idx ON memory.embeddings (town_id, entity_type, entity_id);
--rollback CREATE INDEX embeddings_minilm_hnsw_idx ON memory.embeddings USING hnsw ((embedding::vector(384)) vector_cosine_ops) WHERE model = 'all-minilm-l6-v2';
--rollback CREATE INDEX embeddings_openai_small_hnsw_idx ON memory.embeddings USING hnsw ((embedding::vector(1536)) vector_cosine_ops) WHERE model = 'text-embedding-3-small';
--rollback CREATE TRIGGER embeddings_touch_updated_at BEFORE UPDATE ON memory.embeddings FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
--rollback SELECT core.enable_tenancy('memory.embeddings');
--rollback SELECT core.enable_audit('memory.embeddings');
--rollback INSERT INTO memory.embeddings (id, org_id, town_id, visibility, shared_with, entity_type, entity_id, model, dimensions, content_hash, embedding, created_at, updated_at) SELECT id, org_id, town_id, visibility, shared_with, entity_type, entity_id, model, dimensions, content_hash, embedding, created_at, updated_at FROM memory.embeddings_v020 WHERE entity_type <> 'transcript';
--rollback DROP TABLE memory.embeddings_v020;

--changeset townhall:memory-104-town-partitions-trigger splitStatements:false
--comment: creating a town creates its embedding partitions; deleting one drops them
CREATE FUNCTION memory.town_embedding_partitions() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, memory
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM memory.ensure_embedding_partitions(NEW.id);
    ELSE
        PERFORM memory.drop_embedding_partitions(OLD.id);
    END IF;
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION memory.town_embedding_partitions() FROM PUBLIC;
CREATE TRIGGER towns_embedding_partitions AFTER INSERT OR DELETE ON core.towns
    FOR EACH ROW EXECUTE FUNCTION memory.town_embedding_partitions();
--rollback DROP TRIGGER towns_embedding_partitions ON core.towns;
--rollback DROP FUNCTION memory.town_embedding_partitions();
