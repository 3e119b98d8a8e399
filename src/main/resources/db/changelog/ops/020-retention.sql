--liquibase formatted sql

-- Retention and PII rules (decision in docs/decisions.md, "Retention and PII"): policies as rows, applied by
-- ./townhall retention run as the owner; legal holds either on a policy (legal_hold) or on rows (ops.legal_holds).

--changeset townhall:ops-020-fn-check-retention-target splitStatements:false
--comment: a policy or hold must name a tenant table, and a policy an existing column of the right kind; a CHECK cannot look at the catalog, so a trigger does, naming the offending field (COLUMN) for the CLI's one-line error
CREATE FUNCTION ops.check_retention_target() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, ops
AS $$
DECLARE
    tbl      regclass := to_regclass(NEW.table_name);
    col      record;
    age_type regtype;
BEGIN
    IF tbl IS NULL OR NOT EXISTS (SELECT 1 FROM core.tenant_tables t WHERE t.table_name = tbl) THEN
        RAISE EXCEPTION '% is not a tenant table', NEW.table_name
            USING ERRCODE = 'undefined_table', COLUMN = 'table';
    END IF;
    IF TG_TABLE_NAME = 'legal_holds' THEN
        RETURN NEW;
    END IF;
    SELECT a.atttypid::regtype INTO age_type FROM pg_attribute a
    WHERE a.attrelid = tbl AND a.attname = NEW.age_column AND a.attnum > 0 AND NOT a.attisdropped;
    IF age_type IS NULL THEN
        RAISE EXCEPTION '% has no column %', NEW.table_name, NEW.age_column
            USING ERRCODE = 'undefined_column', COLUMN = 'age_column';
    ELSIF age_type NOT IN ('timestamptz'::regtype, 'timestamp'::regtype, 'date'::regtype) THEN
        RAISE EXCEPTION '%.% is a %, not a timestamp: a policy''s age is measured on a timestamp or date column',
            NEW.table_name, NEW.age_column, age_type
            USING ERRCODE = 'invalid_parameter_value', COLUMN = 'age_column';
    END IF;
    IF NEW.column_name IS NULL THEN
        RETURN NEW;
    END IF;
    SELECT a.attnotnull AS not_null, a.attgenerated <> '' AS generated,
           (SELECT b.typcategory FROM pg_type t JOIN pg_type b ON b.oid = coalesce(nullif(t.typbasetype, 0), t.oid)
            WHERE t.oid = a.atttypid) = 'S' AS textual
    INTO col FROM pg_attribute a
    WHERE a.attrelid = tbl AND a.attname = NEW.column_name AND a.attnum > 0 AND NOT a.attisdropped;
    IF NOT FOUND THEN
        RAISE EXCEPTION '% has no column %', NEW.table_name, NEW.column_name
            USING ERRCODE = 'undefined_column', COLUMN = 'column';
    ELSIF col.generated OR NEW.column_name IN ('id', 'org_id', 'town_id', 'visibility', 'shared_with') THEN
        RAISE EXCEPTION '%.% is a key, tenancy or generated column: it cannot be redacted or anonymised',
            NEW.table_name, NEW.column_name
            USING ERRCODE = 'invalid_parameter_value', COLUMN = 'column';
    ELSIF NEW.action = 'anonymise' AND NOT col.textual THEN
        RAISE EXCEPTION '%.% is not text: only text can be anonymised (redact sets it to NULL)',
            NEW.table_name, NEW.column_name
            USING ERRCODE = 'invalid_parameter_value', COLUMN = 'column';
    ELSIF NEW.action = 'redact' AND col.not_null AND NOT col.textual THEN
        RAISE EXCEPTION '%.% is NOT NULL and not text: it cannot be redacted (delete the row instead)',
            NEW.table_name, NEW.column_name
            USING ERRCODE = 'invalid_parameter_value', COLUMN = 'column';
    END IF;
    RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION ops.check_retention_target() FROM PUBLIC;
--rollback DROP FUNCTION ops.check_retention_target();

--changeset townhall:ops-021-retention-policies
--comment: what retention run does: per tenant table, one town or all, a column or the whole row, after an age
CREATE TABLE ops.retention_policies (
    id          uuid        NOT NULL DEFAULT gen_random_uuid(),
    -- schema.table of a tenant table; ops.check_retention_target checks it (and the columns) against the catalog
    table_name  text        NOT NULL,
    -- NULL: every town
    town_id     uuid,
    -- redact / anonymise: the column; delete: NULL, the whole row
    column_name text,
    -- redact: NULL, or '[redacted]' for a NOT NULL text column; anonymise: a random placeholder ('anon-…');
    -- delete: the row goes
    action      text        NOT NULL,
    -- a row is due once age_column < now() - after
    after       interval    NOT NULL,
    age_column  text        NOT NULL DEFAULT 'created_at',
    -- a hold on the policy stops it entirely until released
    legal_hold  boolean     NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT retention_policies_pkey PRIMARY KEY (id),
    CONSTRAINT retention_policies_town_fkey FOREIGN KEY (town_id) REFERENCES core.towns (id) ON DELETE CASCADE,
    -- one policy per table, town and column: two would race for the same rows
    CONSTRAINT retention_policies_target_key UNIQUE NULLS NOT DISTINCT (table_name, town_id, column_name),
    CONSTRAINT retention_policies_action_check CHECK (action IN ('redact', 'delete', 'anonymise')),
    CONSTRAINT retention_policies_column_check CHECK ((action = 'delete') = (column_name IS NULL)),
    CONSTRAINT retention_policies_after_check CHECK (after > interval '0')
);
CREATE INDEX retention_policies_town_idx ON ops.retention_policies (town_id);
CREATE TRIGGER retention_policies_check_target BEFORE INSERT OR UPDATE ON ops.retention_policies
    FOR EACH ROW EXECUTE FUNCTION ops.check_retention_target();
CREATE TRIGGER retention_policies_touch_updated_at BEFORE UPDATE ON ops.retention_policies
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
COMMENT ON TABLE ops.retention_policies IS 'global: owner only; retention and PII policies applied by ./townhall retention run';
--rollback DROP TABLE ops.retention_policies;

--changeset townhall:ops-022-legal-holds
--comment: legal holds on rows, independent of any policy: while one is in force, no policy touches the rows it covers
CREATE TABLE ops.legal_holds (
    id          uuid        NOT NULL DEFAULT gen_random_uuid(),
    table_name  text        NOT NULL,
    -- NULL: every town
    town_id     uuid,
    -- NULL: every row of the table (in the town)
    row_id      uuid,
    reason      text        NOT NULL,
    -- NULL: until removed
    until       timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT legal_holds_pkey PRIMARY KEY (id),
    CONSTRAINT legal_holds_town_fkey FOREIGN KEY (town_id) REFERENCES core.towns (id) ON DELETE CASCADE,
    CONSTRAINT legal_holds_reason_check CHECK (btrim(reason) <> ''),
    CONSTRAINT legal_holds_until_check CHECK (until IS NULL OR until > created_at)
);
CREATE INDEX legal_holds_town_idx ON ops.legal_holds (town_id);
CREATE INDEX legal_holds_table_idx ON ops.legal_holds (table_name, row_id);
CREATE TRIGGER legal_holds_check_target BEFORE INSERT OR UPDATE ON ops.legal_holds
    FOR EACH ROW EXECUTE FUNCTION ops.check_retention_target();
COMMENT ON TABLE ops.legal_holds IS 'global: owner only; legal holds that keep rows from every retention policy';
--rollback DROP TABLE ops.legal_holds;
