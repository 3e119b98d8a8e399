--liquibase formatted sql

-- What search reads and what the embedding worker embeds: one text per searchable row, defined once in
-- memory.search_documents, plus full-text columns for the CRM tables that had none.

--changeset townhall:memory-110-crm-search-columns
--comment: keyword search over companies, contacts, deals and sticky notes (the other searchable tables already have a search column)
ALTER TABLE crm.companies ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', coalesce(name, '') || ' ' || coalesce(domain::text, '')), 'A')
    || setweight(to_tsvector('english', coalesce(industry, '') || ' ' || coalesce(description, '') || ' '
                                        || coalesce(left(notes, 100000), '')), 'B')) STORED;
CREATE INDEX companies_search_idx ON crm.companies USING gin (search);
ALTER TABLE crm.contacts ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', first_name || ' ' || last_name || ' ' || coalesce(email::text, '')), 'A')
    || setweight(to_tsvector('english', coalesce(job_title, '') || ' ' || coalesce(company_name, '') || ' '
                                        || coalesce(left(notes, 100000), '')), 'B')) STORED;
CREATE INDEX contacts_search_idx ON crm.contacts USING gin (search);
ALTER TABLE crm.deals ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', name), 'A')
    || setweight(to_tsvector('english', coalesce(next_step, '') || ' ' || coalesce(lost_reason, '')), 'B')) STORED;
CREATE INDEX deals_search_idx ON crm.deals USING gin (search);
ALTER TABLE memory.sticky_notes ADD COLUMN search tsvector GENERATED ALWAYS AS (
    to_tsvector('english', left(content, 100000))) STORED;
CREATE INDEX sticky_notes_search_idx ON memory.sticky_notes USING gin (search);
--rollback DROP INDEX memory.sticky_notes_search_idx;
--rollback ALTER TABLE memory.sticky_notes DROP COLUMN search;
--rollback DROP INDEX crm.deals_search_idx;
--rollback ALTER TABLE crm.deals DROP COLUMN search;
--rollback DROP INDEX crm.contacts_search_idx;
--rollback ALTER TABLE crm.contacts DROP COLUMN search;
--rollback DROP INDEX crm.companies_search_idx;
--rollback ALTER TABLE crm.companies DROP COLUMN search;

--changeset townhall:memory-111-search-documents
--comment: one row per searchable row: its type, title, the text that is embedded (body) and its full-text vector; runs with the caller's rights, so RLS decides what it shows
CREATE VIEW memory.search_documents WITH (security_invoker = true) AS
SELECT 'company'::text AS entity_type, c.id AS entity_id, c.org_id, c.town_id, c.visibility, c.shared_with,
       c.name AS title,
       concat_ws(E'\n', c.name, c.domain::text, c.industry, c.description, concat_ws(', ', c.city, c.country), c.notes) AS body,
       c.search
FROM crm.companies c
UNION ALL
SELECT 'contact', c.id, c.org_id, c.town_id, c.visibility, c.shared_with,
       c.full_name,
       concat_ws(E'\n', c.full_name, c.job_title, c.company_name, c.email::text, concat_ws(', ', c.city, c.country), c.notes),
       c.search
FROM crm.contacts c
UNION ALL
SELECT 'deal', d.id, d.org_id, d.town_id, d.visibility, d.shared_with,
       d.name,
       concat_ws(E'\n', d.name, 'stage: ' || d.stage, d.next_step, d.lost_reason),
       d.search
FROM crm.deals d
UNION ALL
SELECT 'activity', a.id, a.org_id, a.town_id, a.visibility, a.shared_with,
       coalesce(nullif(a.subject, ''), a.activity_type),
       concat_ws(E'\n', a.subject, a.summary, a.body),
       a.search
FROM crm.activities a
UNION ALL
SELECT 'message', m.id, m.org_id, m.town_id, m.visibility, m.shared_with,
       left(m.content, 80),
       m.content,
       m.search
FROM comms.messages m
UNION ALL
SELECT 'knowledge', k.id, k.org_id, k.town_id, k.visibility, k.shared_with,
       k.title,
       concat_ws(E'\n', k.title, k.summary, k.content),
       k.search
FROM memory.knowledge_base k
UNION ALL
SELECT 'sticky_note', n.id, n.org_id, n.town_id, n.visibility, n.shared_with,
       left(n.content, 80),
       n.content,
       n.search
FROM memory.sticky_notes n
UNION ALL
SELECT 'transcript', t.id, t.org_id, t.town_id, t.visibility, t.shared_with,
       (SELECT mt.title FROM work.meetings mt WHERE mt.town_id = t.town_id AND mt.id = t.meeting_id),
       concat_ws(E'\n', t.summary, t.content),
       t.search
