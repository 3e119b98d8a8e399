--liquibase formatted sql

-- Analytics views over the real tables. All are security_invoker, so the caller's RLS applies: a capital member
-- sees every town, others their own town (plus shared rows). Days are UTC days.

--changeset townhall:intel-100-capacity-heatmap-view
--comment: booked minutes per person and day (meetings, focus blocks, open tasks due) from 7 days back to 28 ahead, against an 8-hour day
-- meeting_minutes: non-cancelled, timed calendar events that are not focus time; focus_minutes: non-cancelled focus
-- blocks; task_minutes: open tasks due that day (estimated_minutes, 30 when unknown).
-- load_level: free < 25 %, light < 60 %, busy <= 100 %, overloaded above.
CREATE VIEW intel.capacity_heatmap WITH (security_invoker = true) AS
WITH load AS (
    SELECT e.org_id, e.town_id, e.user_id, (e.starts_at AT TIME ZONE 'UTC')::date AS day,
           e.duration_minutes AS meeting_minutes, 0 AS focus_minutes, 0 AS task_minutes
    FROM work.calendar_events e
    WHERE e.user_id IS NOT NULL AND e.status <> 'cancelled' AND NOT e.all_day AND e.event_type <> 'focus'
      AND e.starts_at >= now() - interval '7 days' AND e.starts_at < now() + interval '28 days'
    UNION ALL
    SELECT f.org_id, f.town_id, f.user_id, (f.starts_at AT TIME ZONE 'UTC')::date,
           0, f.duration_minutes, 0
    FROM work.focus_blocks f
    WHERE f.status <> 'cancelled'
      AND f.starts_at >= now() - interval '7 days' AND f.starts_at < now() + interval '28 days'
    UNION ALL
    SELECT t.org_id, t.town_id, t.user_id, (t.due_at AT TIME ZONE 'UTC')::date,
           0, 0, coalesce(t.estimated_minutes, 30)
    FROM work.tasks t
    WHERE t.user_id IS NOT NULL AND t.status <> 'done'
      AND t.due_at >= now() - interval '7 days' AND t.due_at < now() + interval '28 days'
)
SELECT l.org_id,
       l.town_id,
       l.user_id,
       l.day,
       sum(l.meeting_minutes)::integer AS meeting_minutes,
       sum(l.focus_minutes)::integer AS focus_minutes,
       sum(l.task_minutes)::integer AS task_minutes,
       sum(l.meeting_minutes + l.focus_minutes + l.task_minutes)::integer AS booked_minutes,
       480 AS capacity_minutes,
       round(100.0 * sum(l.meeting_minutes + l.focus_minutes + l.task_minutes) / 480, 1) AS utilisation_pct,
       CASE
           WHEN sum(l.meeting_minutes + l.focus_minutes + l.task_minutes) > 480 THEN 'overloaded'
           WHEN sum(l.meeting_minutes + l.focus_minutes + l.task_minutes) >= 288 THEN 'busy'
           WHEN sum(l.meeting_minutes + l.focus_minutes + l.task_minutes) >= 120 THEN 'light'
           ELSE 'free'
       END AS load_level
FROM load l
GROUP BY l.org_id, l.town_id, l.user_id, l.day;
REVOKE INSERT, UPDATE, DELETE ON intel.capacity_heatmap FROM townhall_app;
--rollback DROP VIEW intel.capacity_heatmap;

