--liquibase formatted sql

--changeset townhall:ai-030-personality-instances
--comment: the ONE personality-state model: a user's instance of a personality with its settings and current mood, shared by every interface (merges current_mood, robbie_personality_state, personality_settings, personality_instances, ai_personality_state, ai_personality_instances)
CREATE TABLE ai.personality_instances (
    id                        uuid            NOT NULL DEFAULT gen_random_uuid(),
    org_id                    uuid            NOT NULL DEFAULT core.acting_org_id(),
    town_id                   uuid            NOT NULL DEFAULT core.acting_town_id(),
    visibility                core.visibility NOT NULL DEFAULT 'private',
    shared_with               uuid[]          NOT NULL DEFAULT '{}',
    user_id                   uuid            NOT NULL,
    personality_id            uuid            NOT NULL,
    -- the instance the user currently talks to (one per user and town)
    is_active                 boolean         NOT NULL DEFAULT true,
    -- settings (the seeds' flirt_mode / attraction_level, gandhi_genghis, intensities)
    flirt_level               smallint        NOT NULL DEFAULT 5,
    gandhi_genghis            smallint        NOT NULL DEFAULT 5,
    genghis_gandhi_intensity  smallint        NOT NULL DEFAULT 50,
    cocktail_lightning_energy smallint        NOT NULL DEFAULT 50,
    -- state
    current_mood              text            NOT NULL DEFAULT 'friendly',
    current_expression        text            NOT NULL DEFAULT 'friendly',
    mood_changed_at           timestamptz     NOT NULL DEFAULT now(),
    -- the interface that last changed the state (state is network-wide, not per interface)
    last_interface            text,
    -- the user's additions to the personality's prompt and overrides of its behaviour (the seeds' mentor_behavior)
    custom_prompt             text,
    behavior                  jsonb           NOT NULL DEFAULT '{}',
    created_at                timestamptz     NOT NULL DEFAULT now(),
    updated_at                timestamptz     NOT NULL DEFAULT now(),
    CONSTRAINT personality_instances_pkey PRIMARY KEY (id),
    CONSTRAINT personality_instances_town_id_key UNIQUE (town_id, id),
    CONSTRAINT personality_instances_town_user_personality_key UNIQUE (town_id, user_id, personality_id),
    CONSTRAINT personality_instances_org_town_fkey FOREIGN KEY (org_id, town_id) REFERENCES core.towns (org_id, id),
    CONSTRAINT personality_instances_user_fkey FOREIGN KEY (user_id) REFERENCES core.users (id) ON DELETE CASCADE,
    CONSTRAINT personality_instances_personality_fkey FOREIGN KEY (personality_id) REFERENCES ai.personalities (id),
    CONSTRAINT personality_instances_current_mood_fkey FOREIGN KEY (current_mood) REFERENCES ai.moods (slug) ON UPDATE CASCADE,
    CONSTRAINT personality_instances_current_expression_fkey FOREIGN KEY (current_expression) REFERENCES ai.moods (slug) ON UPDATE CASCADE,
    CONSTRAINT personality_instances_shared_with_check CHECK (visibility = 'shared' OR shared_with = '{}'),
    CONSTRAINT personality_instances_flirt_level_check CHECK (flirt_level BETWEEN 1 AND 10),
    CONSTRAINT personality_instances_gandhi_genghis_check CHECK (gandhi_genghis BETWEEN 1 AND 10),
    CONSTRAINT personality_instances_genghis_gandhi_intensity_check CHECK (genghis_gandhi_intensity BETWEEN 0 AND 100),
    CONSTRAINT personality_instances_cocktail_lightning_energy_check CHECK (cocktail_lightning_energy BETWEEN 0 AND 100),
    CONSTRAINT personality_instances_last_interface_check CHECK (last_interface IN ('chat', 'code', 'cli', 'api', 'web', 'slack', 'email', 'voice', 'mcp')),
    CONSTRAINT personality_instances_behavior_check CHECK (jsonb_typeof(behavior) = 'object')
);
CREATE UNIQUE INDEX personality_instances_one_active_idx ON ai.personality_instances (town_id, user_id) WHERE is_active;
CREATE INDEX personality_instances_org_town_idx ON ai.personality_instances (org_id, town_id);
CREATE INDEX personality_instances_user_idx ON ai.personality_instances (user_id);
CREATE INDEX personality_instances_personality_idx ON ai.personality_instances (personality_id);
CREATE INDEX personality_instances_current_mood_idx ON ai.personality_instances (current_mood);
CREATE INDEX personality_instances_current_expression_idx ON ai.personality_instances (current_expression);
CREATE INDEX personality_instances_behavior_idx ON ai.personality_instances USING gin (behavior jsonb_path_ops);
CREATE TRIGGER personality_instances_touch_updated_at BEFORE UPDATE ON ai.personality_instances
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
SELECT core.enable_tenancy('ai.personality_instances');
--rollback DROP TABLE ai.personality_instances;

--changeset townhall:ai-031-mood-events
--comment: the audit trail of mood changes with their reasons (merges mood_history, mood_transitions, mood_events); written by trigger
CREATE TABLE ai.mood_events (
    id              uuid            NOT NULL DEFAULT gen_random_uuid(),
    org_id          uuid            NOT NULL DEFAULT core.acting_org_id(),
    town_id         uuid            NOT NULL DEFAULT core.acting_town_id(),
    visibility      core.visibility NOT NULL DEFAULT 'private',
    shared_with     uuid[]          NOT NULL DEFAULT '{}',
    instance_id     uuid            NOT NULL,
    user_id         uuid,
    from_mood       text,
    to_mood         text            NOT NULL,
    -- short machine reason ('signal:deadline', 'manual', 'import'); explanation is the human one
    reason          text,
    explanation     text,
    interface       text,
    conversation_id uuid,
    -- settings at the time of the change (schema.sql's current_mood kept them with the mood)
    flirt_level     smallint,
    gandhi_genghis  smallint,
    occurred_at     timestamptz     NOT NULL DEFAULT now(),
    created_at      timestamptz     NOT NULL DEFAULT now(),
    updated_at      timestamptz     NOT NULL DEFAULT now(),
    CONSTRAINT mood_events_pkey PRIMARY KEY (id),
    CONSTRAINT mood_events_town_id_key UNIQUE (town_id, id),
    CONSTRAINT mood_events_org_town_fkey FOREIGN KEY (org_id, town_id) REFERENCES core.towns (org_id, id),
    CONSTRAINT mood_events_town_instance_fkey FOREIGN KEY (town_id, instance_id) REFERENCES ai.personality_instances (town_id, id)
        ON UPDATE CASCADE ON DELETE CASCADE,
    CONSTRAINT mood_events_user_fkey FOREIGN KEY (user_id) REFERENCES core.users (id) ON DELETE SET NULL,
    CONSTRAINT mood_events_from_mood_fkey FOREIGN KEY (from_mood) REFERENCES ai.moods (slug) ON UPDATE CASCADE,
    CONSTRAINT mood_events_to_mood_fkey FOREIGN KEY (to_mood) REFERENCES ai.moods (slug) ON UPDATE CASCADE,
    CONSTRAINT mood_events_town_conversation_fkey FOREIGN KEY (town_id, conversation_id) REFERENCES comms.conversations (town_id, id)
        ON UPDATE CASCADE ON DELETE SET NULL (conversation_id),
    CONSTRAINT mood_events_shared_with_check CHECK (visibility = 'shared' OR shared_with = '{}'),
    CONSTRAINT mood_events_flirt_level_check CHECK (flirt_level BETWEEN 1 AND 10),
    CONSTRAINT mood_events_gandhi_genghis_check CHECK (gandhi_genghis BETWEEN 1 AND 10),
    CONSTRAINT mood_events_interface_check CHECK (interface IN ('chat', 'code', 'cli', 'api', 'web', 'slack', 'email', 'voice', 'mcp'))
);
CREATE INDEX mood_events_org_town_idx ON ai.mood_events (org_id, town_id);
CREATE INDEX mood_events_town_instance_idx ON ai.mood_events (town_id, instance_id, occurred_at DESC);
CREATE INDEX mood_events_user_idx ON ai.mood_events (user_id);
CREATE INDEX mood_events_from_mood_idx ON ai.mood_events (from_mood);
CREATE INDEX mood_events_to_mood_idx ON ai.mood_events (to_mood);
CREATE INDEX mood_events_town_conversation_idx ON ai.mood_events (town_id, conversation_id);
CREATE TRIGGER mood_events_touch_updated_at BEFORE UPDATE ON ai.mood_events
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
SELECT core.enable_tenancy('ai.mood_events');
--rollback DROP TABLE ai.mood_events;

--changeset townhall:ai-032-fn-personality-instances-record-mood splitStatements:false
--comment: stamps mood_changed_at and appends an ai.mood_events row whenever an instance is created or its mood changes
-- The reason, explanation and conversation of the change come from optional transaction settings the caller may set:
--   SET LOCAL townhall.mood_reason = '...'; SET LOCAL townhall.mood_explanation = '...';
--   SET LOCAL townhall.conversation_id = '<uuid>';
CREATE FUNCTION ai.personality_instances_record_mood() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
    conv_raw text := current_setting('townhall.conversation_id', true);
    conv     uuid;
BEGIN
    IF TG_WHEN = 'BEFORE' THEN
        IF TG_OP = 'UPDATE' AND NEW.current_mood IS DISTINCT FROM OLD.current_mood
           AND NEW.mood_changed_at IS NOT DISTINCT FROM OLD.mood_changed_at THEN
            NEW.mood_changed_at := now();
        END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.current_mood IS NOT DISTINCT FROM OLD.current_mood THEN
        RETURN NULL;
    END IF;
    IF conv_raw ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN
        conv := conv_raw::uuid;
        -- a conversation of another town (or none) is not recorded rather than failing the mood change
        IF NOT EXISTS (SELECT 1 FROM comms.conversations c WHERE c.town_id = NEW.town_id AND c.id = conv) THEN
            conv := NULL;
        END IF;
    END IF;
    INSERT INTO ai.mood_events (org_id, town_id, instance_id, user_id, from_mood, to_mood, reason, explanation,
                                interface, conversation_id, flirt_level, gandhi_genghis, occurred_at)
    VALUES (NEW.org_id, NEW.town_id, NEW.id, NEW.user_id,
            CASE WHEN TG_OP = 'UPDATE' THEN OLD.current_mood END, NEW.current_mood,
            nullif(current_setting('townhall.mood_reason', true), ''),
            nullif(current_setting('townhall.mood_explanation', true), ''),
            NEW.last_interface, conv, NEW.flirt_level, NEW.gandhi_genghis, NEW.mood_changed_at);
    RETURN NULL;
END
$$;
--rollback DROP FUNCTION ai.personality_instances_record_mood();

--changeset townhall:ai-033-personality-instances-mood-triggers
--comment: wires mood tracking into ai.personality_instances
CREATE TRIGGER personality_instances_mood_stamp BEFORE UPDATE OF current_mood ON ai.personality_instances
    FOR EACH ROW EXECUTE FUNCTION ai.personality_instances_record_mood();
CREATE TRIGGER personality_instances_mood_event AFTER INSERT OR UPDATE OF current_mood ON ai.personality_instances
    FOR EACH ROW EXECUTE FUNCTION ai.personality_instances_record_mood();
--rollback DROP TRIGGER personality_instances_mood_event ON ai.personality_instances;
--rollback DROP TRIGGER personality_instances_mood_stamp ON ai.personality_instances;
