package dev.townhall.legacy.generate;

import dev.townhall.legacy.LegacySql;
import dev.townhall.db.Endpoint;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every kind of mess legacy-schemas.md lists is in the generated data, found by querying for it the way an importer
 * would have to, and in realistic proportions: present, but not everywhere.
 */
@ExtendWith(PostgresExtension.class)
class LegacyMessTest {
    private static final String ROBBIE = "legacy_robbie_mess";
    private static final String ROBBIE_ALLAN = "legacy_robbie_allan_mess";
    /** What a mojibake detector would look for: UTF-8 read as Windows-1252 or as Mac Roman. */
    private static final String MOJIBAKE = "'(Ã[\\x80-\\xBF©¨¼¶±¸¤§]|â€|üéØ|Ã¼|Ã©)'";

    private static Endpoint admin;
    private static Endpoint robbie;
    private static Endpoint allan;

    @BeforeAll
    static void generate(TestCluster cluster) {
        admin = cluster.cluster().superuserEndpoint();
        LegacyGenerator.into(LegacyTarget.freshDatabase(admin, ROBBIE), LegacyTarget.freshDatabase(admin, ROBBIE_ALLAN))
                .generate();
        robbie = admin.withDatabase(ROBBIE);
        allan = admin.withDatabase(ROBBIE_ALLAN);
    }

    @AfterAll
    static void drop() {
        LegacySql.dropDatabase(admin, ROBBIE);
        LegacySql.dropDatabase(admin, ROBBIE_ALLAN);
    }

    @Test
    void apolloTablesRepeatIds() {
        assertThat(count("SELECT count(*) FROM (SELECT apollo_id FROM apollo_companies GROUP BY 1 HAVING count(*) > 1) d"))
                .isBetween(5L, 50L);
        assertThat(count("SELECT count(*) FROM (SELECT id FROM apollo_contacts GROUP BY 1 HAVING count(*) > 1) d"))
                .isBetween(10L, 100L);
        assertThat(count("SELECT count(*) FROM (SELECT apollo_id FROM apollo_companies c GROUP BY 1"
                + " HAVING count(*) > 1 AND count(DISTINCT c::text) > 1) d"))
                .as("some repeats are exact copies, some were enriched again").isPositive();
        assertThat(count("SELECT count(*) FROM (SELECT apollo_id FROM apollo_companies c GROUP BY 1"
                + " HAVING count(*) > 1 AND count(DISTINCT c::text) = 1) d")).isPositive();
    }

    @Test
    void theSameCompanyAppearsInSeveralSourcesUnderDifferentSpellingsAndDomains() {
        // join HubSpot and Apollo on a normalised domain, the way an importer would
        String domain = "lower(regexp_replace(%s, '^\\s*(https?:)?(//)?(www\\.)?([^/?]+).*$', '\\4', 'i'))";
        long shared = count("SELECT count(DISTINCT a.apollo_id) FROM apollo_companies a JOIN hubspot_companies h ON "
                + domain.formatted("h.domain") + " = " + domain.formatted("a.website_url"));
        long spelledDifferently = count("SELECT count(DISTINCT a.apollo_id) FROM apollo_companies a"
                + " JOIN hubspot_companies h ON " + domain.formatted("h.domain") + " = "
                + domain.formatted("a.website_url") + " WHERE h.name <> a.company_name");
        assertThat(shared).isBetween(400L, 800L);
        assertThat(spelledDifferently).isGreaterThan(shared / 5);
        assertThat(count("SELECT count(*) FROM hubspot_companies WHERE domain ~ '^(https?://|www\\.)'"))
                .as("domains with scheme or www.").isPositive();
        assertThat(count("SELECT count(*) FROM apollo_companies WHERE website_url ~ '^https?://[^/]+/.+'"))
                .as("websites with paths").isPositive();
        assertThat(count("SELECT count(*) FROM apollo_companies WHERE website_url ~ '/$'")).isPositive();
        // the docs' example, in every source
        assertThat(column("SELECT name FROM hubspot_companies WHERE name ILIKE 'acme%' ORDER BY 1"))
                .containsExactly("Acme Corp", "Acme Corporation");
        assertThat(column("SELECT company_name FROM apollo_companies WHERE company_name ILIKE 'acme%'"))
                .containsExactly("ACME Corporation");
        assertThat(column("SELECT name FROM manual_companies WHERE name ILIKE 'acme%'")).containsExactly("acme.com");
        assertThat(LegacySql.column(allan, "SELECT url FROM companies WHERE name ILIKE 'acme%'"))
                .containsExactly("https://www.acme.com/about/");
        // HubSpot itself holds a few companies twice
        assertThat(count("SELECT count(*) FROM (SELECT " + domain.formatted("domain")
                + " d FROM hubspot_companies WHERE domain <> '' GROUP BY 1 HAVING count(*) > 1) x")).isPositive();
    }