--changeset townhall:intel-101-deal-risk-analysis-view
--comment: risk and velocity of every open deal: staleness, time in stage against the stage's norm, missed close date, missing contact
-- risk_score = stale (no activity > 30 d: 40, > 14 d: 25, > 7 d: 10) + slow (days in stage > 2x expected: 30, > expected: 15)
--            + overdue (expected close date passed: 20) + no primary contact (10), capped at 100.
-- risk_level: high >= 60, medium >= 30, else low. velocity_cents_per_day = amount_cents / days open (at least 1).
CREATE VIEW intel.deal_risk_analysis WITH (security_invoker = true) AS
SELECT d.org_id,
       d.town_id,
       d.id AS deal_id,
       d.name,
       d.stage,
       d.owner_user_id,
       d.company_id,
       d.primary_contact_id,
       d.amount_cents,
       d.currency,
       d.probability,
       d.expected_close_date,
       s.expected_days,
       x.days_open,
       x.days_in_stage,
       x.days_since_activity,
       round(d.amount_cents / greatest(1, x.days_open))::bigint AS velocity_cents_per_day,
       r.risk_score,
       CASE WHEN r.risk_score >= 60 THEN 'high' WHEN r.risk_score >= 30 THEN 'medium' ELSE 'low' END AS risk_level,
       array_remove(ARRAY[
           CASE WHEN x.days_since_activity > 14 THEN 'stale' END,
           CASE WHEN s.expected_days IS NOT NULL AND x.days_in_stage > s.expected_days THEN 'slow_in_stage' END,
           CASE WHEN d.expected_close_date < current_date THEN 'close_date_passed' END,
           CASE WHEN d.primary_contact_id IS NULL THEN 'no_primary_contact' END], NULL) AS risk_factors
FROM crm.deals d
JOIN crm.deal_stages s ON s.slug = d.stage
CROSS JOIN LATERAL (
    SELECT round(extract(epoch FROM now() - d.opened_at) / 86400.0, 1) AS days_open,
           round(extract(epoch FROM now() - d.stage_entered_at) / 86400.0, 1) AS days_in_stage,
           round(extract(epoch FROM now() - coalesce(d.last_activity_at, d.opened_at)) / 86400.0, 1) AS days_since_activity
) x
CROSS JOIN LATERAL (
    SELECT least(100,
                 CASE WHEN x.days_since_activity > 30 THEN 40 WHEN x.days_since_activity > 14 THEN 25
                      WHEN x.days_since_activity > 7 THEN 10 ELSE 0 END
               + CASE WHEN s.expected_days IS NULL THEN 0 WHEN x.days_in_stage > 2 * s.expected_days THEN 30
                      WHEN x.days_in_stage > s.expected_days THEN 15 ELSE 0 END
               + CASE WHEN d.expected_close_date < current_date THEN 20 ELSE 0 END
               + CASE WHEN d.primary_contact_id IS NULL THEN 10 ELSE 0 END)::smallint AS risk_score
) r
WHERE NOT s.is_closed;
REVOKE INSERT, UPDATE, DELETE ON intel.deal_risk_analysis FROM townhall_app;
--rollback DROP VIEW intel.deal_risk_analysis;

--changeset townhall:intel-102-revenue-metrics-view
--comment: per town, currency and month: deals opened and pipeline added, deals won/lost with amounts, win rate and average sales cycle
CREATE VIEW intel.revenue_metrics WITH (security_invoker = true) AS
WITH events AS (
    SELECT d.org_id, d.town_id, d.currency, date_trunc('month', d.opened_at AT TIME ZONE 'UTC')::date AS month,
           'opened' AS kind, d.amount_cents, NULL::numeric AS cycle_days
    FROM crm.deals d
    UNION ALL
    SELECT d.org_id, d.town_id, d.currency, date_trunc('month', d.closed_at AT TIME ZONE 'UTC')::date,
           CASE WHEN s.is_won THEN 'won' ELSE 'lost' END, d.amount_cents, d.cycle_days
    FROM crm.deals d
    JOIN crm.deal_stages s ON s.slug = d.stage
    WHERE s.is_closed AND d.closed_at IS NOT NULL
)
SELECT e.org_id,
       e.town_id,
       e.currency,
       e.month,
       count(*) FILTER (WHERE e.kind = 'opened') AS deals_opened,
       coalesce(sum(e.amount_cents) FILTER (WHERE e.kind = 'opened'), 0) AS pipeline_added_cents,
       count(*) FILTER (WHERE e.kind = 'won') AS deals_won,
       coalesce(sum(e.amount_cents) FILTER (WHERE e.kind = 'won'), 0) AS revenue_won_cents,
       round(coalesce(sum(e.amount_cents) FILTER (WHERE e.kind = 'won'), 0) / 100.0, 2) AS revenue_won,
       count(*) FILTER (WHERE e.kind = 'lost') AS deals_lost,
       coalesce(sum(e.amount_cents) FILTER (WHERE e.kind = 'lost'), 0) AS amount_lost_cents,
       round(100.0 * count(*) FILTER (WHERE e.kind = 'won')
             / nullif(count(*) FILTER (WHERE e.kind IN ('won', 'lost')), 0), 1) AS win_rate_pct,
       round(avg(e.cycle_days) FILTER (WHERE e.kind = 'won'), 1) AS avg_won_cycle_days
