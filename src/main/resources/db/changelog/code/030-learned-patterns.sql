--liquibase formatted sql

--changeset townhall:code-030-learned-patterns
--comment: what the assistant learned from a developer's usage (preferences, conventions, corrections), with confidence and how often it was seen
CREATE TABLE code.learned_patterns (
    id                uuid            NOT NULL DEFAULT gen_random_uuid(),
    org_id            uuid            NOT NULL DEFAULT core.acting_org_id(),
    town_id           uuid            NOT NULL DEFAULT core.acting_town_id(),
    visibility        core.visibility NOT NULL DEFAULT 'private',
    shared_with       uuid[]          NOT NULL DEFAULT '{}',
    user_id           uuid,
    pattern_type      text            NOT NULL,
    language          text,
    pattern           text            NOT NULL,
    example           text,
    confidence        real            NOT NULL DEFAULT 0.5,
    occurrences       integer         NOT NULL DEFAULT 1,
    last_seen_at      timestamptz     NOT NULL DEFAULT now(),
    is_active         boolean         NOT NULL DEFAULT true,
    source_message_id uuid,
    tags              text[]          NOT NULL DEFAULT '{}',
    created_at        timestamptz     NOT NULL DEFAULT now(),
    updated_at        timestamptz     NOT NULL DEFAULT now(),
    CONSTRAINT learned_patterns_pkey PRIMARY KEY (id),
    CONSTRAINT learned_patterns_town_id_key UNIQUE (town_id, id),
    CONSTRAINT learned_patterns_org_town_fkey FOREIGN KEY (org_id, town_id) REFERENCES core.towns (org_id, id),
    CONSTRAINT learned_patterns_user_fkey FOREIGN KEY (user_id) REFERENCES core.users (id) ON DELETE SET NULL,
    CONSTRAINT learned_patterns_town_source_message_fkey FOREIGN KEY (town_id, source_message_id) REFERENCES code.messages (town_id, id)
        ON UPDATE CASCADE ON DELETE SET NULL (source_message_id),
    CONSTRAINT learned_patterns_shared_with_check CHECK (visibility = 'shared' OR shared_with = '{}'),
    CONSTRAINT learned_patterns_pattern_type_check CHECK (pattern_type IN ('preference', 'style', 'convention', 'correction', 'shortcut', 'error_fix', 'workflow')),
    CONSTRAINT learned_patterns_pattern_check CHECK (btrim(pattern) <> ''),
    CONSTRAINT learned_patterns_confidence_check CHECK (confidence BETWEEN 0 AND 1),
    CONSTRAINT learned_patterns_occurrences_check CHECK (occurrences >= 1)
);
CREATE INDEX learned_patterns_org_town_idx ON code.learned_patterns (org_id, town_id);
CREATE INDEX learned_patterns_user_idx ON code.learned_patterns (user_id, pattern_type);
CREATE INDEX learned_patterns_town_source_message_idx ON code.learned_patterns (town_id, source_message_id);
CREATE INDEX learned_patterns_tags_idx ON code.learned_patterns USING gin (tags);
CREATE TRIGGER learned_patterns_touch_updated_at BEFORE UPDATE ON code.learned_patterns
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
SELECT core.enable_tenancy('code.learned_patterns');
--rollback DROP TABLE code.learned_patterns;
