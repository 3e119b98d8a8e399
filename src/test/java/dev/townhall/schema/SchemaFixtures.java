package dev.townhall.schema;

import java.util.UUID;

/**
 * Fixed ids of the reference data (docs/schema.md "Fixed ids") and of a small set of parent rows the schema
 * tests hang their rows on. Parents live in aurora unless their name says fluenti ({@code _F}); a second
 * organisation with its own capital exists for the cross-organisation foreign keys.
 */
final class SchemaFixtures {
    static final UUID ORG = UUID.fromString("00000000-0000-4000-8000-000000000001");
    static final UUID AURORA = UUID.fromString("00000000-0000-4000-8000-00000000000a");
    static final UUID FLUENTI = UUID.fromString("00000000-0000-4000-8000-00000000000f");
    static final UUID COLLABORATION = UUID.fromString("00000000-0000-4000-8000-00000000000c");

    static final UUID OTHER_ORG = id(1);
    static final UUID OTHER_TOWN = id(2);
    /** A user of testpilot with an owner membership in aurora. */
    static final UUID USER = id(3);
    /** A user of the other organisation. */
    static final UUID OTHER_USER = id(4);
    static final UUID COMPANY_A = id(10);
    static final UUID COMPANY_F = id(11);
    static final UUID CONTACT_A = id(12);
    static final UUID CONTACT_F = id(13);
    static final UUID DEAL_A = id(14);
    static final UUID EVENT_A = id(20);
    static final UUID MEETING_A = id(21);
    static final UUID TRANSCRIPT_A = id(22);
    static final UUID PRIORITY_A = id(23);
    static final UUID CONVERSATION_A = id(30);
    static final UUID MESSAGE_A = id(31);
    static final UUID EMAIL_A = id(32);
    static final UUID DOCUMENT_A = id(40);
    static final UUID CODE_CONVERSATION_A = id(50);
    static final UUID CODE_MESSAGE_A = id(51);
    static final UUID INTEGRATION_A = id(60);
    static final UUID INSTANCE_A = id(70);
    static final UUID PROMPT = id(71);
    static final UUID RUN = id(80);

    private SchemaFixtures() {
    }

    private static UUID id(int n) {
        return UUID.fromString(String.format("f1000000-0000-4000-8000-%012d", n));
    }

    /** The SQL literal of a uuid. */
    static String lit(UUID id) {
        return "'" + id + "'::uuid";
    }

