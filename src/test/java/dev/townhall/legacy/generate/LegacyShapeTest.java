package dev.townhall.legacy.generate;

import dev.townhall.legacy.LegacySql;
import dev.townhall.db.Endpoint;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generated databases have exactly the structure and row counts of legacy-schemas.md, and the same seed gives
 * the same data. The expectations below are copied from that file, not from the DDL resources.
 */
@ExtendWith(PostgresExtension.class)
class LegacyShapeTest {
    private static final String ROBBIE = "legacy_robbie_shape_a";
    private static final String ROBBIE_ALLAN = "legacy_robbie_allan_shape_a";

    /** legacy-schemas.md, database robbie: table → rows, then its columns in order. */
    private static final Map<String, Table> ROBBIE_TABLES = tables(
            "hubspot_companies 6810: id bigint, name text, domain text, industry text, employee_count text,"
                    + " annual_revenue numeric, city text, state text, country text, owner_email text,"
                    + " created_date text, hs_lastmodifieddate timestamp without time zone, lifecycle_stage text,"
                    + " notes text",
            "apollo_companies 1088: apollo_id text, company_name text, website_url text, linkedin_url text,"
                    + " num_employees integer, industry text, founded_year integer,"
                    + " enriched_at timestamp with time zone, raw jsonb",
            "manual_companies 11: id integer, name text, website text, added_by text, added_on date",
            "hubspot_contacts 1851: id bigint, firstname text, lastname text, email text, phone text, jobtitle text,"
                    + " company_id bigint, lifecyclestage text, createdate text,"
                    + " lastmodifieddate timestamp without time zone, owner text",
            "apollo_contacts 3796: id text, first_name text, last_name text, email text, email_status text,"
                    + " title text, organization_id text, linkedin_url text, city text, state text, country text,"
                    + " phone_numbers jsonb, created_at timestamp with time zone",
            "manual_contacts 10: id integer, full_name text, email text, phone text, company_name text, notes text,"
                    + " added_by text",
            "hubspot_deals 66: deal_id bigint, dealname text, amount text, dealstage text, pipeline text,"
                    + " closedate text, company_id bigint, contact_id bigint, owner text, createdate text",
            "manual_deals 1: id integer, name text, value numeric, stage text, company_name text, added_by text",
            "pipeline_deals 1: id uuid, title text, amount_cents bigint, currency character(3), stage text,"
                    + " contact_email text",
            "activities 63669: id bigint, type text, subject text, body text, contact_id bigint, company_id bigint,"
                    + " deal_id bigint, timestamp bigint, source text, metadata text",
            "meeting_transcripts 264: id uuid, meeting_title text, started_at timestamp with time zone,"
                    + " duration_seconds integer, attendees text, transcript text, summary text, deal_id bigint",
            "tasks 745: id integer, title text, notes text, status text, priority text, due_date text,"
                    + " assigned_to text, contact_id bigint, completed boolean",
            "chat_history 2496: id integer, session_id text, user_id text, role text, message text,"
                    + " created_at timestamp without time zone, model text, tokens integer, mood text");

    private static final Map<String, Table> ROBBIE_ALLAN_TABLES = tables(
            "interactions 438: id uuid, contact_email text, channel text, direction text, summary text,"
                    + " occurred_at text, sentiment real",
            "contacts 5: id integer, name text, email text, company text",
            "deals 4: id integer, title text, value_cents integer, stage text, contact_id integer",
            "companies 4: id integer, name text, url text",
            "knowledge_base 3: id integer, title text, content text, tags text, created timestamp without time zone");

    /** Primary keys as the spec gives them; the apollo tables have none (loaded from CSV). */
    private static final Map<String, String> ROBBIE_PRIMARY_KEYS = Map.ofEntries(
            Map.entry("hubspot_companies", "id"), Map.entry("manual_companies", "id"),
            Map.entry("hubspot_contacts", "id"), Map.entry("manual_contacts", "id"),
            Map.entry("hubspot_deals", "deal_id"), Map.entry("manual_deals", "id"), Map.entry("pipeline_deals", "id"),
            Map.entry("activities", "id"), Map.entry("meeting_transcripts", "id"), Map.entry("tasks", "id"),
            Map.entry("chat_history", "id"));
    private static final List<String> ROBBIE_SERIALS = List.of("manual_companies", "manual_contacts", "manual_deals",
            "tasks", "chat_history");

