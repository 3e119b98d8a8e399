--liquibase formatted sql

--changeset townhall:work-036-meeting-transcripts
--comment: the full transcript and summary of a meeting (legacy meeting_transcripts become a meeting plus its transcript)
CREATE TABLE work.meeting_transcripts (
    id               uuid            NOT NULL DEFAULT gen_random_uuid(),
    org_id           uuid            NOT NULL DEFAULT core.acting_org_id(),
    town_id          uuid            NOT NULL DEFAULT core.acting_town_id(),
    visibility       core.visibility NOT NULL DEFAULT 'private',
    shared_with      uuid[]          NOT NULL DEFAULT '{}',
    meeting_id       uuid            NOT NULL,
    content          text            NOT NULL,
    summary          text,
    language         text            NOT NULL DEFAULT 'en',
    source           text            NOT NULL DEFAULT 'manual',
    duration_seconds integer,
    search           tsvector GENERATED ALWAYS AS (
                         setweight(to_tsvector('english', coalesce(summary, '')), 'A')
                         || setweight(to_tsvector('english', left(content, 100000)), 'B')
                     ) STORED,
    created_at       timestamptz     NOT NULL DEFAULT now(),
    updated_at       timestamptz     NOT NULL DEFAULT now(),
    CONSTRAINT meeting_transcripts_pkey PRIMARY KEY (id),
    CONSTRAINT meeting_transcripts_town_id_key UNIQUE (town_id, id),
    CONSTRAINT meeting_transcripts_org_town_fkey FOREIGN KEY (org_id, town_id) REFERENCES core.towns (org_id, id),
    CONSTRAINT meeting_transcripts_town_meeting_fkey FOREIGN KEY (town_id, meeting_id) REFERENCES work.meetings (town_id, id)
        ON UPDATE CASCADE ON DELETE CASCADE,
    CONSTRAINT meeting_transcripts_shared_with_check CHECK (visibility = 'shared' OR shared_with = '{}'),
    CONSTRAINT meeting_transcripts_source_check CHECK (source IN ('manual', 'import', 'upload', 'zoom', 'google_meet', 'otter', 'other')),
    CONSTRAINT meeting_transcripts_language_check CHECK (language ~ '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$'),
    CONSTRAINT meeting_transcripts_duration_check CHECK (duration_seconds >= 0)
);
CREATE INDEX meeting_transcripts_org_town_idx ON work.meeting_transcripts (org_id, town_id);
CREATE INDEX meeting_transcripts_town_meeting_idx ON work.meeting_transcripts (town_id, meeting_id);
CREATE INDEX meeting_transcripts_search_idx ON work.meeting_transcripts USING gin (search);
CREATE TRIGGER meeting_transcripts_touch_updated_at BEFORE UPDATE ON work.meeting_transcripts
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
SELECT core.enable_tenancy('work.meeting_transcripts');
--rollback DROP TABLE work.meeting_transcripts;

--changeset townhall:work-037-transcript-chunks
--comment: a transcript cut into ordered passages (speaker, time range) for retrieval; their embeddings live in memory.embeddings
CREATE TABLE work.transcript_chunks (
    id            uuid            NOT NULL DEFAULT gen_random_uuid(),
    org_id        uuid            NOT NULL DEFAULT core.acting_org_id(),
    town_id       uuid            NOT NULL DEFAULT core.acting_town_id(),
    visibility    core.visibility NOT NULL DEFAULT 'private',
    shared_with   uuid[]          NOT NULL DEFAULT '{}',
    transcript_id uuid            NOT NULL,
    chunk_index   integer         NOT NULL,
    content       text            NOT NULL,
    speaker       text,
    start_seconds numeric(10,2),
    end_seconds   numeric(10,2),
    token_count   integer,
    created_at    timestamptz     NOT NULL DEFAULT now(),
    updated_at    timestamptz     NOT NULL DEFAULT now(),
    CONSTRAINT transcript_chunks_pkey PRIMARY KEY (id),
    CONSTRAINT transcript_chunks_town_id_key UNIQUE (town_id, id),
    CONSTRAINT transcript_chunks_town_transcript_index_key UNIQUE (town_id, transcript_id, chunk_index),
    CONSTRAINT transcript_chunks_org_town_fkey FOREIGN KEY (org_id, town_id) REFERENCES core.towns (org_id, id),
    CONSTRAINT transcript_chunks_town_transcript_fkey FOREIGN KEY (town_id, transcript_id) REFERENCES work.meeting_transcripts (town_id, id)
        ON UPDATE CASCADE ON DELETE CASCADE,
    CONSTRAINT transcript_chunks_shared_with_check CHECK (visibility = 'shared' OR shared_with = '{}'),
    CONSTRAINT transcript_chunks_chunk_index_check CHECK (chunk_index >= 0),
    CONSTRAINT transcript_chunks_content_check CHECK (content <> ''),
    CONSTRAINT transcript_chunks_time_check CHECK (start_seconds >= 0 AND end_seconds >= start_seconds),
    CONSTRAINT transcript_chunks_token_count_check CHECK (token_count >= 0)
);
CREATE INDEX transcript_chunks_org_town_idx ON work.transcript_chunks (org_id, town_id);
CREATE TRIGGER transcript_chunks_touch_updated_at BEFORE UPDATE ON work.transcript_chunks
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
SELECT core.enable_tenancy('work.transcript_chunks');
--rollback DROP TABLE work.transcript_chunks;
