--liquibase formatted sql

--changeset townhall:memory-050-documents
--comment: source documents for retrieval: uploads, Google Docs/Sheets, media files (audio/video), web pages
CREATE TABLE memory.documents (
    id               uuid            NOT NULL DEFAULT gen_random_uuid(),
    org_id           uuid            NOT NULL DEFAULT core.acting_org_id(),
    town_id          uuid            NOT NULL DEFAULT core.acting_town_id(),
    visibility       core.visibility NOT NULL DEFAULT 'private',
    shared_with      uuid[]          NOT NULL DEFAULT '{}',
    title            text            NOT NULL,
    source_type      text            NOT NULL,
    source_uri       text,
    -- the id in the source system (Google file id ...)
    external_id      text,
    mime_type        text,
    content_text     text,
    byte_size        bigint,
    duration_seconds numeric(10,2),
    owner_user_id    uuid,
    tags             text[]          NOT NULL DEFAULT '{}',
    metadata         jsonb           NOT NULL DEFAULT '{}',
    search           tsvector GENERATED ALWAYS AS (
                         setweight(to_tsvector('english', title), 'A')
                         || setweight(to_tsvector('english', left(coalesce(content_text, ''), 100000)), 'B')
                     ) STORED,
    created_at       timestamptz     NOT NULL DEFAULT now(),
    updated_at       timestamptz     NOT NULL DEFAULT now(),
    CONSTRAINT documents_pkey PRIMARY KEY (id),
    CONSTRAINT documents_town_id_key UNIQUE (town_id, id),
    CONSTRAINT documents_town_external_key UNIQUE (town_id, source_type, external_id),
    CONSTRAINT documents_org_town_fkey FOREIGN KEY (org_id, town_id) REFERENCES core.towns (org_id, id),
    CONSTRAINT documents_owner_user_fkey FOREIGN KEY (owner_user_id) REFERENCES core.users (id) ON DELETE SET NULL,
    CONSTRAINT documents_shared_with_check CHECK (visibility = 'shared' OR shared_with = '{}'),
    CONSTRAINT documents_title_check CHECK (btrim(title) <> ''),
    CONSTRAINT documents_source_type_check CHECK (source_type IN ('upload', 'google_doc', 'google_sheet', 'google_slides', 'media', 'web', 'email_attachment', 'other')),
    CONSTRAINT documents_byte_size_check CHECK (byte_size >= 0),
    CONSTRAINT documents_duration_check CHECK (duration_seconds >= 0),
    CONSTRAINT documents_metadata_check CHECK (jsonb_typeof(metadata) = 'object')
);
CREATE INDEX documents_org_town_idx ON memory.documents (org_id, town_id);
CREATE INDEX documents_owner_user_idx ON memory.documents (owner_user_id);
CREATE INDEX documents_tags_idx ON memory.documents USING gin (tags);
CREATE INDEX documents_metadata_idx ON memory.documents USING gin (metadata jsonb_path_ops);
CREATE INDEX documents_search_idx ON memory.documents USING gin (search);
CREATE TRIGGER documents_touch_updated_at BEFORE UPDATE ON memory.documents
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
SELECT core.enable_tenancy('memory.documents');
--rollback DROP TABLE memory.documents;

--changeset townhall:memory-051-document-chunks
--comment: documents cut into ordered passages (page or time range) for retrieval: the seeds' media_chunks; embeddings live in memory.embeddings
CREATE TABLE memory.document_chunks (
    id            uuid            NOT NULL DEFAULT gen_random_uuid(),
    org_id        uuid            NOT NULL DEFAULT core.acting_org_id(),
    town_id       uuid            NOT NULL DEFAULT core.acting_town_id(),
    visibility    core.visibility NOT NULL DEFAULT 'private',
    shared_with   uuid[]          NOT NULL DEFAULT '{}',
    document_id   uuid            NOT NULL,
    chunk_index   integer         NOT NULL,
    content       text            NOT NULL,
    token_count   integer,
    page_number   integer,
    start_seconds numeric(10,2),
    end_seconds   numeric(10,2),
    created_at    timestamptz     NOT NULL DEFAULT now(),
    updated_at    timestamptz     NOT NULL DEFAULT now(),
    CONSTRAINT document_chunks_pkey PRIMARY KEY (id),
    CONSTRAINT document_chunks_town_id_key UNIQUE (town_id, id),
    CONSTRAINT document_chunks_town_document_index_key UNIQUE (town_id, document_id, chunk_index),
    CONSTRAINT document_chunks_org_town_fkey FOREIGN KEY (org_id, town_id) REFERENCES core.towns (org_id, id),
    CONSTRAINT document_chunks_town_document_fkey FOREIGN KEY (town_id, document_id) REFERENCES memory.documents (town_id, id)
        ON UPDATE CASCADE ON DELETE CASCADE,
    CONSTRAINT document_chunks_shared_with_check CHECK (visibility = 'shared' OR shared_with = '{}'),
    CONSTRAINT document_chunks_chunk_index_check CHECK (chunk_index >= 0),
    CONSTRAINT document_chunks_content_check CHECK (content <> ''),
    CONSTRAINT document_chunks_token_count_check CHECK (token_count >= 0),
    CONSTRAINT document_chunks_page_check CHECK (page_number >= 1),
    CONSTRAINT document_chunks_time_check CHECK (start_seconds >= 0 AND end_seconds >= start_seconds)
);
CREATE INDEX document_chunks_org_town_idx ON memory.document_chunks (org_id, town_id);
CREATE TRIGGER document_chunks_touch_updated_at BEFORE UPDATE ON memory.document_chunks
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
SELECT core.enable_tenancy('memory.document_chunks');
--rollback DROP TABLE memory.document_chunks;