    @Test
    void contactsAreDuplicatedAcrossSourcesWithEmailsInOtherCaseAndWhitespace() {
        long overlap = count("SELECT count(DISTINCT lower(trim(h.email))) FROM hubspot_contacts h"
                + " JOIN apollo_contacts a ON lower(trim(a.email)) = lower(trim(h.email))");
        long differentlyWritten = count("SELECT count(*) FROM hubspot_contacts h"
                + " JOIN apollo_contacts a ON lower(trim(a.email)) = lower(trim(h.email)) WHERE a.email <> h.email");
        assertThat(overlap).isBetween(400L, 800L);
        assertThat(differentlyWritten).isPositive();
        assertThat(count("SELECT count(*) FROM (SELECT lower(trim(email)) FROM hubspot_contacts WHERE email LIKE '%@%'"
                + " GROUP BY 1 HAVING count(*) > 1 AND count(DISTINCT email) > 1) d")).as("twice in HubSpot").isPositive();
        assertThat(count("SELECT count(*) FROM hubspot_contacts WHERE email <> trim(email)")).isPositive();

        Set<String> robbieEmails = new HashSet<>();
        for (String table : List.of("hubspot_contacts", "apollo_contacts", "manual_contacts")) {
            column("SELECT email FROM " + table + " WHERE email IS NOT NULL").forEach(e -> robbieEmails.add(norm(e)));
        }
        List<String> manual = column("SELECT email FROM manual_contacts WHERE email LIKE '%@%.%'");
        assertThat(manual.stream().filter(e -> countIn("hubspot_contacts", "apollo_contacts", e) > 0).count())
                .as("manual contacts also in HubSpot or Apollo").isGreaterThanOrEqualTo(4);
        List<String> allanEmails = LegacySql.column(allan, "SELECT email FROM contacts");
        assertThat(allanEmails.stream().filter(e -> robbieEmails.contains(norm(e))).count())
                .as("Robbie_Allan contacts also in Robbie").isGreaterThanOrEqualTo(3);
        assertThat(allanEmails).anyMatch(e -> !e.equals(norm(e)));
    }