    /** Inserts the parent rows above (committed); call once per test database. */
    static void installParents(SchemaSql sql) {
        sql.exec("INSERT INTO core.organizations (id, slug, name) VALUES (?, 'othercorp', 'Other Corp')", OTHER_ORG);
        sql.exec("INSERT INTO core.towns (id, org_id, slug, name, is_capital) VALUES (?, ?, 'elsewhere', 'Elsewhere', true)",
                OTHER_TOWN, OTHER_ORG);
        sql.exec("""
                INSERT INTO core.users (id, org_id, email, username, handle, first_name, last_name)
                VALUES (?, ?, 'fiona@example.com', 'fiona', 'fiona', 'Fiona', 'Fixture')""", USER, ORG);
        sql.exec("INSERT INTO core.users (id, org_id, email, username) VALUES (?, ?, 'oscar@example.com', 'oscar')",
                OTHER_USER, OTHER_ORG);
        sql.exec("INSERT INTO core.memberships (org_id, user_id, town_id, role) VALUES (?, ?, ?, 'owner')", ORG, USER, AURORA);
        sql.exec("INSERT INTO crm.companies (id, org_id, town_id, name, domain) VALUES (?, ?, ?, 'Acme', 'acme.example')",
                COMPANY_A, ORG, AURORA);
        sql.exec("INSERT INTO crm.companies (id, org_id, town_id, name, domain) VALUES (?, ?, ?, 'Fluent Co', 'fluent.example')",
                COMPANY_F, ORG, FLUENTI);
        sql.exec("""
                INSERT INTO crm.contacts (id, org_id, town_id, first_name, last_name, email, company_id)
                VALUES (?, ?, ?, 'Ada', 'Acme', 'ada@acme.example', ?)""", CONTACT_A, ORG, AURORA, COMPANY_A);
        sql.exec("""
                INSERT INTO crm.contacts (id, org_id, town_id, first_name, last_name, email, company_id)
                VALUES (?, ?, ?, 'Fred', 'Fluent', 'fred@fluent.example', ?)""", CONTACT_F, ORG, FLUENTI, COMPANY_F);
        sql.exec("""
                INSERT INTO crm.deals (id, org_id, town_id, name, company_id, primary_contact_id, amount_cents)
                VALUES (?, ?, ?, 'Acme renewal', ?, ?, 500000)""", DEAL_A, ORG, AURORA, COMPANY_A, CONTACT_A);
        sql.exec("""
                INSERT INTO work.calendar_events (id, org_id, town_id, user_id, title, starts_at, ends_at)
                VALUES (?, ?, ?, ?, 'Fixture event', now(), now() + interval '1 hour')""", EVENT_A, ORG, AURORA, USER);
        sql.exec("INSERT INTO work.meetings (id, org_id, town_id, title, started_at) VALUES (?, ?, ?, 'Fixture meeting', now())",
                MEETING_A, ORG, AURORA);
        sql.exec("""
                INSERT INTO work.meeting_transcripts (id, org_id, town_id, meeting_id, content)
                VALUES (?, ?, ?, ?, 'Fixture transcript')""", TRANSCRIPT_A, ORG, AURORA, MEETING_A);
        sql.exec("INSERT INTO work.priorities (id, org_id, town_id, title) VALUES (?, ?, ?, 'Fixture priority')",
                PRIORITY_A, ORG, AURORA);
        sql.exec("INSERT INTO comms.conversations (id, org_id, town_id, user_id, title) VALUES (?, ?, ?, ?, 'Fixture chat')",
                CONVERSATION_A, ORG, AURORA, USER);
        sql.exec("""
                INSERT INTO comms.messages (id, org_id, town_id, conversation_id, role, content)
                VALUES (?, ?, ?, ?, 'user', 'hello')""", MESSAGE_A, ORG, AURORA, CONVERSATION_A);
        sql.exec("""
                INSERT INTO comms.emails (id, org_id, town_id, direction, from_address, sent_at)
                VALUES (?, ?, ?, 'outbound', 'fiona@example.com', now())""", EMAIL_A, ORG, AURORA);
        sql.exec("INSERT INTO memory.documents (id, org_id, town_id, title, source_type) VALUES (?, ?, ?, 'Fixture doc', 'upload')",
                DOCUMENT_A, ORG, AURORA);
        sql.exec("INSERT INTO code.conversations (id, org_id, town_id, title) VALUES (?, ?, ?, 'Fixture code chat')",
                CODE_CONVERSATION_A, ORG, AURORA);
        sql.exec("""
                INSERT INTO code.messages (id, org_id, town_id, conversation_id, role, content)
                VALUES (?, ?, ?, ?, 'user', 'refactor this')""", CODE_MESSAGE_A, ORG, AURORA, CODE_CONVERSATION_A);
        sql.exec("INSERT INTO sync.integrations (id, org_id, town_id, provider, name) VALUES (?, ?, ?, 'slack', 'Slack')",
                INTEGRATION_A, ORG, AURORA);
        sql.exec("""
                INSERT INTO ai.personality_instances (id, org_id, town_id, user_id, personality_id)
                SELECT ?, ?, ?, ?, id FROM ai.personalities WHERE slug = 'robbie-f'""", INSTANCE_A, ORG, AURORA, USER);
        sql.exec("""
                INSERT INTO ai.prompts (id, personality_id, content)
                SELECT ?, id, 'Fixture prompt' FROM ai.personalities WHERE slug = 'robbie-f'""", PROMPT);
        sql.exec("INSERT INTO legacy.import_runs (id, org_id, town_id, sources) VALUES (?, ?, ?, ARRAY['robbie'])",
                RUN, ORG, AURORA);
    }
}
