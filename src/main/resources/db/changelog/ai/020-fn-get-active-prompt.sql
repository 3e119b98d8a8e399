--liquibase formatted sql

--changeset townhall:ai-020-fn-get-active-prompt splitStatements:false
--comment: the prompt to use for a personality in a mood, resolved deterministically from the prompt catalogue
-- ai.get_active_prompt(personality, mood):
--   personality: a slug ('robbie-f') or a name ('Robbie F'), case-insensitive.
--   mood: a mood slug ('playful') or NULL.
--   1. the active prompt written for exactly that personality and mood, as is;
--   2. otherwise the base prompt (the active mood-agnostic prompt, else the personality's system_prompt),
--      followed, when the mood is a known mood, by a line stating it:  '\n\nCurrent mood: <Name> - <description>';
--   3. NULL when the personality is unknown or inactive.
CREATE FUNCTION ai.get_active_prompt(p_personality text, p_mood text DEFAULT NULL) RETURNS text
LANGUAGE sql STABLE
SET search_path = pg_catalog, ai
AS $$
    WITH p AS (
        SELECT id, system_prompt
        FROM ai.personalities
        WHERE is_active
          AND (slug = lower(btrim(p_personality)) OR lower(name) = lower(btrim(p_personality)))
        -- a slug match beats a name match, so the answer never depends on row order
        ORDER BY (slug = lower(btrim(p_personality))) DESC, slug
        LIMIT 1
    ),
    m AS (
        SELECT slug, name, description FROM ai.moods WHERE slug = lower(btrim(p_mood))
    )
    SELECT coalesce(
        (SELECT pr.content FROM ai.prompts pr, p, m
         WHERE pr.personality_id = p.id AND pr.is_active AND pr.mood = m.slug),
        (SELECT coalesce((SELECT pr.content FROM ai.prompts pr
                          WHERE pr.personality_id = p.id AND pr.is_active AND pr.mood IS NULL),
                         p.system_prompt)
                || coalesce((SELECT E'\n\nCurrent mood: ' || m.name || ' - ' || m.description FROM m), '')
         FROM p))
$$;
--rollback DROP FUNCTION ai.get_active_prompt(text, text);