    @Test
    void referencesPointNowhereSometimes() {
        long contacts = count("SELECT count(*) FROM hubspot_contacts");
        long orphans = count("SELECT count(*) FROM hubspot_contacts c WHERE c.company_id IS NOT NULL"
                + " AND NOT EXISTS (SELECT 1 FROM hubspot_companies h WHERE h.id = c.company_id)");
        assertThat(orphans).isPositive().isLessThan(contacts / 10);
        assertThat(count("SELECT count(*) FROM activities a WHERE contact_id IS NOT NULL"
                + " AND NOT EXISTS (SELECT 1 FROM hubspot_contacts c WHERE c.id = a.contact_id)")).isPositive();
        assertThat(count("SELECT count(*) FROM activities a WHERE company_id IS NOT NULL"
                + " AND NOT EXISTS (SELECT 1 FROM hubspot_companies c WHERE c.id = a.company_id)")).isPositive();
        assertThat(count("SELECT count(*) FROM activities a WHERE deal_id IS NOT NULL"
                + " AND NOT EXISTS (SELECT 1 FROM hubspot_deals d WHERE d.deal_id = a.deal_id)")).isPositive();
        assertThat(count("SELECT count(*) FROM hubspot_deals d WHERE company_id IS NOT NULL"
                + " AND NOT EXISTS (SELECT 1 FROM hubspot_companies c WHERE c.id = d.company_id)")).isPositive();
        assertThat(count("SELECT count(*) FROM hubspot_deals d WHERE contact_id IS NOT NULL"
                + " AND NOT EXISTS (SELECT 1 FROM hubspot_contacts c WHERE c.id = d.contact_id)")).isPositive();
        assertThat(count("SELECT count(*) FROM apollo_contacts p WHERE organization_id IS NOT NULL"
                + " AND NOT EXISTS (SELECT 1 FROM apollo_companies c WHERE c.apollo_id = p.organization_id)")).isPositive();
        assertThat(count("SELECT count(*) FROM tasks t WHERE contact_id IS NOT NULL"
                + " AND NOT EXISTS (SELECT 1 FROM hubspot_contacts c WHERE c.id = t.contact_id)")).isPositive();
        assertThat(count("SELECT count(*) FROM meeting_transcripts t WHERE deal_id IS NOT NULL"
                + " AND NOT EXISTS (SELECT 1 FROM hubspot_deals d WHERE d.deal_id = t.deal_id)")).isPositive();
        assertThat(LegacySql.count(allan, "SELECT count(*) FROM deals d"
                + " WHERE NOT EXISTS (SELECT 1 FROM contacts c WHERE c.id = d.contact_id)")).isPositive();
        // and most point somewhere: it is a mess, not noise
        assertThat(count("SELECT count(*) FROM activities a JOIN hubspot_contacts c ON c.id = a.contact_id"))
                .isGreaterThan(40_000);
    }

    @Test
    void emailsAreSometimesInvalidOrPlaceholders() {
        String valid = "'^\\s*[^@\\s;:<>]+@[^@\\s;:<>]+\\.[a-z]{2,}\\s*$'";
        long contacts = count("SELECT count(*) FROM hubspot_contacts");
        long invalid = count("SELECT count(*) FROM hubspot_contacts WHERE email IS NOT NULL AND email !~* " + valid);
        assertThat(invalid).isPositive().isLessThan(contacts / 10);
        List<String> everyEmail = column("SELECT email FROM hubspot_contacts UNION ALL SELECT email FROM apollo_contacts"
                + " UNION ALL SELECT email FROM manual_contacts");
        everyEmail.addAll(LegacySql.column(allan, "SELECT contact_email FROM interactions"));
        assertThat(everyEmail).contains("n/a").anyMatch(e -> e != null && e.endsWith("@") && !e.contains("@@"));
        assertThat(everyEmail).anyMatch(e -> e != null && e.contains("@@"));
        assertThat(everyEmail.stream().filter(e -> e != null && (e.equals("test@test") || e.equals("noemail@example.com")
                || e.equals("N/A") || e.equals("none"))).count()).isPositive();
    }

    @Test
    void phonesComeInEveryFormat() {
        // the shape of a phone with its digits blanked: "+1 (999) 999-9999", "999.999.9999", …
        assertThat(count("SELECT count(DISTINCT regexp_replace(phone, '[0-9]', '9', 'g')) FROM hubspot_contacts"))
                .isGreaterThanOrEqualTo(15);
        List<String> phones = column("SELECT phone FROM hubspot_contacts WHERE phone IS NOT NULL");
        assertThat(phones).anyMatch(p -> p.matches("\\+1 \\(\\d{3}\\) \\d{3}-\\d{4}"))
                .anyMatch(p -> p.matches("\\d{10}"))
                .anyMatch(p -> p.matches("\\d{3}\\.\\d{3}\\.\\d{4}"))
                .anyMatch(p -> p.contains("ext") || p.contains(" x"))
                .anyMatch(p -> p.startsWith("00"))
                .anyMatch(p -> !p.isEmpty() && !p.matches(".*\\d{3}.*"));
        assertThat(count("SELECT count(*) FROM apollo_contacts WHERE jsonb_array_length(phone_numbers) > 1")).isPositive();
    }