FROM work.meeting_transcripts t;
REVOKE INSERT, UPDATE, DELETE ON memory.search_documents FROM townhall_app;
--rollback DROP VIEW memory.search_documents;

--changeset townhall:memory-112-embedding-queue
--comment: rows whose text must be (re-)embedded, filled by triggers on the searchable tables, drained by the embedding worker; one row per entity however often it changes
CREATE TABLE memory.embedding_queue (
    id           uuid            NOT NULL DEFAULT gen_random_uuid(),
    org_id       uuid            NOT NULL DEFAULT core.acting_org_id(),
    town_id      uuid            NOT NULL DEFAULT core.acting_town_id(),
    -- the queue is bookkeeping of the owning town; the triggers never share a queue row
    visibility   core.visibility NOT NULL DEFAULT 'private',
    shared_with  uuid[]          NOT NULL DEFAULT '{}',
    entity_type  text            NOT NULL,
    entity_id    uuid            NOT NULL,
    enqueued_at  timestamptz     NOT NULL DEFAULT clock_timestamp(),
    attempts     integer         NOT NULL DEFAULT 0,
    last_error   text,
    created_at   timestamptz     NOT NULL DEFAULT now(),
    updated_at   timestamptz     NOT NULL DEFAULT now(),
    CONSTRAINT embedding_queue_pkey PRIMARY KEY (id),
    CONSTRAINT embedding_queue_town_entity_key UNIQUE (town_id, entity_type, entity_id),
    CONSTRAINT embedding_queue_org_town_fkey FOREIGN KEY (org_id, town_id) REFERENCES core.towns (org_id, id),
    CONSTRAINT embedding_queue_shared_with_check CHECK (visibility = 'shared' OR shared_with = '{}'),
    CONSTRAINT embedding_queue_entity_type_check CHECK (entity_type = ANY (memory.searchable_types())),
    CONSTRAINT embedding_queue_attempts_check CHECK (attempts >= 0)
);
CREATE INDEX embedding_queue_org_town_idx ON memory.embedding_queue (org_id, town_id);
CREATE INDEX embedding_queue_town_enqueued_idx ON memory.embedding_queue (town_id, enqueued_at);
CREATE TRIGGER embedding_queue_touch_updated_at BEFORE UPDATE ON memory.embedding_queue
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
SELECT core.enable_tenancy('memory.embedding_queue');
COMMENT ON TABLE memory.embedding_queue IS 'derived: work list of the embedding worker, filled by triggers on audited tables';
--rollback DROP TABLE memory.embedding_queue;

--changeset townhall:memory-113-fn-enqueue-embedding splitStatements:false
--comment: statement-level (one INSERT per COPY or UPDATE, not one per row): new rows, rows whose embedded columns or sharing changed, and deleted or truncated rows (their vectors go at once)
-- TG_ARGV[0] is the entity type, the other arguments the columns whose change means re-embedding.
CREATE FUNCTION memory.enqueue_embedding() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, memory
AS $$
DECLARE
    kind    text := TG_ARGV[0];
    changed text;
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO memory.embedding_queue AS q (org_id, town_id, entity_type, entity_id)
        SELECT n.org_id, n.town_id, kind, n.id FROM new_rows n
        ON CONFLICT (town_id, entity_type, entity_id)
            DO UPDATE SET enqueued_at = clock_timestamp(), attempts = 0, last_error = NULL;
    ELSIF TG_OP = 'UPDATE' THEN
        SELECT string_agg(format('n.%1$I IS DISTINCT FROM o.%1$I', col), ' OR ') INTO changed
        FROM unnest(TG_ARGV[1:] || ARRAY['town_id', 'visibility', 'shared_with']) AS col;
        EXECUTE format($q$
            INSERT INTO memory.embedding_queue AS q (org_id, town_id, entity_type, entity_id)
            SELECT n.org_id, n.town_id, %L, n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE %s
            ON CONFLICT (town_id, entity_type, entity_id)
                DO UPDATE SET enqueued_at = clock_timestamp(), attempts = 0, last_error = NULL$q$, kind, changed);
    ELSIF TG_OP = 'TRUNCATE' THEN
        DELETE FROM memory.embeddings WHERE entity_type = kind;
        DELETE FROM memory.embedding_queue WHERE entity_type = kind;
    ELSE
        DELETE FROM memory.embeddings e USING old_rows o
        WHERE e.town_id = o.town_id AND e.entity_type = kind AND e.entity_id = o.id;
        DELETE FROM memory.embedding_queue q USING old_rows o
        WHERE q.town_id = o.town_id AND q.entity_type = kind AND q.entity_id = o.id;
    END IF;
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION memory.enqueue_embedding() FROM PUBLIC;
--rollback DROP FUNCTION memory.enqueue_embedding();

