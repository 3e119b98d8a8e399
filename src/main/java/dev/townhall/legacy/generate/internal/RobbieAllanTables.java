package dev.townhall.legacy.generate.internal;

import dev.townhall.legacy.generate.internal.World.Company;
import dev.townhall.legacy.generate.internal.World.Person;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The five tables of Robbie_Allan: a small CRM whose contacts and companies overlap Robbie's. */
final class RobbieAllanTables {
    static final int INTERACTION_ROWS = 438;
    static final List<String> INTERACTION_COLUMNS = List.of("id", "contact_email", "channel", "direction", "summary",
            "occurred_at", "sentiment");
    static final List<String> CONTACT_COLUMNS = List.of("id", "name", "email", "company");
    static final List<String> DEAL_COLUMNS = List.of("id", "title", "value_cents", "stage", "contact_id");
    static final List<String> COMPANY_COLUMNS = List.of("id", "name", "url");
    static final List<String> KNOWLEDGE_COLUMNS = List.of("id", "title", "content", "tags", "created");

    private final World world;
    private final Prose prose;
    /** The five contacts: John Doe, a HubSpot person, an Apollo-only person, someone else, Robbie_Allan's own. */
    private final Person[] contacts = new Person[5];
    private final String[] contactEmails = new String[5];

    RobbieAllanTables(World world, Prose prose, long seed) {
        this.world = world;
        this.prose = prose;
        Dice dice = Dice.forTable(seed, "robbie_allan.people");
        contacts[0] = world.people.get(World.JOHN_DOE);
        contacts[1] = world.people.get(world.hubspotContact[dice.below(World.HUBSPOT_CONTACT_ROWS)]);
        int apolloOnly;
        do {
            apolloOnly = world.apolloContact[dice.below(World.APOLLO_DISTINCT_PEOPLE)];
        } while (world.hubspotRowOfPerson(apolloOnly) >= 0);
        contacts[2] = world.people.get(apolloOnly);
        contacts[3] = world.people.get(world.hubspotContact[dice.below(World.HUBSPOT_CONTACT_ROWS)]);
        contacts[4] = world.people.get(world.robbieAllanOnlyPerson);
        contactEmails[0] = " John.Doe@ACME.com";
        contactEmails[1] = contacts[1].email();
        contactEmails[2] = contacts[2].email().toUpperCase(Locale.ROOT);
        contactEmails[3] = Mess.emailVariant(dice, contacts[3].email());
        contactEmails[4] = contacts[4].email();
    }

    List<TableSpec> specs() {
        return List.of(
                new TableSpec("interactions", INTERACTION_COLUMNS, INTERACTION_ROWS, this::interactions),
                new TableSpec("contacts", CONTACT_COLUMNS, 5, this::contacts),
                new TableSpec("deals", DEAL_COLUMNS, 4, this::deals),
                new TableSpec("companies", COMPANY_COLUMNS, 4, this::companies),
                new TableSpec("knowledge_base", KNOWLEDGE_COLUMNS, 3, this::knowledge));
    }

    private void interactions(Dice dice, RowSink out) throws SQLException {
        for (int r = 0; r < INTERACTION_ROWS; r++) {
            double who = dice.unit();
            String email;
            if (who < 0.60) {
                int k = dice.below(contacts.length);
                email = dice.chance(0.7) ? contactEmails[k] : Mess.emailVariant(dice, contacts[k].email());
            } else if (who < 0.85) {
                Person p = world.people.get(world.hubspotContact[dice.below(World.HUBSPOT_CONTACT_ROWS)]);
                email = dice.chance(0.8) ? p.email() : Mess.emailVariant(dice, p.email());
            } else if (who < 0.95) {
                email = dice.pick(Words.FIRST_NAMES).toLowerCase(Locale.ROOT) + "@" + dice.pick(Words.PERSONAL_DOMAINS);
            } else if (who < 0.98) {
                email = Mess.badEmail(dice, contacts[dice.below(contacts.length)]);
            } else {
                email = null;
            }
            long when = Mess.moment(dice);
            double t = dice.unit();
            String occurred = t < 0.94 ? Mess.isoWithOffset(dice, when)
                    : t < 0.96 ? Mess.timestamp(when).replace(' ', 'T')
                    : t < 0.98 ? dice.pick(Mess.GARBAGE_DATES) : dice.pick("", null);
            String summary = prose.text(dice, dice.between(60, 400));
            double s = dice.unit();
            Float sentiment = s < 0.85 ? (Float) (Math.round((dice.unit() * 2 - 1) * 100) / 100f)
                    : s < 0.98 ? null : dice.pick(5.0f, -3.2f, 42f);
            out.row(dice.uuid(),
                    email,
                    dice.chance(0.06) ? dice.pick("Email", "CALL", "LinkedIn", "Meeting")
                            : dice.pick("email", "email", "call", "meeting", "linkedin", "sms"),
                    dice.chance(0.01) ? null : dice.pick("inbound", "outbound"),
                    dice.chance(0.03) ? Mess.mojibake(dice, summary + " Thanks — talk soon.") : summary,
                    occurred,
                    sentiment);
        }
    }

    private void contacts(Dice dice, RowSink out) throws SQLException {
        for (int k = 0; k < contacts.length; k++) {
            Person p = contacts[k];
            Company c = world.companies.get(p.company());
            String company = k == 0 ? "Acme Corp" : Mess.companyNameVariant(dice, c).strip();
            String name = k == 2 ? p.last().toUpperCase(Locale.ROOT) + ", " + p.first() : p.fullName();
            out.row(k + 1, Mojibake.damageable(name) ? Mess.mojibake(dice, name) : name, contactEmails[k], company);
        }
    }

    private void deals(Dice dice, RowSink out) throws SQLException {
        out.row(1, "Acme renewal 2024", dice.between(50, 500) * 10_000, "proposal", 1);
        out.row(2, Prose.fill(dice, "Pilot for {c}"), dice.between(20, 200) * 10_000, "Closed Won", 2);
        out.row(3, "Refund (credit note)", -dice.between(1, 50) * 10_000, "closed_lost", 3);
        out.row(4, "Intro — " + contacts[4].fullName(), dice.between(5, 90) * 10_000, "lead", 9); // no contact 9
    }

    private void companies(Dice dice, RowSink out) throws SQLException {
        List<Company> known = new ArrayList<>();
        known.add(world.companies.get(World.ACME));
        known.add(world.companies.get(contacts[1].company()));
        known.add(world.companies.get(contacts[2].company()));
        known.add(world.companies.get(world.robbieAllanOnlyCompany));
        out.row(1, "Acme Corp", "https://www.acme.com/about/");
        for (int k = 1; k < known.size(); k++) {
            Company c = known.get(k);
            out.row(k + 1, k == 3 ? c.fullName() : Mess.companyNameVariant(dice, c), Mess.website(dice, c.domain()));
        }
    }

    private void knowledge(Dice dice, RowSink out) throws SQLException {
        long created = Mess.moment(dice);
        out.row(1, Mojibake.macRoman("🎯 Sales playbook"), prose.text(dice, dice.between(4_000, 12_000)),
                " sales, playbook ,onboarding", Mess.timestamp(created));
        out.row(2, "Pricing FAQ", prose.text(dice, dice.between(2_000, 6_000)), "pricing,faq,,",
                Mess.timestamp(created + dice.between(1, 90) * 86_400L));
        out.row(3, Mojibake.windows1252("Onboarding — what’s next"), prose.text(dice, dice.between(1_000, 3_000)),
                null, Mess.timestamp(created + dice.between(91, 300) * 86_400L));
    }
}
