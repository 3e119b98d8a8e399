package dev.townhall.legacy.generate.internal;

import dev.townhall.legacy.generate.internal.World.Person;

import java.sql.SQLException;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/** Robbie's three contact tables: HubSpot, Apollo and the hand-typed list. They overlap by email. */
final class ContactTables {
    static final List<String> HUBSPOT_COLUMNS = List.of("id", "firstname", "lastname", "email", "phone", "jobtitle",
            "company_id", "lifecyclestage", "createdate", "lastmodifieddate", "owner");
    static final List<String> APOLLO_COLUMNS = List.of("id", "first_name", "last_name", "email", "email_status",
            "title", "organization_id", "linkedin_url", "city", "state", "country", "phone_numbers", "created_at");
    static final List<String> MANUAL_COLUMNS = List.of("id", "full_name", "email", "phone", "company_name", "notes",
            "added_by");

    static final int MANUAL_ROWS = 10;
    static final int APOLLO_REPEATS = World.APOLLO_CONTACT_ROWS - World.APOLLO_DISTINCT_PEOPLE;

    private final World world;
    private final Prose prose;

    ContactTables(World world, Prose prose) {
        this.world = world;
        this.prose = prose;
    }

    List<TableSpec> specs() {
        return List.of(
                new TableSpec("hubspot_contacts", HUBSPOT_COLUMNS, World.HUBSPOT_CONTACT_ROWS, this::hubspot),
                new TableSpec("apollo_contacts", APOLLO_COLUMNS, World.APOLLO_CONTACT_ROWS, this::apollo),
                new TableSpec("manual_contacts", MANUAL_COLUMNS, MANUAL_ROWS, this::manual));
    }

    // ---- hubspot_contacts --------------------------------------------------------------------------------------

    private void hubspot(Dice dice, RowSink out) throws SQLException {
        int rows = World.HUBSPOT_CONTACT_ROWS;
        BitSet blankFirst = dice.marks(rows, 18);
        BitSet blankLast = dice.marks(rows, 14);
        BitSet badEmail = dice.marks(rows, 55);
        BitSet orphanCompany = dice.marks(rows, 55);
        long span = Mess.LAST_SECOND - Mess.FIRST_SECOND;
        for (int r = 0; r < rows; r++) {
            int index = world.hubspotContact[r];
            Person p = world.people.get(index);
            boolean secondEntry = world.hubspotRowOfPerson(index) != r;
            long created = Mess.FIRST_SECOND + span * r / rows * 95 / 100 + dice.between(0, 5 * 86_400);
            String email;
            if (index == World.JOHN_DOE) {
                email = secondEntry ? "John.Doe@acme.com " : p.email();
            } else if (secondEntry) {
                email = Mess.emailVariant(dice, p.email());  // entered twice: same address, other case/whitespace
            } else if (badEmail.get(r)) {
                email = Mess.badEmail(dice, p);
            } else {
                double roll = dice.unit();
                email = roll < 0.93 ? p.email() : roll < 0.97 ? Mess.emailVariant(dice, p.email()) : null;
            }
            Long companyId = world.hubspotIdOfCompany(p.company());
            Object company = orphanCompany.get(r) ? (Object) world.orphanCompanyId(dice)
                    : dice.chance(0.08) ? null : companyId;
            out.row(world.hubspotContactId[r],
                    blankFirst.get(r) ? dice.pick("", "", " ") : name(dice, p.first()),
                    blankLast.get(r) ? dice.pick("", null) : name(dice, p.last()),
                    email,
                    dice.chance(0.25) ? null : Mess.phone(dice, p),
                    dice.chance(0.2) ? null : p.title(),
                    company,
                    Mess.lifecycleStage(dice),
                    Mess.dateText(dice, created),
                    dice.chance(0.02) ? null : Mess.timestamp(Mess.momentAfter(dice, created)),
                    hubspotOwner(dice));
        }
    }

    /** A name as the source holds it: now and then double-encoded, or typed in the wrong case. */
    static String name(Dice dice, String name) {
        if (Mojibake.damageable(name) && dice.chance(0.12)) {
            return Mess.mojibake(dice, name);
        }
        double roll = dice.unit();
        return roll < 0.02 ? name.toLowerCase(Locale.ROOT) : roll < 0.03 ? name.toUpperCase(Locale.ROOT)
                : roll < 0.035 ? name + " " : name;
    }

    private static String hubspotOwner(Dice dice) {
        if (dice.chance(0.02)) {
            return Long.toString(dice.between(10_000_000L, 99_999_999L)); // HubSpot's own numeric owner id
        }
        return Mess.userId(dice, 0.06, 0.07);
    }

    // ---- apollo_contacts ---------------------------------------------------------------------------------------

    private void apollo(Dice dice, RowSink out) throws SQLException {
        // CSV loads without a primary key: some records appear twice, half as exact copies, half re-enriched
        Mess.withRepeatedIds(dice, World.APOLLO_DISTINCT_PEOPLE, APOLLO_REPEATS, 1_577_836_800L, (i, second) -> apolloRow(dice, i, second), out);
    }

