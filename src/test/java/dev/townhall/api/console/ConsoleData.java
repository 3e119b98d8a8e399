package dev.townhall.api.console;

import dev.townhall.db.Database;
import dev.townhall.db.Endpoint;
import dev.townhall.legacy.LegacySql;
import dev.townhall.legacy.imports.ImportReport;
import dev.townhall.legacy.imports.Importer;
import dev.townhall.testing.TestCluster;
import dev.townhall.towns.Towns;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What the console's browser test shows: a small legacy inventory with the usual mess (a company without a name,
 * contacts with broken e-mail addresses and the activities that hang on them, a deal whose amount is not money,
 * activities without a time), imported with the shipped plan so that some rows are quarantined; and activities that
 * members of the two small towns logged themselves, so the monthly chart has more than one town.
 */
public final class ConsoleData {
    /** The search the test runs: words of the generated activities, companies and knowledge. */
    public static final String SEARCH_TEXT = "price of the robot arm";

    private static final String ROBBIE_ROWS = """
            INSERT INTO hubspot_companies (id, name, domain, industry, city, country)
            SELECT g, (ARRAY['Acme Robotics', 'Northwind Traders', 'Globex Energy', 'Initech Software',
                             'Umbrella Health', 'Stark Logistics', 'Wayne Foods', 'Hooli Cloud'])[1 + (g - 1) % 8]
                      || CASE WHEN g > 8 THEN ' ' || ((g - 1) / 8 + 1) ELSE '' END,
                   'company' || g || '.example', 'Manufacturing', 'Berlin', 'Germany'
            FROM generate_series(1, 24) g;
            INSERT INTO hubspot_companies (id, name, domain) VALUES (25, NULL, 'nameless.example');

            INSERT INTO hubspot_contacts (id, firstname, lastname, email, jobtitle, company_id)
            SELECT g, (ARRAY['Jane', 'Omar', 'Lena', 'Kofi', 'Mia', 'Ravi', 'Sofia', 'Tom'])[1 + g % 8],
                   (ARRAY['Doe', 'Haddad', 'Berg', 'Mensah', 'Rossi', 'Iyer', 'Costa', 'Baker'])[1 + (g / 8) % 8],
                   CASE WHEN g % 9 = 0 THEN 'contact' || g || '(at)example' ELSE 'contact' || g || '@company'
                        || (1 + g % 24) || '.example' END,
                   'Buyer', 1 + g % 24
            FROM generate_series(1, 45) g;
            -- rows a CRM export leaves behind with nothing that identifies anyone: they stay in quarantine
            INSERT INTO hubspot_contacts (id, firstname, lastname, email)
            SELECT g, '', NULL, 'n/a' FROM generate_series(901, 915) g;

            INSERT INTO hubspot_deals (deal_id, dealname, amount, dealstage, company_id, contact_id, createdate)
            VALUES (1, 'Robot arm order, 40 units', '180000', 'contractsent', 1, 1, '2024-02-01'),
                   (2, 'Warehouse automation pilot', '52000', 'qualifiedtobuy', 6, 6, '2024-05-10'),
                   (3, 'Cloud migration', '31000', 'closedwon', 8, 8, '2024-03-15'),
                   (4, 'Energy audit', 'lots', 'appointmentscheduled', 3, 3, '2024-06-01');

            INSERT INTO activities (id, type, subject, body, contact_id, company_id, "timestamp", source)
            SELECT g, (ARRAY['EMAIL', 'CALL', 'MEETING', 'NOTE'])[1 + g % 4],
                   (ARRAY['Robot arm order: delivery dates', 'Warehouse pilot kick-off', 'Cloud contract review',
                          'Energy audit follow-up', 'Pricing for the robot arm order', 'Intro call with a new buyer',
                          'Contract renewal questions', 'Demo of the picking robot', 'Invoice dispute',
                          'Site visit in Hamburg', 'Security questionnaire', 'Budget planning for next year'])[1 + g % 12]
                   || ' with ' || (ARRAY['Acme Robotics', 'Northwind Traders', 'Globex Energy', 'Initech Software',
                                         'Umbrella Health', 'Stark Logistics', 'Wayne Foods', 'Hooli Cloud'])[1 + (1 + g % 45) % 8],
                   (ARRAY['Discussed next steps with the buyer.', 'They asked for a revised quote by Friday.',
                          'Agreed on a two-week trial.', 'Sent the slides and the price list afterwards.',
                          'Waiting for their legal team.'])[1 + g % 5],
                   1 + g % 45, NULL,
                   -- 18 months from January 2024, busier towards the end of each quarter
                   CASE WHEN g % 50 = 0 THEN NULL
                        ELSE (extract(epoch FROM timestamptz '2024-01-01 09:00+00'
                              + (g * 547 / 420) * interval '1 day'
                              + ((g % 3) * 20) * interval '1 day') * 1000)::bigint END,
                   'hubspot'
            FROM generate_series(1, 420) g;
            """;