FROM events e
GROUP BY e.org_id, e.town_id, e.currency, e.month;
REVOKE INSERT, UPDATE, DELETE ON intel.revenue_metrics FROM townhall_app;
--rollback DROP VIEW intel.revenue_metrics;

--changeset townhall:intel-103-team-workload-view
--comment: per town member: open, overdue and high-priority tasks, tasks due and meetings in the next 7 days, open deals and their pipeline
CREATE VIEW intel.team_workload WITH (security_invoker = true) AS
SELECT m.org_id,
       m.town_id,
       m.user_id,
       u.full_name,
       m.role,
       t.open_tasks,
       t.overdue_tasks,
       t.high_priority_open_tasks,
       t.due_next_7d,
       e.meetings_next_7d,
       e.meeting_minutes_next_7d,
       d.open_deals,
       d.open_pipeline_cents
FROM core.memberships m
JOIN core.users u ON u.id = m.user_id
CROSS JOIN LATERAL (
    SELECT count(*) FILTER (WHERE tk.status <> 'done') AS open_tasks,
           count(*) FILTER (WHERE tk.status <> 'done' AND tk.due_at < now()) AS overdue_tasks,
           count(*) FILTER (WHERE tk.status <> 'done' AND tk.priority = 'high') AS high_priority_open_tasks,
           count(*) FILTER (WHERE tk.status <> 'done' AND tk.due_at >= now() AND tk.due_at < now() + interval '7 days') AS due_next_7d
    FROM work.tasks tk
    WHERE tk.town_id = m.town_id AND tk.user_id = m.user_id
) t
CROSS JOIN LATERAL (
    SELECT count(*) AS meetings_next_7d, coalesce(sum(ev.duration_minutes), 0)::integer AS meeting_minutes_next_7d
    FROM work.calendar_events ev
    WHERE ev.town_id = m.town_id AND ev.user_id = m.user_id AND ev.status <> 'cancelled'
      AND ev.event_type = 'meeting' AND ev.starts_at >= now() AND ev.starts_at < now() + interval '7 days'
) e
CROSS JOIN LATERAL (
    SELECT count(*) AS open_deals, coalesce(sum(dl.amount_cents), 0) AS open_pipeline_cents
    FROM crm.deals dl
    JOIN crm.deal_stages ds ON ds.slug = dl.stage
    WHERE dl.town_id = m.town_id AND dl.owner_user_id = m.user_id AND NOT ds.is_closed
) d
WHERE m.is_active;
REVOKE INSERT, UPDATE, DELETE ON intel.team_workload FROM townhall_app;
--rollback DROP VIEW intel.team_workload;

--changeset townhall:intel-104-ai-costs-view
--comment: model spend per town, UTC day, provider and model (the seeds' ai_costs), from ai.model_usage
CREATE VIEW intel.ai_costs WITH (security_invoker = true) AS
SELECT mu.org_id,
       mu.town_id,
       (mu.occurred_at AT TIME ZONE 'UTC')::date AS day,
       mu.provider,
       mu.model,
       count(*) AS calls,
       count(*) FILTER (WHERE mu.status <> 'ok') AS failed_calls,
       sum(mu.input_tokens)::bigint AS input_tokens,
       sum(mu.output_tokens)::bigint AS output_tokens,
       sum(mu.cost_usd) AS cost_usd,
       count(*) FILTER (WHERE mu.cost_usd IS NULL) AS uncosted_calls
FROM ai.model_usage mu
GROUP BY mu.org_id, mu.town_id, (mu.occurred_at AT TIME ZONE 'UTC')::date, mu.provider, mu.model;
REVOKE INSERT, UPDATE, DELETE ON intel.ai_costs FROM townhall_app;
--rollback DROP VIEW intel.ai_costs;