    private Object[] apolloRow(Dice dice, int i, long created) {
        int index = world.apolloContact[i];
        Person p = world.people.get(index);
        boolean inHubspot = world.hubspotRowOfPerson(index) >= 0;
        double s = dice.unit();
        String status = s < 0.55 ? "verified" : s < 0.80 ? "guessed" : s < 0.90 ? "unavailable" : null;
        String email;
        if (index == World.JOHN_DOE) {
            email = "JOHN.DOE@ACME.COM";
        } else if ("unavailable".equals(status) && dice.chance(0.8)) {
            email = null;
        } else if (inHubspot) {
            email = dice.chance(0.3) ? Mess.emailVariant(dice, p.email()) : p.email();
        } else {
            double roll = dice.unit();
            email = roll < 0.93 ? p.email() : roll < 0.97 ? null : Mess.badEmail(dice, p);
        }
        String organization = world.apolloIdOfCompany(p.company());
        double o = dice.unit();
        if (organization == null || o < 0.03) {
            organization = o < 0.5 ? World.objectId(dice) : null; // an organisation the export left out
        } else if (o < 0.07) {
            organization = null;
        }
        String phones;
        double ph = dice.unit();
        if (ph < 0.15) {
            phones = null;
        } else if (ph < 0.30) {
            phones = "[]";
        } else if (ph < 0.85) {
            phones = "[" + Mess.jsonString(Mess.phone(dice, p)) + "]";
        } else {
            phones = "[" + Mess.jsonString(Mess.phone(dice, p)) + ", " + Mess.jsonString(Mess.phone(dice, p)) + "]";
        }
        return new Object[] {world.apolloContactId[i],
                dice.chance(0.005) ? "" : name(dice, p.first()),
                dice.chance(0.004) ? "" : name(dice, p.last()),
                email,
                status,
                dice.chance(0.1) ? null : p.title(),
                organization,
                dice.chance(0.2) ? null : "https://www.linkedin.com/in/" + World.slug(p.first()) + "-"
                        + World.slug(p.last()) + "-" + dice.hex(8),
                dice.chance(0.1) ? null : p.place().city(),
                dice.chance(0.2) ? null : dice.chance(0.5) ? p.place().regionLong() : p.place().region(),
                dice.chance(0.1) ? null : dice.pick(p.place().countrySpellings()),
                phones,
                Mess.timestamptz(created)};
    }

    // ---- manual_contacts ---------------------------------------------------------------------------------------

    private void manual(Dice dice, RowSink out) throws SQLException {
        Person[] hub = new Person[4];
        for (int k = 0; k < hub.length; k++) {
            hub[k] = world.people.get(world.hubspotContact[dice.below(World.HUBSPOT_CONTACT_ROWS)]);
        }
        Person[] apollo = new Person[2];
        for (int k = 0; k < apollo.length; k++) {
            apollo[k] = world.people.get(world.apolloContact[dice.below(World.APOLLO_DISTINCT_PEOPLE)]);
        }
        Person[] own = new Person[World.MANUAL_ONLY_PEOPLE];
        for (int k = 0; k < own.length; k++) {
            own[k] = world.people.get(world.manualOnlyPeople[k]);
        }
        Object[][] rows = {
                {1, "John Doe", " John.Doe@Acme.com", "(415) 555-0100", "ACME Corp.", "met at SaaStr", "allan"},
                {2, hub[0].last() + ", " + hub[0].first(), Mess.emailVariant(dice, hub[0].email()),
                        Mess.phone(dice, hub[0]), company(dice, hub[0]), null, "allan"},
                {3, "dr. " + hub[1].first().toLowerCase(Locale.ROOT) + " " + hub[1].last().toUpperCase(Locale.ROOT),
                        hub[1].email(), Mess.phone(dice, hub[1]), company(dice, hub[1]), "intro via LinkedIn", "kristina"},
                {4, Mess.mojibake(dice, "Renée Müller"), "renee.mueller@example.de", "+49 30 1234567", "Müller & Söhne",
                        "prefers email", "andre"},
                {5, apollo[0].fullName(), apollo[0].email().toUpperCase(Locale.ROOT), null, company(dice, apollo[0]),
                        prose.sentence(dice), "Allan"},
                {6, apollo[1].first(), apollo[1].email(), Mess.phone(dice, apollo[1]), company(dice, apollo[1]), null,
                        "allan"},
                {7, own[0].fullName(), own[0].email(), Mess.phone(dice, own[0]), company(dice, own[0]), null, "bob"},
                {8, "", hub[2].email(), null, null, "name missing in the original sheet", "kristina"},
                {9, own[1].fullName(), dice.pick("n/a", "john.doe@", "test@test", "noemail@example.com"),
                        Mess.phone(dice, own[1]), company(dice, own[1]), "ask for email", "allan"},
                {10, own[2].fullName() + " ", own[2].email() + " ", Mess.phone(dice, own[2]), null,
                        hub[3].fullName() + " referred", null}};
        for (Object[] row : rows) {
            out.row(row);
        }
    }

    private String company(Dice dice, Person p) {
        return Mess.companyNameVariant(dice, world.companies.get(p.company()));
    }
}
