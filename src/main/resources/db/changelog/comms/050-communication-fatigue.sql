--liquibase formatted sql

--changeset townhall:comms-050-communication-fatigue-view
--comment: how hard each contact has been touched lately (from crm.activities and the touch queue); a view because its windows slide with time
-- fatigue_level: do_not_contact when flagged; exhausted at >= 5 outbound touches in 7 days or >= 12 in 30;
-- tired at >= 3 in 7 days or >= 6 in 30; else ok. fatigue_score = least(100, 15 x outbound_7d + 3 x outbound_30d).
CREATE VIEW comms.communication_fatigue WITH (security_invoker = true) AS
SELECT c.org_id,
       c.town_id,
       c.id AS contact_id,
       c.full_name,
       t.outbound_7d,
       t.outbound_30d,
       t.inbound_30d,
       t.last_outbound_at,
       t.last_inbound_at,
       (SELECT count(*) FROM comms.touch_ready_queue q
        WHERE q.town_id = c.town_id AND q.contact_id = c.id AND q.status IN ('pending', 'approved')) AS queued_touches,
       least(100, 15 * t.outbound_7d + 3 * t.outbound_30d)::smallint AS fatigue_score,
       CASE
           WHEN c.do_not_contact THEN 'do_not_contact'
           WHEN t.outbound_7d >= 5 OR t.outbound_30d >= 12 THEN 'exhausted'
           WHEN t.outbound_7d >= 3 OR t.outbound_30d >= 6 THEN 'tired'
           ELSE 'ok'
       END AS fatigue_level
FROM crm.contacts c
CROSS JOIN LATERAL (
    SELECT count(*) FILTER (WHERE a.direction = 'outbound' AND a.occurred_at > now() - interval '7 days')::integer AS outbound_7d,
           count(*) FILTER (WHERE a.direction = 'outbound')::integer AS outbound_30d,
           count(*) FILTER (WHERE a.direction = 'inbound')::integer AS inbound_30d,
           max(a.occurred_at) FILTER (WHERE a.direction = 'outbound') AS last_outbound_at,
           max(a.occurred_at) FILTER (WHERE a.direction = 'inbound') AS last_inbound_at
    FROM crm.activities a
    WHERE a.town_id = c.town_id AND a.contact_id = c.id
      AND a.occurred_at > now() - interval '30 days' AND a.occurred_at <= now()
) t;
REVOKE INSERT, UPDATE, DELETE ON comms.communication_fatigue FROM townhall_app;
--rollback DROP VIEW comms.communication_fatigue;
