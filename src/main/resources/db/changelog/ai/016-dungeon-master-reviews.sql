--liquibase formatted sql

--changeset townhall:ai-016-dungeon-master-reviews
--comment: the "Dungeon Master" reviewer's verdicts on prompts and proposed optimisations
CREATE TABLE ai.dungeon_master_reviews (
    id              uuid        NOT NULL DEFAULT gen_random_uuid(),
    prompt_id       uuid        NOT NULL,
    optimization_id uuid,
    reviewer        text        NOT NULL DEFAULT 'dungeon_master',
    score           smallint    NOT NULL,
    verdict         text        NOT NULL,
    notes           text,
    suggestions     text[]      NOT NULL DEFAULT '{}',
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT dungeon_master_reviews_pkey PRIMARY KEY (id),
    CONSTRAINT dungeon_master_reviews_prompt_fkey FOREIGN KEY (prompt_id) REFERENCES ai.prompts (id) ON DELETE CASCADE,
    CONSTRAINT dungeon_master_reviews_optimization_fkey FOREIGN KEY (optimization_id) REFERENCES ai.prompt_optimizations (id) ON DELETE SET NULL,
    CONSTRAINT dungeon_master_reviews_score_check CHECK (score BETWEEN 0 AND 100),
    CONSTRAINT dungeon_master_reviews_verdict_check CHECK (verdict IN ('approve', 'revise', 'reject')),
    CONSTRAINT dungeon_master_reviews_reviewer_check CHECK (btrim(reviewer) <> '')
);
CREATE INDEX dungeon_master_reviews_prompt_idx ON ai.dungeon_master_reviews (prompt_id);
CREATE INDEX dungeon_master_reviews_optimization_idx ON ai.dungeon_master_reviews (optimization_id);
CREATE INDEX dungeon_master_reviews_suggestions_idx ON ai.dungeon_master_reviews USING gin (suggestions);
CREATE TRIGGER dungeon_master_reviews_touch_updated_at BEFORE UPDATE ON ai.dungeon_master_reviews
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
REVOKE INSERT, UPDATE, DELETE ON ai.dungeon_master_reviews FROM townhall_app;
COMMENT ON TABLE ai.dungeon_master_reviews IS 'global: reviews of catalogue prompts';
--rollback DROP TABLE ai.dungeon_master_reviews;