    @Test
    void datesComeInEveryListedFormatPlusGarbage() {
        for (String table : List.of("hubspot_companies.created_date", "hubspot_contacts.createdate", "tasks.due_date")) {
            String t = table.substring(0, table.indexOf('.'));
            String c = table.substring(table.indexOf('.') + 1);
            long rows = count("SELECT count(*) FROM " + t);
            assertThat(count("SELECT count(*) FROM " + t + " WHERE " + c + " ~ '^\\d{4}-\\d{2}-\\d{2}'"))
                    .as("%s ISO", table).isGreaterThan(rows / 4);
            assertThat(count("SELECT count(*) FROM " + t + " WHERE " + c + " ~ '^\\d{2}/\\d{2}/\\d{4}$'"))
                    .as("%s MM/DD/YYYY", table).isPositive();
            assertThat(count("SELECT count(*) FROM " + t + " WHERE " + c + " ~ '^\\d{2}\\.\\d{2}\\.\\d{4} \\d{2}:\\d{2}$'"))
                    .as("%s DD.MM.YYYY HH24:MI", table).isPositive();
            assertThat(count("SELECT count(*) FROM " + t + " WHERE " + c + " ~ '^\\d{9,10}$'"))
                    .as("%s epoch seconds", table).isPositive();
        }
        long garbage = count("SELECT count(*) FROM hubspot_companies WHERE created_date <> '' AND created_date !~"
                + " '^(\\d{4}-\\d{2}-\\d{2}|\\d{2}/\\d{2}/\\d{4}$|\\d{2}\\.\\d{2}\\.\\d{4} \\d{2}:\\d{2}$|\\d{9,10}$)'");
        assertThat(garbage).isPositive().isLessThan(6_810 / 20);
        assertThat(column("SELECT DISTINCT created_date FROM hubspot_companies")).contains("yesterday", "13/45/2020");
        // activity timestamps are epoch milliseconds, except a few that are seconds or nonsense
        assertThat(count("SELECT count(*) FROM activities WHERE \"timestamp\" BETWEEN 1.5e12 AND 1.8e12"))
                .isGreaterThan(63_000);
        assertThat(count("SELECT count(*) FROM activities WHERE \"timestamp\" BETWEEN 1.5e9 AND 1.8e9")).isPositive();
        // Robbie_Allan: ISO 8601 with offsets
        List<String> occurred = LegacySql.column(allan, "SELECT occurred_at FROM interactions WHERE occurred_at <> ''");
        assertThat(occurred).anyMatch(o -> o.matches(".*T.*[+-]\\d{2}:\\d{2}")).anyMatch(o -> o.endsWith("Z"))
                .anyMatch(o -> o.matches(".*[+-]0[45]:00")).anyMatch(o -> o.matches(".*\\+05:30"));
    }

    @Test
    void chatTimesAreNewYorkWallClockIncludingTheDstChanges() {
        assertThat(count("SELECT count(*) FROM chat_history WHERE created_at >= '2024-03-10 02:00'"
                + " AND created_at < '2024-03-10 03:00'")).as("a local time that never happened").isPositive();
        assertThat(count("SELECT count(*) FROM chat_history WHERE created_at >= '2024-11-03 01:00'"
                + " AND created_at < '2024-11-03 02:00'")).as("a local time that happened twice").isPositive();
        // daytime in New York, not in UTC: most messages are sent between 07:00 and 23:59 local
        assertThat(count("SELECT count(*) FROM chat_history WHERE created_at::time >= '07:00'")).isPositive();
    }