    record Table(long rows, List<String> columns) {
    }

    private static Endpoint admin;
    private static GenerateReport report;

    @BeforeAll
    static void generate(TestCluster cluster) {
        admin = cluster.cluster().superuserEndpoint();
        report = LegacyGenerator.into(LegacyTarget.freshDatabase(admin, ROBBIE),
                LegacyTarget.freshDatabase(admin, ROBBIE_ALLAN)).generate();
    }

    @AfterAll
    static void dropAll() {
        for (String db : List.of(ROBBIE, ROBBIE_ALLAN, ROBBIE + "_b", ROBBIE_ALLAN + "_b", ROBBIE + "_c",
                ROBBIE_ALLAN + "_c")) {
            LegacySql.dropDatabase(admin, db);
        }
    }

    @Test
    void everyTableHasTheRowCountOfTheSpec() {
        assertRowCounts(admin.withDatabase(ROBBIE), ROBBIE_TABLES);
        assertRowCounts(admin.withDatabase(ROBBIE_ALLAN), ROBBIE_ALLAN_TABLES);
        assertThat(report.rows("robbie")).isEqualTo(80_808);
        assertThat(report.rows("robbie_allan")).isEqualTo(454);
        assertThat(report.tables()).hasSize(18).allSatisfy(t -> assertThat(t.bytes()).isPositive());
        assertThat(report.seed()).isEqualTo(LegacyGenerator.DEFAULT_SEED);
    }

    @Test
    void everyTableHasExactlyTheColumnsAndTypesOfTheSpec() {
        assertColumns(admin.withDatabase(ROBBIE), ROBBIE_TABLES);
        assertColumns(admin.withDatabase(ROBBIE_ALLAN), ROBBIE_ALLAN_TABLES);
    }

    @Test
    void primaryKeysAndSerialsAreAsTheSpecSays() {
        Endpoint robbie = admin.withDatabase(ROBBIE);
        List<String> keys = LegacySql.column(robbie, """
                SELECT c.conrelid::regclass || '.' || a.attname
                FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
                WHERE c.contype = 'p' AND c.connamespace = 'public'::regnamespace ORDER BY 1""");
        List<String> expected = new ArrayList<>();
        ROBBIE_PRIMARY_KEYS.forEach((table, column) -> expected.add(table + "." + column));
        assertThat(keys).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(LegacySql.count(robbie, "SELECT count(*) FROM pg_constraint WHERE contype = 'f'"))
                .as("no foreign keys: orphans must be possible").isZero();
        for (String table : ROBBIE_SERIALS) {
            assertThat(LegacySql.text(robbie, "SELECT column_default FROM information_schema.columns"
                    + " WHERE table_name = '" + table + "' AND column_name = 'id'")).startsWith("nextval(");
            assertThat(LegacySql.count(robbie, "SELECT nextval(pg_get_serial_sequence('" + table + "', 'id'))"
                    + " - (SELECT max(id) FROM " + table + ")")).as("%s: the sequence continues after the copied ids",
                    table).isEqualTo(1);
        }
        assertThat(LegacySql.count(admin.withDatabase(ROBBIE_ALLAN), "SELECT count(*) FROM pg_constraint"
                + " WHERE contype = 'p' AND connamespace = 'public'::regnamespace")).isEqualTo(5);
    }

