--liquibase formatted sql

--changeset townhall:core-005-fn-refresh-conversation-stats splitStatements:false
--comment: one statement-level trigger body for every messages table: recomputes message_count and last_message_at of the conversations a statement touched
-- Trigger arguments: the conversations table, then the messages table, e.g.
--   EXECUTE FUNCTION core.refresh_conversation_stats('comms.conversations', 'comms.messages')
-- Messages reference their conversation by (town_id, conversation_id); the transition tables say which ones.
CREATE FUNCTION core.refresh_conversation_stats() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
    conversations regclass := TG_ARGV[0]::regclass;
    messages      regclass := TG_ARGV[1]::regclass;
    ids           uuid[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        ids := ARRAY(SELECT DISTINCT conversation_id FROM new_rows);
    ELSIF TG_OP = 'UPDATE' THEN
        ids := ARRAY(SELECT conversation_id FROM new_rows UNION SELECT conversation_id FROM old_rows);
    ELSE
        ids := ARRAY(SELECT DISTINCT conversation_id FROM old_rows);
    END IF;
    EXECUTE format($sql$
        UPDATE %1$s c
        SET message_count = s.n, last_message_at = s.last_at
        FROM (
            SELECT c2.id, count(m.id)::integer AS n, max(m.created_at) AS last_at
            FROM %1$s c2
            LEFT JOIN %2$s m ON m.town_id = c2.town_id AND m.conversation_id = c2.id
            WHERE c2.id = ANY ($1)
            GROUP BY c2.id
        ) s
        WHERE c.id = s.id
          AND (c.message_count, c.last_message_at) IS DISTINCT FROM (s.n, s.last_at)
        $sql$, conversations, messages) USING ids;
    RETURN NULL;
END
$$;
--rollback DROP FUNCTION core.refresh_conversation_stats();
