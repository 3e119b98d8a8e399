--liquibase formatted sql

--changeset townhall:ai-021-fn-calculate-mood splitStatements:false
--comment: the mood a personality should show, from an optional situational signal and its settings; deterministic, always one of the six moods
-- ai.calculate_mood(signal, gandhi_genghis 1-10, flirt_level 1-10, energy 0-100) -> mood slug
--   NULL settings take their defaults (5, 5, 50); out-of-range settings are clamped into range.
--   signal (case-insensitive, trimmed), first rule that matches wins:
--     surprise | unexpected | shock                 -> surprised
--     compliment | praise | flirt                   -> blushing when flirt_level >= 4, else friendly
--     deadline | urgent | overdue | blocked         -> bossy when gandhi_genghis >= 6, else focused
--     deep_work | coding | focus | meeting          -> focused
--     win | celebration | joke | fun                -> playful
--   no signal, or an unknown one:
--     gandhi_genghis >= 8                            -> bossy
--     energy >= 70                                   -> playful
--     energy <= 25                                   -> focused
--     otherwise                                      -> friendly
CREATE FUNCTION ai.calculate_mood(p_signal text DEFAULT NULL, p_gandhi_genghis integer DEFAULT 5,
                                  p_flirt_level integer DEFAULT 5, p_energy integer DEFAULT 50) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog
AS $$
DECLARE
    gg     integer := least(10, greatest(1, coalesce(p_gandhi_genghis, 5)));
    flirt  integer := least(10, greatest(1, coalesce(p_flirt_level, 5)));
    energy integer := least(100, greatest(0, coalesce(p_energy, 50)));
    signal text    := lower(btrim(coalesce(p_signal, '')));
BEGIN
    IF signal IN ('surprise', 'unexpected', 'shock') THEN
        RETURN 'surprised';
    ELSIF signal IN ('compliment', 'praise', 'flirt') THEN
        RETURN CASE WHEN flirt >= 4 THEN 'blushing' ELSE 'friendly' END;
    ELSIF signal IN ('deadline', 'urgent', 'overdue', 'blocked') THEN
        RETURN CASE WHEN gg >= 6 THEN 'bossy' ELSE 'focused' END;
    ELSIF signal IN ('deep_work', 'coding', 'focus', 'meeting') THEN
        RETURN 'focused';
    ELSIF signal IN ('win', 'celebration', 'joke', 'fun') THEN
        RETURN 'playful';
    ELSIF gg >= 8 THEN
        RETURN 'bossy';
    ELSIF energy >= 70 THEN
        RETURN 'playful';
    ELSIF energy <= 25 THEN
        RETURN 'focused';
    END IF;
    RETURN 'friendly';
END
$$;
--rollback DROP FUNCTION ai.calculate_mood(text, integer, integer, integer);
