package dev.townhall.schema;

import dev.townhall.db.Database;
import dev.townhall.testing.PostgresExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.UUID;

import static dev.townhall.schema.SchemaFixtures.AURORA;
import static dev.townhall.schema.SchemaFixtures.FLUENTI;
import static dev.townhall.schema.SchemaFixtures.ORG;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The analytics views (docs/schema.md "Views") computed over real rows: each test inserts a small, hand-counted
 * set of rows and compares the view's numbers with the documented rules. Every test runs in a rolled-back
 * transaction, so the views see only that test's rows and {@code now()} is the instant the rows were written at
 * (ages and windows are exact). The session time zone is UTC, as are the views' days.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IntelViewsTest {
    private final Database db;
    private SchemaSql sql;

    IntelViewsTest(Database db) {
        this.db = db;
    }

    @BeforeAll
    void connect() {
        sql = SchemaSql.owner(db);
    }

    @AfterAll
    void close() {
        sql.close();
    }

    /** A timestamptz at {@code time} UTC on the UTC day {@code days} from today. */
    private static String day(int days, String time) {
        return "((((now() AT TIME ZONE 'UTC')::date + " + days + ") + time '" + time + "') AT TIME ZONE 'UTC')";
    }

    // ------------------------------------------------------------------------------------------ capacity_heatmap

    @Test
    void capacityHeatmapAddsMeetingFocusAndTaskMinutesPerPersonAndDay() {
        sql.rolledBack(() -> {
            UUID uma = user("uma");
            UUID vic = user("vic");
            // day +1: meetings 60 + 30 (any timed, non-focus, non-cancelled event), focus 120, tasks 45 + 30
            event(AURORA, uma, "meeting", "confirmed", false, day(1, "10:00"), 60);
            event(AURORA, uma, "personal", "confirmed", false, day(1, "12:00"), 30);
            event(AURORA, uma, "focus", "confirmed", false, day(1, "13:00"), 60);
            event(AURORA, uma, "meeting", "cancelled", false, day(1, "14:00"), 60);
            event(AURORA, uma, "meeting", "confirmed", true, day(1, "00:00"), 1440);
            focus(AURORA, uma, "planned", day(1, "15:00"), 120);
            focus(AURORA, uma, "cancelled", day(1, "17:00"), 60);
            task(AURORA, uma, "todo", day(1, "18:00"), 45);
            task(AURORA, uma, "doing", day(1, "19:00"), null);
            task(AURORA, uma, "done", day(1, "20:00"), 240);
            task(AURORA, null, "todo", day(1, "20:00"), 240);
            // the load levels at their edges: > 480 overloaded, >= 288 busy, >= 120 light, else free
            event(AURORA, uma, "meeting", "confirmed", false, day(2, "08:00"), 481);
            event(AURORA, uma, "meeting", "confirmed", false, day(3, "08:00"), 288);
            event(AURORA, uma, "meeting", "confirmed", false, day(4, "08:00"), 119);
            event(AURORA, uma, "meeting", "confirmed", false, day(5, "08:00"), 120);
            event(AURORA, uma, "meeting", "confirmed", false, day(6, "08:00"), 480);
            // an event counts on the UTC day it starts
            event(AURORA, uma, "meeting", "confirmed", false, day(7, "23:30"), 60);
            // outside the window (7 days back, 28 ahead)
            event(AURORA, uma, "meeting", "confirmed", false, day(-8, "10:00"), 60);
            event(AURORA, uma, "meeting", "confirmed", false, day(29, "10:00"), 60);
            task(AURORA, uma, "todo", day(-8, "10:00"), 60);
            // other people and other towns are other rows
            event(AURORA, vic, "meeting", "confirmed", false, day(-3, "10:00"), 30);
            event(FLUENTI, uma, "meeting", "confirmed", false, day(1, "10:00"), 60);

            assertThat(sql.texts("""
                    SELECT t.slug || ' ' || u.username || ' day' || (h.day - (now() AT TIME ZONE 'UTC')::date)
                           || ' meeting=' || h.meeting_minutes || ' focus=' || h.focus_minutes || ' task=' || h.task_minutes
                           || ' booked=' || h.booked_minutes || '/' || h.capacity_minutes
                           || ' ' || h.utilisation_pct || '% ' || h.load_level
                    FROM intel.capacity_heatmap h
                    JOIN core.towns t ON t.id = h.town_id
                    JOIN core.users u ON u.id = h.user_id
                    ORDER BY t.slug, u.username, h.day""")).containsExactly(
                    "aurora uma day1 meeting=90 focus=120 task=75 booked=285/480 59.4% light",
                    "aurora uma day2 meeting=481 focus=0 task=0 booked=481/480 100.2% overloaded",
                    "aurora uma day3 meeting=288 focus=0 task=0 booked=288/480 60.0% busy",
                    "aurora uma day4 meeting=119 focus=0 task=0 booked=119/480 24.8% free",
                    "aurora uma day5 meeting=120 focus=0 task=0 booked=120/480 25.0% light",
                    "aurora uma day6 meeting=480 focus=0 task=0 booked=480/480 100.0% busy",
                    "aurora uma day7 meeting=60 focus=0 task=0 booked=60/480 12.5% free",
                    "aurora vic day-3 meeting=30 focus=0 task=0 booked=30/480 6.3% free",
                    "fluenti uma day1 meeting=60 focus=0 task=0 booked=60/480 12.5% free");
        });
    }

    // ------------------------------------------------------------------------------------------ deal_risk_analysis

    @Test
    void dealRiskScoresStalenessSlownessMissedDatesAndMissingContacts() {
        sql.rolledBack(() -> {
            UUID contact = sql.value(UUID.class,
                    "INSERT INTO crm.contacts (org_id, town_id, first_name) VALUES (?, ?, 'Dana') RETURNING id", ORG, AURORA);
            // name, stage, amount, opened, entered stage, last activity, expected close, contact
            deal("Stale", "qualified", 1_000_000L, "50 days", "50 days", null, "current_date - 1", null);
            deal("Slow", "proposal", 300_000L, "20 days", "20 days", "10 days", "current_date + 10", contact);
            deal("Fresh", "negotiation", 90_000L, "3 days", "1 day", "0 days", "current_date + 30", contact);
            deal("Medium", "awareness", null, "20 days", "20 days", "20 days", null, contact);
            deal("Sixty", "qualified", 400_000L, "40 days", "1 day", null, "current_date - 5", contact);
            // exactly at the thresholds: 14 days in a 14-day stage is not slow, 7 days without activity not stale
            deal("Boundary", "awareness", 140_000L, "14 days", "14 days", "7 days", "current_date", contact);
            deal("Won", "closed_won", 500_000L, "60 days", "60 days", null, "current_date - 30", null);
            deal("Lost", "closed_lost", 500_000L, "60 days", "60 days", null, "current_date - 30", null);

            assertThat(sql.texts("""
                    SELECT name || ' ' || stage || ' open=' || days_open || ' inStage=' || days_in_stage || '/' || expected_days
                           || ' idle=' || days_since_activity || ' velocity=' || coalesce(velocity_cents_per_day::text, 'null')
                           || ' risk=' || risk_score || ' ' || risk_level || ' ' || risk_factors::text
                    FROM intel.deal_risk_analysis ORDER BY name""")).containsExactly(
                    "Boundary awareness open=14.0 inStage=14.0/14 idle=7.0 velocity=10000 risk=0 low {}",
                    "Fresh negotiation open=3.0 inStage=1.0/14 idle=0.0 velocity=30000 risk=0 low {}",
                    // stale > 14 days (25) + slow > expected (15)
                    "Medium awareness open=20.0 inStage=20.0/14 idle=20.0 velocity=null risk=40 medium {stale,slow_in_stage}",
                    // idle since opening (40) + close date passed (20)
                    "Sixty qualified open=40.0 inStage=1.0/21 idle=40.0 velocity=10000 risk=60 high {stale,close_date_passed}",
                    // idle > 7 (10) + in stage > expected (15)
                    "Slow proposal open=20.0 inStage=20.0/14 idle=10.0 velocity=15000 risk=25 low {slow_in_stage}",
                    // 40 + 30 (> 2x expected) + 20 + 10 = 100, the cap
                    "Stale qualified open=50.0 inStage=50.0/21 idle=50.0 velocity=20000 risk=100 high "
                            + "{stale,slow_in_stage,close_date_passed,no_primary_contact}");
        });
    }

    // ------------------------------------------------------------------------------------------ revenue_metrics

    @Test
    void revenueMetricsCountOpenedWonAndLostDealsPerTownCurrencyAndMonth() {
        sql.rolledBack(() -> {
            closedDeal(AURORA, "Jan won in Feb", "USD", 100_000L, "2024-01-10 12:00Z", "closed_won", "2024-02-15 12:00Z");
            closedDeal(AURORA, "Jan lost in Feb", "USD", 50_000L, "2024-01-20 12:00Z", "closed_lost", "2024-02-20 12:00Z");
            closedDeal(AURORA, "Jan no amount", "USD", null, "2024-01-05 12:00Z", "awareness", null);
            closedDeal(AURORA, "Feb open", "USD", 70_000L, "2024-02-01 12:00Z", "proposal", null);
            closedDeal(AURORA, "Feb won", "USD", 30_000L, "2024-02-05 00:00Z", "closed_won", "2024-02-25 00:00Z");
            // 23:30 in New York on 31 January is already February in UTC
            closedDeal(AURORA, "Late January in New York", "USD", 1_000L, "2024-01-31 23:30-05", "interest", null);
            closedDeal(AURORA, "Euro", "EUR", 999L, "2024-02-03 12:00Z", "awareness", null);
            closedDeal(FLUENTI, "Fluenti won", "USD", 5_000L, "2024-02-10 00:00Z", "closed_won", "2024-03-01 00:00Z");

            assertThat(sql.texts("""
                    SELECT t.slug || ' ' || r.currency || ' ' || to_char(r.month, 'YYYY-MM')
                           || ' opened=' || r.deals_opened || ' pipeline=' || r.pipeline_added_cents
                           || ' won=' || r.deals_won || ' revenue=' || r.revenue_won_cents || ' (' || r.revenue_won || ')'
                           || ' lost=' || r.deals_lost || ' (' || r.amount_lost_cents || ')'
                           || ' winRate=' || coalesce(r.win_rate_pct::text, 'null')
                           || ' cycle=' || coalesce(r.avg_won_cycle_days::text, 'null')
                    FROM intel.revenue_metrics r JOIN core.towns t ON t.id = r.town_id
                    ORDER BY t.slug, r.currency, r.month""")).containsExactly(
                    "aurora EUR 2024-02 opened=1 pipeline=999 won=0 revenue=0 (0.00) lost=0 (0) winRate=null cycle=null",
                    "aurora USD 2024-01 opened=3 pipeline=150000 won=0 revenue=0 (0.00) lost=0 (0) winRate=null cycle=null",
                    // won: 36 and 20 days; one lost: 2 of 3
                    "aurora USD 2024-02 opened=3 pipeline=101000 won=2 revenue=130000 (1300.00) lost=1 (50000) winRate=66.7 cycle=28.0",
                    "fluenti USD 2024-02 opened=1 pipeline=5000 won=0 revenue=0 (0.00) lost=0 (0) winRate=null cycle=null",
                    // 10 February to 1 March 2024 (a leap year): 20 days
                    "fluenti USD 2024-03 opened=0 pipeline=0 won=1 revenue=5000 (50.00) lost=0 (0) winRate=100.0 cycle=20.0");
        });
    }

    // ------------------------------------------------------------------------------------------ team_workload

    @Test
    void teamWorkloadSumsEachMembersTasksMeetingsAndDealsPerTown() {
        sql.rolledBack(() -> {
            UUID uma = user("uma");
            UUID vic = user("vic");
            UUID ina = user("ina");
            membership(uma, AURORA, "owner", true);
            membership(uma, FLUENTI, "member", true);
            membership(vic, AURORA, "viewer", true);
            membership(ina, AURORA, "member", false);

            workTask(AURORA, uma, "todo", "high", "now() - interval '1 day'");
            workTask(AURORA, uma, "doing", "medium", "now() + interval '3 days'");
            workTask(AURORA, uma, "todo", "low", "now() + interval '10 days'");
            workTask(AURORA, uma, "todo", "high", "NULL");
            workTask(AURORA, uma, "done", "high", "now() - interval '2 days'");
            workTask(FLUENTI, uma, "todo", "medium", "now() + interval '1 day'");
            workTask(AURORA, ina, "todo", "high", "now() - interval '1 day'");

            event(AURORA, uma, "meeting", "confirmed", false, "now() + interval '2 days'", 60);
            event(AURORA, uma, "meeting", "confirmed", false, "now() + interval '3 days'", 30);
            event(AURORA, uma, "meeting", "confirmed", false, "now() + interval '10 days'", 60);
            event(AURORA, uma, "meeting", "cancelled", false, "now() + interval '1 day'", 60);
            event(AURORA, uma, "focus", "confirmed", false, "now() + interval '1 day'", 60);
            event(AURORA, uma, "personal", "confirmed", false, "now() + interval '1 day'", 60);
            event(AURORA, uma, "meeting", "confirmed", false, "now() - interval '1 day'", 60);

            ownedDeal(AURORA, uma, "qualified", 100_000L);
            ownedDeal(AURORA, uma, "proposal", 250_000L);
            ownedDeal(AURORA, uma, "awareness", null);
            ownedDeal(AURORA, uma, "closed_won", 999_999L);

            assertThat(sql.texts("""
                    SELECT t.slug || ' ' || w.full_name || ' ' || w.role
                           || ' tasks open=' || w.open_tasks || ' overdue=' || w.overdue_tasks
                           || ' high=' || w.high_priority_open_tasks || ' due7d=' || w.due_next_7d
                           || ' meetings7d=' || w.meetings_next_7d || ' (' || w.meeting_minutes_next_7d || ' min)'
                           || ' deals=' || w.open_deals || ' pipeline=' || w.open_pipeline_cents
                    FROM intel.team_workload w JOIN core.towns t ON t.id = w.town_id
                    ORDER BY t.slug, w.full_name""")).containsExactly(
                    "aurora Uma Tester owner tasks open=4 overdue=1 high=2 due7d=1 meetings7d=2 (90 min) deals=3 pipeline=350000",
                    "aurora Vic Tester viewer tasks open=0 overdue=0 high=0 due7d=0 meetings7d=0 (0 min) deals=0 pipeline=0",
                    "fluenti Uma Tester member tasks open=1 overdue=0 high=0 due7d=1 meetings7d=0 (0 min) deals=0 pipeline=0");
        });
    }

    // ------------------------------------------------------------------------------------------ ai_costs

    @Test
    void aiCostsSumCallsTokensAndSpendPerTownDayAndModel() {
        sql.rolledBack(() -> {
            // gpt-4o-mini: 0.15 / 0.60 USD per million tokens; gpt-4o: 2.50 / 10.00
            usage(AURORA, "openai", "gpt-4o-mini", 1000, 1000, "ok", "now()");
            usage(AURORA, "openai", "gpt-4o-mini", 500, 0, "error", "now()");
            usage(AURORA, "local", "my-local-llm", 10, 10, "ok", "now()");
            usage(AURORA, "openai", "gpt-4o-mini", 1_000_000, 0, "ok", "now() - interval '1 day'");
            usage(FLUENTI, "openai", "gpt-4o", 1000, 500, "timeout", "now()");

            assertThat(sql.texts("""
                    SELECT t.slug || ' day' || (c.day - (now() AT TIME ZONE 'UTC')::date) || ' ' || c.provider || '/' || c.model
                           || ' calls=' || c.calls || ' failed=' || c.failed_calls
                           || ' tokens=' || c.input_tokens || '+' || c.output_tokens
                           || ' cost=' || coalesce(c.cost_usd::text, 'null') || ' uncosted=' || c.uncosted_calls
                    FROM intel.ai_costs c JOIN core.towns t ON t.id = c.town_id
                    ORDER BY t.slug, c.day, c.model""")).containsExactly(
                    "aurora day-1 openai/gpt-4o-mini calls=1 failed=0 tokens=1000000+0 cost=0.150000 uncosted=0",
                    "aurora day0 openai/gpt-4o-mini calls=2 failed=1 tokens=1500+1000 cost=0.000825 uncosted=0",
                    "aurora day0 local/my-local-llm calls=1 failed=0 tokens=10+10 cost=null uncosted=1",
                    "fluenti day0 openai/gpt-4o calls=1 failed=1 tokens=1000+500 cost=0.007500 uncosted=0");
        });
    }

    // ------------------------------------------------------------------------------------------ communication_fatigue

    @Test
    void communicationFatigueCountsRecentTouchesPerContact() {
        sql.rolledBack(() -> {
            UUID exhausted = fatigueContact("Xena", false);
            outbound(exhausted, "1 hour", "1 day", "2 days", "3 days", "6 days");
            UUID tired = fatigueContact("Yann", false);
            outbound(tired, "1 day", "2 days", "3 days", "20 days", "21 days", "22 days");
            UUID ok = fatigueContact("Zoe", false);
            touch(ok, "email", "inbound", "now() - interval '2 days'");
            touch(ok, "email", "outbound", "now() - interval '40 days'");
            touch(ok, "email", "outbound", "now() + interval '1 day'");
            UUID blocked = fatigueContact("Walt", true);
            outbound(blocked, "1 day", "2 days", "3 days", "4 days", "5 days", "6 days");
            UUID monthly = fatigueContact("Vera", false);
            outbound(monthly, "10 days", "11 days", "12 days", "13 days", "14 days", "15 days",
                    "16 days", "17 days", "18 days", "19 days", "20 days", "21 days");
            UUID light = fatigueContact("Umar", false);
            outbound(light, "1 day", "2 days");

            for (String status : new String[] {"pending", "approved", "sent", "skipped"}) {
                sql.exec("""
                        INSERT INTO comms.touch_ready_queue (org_id, town_id, contact_id, channel, draft_message, status, sent_at)
                        VALUES (?, ?, ?, 'email', 'Hi again', ?, CASE WHEN ? = 'sent' THEN now() END)""",
                        ORG, AURORA, exhausted, status, status);
            }

            assertThat(sql.texts("""
                    SELECT full_name || ' out7=' || outbound_7d || ' out30=' || outbound_30d || ' in30=' || inbound_30d
                           || ' lastOut=' || coalesce(extract(epoch FROM last_outbound_at - now())::bigint::text, 'null')
                           || ' lastIn=' || coalesce(extract(epoch FROM last_inbound_at - now())::bigint::text, 'null')
                           || ' queued=' || queued_touches || ' score=' || fatigue_score || ' ' || fatigue_level
                    FROM comms.communication_fatigue ORDER BY full_name""")).containsExactly(
                    // 15 x 2 + 3 x 2
                    "Umar out7=2 out30=2 in30=0 lastOut=-86400 lastIn=null queued=0 score=36 ok",
                    // >= 12 in 30 days
                    "Vera out7=0 out30=12 in30=0 lastOut=-864000 lastIn=null queued=0 score=36 exhausted",
                    "Walt out7=6 out30=6 in30=0 lastOut=-86400 lastIn=null queued=0 score=100 do_not_contact",
                    // >= 5 in 7 days: 15 x 5 + 3 x 5; pending and approved drafts are queued, sent and skipped are not
                    "Xena out7=5 out30=5 in30=0 lastOut=-3600 lastIn=null queued=2 score=90 exhausted",
                    // >= 3 in 7 days (and >= 6 in 30): 15 x 3 + 3 x 6
                    "Yann out7=3 out30=6 in30=0 lastOut=-86400 lastIn=null queued=0 score=63 tired",
                    // older than 30 days and future-dated touches do not count
                    "Zoe out7=0 out30=0 in30=1 lastOut=null lastIn=-172800 queued=0 score=0 ok");
        });
    }

    // ------------------------------------------------------------------------------------------ helpers

    private UUID user(String name) {
        String capitalised = Character.toUpperCase(name.charAt(0)) + name.substring(1);
        return sql.value(UUID.class, """
                INSERT INTO core.users (org_id, email, username, first_name, last_name)
                VALUES (?, ?, ?, ?, 'Tester') RETURNING id""", ORG, name + "@example.com", name, capitalised);
    }

    private void membership(UUID user, UUID town, String role, boolean active) {
        sql.exec("INSERT INTO core.memberships (org_id, user_id, town_id, role, is_active) VALUES (?, ?, ?, ?::core.member_role, ?)",
                ORG, user, town, role, active);
    }

    private void event(UUID town, UUID user, String type, String status, boolean allDay, String startsAt, int minutes) {
        sql.exec("INSERT INTO work.calendar_events (org_id, town_id, user_id, title, event_type, status, all_day, starts_at, ends_at) "
                + "VALUES (?, ?, ?, 'event', ?, ?, ?, " + startsAt + ", " + startsAt + " + ? * interval '1 minute')",
                ORG, town, user, type, status, allDay, minutes);
    }

    private void focus(UUID town, UUID user, String status, String startsAt, int minutes) {
        sql.exec("INSERT INTO work.focus_blocks (org_id, town_id, user_id, status, starts_at, ends_at) "
                + "VALUES (?, ?, ?, ?, " + startsAt + ", " + startsAt + " + ? * interval '1 minute')",
                ORG, town, user, status, minutes);
    }

    private void task(UUID town, UUID user, String status, String dueAt, Integer estimate) {
        sql.exec("INSERT INTO work.tasks (org_id, town_id, user_id, title, status, due_at, estimated_minutes) "
                + "VALUES (?, ?, ?, 'task', ?, " + dueAt + ", ?::int)", ORG, town, user, status, estimate);
    }

    private void workTask(UUID town, UUID user, String status, String priority, String dueAt) {
        sql.exec("INSERT INTO work.tasks (org_id, town_id, user_id, title, status, priority, due_at) "
                + "VALUES (?, ?, ?, 'task', ?, ?, " + dueAt + ")", ORG, town, user, status, priority);
    }

    /** An open or closed deal whose clock was set back: ages are intervals before now(). */
    private void deal(String name, String stage, Long amountCents, String openedAgo, String enteredAgo, String activityAgo,
                      String expectedClose, UUID contact) {
        sql.exec("INSERT INTO crm.deals (org_id, town_id, name, stage, amount_cents, opened_at, stage_entered_at, "
                + "last_activity_at, expected_close_date, primary_contact_id) VALUES (?, ?, ?, ?, ?::bigint, "
                + "now() - ?::interval, now() - ?::interval, now() - ?::interval, " + (expectedClose == null ? "NULL" : expectedClose)
                + ", ?)", ORG, AURORA, name, stage, amountCents, openedAgo, enteredAgo, activityAgo, contact);
    }

    private void closedDeal(UUID town, String name, String currency, Long amountCents, String openedAt, String stage,
                            String closedAt) {
        sql.exec("""
                INSERT INTO crm.deals (org_id, town_id, name, currency, amount_cents, opened_at, stage_entered_at, stage, closed_at)
                VALUES (?, ?, ?, ?, ?::bigint, ?::timestamptz, coalesce(?::timestamptz, ?::timestamptz), ?, ?::timestamptz)""",
                ORG, town, name, currency, amountCents, openedAt, closedAt, openedAt, stage, closedAt);
    }

    private void ownedDeal(UUID town, UUID owner, String stage, Long amountCents) {
        sql.exec("INSERT INTO crm.deals (org_id, town_id, name, stage, owner_user_id, amount_cents) VALUES (?, ?, 'deal', ?, ?, ?::bigint)",
                ORG, town, stage, owner, amountCents);
    }

    private void usage(UUID town, String provider, String model, int input, int output, String status, String occurredAt) {
        sql.exec("INSERT INTO ai.model_usage (org_id, town_id, provider, model, input_tokens, output_tokens, status, occurred_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, " + occurredAt + ")", ORG, town, provider, model, input, output, status);
    }

    private UUID fatigueContact(String name, boolean doNotContact) {
        return sql.value(UUID.class, """
                INSERT INTO crm.contacts (org_id, town_id, first_name, do_not_contact) VALUES (?, ?, ?, ?) RETURNING id""",
                ORG, AURORA, name, doNotContact);
    }

    private void outbound(UUID contact, String... ago) {
        for (String a : ago) {
            touch(contact, "email", "outbound", "now() - interval '" + a + "'");
        }
    }

    private void touch(UUID contact, String type, String direction, String occurredAt) {
        sql.exec("INSERT INTO crm.activities (org_id, town_id, activity_type, direction, occurred_at, contact_id) "
                + "VALUES (?, ?, ?, ?, " + occurredAt + ", ?)", ORG, AURORA, type, direction, contact);
    }
}
