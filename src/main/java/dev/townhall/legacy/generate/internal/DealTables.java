package dev.townhall.legacy.generate.internal;

import dev.townhall.legacy.generate.internal.World.Company;
import dev.townhall.legacy.generate.internal.World.Person;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.BitSet;
import java.util.List;

/** Robbie's three deal tables: the HubSpot export, one typed by hand, one from a newer pipeline tool. */
final class DealTables {
    static final List<String> HUBSPOT_COLUMNS = List.of("deal_id", "dealname", "amount", "dealstage", "pipeline",
            "closedate", "company_id", "contact_id", "owner", "createdate");
    static final List<String> MANUAL_COLUMNS = List.of("id", "name", "value", "stage", "company_name", "added_by");
    static final List<String> PIPELINE_COLUMNS = List.of("id", "title", "amount_cents", "currency", "stage",
            "contact_email");

    private static final List<String> STAGES = List.of("appointmentscheduled", "qualifiedtobuy",
            "presentationscheduled", "decisionmakerboughtin", "contractsent", "closedwon", "closedwon", "closedlost");
    private static final List<String> PRODUCTS = List.of("Annual plan", "Pilot", "Renewal", "Expansion",
            "Enterprise", "Starter", "Professional services", "Training package");

    private final World world;

    DealTables(World world) {
        this.world = world;
    }

    List<TableSpec> specs() {
        return List.of(
                new TableSpec("hubspot_deals", HUBSPOT_COLUMNS, World.HUBSPOT_DEALS, this::hubspot),
                new TableSpec("manual_deals", MANUAL_COLUMNS, 1, this::manual),
                new TableSpec("pipeline_deals", PIPELINE_COLUMNS, 1, this::pipeline));
    }

    private void hubspot(Dice dice, RowSink out) throws SQLException {
        int rows = World.HUBSPOT_DEALS;
        BitSet orphanCompany = dice.marks(rows, 3);
        BitSet noCompany = dice.marks(rows, 3);
        BitSet orphanContact = dice.marks(rows, 3);
        BitSet noContact = dice.marks(rows, 4);
        for (int d = 0; d < rows; d++) {
            boolean acme = d == 0; // the docs' example: Acme's deal with John Doe
            int companyRow = acme ? rowOfCompany(World.ACME) : world.dealCompanyRow[d];
            int contactRow = acme ? world.hubspotRowOfPerson(World.JOHN_DOE) : world.dealContactRow[d];
            Company company = world.companies.get(world.hubspotCompany[companyRow]);
            long created = Mess.moment(dice);
            long closes = created + dice.between(7, 200) * 86_400L;
            long cents = Math.round(Math.exp(dice.between(80, 130) / 10.0)) * 100; // about $3k to $440k
            Object companyId = orphanCompany.get(d) ? (Object) world.orphanCompanyId(dice)
                    : noCompany.get(d) && !acme ? null : world.hubspotCompanyId[companyRow];
            Object contactId = orphanContact.get(d) ? (Object) world.orphanContactId(dice)
                    : noContact.get(d) && !acme ? null : world.hubspotContactId[contactRow];
            String stage = dice.chance(0.04) ? Long.toString(dice.between(1_000_000, 99_999_999)) : dice.pick(STAGES);
            out.row(world.dealId[d],
                    d == 7 ? "" : company.name() + dice.pick(" - ", " / ", ": ", " — ") + dice.pick(PRODUCTS)
                            + (dice.chance(0.5) ? " " + (2018 + (created - Mess.FIRST_SECOND) / 31_557_600L) : ""),
                    // the first rows show each form the export is known for; the rest fall where they may
                    d >= 1 && d <= 4 ? Mess.amountText(dice, cents, new int[] {0, 30, 55, 90}[d - 1])
                            : Mess.amountText(dice, cents),
                    stage,
                    dice.chance(0.85) ? "default" : dice.pick("Renewals", null),
                    Mess.dateText(dice, closes),
                    companyId,
                    contactId,
                    Mess.userId(dice, 0.08, 0.03),
                    Mess.dateText(dice, created));
        }
    }

    private int rowOfCompany(int company) {
        Long id = world.hubspotIdOfCompany(company);
        for (int r = 0; r < World.HUBSPOT_COMPANY_ROWS; r++) {
            if (world.hubspotCompanyId[r] == id) {
                return r;
            }
        }
        throw new IllegalStateException("company " + company + " has no HubSpot row");
    }

    private void manual(Dice dice, RowSink out) throws SQLException {
        out.row(1, "Acme pilot expansion", BigDecimal.valueOf(dice.between(150, 400) * 100L), "Negotiation",
                "ACME Corp.", "allan");
    }

    private void pipeline(Dice dice, RowSink out) throws SQLException {
        Person doe = world.people.get(World.JOHN_DOE);
        out.row(dice.uuid(), "Acme Corp — Enterprise renewal", dice.between(5_000, 20_000) * 10_000L, "USD",
                "proposal", Mess.emailVariant(dice, doe.email()));
    }
}
