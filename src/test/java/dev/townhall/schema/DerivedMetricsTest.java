package dev.townhall.schema;

import dev.townhall.db.Database;
import dev.townhall.testing.PostgresExtension;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;

import java.io.IOException;
import java.io.StringReader;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static dev.townhall.schema.SchemaFixtures.AURORA;
import static dev.townhall.schema.SchemaFixtures.FLUENTI;
import static dev.townhall.schema.SchemaFixtures.ORG;
import static dev.townhall.schema.SchemaFixtures.USER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 3, "every derived metric updates when its inputs change": one test per row of docs/schema.md's "Derived
 * metrics" table. Each inserts real rows, changes an input and reads the new value back, exactly where the rule is
 * deterministic. Scenarios run in rolled-back transactions, so {@code now()} is one instant throughout a scenario
 * (ages like "30 days ago" are exact) and scenarios never see each other's rows.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DerivedMetricsTest {
    private final Database db;
    private SchemaSql sql;

    DerivedMetricsTest(Database db) {
        this.db = db;
    }

    @BeforeAll
    void installParents() {
        sql = SchemaSql.owner(db);
        SchemaFixtures.installParents(sql);
    }

    @AfterAll
    void close() {
        sql.close();
    }

    // ------------------------------------------------------------------------------------------------ names

    @Test
    void contactFullNameFollowsFirstAndLastName() {
        sql.rolledBack(() -> {
            UUID id = id("INSERT INTO crm.contacts (org_id, town_id, first_name, last_name) VALUES (?, ?, 'Ada', 'Lovelace') RETURNING id",
                    ORG, AURORA);
            assertThat(fullName("crm.contacts", id)).isEqualTo("Ada Lovelace");
            sql.exec("UPDATE crm.contacts SET last_name = '' WHERE id = ?", id);
            assertThat(fullName("crm.contacts", id)).isEqualTo("Ada");
            sql.exec("UPDATE crm.contacts SET first_name = 'Augusta', last_name = 'King' WHERE id = ?", id);
            assertThat(fullName("crm.contacts", id)).isEqualTo("Augusta King");
            UUID oneName = id("INSERT INTO crm.contacts (org_id, town_id, first_name) VALUES (?, ?, 'Cher') RETURNING id", ORG, AURORA);
            assertThat(fullName("crm.contacts", oneName)).isEqualTo("Cher");
        });
    }

    @Test
    void userFullNameIsNullWithoutNames() {
        sql.rolledBack(() -> {
            UUID id = id("INSERT INTO core.users (org_id, email) VALUES (?, 'nameless@example.com') RETURNING id", ORG);
            assertThat(fullName("core.users", id)).isNull();
            sql.exec("UPDATE core.users SET first_name = 'Grace' WHERE id = ?", id);
            assertThat(fullName("core.users", id)).isEqualTo("Grace");
            sql.exec("UPDATE core.users SET last_name = 'Hopper' WHERE id = ?", id);
            assertThat(fullName("core.users", id)).isEqualTo("Grace Hopper");
            sql.exec("UPDATE core.users SET first_name = NULL WHERE id = ?", id);
            assertThat(fullName("core.users", id)).isEqualTo("Hopper");
            sql.exec("UPDATE core.users SET first_name = '', last_name = '' WHERE id = ?", id);
            assertThat(fullName("core.users", id)).isNull();
        });
    }

    // ------------------------------------------------------------------------------------------------ deals

    @Test
    void dealAmountIsInMajorUnitsAndWeightedByProbability() {
        sql.rolledBack(() -> {
            UUID deal = id("INSERT INTO crm.deals (org_id, town_id, name, amount_cents) VALUES (?, ?, 'Big', 1250000) RETURNING id",
                    ORG, AURORA);
            // stage defaults to awareness, probability 5
            assertThat(dealAmounts(deal)).isEqualTo("amount=12500.00 probability=5 weighted=62500");
            sql.exec("UPDATE crm.deals SET amount_cents = 99 WHERE id = ?", deal);
            // bigint arithmetic: 99 * 5 / 100 = 4
            assertThat(dealAmounts(deal)).isEqualTo("amount=0.99 probability=5 weighted=4");
            sql.exec("UPDATE crm.deals SET probability = 50 WHERE id = ?", deal);
            assertThat(dealAmounts(deal)).isEqualTo("amount=0.99 probability=50 weighted=49");
            sql.exec("UPDATE crm.deals SET amount_cents = NULL WHERE id = ?", deal);
            assertThat(dealAmounts(deal)).isEqualTo("amount=null probability=50 weighted=null");
        });
    }

    @Test
    void anUnknownStageIsRefusedByTheStageForeignKeyEvenWithoutAProbability() {
        assertThatThrownBy(() -> sql.execRaw("INSERT INTO crm.deals (org_id, town_id, name, stage) VALUES ('"
                + ORG + "', '" + AURORA + "', 'Lost in space', 'no-such-stage')"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("violates foreign key constraint \"deals_stage_fkey\"")
                .hasMessageContaining("(stage)=(no-such-stage)")
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("23503"));
    }

    @Test
    void dealStageChangesTrackProbabilityTimesClosingAndHistory() {
        sql.rolledBack(() -> {
            UUID deal = id("""
                    INSERT INTO crm.deals (org_id, town_id, name, amount_cents, opened_at)
                    VALUES (?, ?, 'Tracked', 100000, now() - interval '10 days') RETURNING id""", ORG, AURORA);
            assertThat(stage(deal)).isEqualTo("awareness p=5 entered=now closed=null cycle=null");

            // not a stage change: no history, nothing reset
            sql.exec("UPDATE crm.deals SET stage_entered_at = now() - interval '3 days' WHERE id = ?", deal);
            assertThat(stage(deal)).isEqualTo("awareness p=5 entered=-259200 closed=null cycle=null");

            sql.exec("UPDATE crm.deals SET stage = 'proposal' WHERE id = ?", deal);
            assertThat(stage(deal)).isEqualTo("proposal p=60 entered=now closed=null cycle=null");

            // a probability set in the same UPDATE wins over the stage's
            sql.exec("UPDATE crm.deals SET stage = 'negotiation', probability = 90 WHERE id = ?", deal);
            assertThat(stage(deal)).isEqualTo("negotiation p=90 entered=now closed=null cycle=null");

            sql.exec("UPDATE crm.deals SET stage = 'closed_won' WHERE id = ?", deal);
            assertThat(stage(deal)).isEqualTo("closed_won p=100 entered=now closed=now cycle=10.0");

            // reopening clears the close
            sql.exec("UPDATE crm.deals SET stage = 'negotiation' WHERE id = ?", deal);
            assertThat(stage(deal)).isEqualTo("negotiation p=80 entered=now closed=null cycle=null");

            // a close time given with the stage is kept; the acting user is recorded in the history
            sql.exec("SET LOCAL townhall.user_id = '" + USER + "'");
            sql.exec("UPDATE crm.deals SET stage = 'closed_lost', closed_at = now() - interval '1 day' WHERE id = ?", deal);
            assertThat(stage(deal)).isEqualTo("closed_lost p=0 entered=now closed=-86400 cycle=9.0");

            assertThat(sql.texts("""
                    SELECT coalesce(from_stage, '-') || '>' || to_stage || ' days=' || coalesce(days_in_previous_stage::text, '-')
                           || ' by=' || coalesce((changed_by = ?)::text, '-')
                    FROM crm.deal_stage_history WHERE deal_id = ? ORDER BY changed_at, created_at, id""", USER, deal))
                    .hasSize(6)
                    .containsExactlyInAnyOrder(
                            "->awareness days=- by=-",
                            // the history row of the first change measures the 3 days set above: deal velocity
                            "awareness>proposal days=3.0 by=-",
                            "proposal>negotiation days=0.0 by=-",
                            "negotiation>closed_won days=0.0 by=-",
                            "closed_won>negotiation days=0.0 by=-",
                            "negotiation>closed_lost days=0.0 by=true");
        });
    }

    @Test
    void aDealCreatedClosedIsClosedAtOnceAndNeverBeforeItOpened() {
        sql.rolledBack(() -> {
            UUID won = id("INSERT INTO crm.deals (org_id, town_id, name, stage) VALUES (?, ?, 'Won', 'closed_won') RETURNING id",
                    ORG, AURORA);
            assertThat(stage(won)).isEqualTo("closed_won p=100 entered=now closed=now cycle=0.0");
            UUID future = id("""
                    INSERT INTO crm.deals (org_id, town_id, name, stage, opened_at)
                    VALUES (?, ?, 'Future', 'closed_lost', now() + interval '1 day') RETURNING id""", ORG, AURORA);
            assertThat(stage(future)).isEqualTo("closed_lost p=0 entered=now closed=86400 cycle=0.0");
        });
    }

    // ------------------------------------------------------------------------------------------------ engagement

    @Test
    void engagementFollowsInsertsUpdatesAndDeletesOfActivities() {
        sql.rolledBack(() -> {
            UUID company = id("INSERT INTO crm.companies (org_id, town_id, name) VALUES (?, ?, 'Engaged Inc') RETURNING id", ORG, AURORA);
            UUID p = contact("Pat", company);
            UUID q = contact("Quinn", null);
            UUID deal = id("""
                    INSERT INTO crm.deals (org_id, town_id, name, company_id, primary_contact_id)
                    VALUES (?, ?, 'Engaged deal', ?, ?) RETURNING id""", ORG, AURORA, company, p);
            assertThat(engagement("crm.contacts", p)).isEqualTo("score=0 touches=0 last=null type=null");

            // weights: meeting 10, call 8, inbound email 6, slack/sms inbound 4, linkedin outbound 3, note 1
            UUID meeting = activity("meeting", null, "now()", p, deal);
            assertThat(engagement("crm.contacts", p)).isEqualTo("score=10 touches=1 last=0 type=meeting");
            assertThat(engagement("crm.companies", company)).isEqualTo("score=10 touches=1 last=0");
            assertThat(lastActivity(deal)).isEqualTo("0");

            // half the weight after 30 days: 6 x 0.5 = 3
            UUID email = activity("email", "inbound", "now() - interval '30 days'", p, null);
            assertThat(engagement("crm.contacts", p)).isEqualTo("score=13 touches=2 last=0 type=meeting");
            assertThat(engagement("crm.companies", company)).isEqualTo("score=13 touches=2 last=0");

            // several rows in one statement; a future-dated touch counts fully and is the last touch
            sql.exec("""
                    INSERT INTO crm.activities (org_id, town_id, activity_type, direction, occurred_at, contact_id) VALUES
                        (?, ?, 'call', 'outbound', now() - interval '1 minute', ?),
                        (?, ?, 'note', NULL, now() - interval '2 minutes', ?),
                        (?, ?, 'slack', 'inbound', now() - interval '3 minutes', ?),
                        (?, ?, 'linkedin', 'outbound', now() + interval '1 day', ?),
                        (?, ?, 'sms', 'inbound', now() - interval '4 minutes', ?)""",
                    ORG, AURORA, p, ORG, AURORA, p, ORG, AURORA, p, ORG, AURORA, p, ORG, AURORA, q);
            assertThat(engagement("crm.contacts", p)).isEqualTo("score=29 touches=6 last=86400 type=linkedin");
            assertThat(engagement("crm.contacts", q)).isEqualTo("score=4 touches=1 last=-240 type=sms");
            assertThat(engagement("crm.companies", company)).isEqualTo("score=29 touches=6 last=86400");

            // moving a touch to another contact refreshes both (its company stays: it was defaulted on insert)
            sql.exec("UPDATE crm.activities SET contact_id = ? WHERE contact_id = ? AND activity_type = 'slack'", q, p);
            assertThat(engagement("crm.contacts", p)).isEqualTo("score=25 touches=5 last=86400 type=linkedin");
            assertThat(engagement("crm.contacts", q)).isEqualTo("score=8 touches=2 last=-180 type=slack");
            assertThat(engagement("crm.companies", company)).isEqualTo("score=29 touches=6 last=86400");

            // an older touch decays further: 6 x 0.5^3 = 0.75 (22.75 rounds to 23)
            sql.exec("UPDATE crm.activities SET occurred_at = now() - interval '90 days' WHERE id = ?", email);
            assertThat(engagement("crm.contacts", p)).isEqualTo("score=23 touches=5 last=86400 type=linkedin");
            assertThat(engagement("crm.companies", company)).isEqualTo("score=27 touches=6 last=86400");

            sql.exec("DELETE FROM crm.activities WHERE id = ?", meeting);
            assertThat(engagement("crm.contacts", p)).isEqualTo("score=13 touches=4 last=86400 type=linkedin");
            assertThat(engagement("crm.companies", company)).isEqualTo("score=17 touches=5 last=86400");
            assertThat(lastActivity(deal)).isEqualTo("null");

            // (a contact left with no activity at all: see engagementIsZeroWithoutActivities)
            sql.exec("DELETE FROM crm.activities WHERE contact_id = ?", p);
            assertThat(engagement("crm.contacts", p)).endsWith(" touches=0 last=null type=null");
            // the slack touch, now Quinn's, still belongs to the company
            assertThat(engagement("crm.companies", company)).isEqualTo("score=4 touches=1 last=-180");

            // the score is capped at 100
            sql.exec("""
                    INSERT INTO crm.activities (org_id, town_id, activity_type, occurred_at, contact_id)
                    SELECT ?, ?, 'meeting', now(), ? FROM generate_series(1, 11)""", ORG, AURORA, q);
            assertThat(engagement("crm.contacts", q)).isEqualTo("score=100 touches=13 last=0 type=meeting");
        });
    }

    /**
     * A contact or company whose last activity is deleted or moved away, or that never had one when the town is
     * refreshed, has no engagement: score 0, like a new row.
     */
    @Test
    void engagementIsZeroWithoutActivities() {
        sql.rolledBack(() -> {
            UUID company = id("INSERT INTO crm.companies (org_id, town_id, name) VALUES (?, ?, 'Quiet Co') RETURNING id", ORG, AURORA);
            UUID deleted = contact("Deleted", company);
            UUID moved = contact("Moved", null);
            UUID never = contact("Never", null);
            UUID other = contact("Other", null);
            UUID a1 = activity("call", "outbound", "now()", deleted, null);
            UUID a2 = activity("call", "outbound", "now()", moved, null);
            assertThat(engagement("crm.contacts", deleted)).isEqualTo("score=8 touches=1 last=0 type=call");
            assertThat(engagement("crm.companies", company)).isEqualTo("score=8 touches=1 last=0");

            sql.exec("DELETE FROM crm.activities WHERE id = ?", a1);
            sql.exec("UPDATE crm.activities SET contact_id = ? WHERE id = ?", other, a2);
            sql.exec("SELECT crm.refresh_town_engagement(?)", AURORA);

            SoftAssertions.assertSoftly(soft -> {
                soft.assertThat(engagement("crm.contacts", deleted)).as("contact, last activity deleted")
                        .isEqualTo("score=0 touches=0 last=null type=null");
                soft.assertThat(engagement("crm.companies", company)).as("company, last activity deleted")
                        .isEqualTo("score=0 touches=0 last=null");
                soft.assertThat(engagement("crm.contacts", moved)).as("contact, last activity moved away")
                        .isEqualTo("score=0 touches=0 last=null type=null");
                soft.assertThat(engagement("crm.contacts", never)).as("contact never touched, after a town refresh")
                        .isEqualTo("score=0 touches=0 last=null type=null");
            });
        });
    }

    /** The owner's bulk loads (the importer) may defer the per-statement refresh to one town refresh (crm-120). */
    @Test
    void theOwnerMayDeferEngagementToOneTownRefresh() {
        sql.rolledBack(() -> {
            UUID p = contact("Deferred", null);
            sql.exec("SELECT set_config('townhall.defer_engagement', 'on', true)");
            activity("meeting", null, "now()", p, null);
            assertThat(engagement("crm.contacts", p)).as("deferred").isEqualTo("score=0 touches=0 last=null type=null");
            sql.exec("SELECT crm.refresh_town_engagement(?)", AURORA);
            assertThat(engagement("crm.contacts", p)).isEqualTo("score=10 touches=1 last=0 type=meeting");
            sql.exec("SELECT set_config('townhall.defer_engagement', 'off', true)");
            activity("call", "outbound", "now()", p, null);
            assertThat(engagement("crm.contacts", p)).as("not deferred any more").startsWith("score=18 touches=2 ");
        });
    }

    @Test
    void aCopyOfActivitiesRefreshesEngagement() {
        sql.rolledBack(() -> {
            UUID p = contact("Copy", null);
            OffsetDateTime now = sql.value(OffsetDateTime.class, "SELECT now()");
            StringBuilder csv = new StringBuilder();
            for (int i = 0; i < 3; i++) {
                csv.append(ORG).append(',').append(AURORA).append(",call,outbound,").append(now).append(',').append(p).append('\n');
            }
            try {
                long copied = new CopyManager(sql.connection().unwrap(BaseConnection.class)).copyIn(
                        "COPY crm.activities (org_id, town_id, activity_type, direction, occurred_at, contact_id) FROM STDIN (FORMAT csv)",
                        new StringReader(csv.toString()));
                assertThat(copied).isEqualTo(3);
            } catch (SQLException | IOException e) {
                throw new IllegalStateException(e);
            }
            assertThat(engagement("crm.contacts", p)).isEqualTo("score=24 touches=3 last=0 type=call");
        });
    }

    @Test
    void refreshTownEngagementRecomputesEveryRowOfTheTown() {
        sql.rolledBack(() -> {
            UUID p = contact("Decay", null);
            activity("meeting", null, "now() - interval '30 days'", p, null);
            assertThat(engagement("crm.contacts", p)).isEqualTo("score=5 touches=1 last=-2592000 type=meeting");
            // what time passing looks like to a stored score: it no longer matches the activities
            sql.exec("UPDATE crm.contacts SET engagement_score = 99, touch_count = 7 WHERE id = ?", p);
            long examined = sql.value(Long.class, "SELECT crm.refresh_town_engagement(?)::bigint", AURORA);
            long rows = sql.value(Long.class, """
                    SELECT (SELECT count(*) FROM crm.contacts WHERE town_id = ?) + (SELECT count(*) FROM crm.companies WHERE town_id = ?)
                         + (SELECT count(*) FROM crm.deals WHERE town_id = ?)""", AURORA, AURORA, AURORA);
            assertThat(examined).isEqualTo(rows);
            assertThat(engagement("crm.contacts", p)).isEqualTo("score=5 touches=1 last=-2592000 type=meeting");
        });
    }

    @Test
    void anActivityDefaultsToTheCompanyOfItsContact() {
        sql.rolledBack(() -> {
            UUID company = id("INSERT INTO crm.companies (org_id, town_id, name) VALUES (?, ?, 'Default Co') RETURNING id", ORG, AURORA);
            UUID other = id("INSERT INTO crm.companies (org_id, town_id, name) VALUES (?, ?, 'Other Co') RETURNING id", ORG, AURORA);
            UUID withCompany = contact("With", company);
            UUID without = contact("Without", null);

            UUID a1 = activity("note", null, "now()", withCompany, null);
            assertThat(companyOf(a1)).isEqualTo(company);
            UUID a2 = id("""
                    INSERT INTO crm.activities (org_id, town_id, activity_type, occurred_at, contact_id, company_id)
                    VALUES (?, ?, 'note', now(), ?, ?) RETURNING id""", ORG, AURORA, withCompany, other);
            assertThat(companyOf(a2)).as("an explicit company is kept").isEqualTo(other);
            UUID a3 = activity("note", null, "now()", without, null);
            assertThat(companyOf(a3)).isNull();
            sql.exec("UPDATE crm.activities SET contact_id = ? WHERE id = ?", withCompany, a3);
            assertThat(companyOf(a3)).as("defaulted again when the contact changes and no company is set").isEqualTo(company);
        });
    }

    // ------------------------------------------------------------------------------------------------ meetings

    @Test
    void meetingHealthFollowsAgendaDurationAndAttendeeRows() {
        sql.rolledBack(() -> {
            UUID m = id("""
                    INSERT INTO work.meetings (org_id, town_id, title, started_at, duration_minutes, agenda)
                    VALUES (?, ?, 'Standup', now(), 25, '1. blockers') RETURNING id""", ORG, AURORA);
            // agenda 40 + <= 30 min 30 + 0 attendees 0
            assertThat(health(m)).isEqualTo("attendees=0 agenda=true score=70 healthy");

            sql.exec("""
                    INSERT INTO work.meeting_attendees (org_id, town_id, meeting_id, display_name)
                    SELECT ?, ?, ?, 'P' || g FROM generate_series(1, 3) g""", ORG, AURORA, m);
            assertThat(health(m)).isEqualTo("attendees=3 agenda=true score=100 healthy");

            sql.exec("UPDATE work.meetings SET agenda = '   ', duration_minutes = 120 WHERE id = ?", m);
            assertThat(health(m)).isEqualTo("attendees=3 agenda=false score=30 problematic");

            sql.exec("UPDATE work.meetings SET agenda = 'Plan', duration_minutes = 75 WHERE id = ?", m);
            assertThat(health(m)).isEqualTo("attendees=3 agenda=true score=80 healthy");

            sql.exec("""
                    INSERT INTO work.meeting_attendees (org_id, town_id, meeting_id, display_name)
                    SELECT ?, ?, ?, 'Q' || g FROM generate_series(1, 10) g""", ORG, AURORA, m);
            assertThat(health(m)).isEqualTo("attendees=13 agenda=true score=50 warning");

            sql.exec("DELETE FROM work.meeting_attendees WHERE meeting_id = ? AND display_name LIKE 'Q%' AND display_name <> 'Q1'", m);
            // 4 attendees again, duration unknown
            sql.exec("UPDATE work.meetings SET duration_minutes = NULL WHERE id = ?", m);
            assertThat(health(m)).isEqualTo("attendees=4 agenda=true score=85 healthy");

            // moving an attendee recounts both meetings
            UUID other = id("""
                    INSERT INTO work.meetings (org_id, town_id, title, started_at, duration_minutes)
                    VALUES (?, ?, 'Retro', now(), 90) RETURNING id""", ORG, AURORA);
            sql.exec("UPDATE work.meeting_attendees SET meeting_id = ? WHERE meeting_id = ? AND display_name = 'Q1'", other, m);
            assertThat(health(m)).isEqualTo("attendees=3 agenda=true score=85 healthy");
            assertThat(health(other)).isEqualTo("attendees=1 agenda=false score=25 problematic");

            // attendee_count may be set directly when attendee rows are unknown
            sql.exec("UPDATE work.meetings SET attendee_count = 7 WHERE id = ?", other);
            assertThat(health(other)).isEqualTo("attendees=7 agenda=false score=30 problematic");

            sql.exec("DELETE FROM work.meetings WHERE id = ?", m);
            assertThat(sql.value(Long.class, "SELECT count(*) FROM work.meeting_attendees WHERE meeting_id = ?", m)).isZero();
        });
    }

    /** Every combination of the documented bands, against a model of docs/schema.md's rule. */
    @Test
    void meetingHealthMatchesTheDocumentedRuleOverAGrid() {
        String[] agendas = {null, "", "   ", "Agenda"};
        Integer[] durations = {null, 0, 1, 30, 31, 60, 61, 90, 91, 600};
        Integer[] attendees = {0, 1, 2, 5, 6, 8, 9, 12, 13, 50};
        sql.rolledBack(() -> {
            sql.exec("""
                    INSERT INTO work.meetings (org_id, town_id, title, started_at, agenda, duration_minutes, attendee_count)
                    SELECT ?, ?, 'grid', now(), a, d, n
                    FROM unnest(?::text[]) a, unnest(?::int[]) d, unnest(?::int[]) n""",
                    ORG, AURORA, agendas, durations, attendees);
            List<Map<String, Object>> rows = sql.rows("""
                    SELECT agenda, duration_minutes, attendee_count, has_agenda, health_score, health_status
                    FROM work.meetings WHERE title = 'grid'""");
            assertThat(rows).hasSize(agendas.length * durations.length * attendees.length);
            List<String> mismatches = new ArrayList<>();
            for (Map<String, Object> r : rows) {
                String agenda = (String) r.get("agenda");
                Integer duration = (Integer) r.get("duration_minutes");
                int count = (Integer) r.get("attendee_count");
                int expected = expectedHealth(agenda, duration, count);
                String expectedStatus = expected >= 70 ? "healthy" : expected >= 40 ? "warning" : "problematic";
                boolean expectedAgenda = agenda != null && !agenda.isBlank();
                if (((Number) r.get("health_score")).intValue() != expected || !expectedStatus.equals(r.get("health_status"))
                        || !r.get("has_agenda").equals(expectedAgenda)) {
                    mismatches.add(r + " expected " + expected + " " + expectedStatus);
                }
            }
            assertThat(mismatches).isEmpty();
        });
    }

    private static int expectedHealth(String agenda, Integer duration, int attendees) {
        int score = agenda != null && !agenda.isBlank() ? 40 : 0;
        score += duration == null ? 15 : duration <= 30 ? 30 : duration <= 60 ? 20 : duration <= 90 ? 10 : 0;
        score += attendees >= 2 && attendees <= 5 ? 30 : attendees >= 6 && attendees <= 8 ? 20 : attendees == 1 ? 15
                : attendees >= 9 && attendees <= 12 ? 10 : 0;
        return score;
    }

    // ------------------------------------------------------------------------------------------------ tasks, time

    @Test
    void taskCompletedAtFollowsTheStatus() {
        sql.rolledBack(() -> {
            UUID t = id("INSERT INTO work.tasks (org_id, town_id, title) VALUES (?, ?, 'Do it') RETURNING id", ORG, AURORA);
            assertThat(completed(t)).isEqualTo("todo null");
            sql.exec("UPDATE work.tasks SET status = 'done' WHERE id = ?", t);
            assertThat(completed(t)).isEqualTo("done now");
            sql.exec("UPDATE work.tasks SET status = 'doing' WHERE id = ?", t);
            assertThat(completed(t)).isEqualTo("doing null");
            sql.exec("UPDATE work.tasks SET status = 'done', completed_at = now() - interval '2 days' WHERE id = ?", t);
            assertThat(completed(t)).as("a completion time given with the status is kept").isEqualTo("done -172800");
            sql.exec("UPDATE work.tasks SET title = 'Did it' WHERE id = ?", t);
            assertThat(completed(t)).isEqualTo("done -172800");
            sql.exec("UPDATE work.tasks SET completed_at = NULL WHERE id = ?", t);
            assertThat(completed(t)).as("a done task cannot lose its completion time").isEqualTo("done now");
            sql.exec("UPDATE work.tasks SET status = 'todo' WHERE id = ?", t);
            assertThat(completed(t)).isEqualTo("todo null");

            UUID done = id("INSERT INTO work.tasks (org_id, town_id, title, status) VALUES (?, ?, 'Done', 'done') RETURNING id",
                    ORG, AURORA);
            assertThat(completed(done)).isEqualTo("done now");
            UUID todo = id("""
                    INSERT INTO work.tasks (org_id, town_id, title, status, completed_at)
                    VALUES (?, ?, 'Todo', 'todo', now()) RETURNING id""", ORG, AURORA);
            assertThat(completed(todo)).isEqualTo("todo null");
        });
    }

    @Test
    void calendarAndFocusDurationsFollowStartAndEnd() {
        sql.rolledBack(() -> {
            UUID e = id("""
                    INSERT INTO work.calendar_events (org_id, town_id, title, starts_at, ends_at)
                    VALUES (?, ?, 'Call', now(), now() + interval '90 minutes') RETURNING id""", ORG, AURORA);
            assertThat(duration("work.calendar_events", e)).isEqualTo(90);
            sql.exec("UPDATE work.calendar_events SET ends_at = starts_at + interval '45 minutes' WHERE id = ?", e);
            assertThat(duration("work.calendar_events", e)).isEqualTo(45);
            sql.exec("UPDATE work.calendar_events SET starts_at = ends_at WHERE id = ?", e);
            assertThat(duration("work.calendar_events", e)).isZero();

            UUID f = id("""
                    INSERT INTO work.focus_blocks (org_id, town_id, user_id, starts_at, ends_at)
                    VALUES (?, ?, ?, now(), now() + interval '2 hours') RETURNING id""", ORG, AURORA, USER);
            assertThat(duration("work.focus_blocks", f)).isEqualTo(120);
            sql.exec("UPDATE work.focus_blocks SET starts_at = starts_at + interval '1 hour' WHERE id = ?", f);
            assertThat(duration("work.focus_blocks", f)).isEqualTo(60);
        });
    }

    // ------------------------------------------------------------------------------------------------ conversations

    static Stream<Arguments> conversationTables() {
        return Stream.of(Arguments.of("comms"), Arguments.of("code"));
    }

    @ParameterizedTest(name = "{0}.conversations")
    @MethodSource("conversationTables")
    void conversationCountsFollowTheirMessages(String schema) {
        sql.rolledBack(() -> {
            UUID c1 = id("INSERT INTO " + schema + ".conversations (org_id, town_id) VALUES (?, ?) RETURNING id", ORG, AURORA);
            UUID c2 = id("INSERT INTO " + schema + ".conversations (org_id, town_id) VALUES (?, ?) RETURNING id", ORG, AURORA);
            assertThat(counts(schema, c1)).as(schema).isEqualTo("0 null");
            String insert = "INSERT INTO " + schema + ".messages (org_id, town_id, conversation_id, role, content, created_at) VALUES ";
            sql.exec(insert + "(?, ?, ?, 'user', 'one', now() - interval '3 minutes'), (?, ?, ?, 'assistant', 'two', now() - interval '2 minutes')",
                    ORG, AURORA, c1, ORG, AURORA, c1);
            assertThat(counts(schema, c1)).as(schema).isEqualTo("2 -120");
            sql.exec(insert + "(?, ?, ?, 'user', 'three', now() - interval '1 minute')", ORG, AURORA, c1);
            assertThat(counts(schema, c1)).as(schema).isEqualTo("3 -60");
            sql.exec("DELETE FROM " + schema + ".messages WHERE conversation_id = ? AND content = 'three'", c1);
            assertThat(counts(schema, c1)).as(schema).isEqualTo("2 -120");
            sql.exec("UPDATE " + schema + ".messages SET conversation_id = ? WHERE conversation_id = ? AND content = 'two'", c2, c1);
            assertThat(counts(schema, c1)).as(schema).isEqualTo("1 -180");
            assertThat(counts(schema, c2)).as(schema).isEqualTo("1 -120");
            sql.exec("DELETE FROM " + schema + ".messages WHERE conversation_id IN (?, ?)", c1, c2);
            assertThat(counts(schema, c1)).as(schema).isEqualTo("0 null");
            assertThat(counts(schema, c2)).as(schema).isEqualTo("0 null");
        });
    }

    // ------------------------------------------------------------------------------------------------ personality state

    @Test
    void moodChangesStampTheInstanceAndAppendMoodEvents() {
        sql.rolledBack(() -> {
            UUID conversation = id("INSERT INTO comms.conversations (org_id, town_id) VALUES (?, ?) RETURNING id", ORG, FLUENTI);
            sql.exec("SET LOCAL townhall.mood_reason = 'created'");
            sql.exec("SET LOCAL townhall.mood_explanation = 'first conversation'");
            sql.exec("SET LOCAL townhall.conversation_id = '" + conversation + "'");
            UUID instance = id("""
                    INSERT INTO ai.personality_instances (org_id, town_id, user_id, personality_id, mood_changed_at, last_interface)
                    SELECT ?, ?, ?, id, now() - interval '1 day', 'chat' FROM ai.personalities WHERE slug = 'kristina'
                    RETURNING id""", ORG, FLUENTI, USER);
            assertThat(moodEvents(instance)).containsExactly(
                    "-> friendly reason=created why=first conversation via=chat conversation=true at=-86400 flirt=5 gg=5");

            sql.exec("SET LOCAL townhall.mood_reason = 'signal:deadline'");
            sql.exec("SET LOCAL townhall.mood_explanation = ''");
            sql.exec("""
                    UPDATE ai.personality_instances
                    SET current_mood = ai.calculate_mood('deadline', 7, flirt_level, cocktail_lightning_energy),
                        gandhi_genghis = 7, last_interface = 'cli'
                    WHERE id = ?""", instance);
            assertThat(sql.value(String.class, "SELECT current_mood || ' ' || extract(epoch FROM mood_changed_at - now())::bigint FROM ai.personality_instances WHERE id = ?",
                    instance)).isEqualTo("bossy 0");
            String created = "-> friendly reason=created why=first conversation via=chat conversation=true at=-86400 flirt=5 gg=5";
            String toBossy = "friendly> bossy reason=signal:deadline why=null via=cli conversation=true at=0 flirt=5 gg=7";
            assertThat(moodEvents(instance)).containsExactlyInAnyOrder(created, toBossy);

            // no mood change, no event, no new stamp
            sql.exec("UPDATE ai.personality_instances SET flirt_level = 8, mood_changed_at = now() - interval '1 hour' WHERE id = ?", instance);
            sql.exec("UPDATE ai.personality_instances SET current_mood = 'bossy' WHERE id = ?", instance);
            assertThat(moodEvents(instance)).containsExactlyInAnyOrder(created, toBossy);
            assertThat(sql.value(Long.class, "SELECT extract(epoch FROM mood_changed_at - now())::bigint FROM ai.personality_instances WHERE id = ?",
                    instance)).isEqualTo(-3600);

            // a conversation of another town is not recorded; a time given with the mood is kept
            sql.exec("SET LOCAL townhall.conversation_id = '" + SchemaFixtures.CONVERSATION_A + "'");
            sql.exec("UPDATE ai.personality_instances SET current_mood = 'playful', mood_changed_at = now() - interval '5 minutes' WHERE id = ?",
                    instance);
            assertThat(moodEvents(instance)).containsExactlyInAnyOrder(created, toBossy,
                    "bossy> playful reason=signal:deadline why=null via=cli conversation=false at=-300 flirt=8 gg=7");
        });
    }

    // ------------------------------------------------------------------------------------------------ model usage

    @Test
    void modelUsageTotalsTokensAndCostsKnownModels() {
        sql.rolledBack(() -> {
            // gpt-4o: 2.50 USD per million input tokens, 10.00 per million output tokens
            UUID gpt4o = usage("gpt-4o", 1000, 500, null);
            assertThat(usage(gpt4o)).isEqualTo("tokens=1500 cost=0.007500");
            UUID unknown = usage("my-local-llm", 10, 10, null);
            assertThat(usage(unknown)).isEqualTo("tokens=20 cost=null");
            UUID given = usage("gpt-4o", 10, 10, "1.23");
            assertThat(usage(given)).as("a cost the caller gives is kept").isEqualTo("tokens=20 cost=1.230000");

            sql.exec("UPDATE ai.model_usage SET output_tokens = 1500 WHERE id = ?", gpt4o);
            assertThat(usage(gpt4o)).startsWith("tokens=2500 ");
            // clearing the cost asks for it again
            sql.exec("UPDATE ai.model_usage SET cost_usd = NULL WHERE id = ?", gpt4o);
            assertThat(usage(gpt4o)).isEqualTo("tokens=2500 cost=0.017500");
        });
    }

    /**
     * The cost is derived from model and tokens ("computed from ai.models prices when not given"), and the trigger
     * fires on UPDATE OF model, input_tokens, output_tokens; a correction of the tokens or the model must therefore
     * re-cost the call unless the same UPDATE gives a cost.
     */
    @Test
    void modelUsageCostFollowsTokenAndModelChanges() {
        sql.rolledBack(() -> {
            // gpt-4o-mini: 0.15 USD per million input tokens, 0.60 per million output tokens
            UUID call = usage("gpt-4o-mini", 1000, 1000, null);
            assertThat(usage(call)).isEqualTo("tokens=2000 cost=0.000750");
            sql.exec("UPDATE ai.model_usage SET input_tokens = 2000000 WHERE id = ?", call);
            assertThat(usage(call)).isEqualTo("tokens=2001000 cost=0.300600");
            sql.exec("UPDATE ai.model_usage SET model = 'gpt-4o' WHERE id = ?", call);
            assertThat(usage(call)).isEqualTo("tokens=2001000 cost=5.010000");
            sql.exec("UPDATE ai.model_usage SET output_tokens = 0, cost_usd = 9 WHERE id = ?", call);
            assertThat(usage(call)).as("a cost given in the same UPDATE wins").isEqualTo("tokens=2000000 cost=9.000000");
        });
    }

    // ------------------------------------------------------------------------------------------------ legacy

    @Test
    void reconciliationShowsUnaccountedRowsAndThePlanDifference() {
        sql.rolledBack(() -> {
            UUID r = id("""
                    INSERT INTO legacy.reconciliation (run_id, source_db, source_table, expected_rows, rows_read,
                                                       rows_imported, rows_merged, rows_quarantined)
                    VALUES (?, 'robbie', 'tasks', 98, 100, 90, 5, 3) RETURNING id""", SchemaFixtures.RUN);
            assertThat(reconciliation(r)).isEqualTo("unaccounted=2 plan=2");
            sql.exec("UPDATE legacy.reconciliation SET rows_quarantined = 5 WHERE id = ?", r);
            assertThat(reconciliation(r)).isEqualTo("unaccounted=0 plan=2");
            sql.exec("UPDATE legacy.reconciliation SET expected_rows = NULL, rows_read = 95 WHERE id = ?", r);
            assertThat(reconciliation(r)).isEqualTo("unaccounted=-5 plan=null");
        });
    }

    // ------------------------------------------------------------------------------------------------ full text

    /** Each table's generated search column: (table, title-ish column weighted A or null, body column, base row). */
    static Stream<Arguments> searchColumns() {
        return Stream.of(
                Arguments.of(ConstraintsTest.ACTIVITIES, "subject", "body"),
                Arguments.of(ConstraintsTest.MESSAGES, null, "content"),
                Arguments.of(ConstraintsTest.CODE_MESSAGES, null, "content"),
                Arguments.of(ConstraintsTest.EMAILS, "subject", "body_text"),
                Arguments.of(ConstraintsTest.SLACK_MESSAGES, null, "body"),
                Arguments.of(ConstraintsTest.MEETING_TRANSCRIPTS, "summary", "content"),
                Arguments.of(ConstraintsTest.KNOWLEDGE_BASE, "title", "content"),
                Arguments.of(ConstraintsTest.DOCUMENTS, "title", "content_text"),
                Arguments.of(ConstraintsTest.INSIGHTS, "title", "body"),
                Arguments.of(ConstraintsTest.MARKET_INTELLIGENCE, "title", "content"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("searchColumns")
    void theSearchColumnFollowsTheText(ConstraintsTest.Row base, String titleColumn, String bodyColumn) {
        sql.rolledBack(() -> {
            ConstraintsTest.Row row = base.with(bodyColumn, "'the giraffes graze'");
            if (titleColumn != null) {
                row = row.with(titleColumn, "'Zebras crossing'");
            }
            UUID id = id(row.insert() + " RETURNING id");
            String table = base.table();
            assertThat(matches(table, id, "giraffe")).as(table + " body word").isTrue();
            if (titleColumn != null) {
                assertThat(matches(table, id, "zebra:A")).as(table + " title words weigh A").isTrue();
                assertThat(matches(table, id, "giraffe:B")).as(table + " body words weigh B").isTrue();
                assertThat(matches(table, id, "giraffe:A")).as(table + " body words do not weigh A").isFalse();
            }
            sql.exec("UPDATE " + table + " SET " + bodyColumn + " = 'elephants trumpet' WHERE id = ?", id);
            assertThat(matches(table, id, "giraffe")).as(table + " old body word gone").isFalse();
            assertThat(matches(table, id, "elephant")).as(table + " new body word").isTrue();
            // only the first 100,000 characters of a body are indexed
            sql.exec("UPDATE " + table + " SET " + bodyColumn + " = repeat('x', 100000) || ' walrus' WHERE id = ?", id);
            assertThat(matches(table, id, "walrus")).as(table + " word after 100,000 characters").isFalse();
        });
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private UUID id(String insertReturningId, Object... params) {
        return sql.value(UUID.class, insertReturningId, params);
    }

    private UUID contact(String firstName, UUID company) {
        return id("INSERT INTO crm.contacts (org_id, town_id, first_name, company_id) VALUES (?, ?, ?, ?) RETURNING id",
                ORG, AURORA, firstName, company);
    }

    private UUID activity(String type, String direction, String occurredAt, UUID contact, UUID deal) {
        return id("INSERT INTO crm.activities (org_id, town_id, activity_type, direction, occurred_at, contact_id, deal_id) "
                + "VALUES (?, ?, ?, ?, " + occurredAt + ", ?, ?) RETURNING id", ORG, AURORA, type, direction, contact, deal);
    }

    private UUID usage(String model, int input, int output, String cost) {
        return id("""
                INSERT INTO ai.model_usage (org_id, town_id, provider, model, input_tokens, output_tokens, cost_usd)
                VALUES (?, ?, 'openai', ?, ?, ?, ?::numeric) RETURNING id""", ORG, AURORA, model, input, output, cost);
    }

    private String fullName(String table, UUID id) {
        return sql.value(String.class, "SELECT full_name FROM " + table + " WHERE id = ?", id);
    }

    private String dealAmounts(UUID deal) {
        return sql.value(String.class, """
                SELECT 'amount=' || coalesce(amount::text, 'null') || ' probability=' || probability
                       || ' weighted=' || coalesce(weighted_amount_cents::text, 'null')
                FROM crm.deals WHERE id = ?""", deal);
    }

    /** Stage, probability, stage_entered_at / closed_at as "now" or seconds from now, cycle days. */
    private String stage(UUID deal) {
        return sql.value(String.class, """
                SELECT stage || ' p=' || probability
                       || ' entered=' || CASE WHEN stage_entered_at = now() THEN 'now'
                                              ELSE extract(epoch FROM stage_entered_at - now())::bigint::text END
                       || ' closed=' || CASE WHEN closed_at IS NULL THEN 'null' WHEN closed_at = now() THEN 'now'
                                             ELSE extract(epoch FROM closed_at - now())::bigint::text END
                       || ' cycle=' || coalesce(cycle_days::text, 'null')
                FROM crm.deals WHERE id = ?""", deal);
    }

    /** Score, touch count, last touch as seconds from now, and (contacts) the last touch type. */
    private String engagement(String table, UUID id) {
        boolean contact = table.equals("crm.contacts");
        return sql.value(String.class, "SELECT 'score=' || engagement_score || ' touches=' || touch_count || ' last='"
                + " || coalesce(extract(epoch FROM last_touch_at - now())::bigint::text, 'null')"
                + (contact ? " || ' type=' || coalesce(last_touch_type, 'null')" : "")
                + " FROM " + table + " WHERE id = ?", id);
    }

    private String lastActivity(UUID deal) {
        return sql.value(String.class,
                "SELECT coalesce(extract(epoch FROM last_activity_at - now())::bigint::text, 'null') FROM crm.deals WHERE id = ?", deal);
    }

    private UUID companyOf(UUID activity) {
        return sql.value(UUID.class, "SELECT company_id FROM crm.activities WHERE id = ?", activity);
    }

    private String health(UUID meeting) {
        return sql.value(String.class, """
                SELECT 'attendees=' || attendee_count || ' agenda=' || has_agenda || ' score=' || health_score || ' ' || health_status
                FROM work.meetings WHERE id = ?""", meeting);
    }

    private String completed(UUID task) {
        return sql.value(String.class, """
                SELECT status || ' ' || CASE WHEN completed_at IS NULL THEN 'null' WHEN completed_at = now() THEN 'now'
                                             ELSE extract(epoch FROM completed_at - now())::bigint::text END
                FROM work.tasks WHERE id = ?""", task);
    }

    private int duration(String table, UUID id) {
        return sql.value(Integer.class, "SELECT duration_minutes FROM " + table + " WHERE id = ?", id);
    }

    private String counts(String schema, UUID conversation) {
        return sql.value(String.class, "SELECT message_count || ' ' || coalesce(extract(epoch FROM last_message_at - now())::bigint::text, 'null') FROM "
                + schema + ".conversations WHERE id = ?", conversation);
    }

    private List<String> moodEvents(UUID instance) {
        return sql.texts("""
                SELECT coalesce(from_mood || '>', '->') || ' ' || to_mood || ' reason=' || coalesce(reason, 'null')
                       || ' why=' || coalesce(explanation, 'null') || ' via=' || coalesce(interface, 'null')
                       || ' conversation=' || (conversation_id IS NOT NULL)
                       || ' at=' || extract(epoch FROM occurred_at - now())::bigint
                       || ' flirt=' || flirt_level || ' gg=' || gandhi_genghis
                FROM ai.mood_events WHERE instance_id = ?""", instance);
    }

    private String usage(UUID id) {
        return sql.value(String.class,
                "SELECT 'tokens=' || total_tokens || ' cost=' || coalesce(cost_usd::text, 'null') FROM ai.model_usage WHERE id = ?", id);
    }

    private String reconciliation(UUID id) {
        return sql.value(String.class, """
                SELECT 'unaccounted=' || unaccounted_rows || ' plan=' || coalesce(plan_difference::text, 'null')
                FROM legacy.reconciliation WHERE id = ?""", id);
    }

    private boolean matches(String table, UUID id, String tsquery) {
        return sql.value(Boolean.class, "SELECT search @@ to_tsquery('english', ?) FROM " + table + " WHERE id = ?", tsquery, id);
    }
}
