--liquibase formatted sql

--changeset townhall:ai-050-feedback
--comment: a user's rating of an AI answer (Aurora's feedback); feeds prompt optimisation and the Dungeon Master
CREATE TABLE ai.feedback (
    id             uuid            NOT NULL DEFAULT gen_random_uuid(),
    org_id         uuid            NOT NULL DEFAULT core.acting_org_id(),
    town_id        uuid            NOT NULL DEFAULT core.acting_town_id(),
    visibility     core.visibility NOT NULL DEFAULT 'private',
    shared_with    uuid[]          NOT NULL DEFAULT '{}',
    user_id        uuid,
    message_id     uuid,
    prompt_id      uuid,
    personality_id uuid,
    rating         smallint        NOT NULL,
    category       text,
    comment        text,
    created_at     timestamptz     NOT NULL DEFAULT now(),
    updated_at     timestamptz     NOT NULL DEFAULT now(),
    CONSTRAINT feedback_pkey PRIMARY KEY (id),
    CONSTRAINT feedback_town_id_key UNIQUE (town_id, id),
    CONSTRAINT feedback_org_town_fkey FOREIGN KEY (org_id, town_id) REFERENCES core.towns (org_id, id),
    CONSTRAINT feedback_user_fkey FOREIGN KEY (user_id) REFERENCES core.users (id) ON DELETE SET NULL,
    CONSTRAINT feedback_town_message_fkey FOREIGN KEY (town_id, message_id) REFERENCES comms.messages (town_id, id)
        ON UPDATE CASCADE ON DELETE CASCADE,
    CONSTRAINT feedback_prompt_fkey FOREIGN KEY (prompt_id) REFERENCES ai.prompts (id) ON DELETE SET NULL,
    CONSTRAINT feedback_personality_fkey FOREIGN KEY (personality_id) REFERENCES ai.personalities (id) ON DELETE SET NULL,
    CONSTRAINT feedback_shared_with_check CHECK (visibility = 'shared' OR shared_with = '{}'),
    CONSTRAINT feedback_rating_check CHECK (rating BETWEEN 1 AND 5),
    CONSTRAINT feedback_category_check CHECK (category IN ('accuracy', 'tone', 'helpfulness', 'safety', 'other'))
);
CREATE INDEX feedback_org_town_idx ON ai.feedback (org_id, town_id);
CREATE INDEX feedback_user_idx ON ai.feedback (user_id);
CREATE INDEX feedback_town_message_idx ON ai.feedback (town_id, message_id);
CREATE INDEX feedback_prompt_idx ON ai.feedback (prompt_id);
CREATE INDEX feedback_personality_idx ON ai.feedback (personality_id);
CREATE TRIGGER feedback_touch_updated_at BEFORE UPDATE ON ai.feedback
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
SELECT core.enable_tenancy('ai.feedback');
--rollback DROP TABLE ai.feedback;