    @Test
    void requiredNamesAreSometimesEmpty() {
        assertThat(count("SELECT count(*) FROM hubspot_companies WHERE trim(name) = ''")).isBetween(10L, 100L);
        assertThat(count("SELECT count(*) FROM hubspot_contacts WHERE trim(firstname) = ''")).isPositive();
        assertThat(count("SELECT count(*) FROM manual_contacts WHERE full_name = ''")).isPositive();
        assertThat(count("SELECT count(*) FROM manual_companies WHERE name = ''")).isPositive();
        assertThat(count("SELECT count(*) FROM apollo_companies WHERE company_name = ''")).isPositive();
    }

    @Test
    void doubleEncodedUtf8AppearsInAFewPercentOfTheText() {
        assertThat(count("SELECT count(*) FROM hubspot_companies WHERE name ~ " + MOJIBAKE)).isPositive();
        assertThat(count("SELECT count(*) FROM hubspot_contacts WHERE firstname ~ " + MOJIBAKE
                + " OR lastname ~ " + MOJIBAKE)).isPositive();
        long bodies = count("SELECT count(*) FROM activities WHERE body ~ " + MOJIBAKE);
        assertThat(bodies).isPositive().isLessThan(63_669 / 20);
        assertThat(count("SELECT count(*) FROM activities WHERE body LIKE '%â€™%'")).as("â€™").isPositive();
        assertThat(count("SELECT count(*) FROM chat_history WHERE message LIKE '%üéØ%'")).as("the seeds' üéØ").isPositive();
        assertThat(count("SELECT count(*) FROM chat_history WHERE message LIKE '%🎯%'")).as("and intact emoji").isPositive();
        assertThat(count("SELECT count(*) FROM hubspot_contacts WHERE firstname || lastname LIKE '%Ã¼%'"
                + " OR firstname || lastname LIKE '%Ã©%'")).isPositive();
        assertThat(LegacySql.column(allan, "SELECT title FROM knowledge_base"))
                .anyMatch(t -> t.contains("üéØ")).anyMatch(t -> t.contains("â€"));
        assertThat(count("SELECT count(*) FROM hubspot_contacts WHERE lastname = 'Müller' OR firstname = 'José'"
                + " OR firstname = 'Renée' OR lastname = 'Núñez'")).as("and correct accents too").isPositive();
    }

    @Test
    void metadataIsSometimesInvalidJson() {
        long present = count("SELECT count(*) FROM activities WHERE metadata IS NOT NULL AND metadata <> ''");
        // PostgreSQL 15 has no IS JSON: try the cast in a session-local function that catches the failure
        long invalid = LegacySql.count(robbie, """
                CREATE FUNCTION pg_temp.parses_as_json(t text) RETURNS boolean LANGUAGE plpgsql AS $$
                BEGIN PERFORM t::jsonb; RETURN true; EXCEPTION WHEN others THEN RETURN false; END $$""",
                "SELECT count(*) FROM activities WHERE metadata IS NOT NULL AND metadata <> ''"
                        + " AND NOT pg_temp.parses_as_json(metadata)");
        assertThat(invalid).isPositive().isLessThan(present / 15);
        assertThat(count("SELECT count(*) FROM activities WHERE metadata = ''")).isPositive();
    }

    @Test
    void someTextsAreVeryLongButTheDatabaseStaysReasonable() {
        assertThat(count("SELECT max(length(body)) FROM activities")).isBetween(900_000L, 1_100_000L);
        assertThat(count("SELECT count(*) FROM activities WHERE length(body) > 100000")).isBetween(5L, 60L);
        assertThat(count("SELECT max(length(transcript)) FROM meeting_transcripts")).isGreaterThan(100_000);
        assertThat(count("SELECT pg_database_size(current_database())")).isLessThan(150_000_000L);
    }

