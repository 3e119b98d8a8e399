--liquibase formatted sql

--changeset townhall:ai-015-prompt-optimizations
--comment: a proposed change from one prompt version to another, with the scores that justified it
CREATE TABLE ai.prompt_optimizations (
    id               uuid         NOT NULL DEFAULT gen_random_uuid(),
    prompt_id        uuid         NOT NULL,
    result_prompt_id uuid,
    strategy         text,
    rationale        text         NOT NULL,
    status           text         NOT NULL DEFAULT 'proposed',
    score_before     numeric(5,2),
    score_after      numeric(5,2),
    sample_size      integer,
    created_by       uuid,
    decided_at       timestamptz,
    created_at       timestamptz  NOT NULL DEFAULT now(),
    updated_at       timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT prompt_optimizations_pkey PRIMARY KEY (id),
    CONSTRAINT prompt_optimizations_prompt_fkey FOREIGN KEY (prompt_id) REFERENCES ai.prompts (id) ON DELETE CASCADE,
    CONSTRAINT prompt_optimizations_result_prompt_fkey FOREIGN KEY (result_prompt_id) REFERENCES ai.prompts (id) ON DELETE SET NULL,
    CONSTRAINT prompt_optimizations_created_by_fkey FOREIGN KEY (created_by) REFERENCES core.users (id) ON DELETE SET NULL,
    CONSTRAINT prompt_optimizations_status_check CHECK (status IN ('proposed', 'accepted', 'rejected', 'applied')),
    CONSTRAINT prompt_optimizations_scores_check CHECK (score_before BETWEEN 0 AND 100 AND score_after BETWEEN 0 AND 100),
    CONSTRAINT prompt_optimizations_sample_size_check CHECK (sample_size IS NULL OR sample_size >= 0),
    CONSTRAINT prompt_optimizations_decided_check CHECK (status = 'proposed' OR decided_at IS NOT NULL)
);
CREATE INDEX prompt_optimizations_prompt_idx ON ai.prompt_optimizations (prompt_id);
CREATE INDEX prompt_optimizations_result_prompt_idx ON ai.prompt_optimizations (result_prompt_id);
CREATE INDEX prompt_optimizations_created_by_idx ON ai.prompt_optimizations (created_by);
CREATE TRIGGER prompt_optimizations_touch_updated_at BEFORE UPDATE ON ai.prompt_optimizations
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
REVOKE INSERT, UPDATE, DELETE ON ai.prompt_optimizations FROM townhall_app;
COMMENT ON TABLE ai.prompt_optimizations IS 'global: history of catalogue prompts';
--rollback DROP TABLE ai.prompt_optimizations;