    private static final String ROBBIE_ALLAN_ROWS = """
            INSERT INTO knowledge_base (id, title, content, tags, created)
            VALUES (1, 'Robot arm pricing', 'List prices and discounts for the robot arm, per order size.', 'sales,pricing', '2024-01-10'),
                   (2, 'Warehouse pilot playbook', 'How we run a four-week warehouse automation pilot.', 'delivery', '2024-02-02'),
                   (3, 'Onboarding a new buyer', 'Checklist for the first call with a new buyer.', 'sales', '2024-03-03');
            INSERT INTO interactions (id, contact_email, channel, direction, summary, occurred_at, sentiment)
            SELECT gen_random_uuid(), 'contact' || g || '@company' || (1 + g % 24) || '.example',
                   (ARRAY['email', 'linkedin', 'call'])[1 + g % 3], (ARRAY['inbound', 'outbound'])[1 + g % 2],
                   'Follow-up on the robot arm order', CASE WHEN g % 10 = 0 THEN 'next Tuesday'
                   ELSE to_char(timestamptz '2024-09-01 10:00+00' + g * interval '5 days', 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"') END,
                   0.4
            FROM generate_series(1, 30) g;
            """;

    private ConsoleData() {
    }

    /**
     * Creates the two small legacy databases on the test cluster (named after {@code prefix}) and imports them into
     * {@code db}'s capital with the shipped plan. Returns the import's report.
     */
    public static ImportReport importLegacy(TestCluster cluster, Database db, String prefix) {
        Endpoint admin = cluster.cluster().superuserEndpoint();
        Endpoint robbie = legacyDatabase(admin, prefix + "_robbie", "legacy/robbie.sql", ROBBIE_ROWS);
        Endpoint allan = legacyDatabase(admin, prefix + "_robbie_allan", "legacy/robbie_allan.sql", ROBBIE_ALLAN_ROWS);
        return Importer.into(db).sources(Map.of(
                "robbie", db.owner().withDatabase(robbie.database()),
                "robbie_allan", db.owner().withDatabase(allan.database()))).run();
    }

    /** Activities logged by hand in the small towns, by their writing members, over the last year of the import. */
    public static void logSmallTownActivities(Towns towns) {
        logActivities(towns, "kristina@fluenti", 90, "Lesson plan call with Polyglot Health");
        logActivities(towns, "andre@collaboration", 25, "Sandbox Studio workshop");
    }

    private static void logActivities(Towns towns, String actor, int count, String subject) {
        towns.as(actor).inTransaction(h -> h.createUpdate("""
                        INSERT INTO crm.activities (activity_type, subject, occurred_at, source)
                        SELECT (ARRAY['call', 'meeting', 'email'])[1 + g % 3], :subject,
                               timestamptz '2024-07-01 09:00+00' + (g * 330 / :count) * interval '1 day', 'manual'
                        FROM generate_series(1, :count) g""")
                .bind("subject", subject).bind("count", count).execute());
    }

    private static Endpoint legacyDatabase(Endpoint admin, String name, String ddlResource, String rows) {
        LegacySql.dropDatabase(admin, name);
        LegacySql.execute(admin, "CREATE DATABASE " + name);
        Endpoint database = admin.withDatabase(name);
        LegacySql.execute(database, resource(ddlResource) + ";\n" + rows
                + ";\nGRANT SELECT ON ALL TABLES IN SCHEMA public TO " + Database.OWNER_ROLE);
        return database;
    }

    private static String resource(String name) {
        try (InputStream in = ConsoleData.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