--changeset townhall:memory-114-enqueue-triggers splitStatements:false
--comment: the searchable tables feed the queue; the columns listed are those memory.search_documents embeds
DO $$
DECLARE
    spec record;
BEGIN
    FOR spec IN SELECT * FROM (VALUES
        ('crm.companies', 'company', 'name, domain, industry, description, city, country, notes'),
        ('crm.contacts', 'contact', 'first_name, last_name, job_title, company_name, email, city, country, notes'),
        ('crm.deals', 'deal', 'name, stage, next_step, lost_reason'),
        ('crm.activities', 'activity', 'subject, summary, body'),
        ('comms.messages', 'message', 'content'),
        ('memory.knowledge_base', 'knowledge', 'title, summary, content'),
        ('memory.sticky_notes', 'sticky_note', 'content'),
        ('work.meeting_transcripts', 'transcript', 'summary, content')) AS s (tbl, kind, cols)
    LOOP
        EXECUTE format('CREATE TRIGGER embedding_enqueue_insert AFTER INSERT ON %s REFERENCING NEW TABLE AS new_rows'
                       ' FOR EACH STATEMENT EXECUTE FUNCTION memory.enqueue_embedding(%L)', spec.tbl, spec.kind);
        EXECUTE format('CREATE TRIGGER embedding_enqueue_update AFTER UPDATE ON %s'
                       ' REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows'
                       ' FOR EACH STATEMENT EXECUTE FUNCTION memory.enqueue_embedding(%L, %s)', spec.tbl, spec.kind,
                       (SELECT string_agg(quote_literal(btrim(c)), ', ') FROM unnest(string_to_array(spec.cols, ',')) c));
        EXECUTE format('CREATE TRIGGER embedding_enqueue_delete AFTER DELETE ON %s REFERENCING OLD TABLE AS old_rows'
                       ' FOR EACH STATEMENT EXECUTE FUNCTION memory.enqueue_embedding(%L)', spec.tbl, spec.kind);
        EXECUTE format('CREATE TRIGGER embedding_enqueue_truncate AFTER TRUNCATE ON %s'
                       ' FOR EACH STATEMENT EXECUTE FUNCTION memory.enqueue_embedding(%L)', spec.tbl, spec.kind);
    END LOOP;
END
$$;
--rollback DROP TRIGGER embedding_enqueue_insert ON crm.companies; DROP TRIGGER embedding_enqueue_update ON crm.companies; DROP TRIGGER embedding_enqueue_delete ON crm.companies; DROP TRIGGER embedding_enqueue_truncate ON crm.companies;
--rollback DROP TRIGGER embedding_enqueue_insert ON crm.contacts; DROP TRIGGER embedding_enqueue_update ON crm.contacts; DROP TRIGGER embedding_enqueue_delete ON crm.contacts; DROP TRIGGER embedding_enqueue_truncate ON crm.contacts;
--rollback DROP TRIGGER embedding_enqueue_insert ON crm.deals; DROP TRIGGER embedding_enqueue_update ON crm.deals; DROP TRIGGER embedding_enqueue_delete ON crm.deals; DROP TRIGGER embedding_enqueue_truncate ON crm.deals;
--rollback DROP TRIGGER embedding_enqueue_insert ON crm.activities; DROP TRIGGER embedding_enqueue_update ON crm.activities; DROP TRIGGER embedding_enqueue_delete ON crm.activities; DROP TRIGGER embedding_enqueue_truncate ON crm.activities;
--rollback DROP TRIGGER embedding_enqueue_insert ON comms.messages; DROP TRIGGER embedding_enqueue_update ON comms.messages; DROP TRIGGER embedding_enqueue_delete ON comms.messages; DROP TRIGGER embedding_enqueue_truncate ON comms.messages;
--rollback DROP TRIGGER embedding_enqueue_insert ON memory.knowledge_base; DROP TRIGGER embedding_enqueue_update ON memory.knowledge_base; DROP TRIGGER embedding_enqueue_delete ON memory.knowledge_base; DROP TRIGGER embedding_enqueue_truncate ON memory.knowledge_base;
--rollback DROP TRIGGER embedding_enqueue_insert ON memory.sticky_notes; DROP TRIGGER embedding_enqueue_update ON memory.sticky_notes; DROP TRIGGER embedding_enqueue_delete ON memory.sticky_notes; DROP TRIGGER embedding_enqueue_truncate ON memory.sticky_notes;
--rollback DROP TRIGGER embedding_enqueue_insert ON work.meeting_transcripts; DROP TRIGGER embedding_enqueue_update ON work.meeting_transcripts; DROP TRIGGER embedding_enqueue_delete ON work.meeting_transcripts; DROP TRIGGER embedding_enqueue_truncate ON work.meeting_transcripts;