    @Test
    void amountsAreTextInManyFormsAndSometimesNegativeOrAbsurd() {
        List<String> amounts = column("SELECT amount FROM hubspot_deals");
        assertThat(amounts).anyMatch(a -> a != null && a.matches("\\$\\d{1,3}(,\\d{3})*\\.\\d{2}"))
                .anyMatch(a -> a != null && a.matches("\\d+"))
                .anyMatch(a -> a != null && a.matches("\\d+(\\.\\d)?k"))
                .anyMatch(a -> a != null && a.isBlank());
        assertThat(count("SELECT count(*) FROM hubspot_companies WHERE annual_revenue < 0")).isPositive();
        assertThat(count("SELECT count(*) FROM hubspot_companies WHERE annual_revenue > 1e14")).isPositive();
        assertThat(LegacySql.count(allan, "SELECT count(*) FROM deals WHERE value_cents < 0")).isPositive();
        assertThat(count("SELECT count(*) FROM apollo_companies WHERE num_employees < 0 OR num_employees > 10000000"
                + " OR founded_year > 2030 OR founded_year < 1800")).isPositive();
    }

    @Test
    void userTextIdsSometimesMatchNoUser() {
        String known = "('allan', 'kristina', 'andre')";
        assertThat(count("SELECT count(*) FROM tasks WHERE assigned_to IN " + known)).isGreaterThan(600);
        assertThat(count("SELECT count(*) FROM tasks WHERE assigned_to NOT IN " + known)).isPositive();
        assertThat(count("SELECT count(*) FROM chat_history WHERE user_id NOT IN " + known)).isPositive();
        assertThat(count("SELECT count(*) FROM hubspot_contacts WHERE owner NOT IN " + known)).isPositive();
        assertThat(column("SELECT DISTINCT added_by FROM manual_companies WHERE added_by IS NOT NULL"))
                .contains("allan").anyMatch(u -> !List.of("allan", "kristina", "andre").contains(u));
    }

    @Test
    void closedSetsAreMostlyCleanButNotAlways() {
        assertThat(column("SELECT DISTINCT type FROM activities")).contains("EMAIL", "CALL", "MEETING", "NOTE", "TASK")
                .anyMatch(t -> !t.equals(t.toUpperCase(Locale.ROOT)));
        assertThat(count("SELECT count(*) FROM activities WHERE type <> upper(type)")).isLessThan(63_669 / 10);
        assertThat(count("SELECT count(*) FROM tasks WHERE completed <> (status = 'COMPLETED')"))
                .as("completed contradicts status").isBetween(5L, 75L);
        assertThat(column("SELECT DISTINCT status FROM tasks"))
                .containsExactlyInAnyOrder("NOT_STARTED", "IN_PROGRESS", "COMPLETED", "WAITING", "DEFERRED");
        assertThat(column("SELECT DISTINCT email_status FROM apollo_contacts WHERE email_status IS NOT NULL"))
                .containsExactlyInAnyOrder("verified", "guessed", "unavailable");
        assertThat(column("SELECT DISTINCT role FROM chat_history")).containsExactlyInAnyOrder("user", "assistant", "system");
        assertThat(LegacySql.column(allan, "SELECT DISTINCT direction FROM interactions WHERE direction IS NOT NULL"))
                .containsExactlyInAnyOrder("inbound", "outbound");
        assertThat(column("SELECT attendees FROM meeting_transcripts WHERE attendees IS NOT NULL"))
                .anyMatch(a -> a.contains(";")).anyMatch(a -> a.contains(",")).anyMatch(a -> a.contains("@"))
                .anyMatch(a -> a.matches(".*(^|[,;] ?)[A-Z][a-z]+($|[,;]).*"));
    }

    private static long count(String sql) {
        return LegacySql.count(robbie, sql);
    }

    private static List<String> column(String sql) {
        return LegacySql.column(robbie, sql);
    }

    private static long countIn(String table1, String table2, String email) {
        String e = norm(email).replace("'", "''");
        return count("SELECT (SELECT count(*) FROM " + table1 + " WHERE lower(trim(email)) = '" + e + "')"
                + " + (SELECT count(*) FROM " + table2 + " WHERE lower(trim(email)) = '" + e + "')");
    }

    private static String norm(String email) {
        return email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
    }
}