    @Test
    void theSameSeedGivesTheSameDataAndAnotherSeedOtherData() {
        GenerateReport again = LegacyGenerator.into(LegacyTarget.freshDatabase(admin, ROBBIE + "_b"),
                LegacyTarget.freshDatabase(admin, ROBBIE_ALLAN + "_b")).withSeed(LegacyGenerator.DEFAULT_SEED).generate();
        LegacyGenerator.into(LegacyTarget.freshDatabase(admin, ROBBIE + "_c"),
                LegacyTarget.freshDatabase(admin, ROBBIE_ALLAN + "_c")).withSeed(43).generate();
        assertThat(again.rows()).isEqualTo(report.rows());

        List<String> robbieTables = List.copyOf(ROBBIE_TABLES.keySet());
        List<String> allanTables = List.copyOf(ROBBIE_ALLAN_TABLES.keySet());
        Map<String, String> a = LegacySql.contentHashes(admin.withDatabase(ROBBIE), robbieTables);
        Map<String, String> b = LegacySql.contentHashes(admin.withDatabase(ROBBIE + "_b"), robbieTables);
        Map<String, String> c = LegacySql.contentHashes(admin.withDatabase(ROBBIE + "_c"), robbieTables);
        assertThat(b).isEqualTo(a);
        robbieTables.forEach(t -> assertThat(c.get(t)).as("seed 43 vs 42, %s", t).isNotEqualTo(a.get(t)));

        Map<String, String> allanA = LegacySql.contentHashes(admin.withDatabase(ROBBIE_ALLAN), allanTables);
        Map<String, String> allanB = LegacySql.contentHashes(admin.withDatabase(ROBBIE_ALLAN + "_b"), allanTables);
        Map<String, String> allanC = LegacySql.contentHashes(admin.withDatabase(ROBBIE_ALLAN + "_c"), allanTables);
        assertThat(allanB).isEqualTo(allanA);
        allanTables.forEach(t -> assertThat(allanC.get(t)).as("seed 43 vs 42, %s", t).isNotEqualTo(allanA.get(t)));
    }

    @Test
    void nothingBesidesTheSpecsTablesIsLeftForAnImporterToReadHintsFrom() {
        for (Map.Entry<String, Map<String, Table>> db : Map.of(ROBBIE, ROBBIE_TABLES, ROBBIE_ALLAN,
                ROBBIE_ALLAN_TABLES).entrySet()) {
            Endpoint endpoint = admin.withDatabase(db.getKey());
            assertThat(LegacySql.column(endpoint, "SELECT relname FROM pg_class WHERE relkind IN ('r', 'v', 'm', 'p', 'f')"
                    + " AND relnamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)"))
                    .containsExactlyInAnyOrderElementsOf(db.getValue().keySet());
            assertThat(LegacySql.count(endpoint, "SELECT count(*) FROM pg_description d JOIN pg_class c ON c.oid = d.objoid"
                    + " WHERE c.relnamespace = 'public'::regnamespace")).as("no comments on tables or columns").isZero();
            assertThat(LegacySql.count(endpoint, "SELECT count(*) FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%'"
                    + " AND nspname NOT IN ('public', 'information_schema')")).isZero();
        }
    }

    private static void assertRowCounts(Endpoint db, Map<String, Table> tables) {
        Map<String, Long> actual = new LinkedHashMap<>();
        Map<String, Long> expected = new LinkedHashMap<>();
        tables.forEach((name, table) -> {
            expected.put(name, table.rows());
            actual.put(name, LegacySql.count(db, "SELECT count(*) FROM " + name));
        });
        assertThat(actual).isEqualTo(expected);
    }

    private static void assertColumns(Endpoint db, Map<String, Table> tables) {
        assertThat(LegacySql.column(db, "SELECT table_name FROM information_schema.tables"
                + " WHERE table_schema = 'public'")).containsExactlyInAnyOrderElementsOf(tables.keySet());
        tables.forEach((name, table) -> assertThat(LegacySql.column(db, """
                SELECT column_name || ' ' || data_type
                       || coalesce('(' || character_maximum_length || ')', '')
                FROM information_schema.columns
                WHERE table_schema = 'public' AND table_name = '%s'
                ORDER BY ordinal_position""".formatted(name)))
                .as("columns of %s", name)
                .containsExactlyElementsOf(table.columns()));
    }

    /** Parses "name rows: col type, col type" lines. */
    private static Map<String, Table> tables(String... lines) {
        Map<String, Table> tables = new LinkedHashMap<>();
        for (String line : lines) {
            String[] head = line.substring(0, line.indexOf(':')).split(" ");
            List<String> columns = Arrays.stream(line.substring(line.indexOf(':') + 1).split(","))
                    .map(String::strip).toList();
            tables.put(head[0], new Table(Long.parseLong(head[1]), columns));
        }
        return tables;
    }
}
