package dev.townhall.legacy.generate.internal;

import dev.townhall.legacy.generate.internal.World.Company;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/** Robbie's three company tables: the HubSpot export, the Apollo enrichment export, and the hand-typed list. */
final class CompanyTables {
    static final List<String> HUBSPOT_COLUMNS = List.of("id", "name", "domain", "industry", "employee_count",
            "annual_revenue", "city", "state", "country", "owner_email", "created_date", "hs_lastmodifieddate",
            "lifecycle_stage", "notes");
    static final List<String> APOLLO_COLUMNS = List.of("apollo_id", "company_name", "website_url", "linkedin_url",
            "num_employees", "industry", "founded_year", "enriched_at", "raw");
    static final List<String> MANUAL_COLUMNS = List.of("id", "name", "website", "added_by", "added_on");

    static final int MANUAL_ROWS = 11;
    static final int APOLLO_REPEATS = World.APOLLO_COMPANY_ROWS - World.APOLLO_DISTINCT_COMPANIES;

    private final World world;
    private final Prose prose;

    CompanyTables(World world, Prose prose) {
        this.world = world;
        this.prose = prose;
    }

    List<TableSpec> specs() {
        return List.of(
                new TableSpec("hubspot_companies", HUBSPOT_COLUMNS, World.HUBSPOT_COMPANY_ROWS, this::hubspot),
                new TableSpec("apollo_companies", APOLLO_COLUMNS, World.APOLLO_COMPANY_ROWS, this::apollo),
                new TableSpec("manual_companies", MANUAL_COLUMNS, MANUAL_ROWS, this::manual));
    }

    // ---- hubspot_companies -------------------------------------------------------------------------------------

    private void hubspot(Dice dice, RowSink out) throws SQLException {
        int rows = World.HUBSPOT_COMPANY_ROWS;
        BitSet blankName = dice.marks(rows, 40);
        BitSet orphanOwner = dice.marks(rows, rows * 6 / 100);
        long span = Mess.LAST_SECOND - Mess.FIRST_SECOND;
        for (int r = 0; r < rows; r++) {
            int index = world.hubspotCompany[r];
            Company c = world.companies.get(index);
            boolean secondEntry = world.hubspotIdOfCompany(index) != world.hubspotCompanyId[r];
            // HubSpot ids grow with time: created moves along the rows, give or take a few days
            long created = Mess.FIRST_SECOND + span * r / rows * 95 / 100 + dice.between(0, 5 * 86_400);

            String name;
            String domain;
            if (index == World.ACME) {
                name = secondEntry ? "Acme Corp" : "Acme Corporation";
                domain = secondEntry ? "www.acme.com" : "acme.com";
            } else if (secondEntry) {
                name = Mess.companyNameVariant(dice, c);
                domain = dice.chance(0.8) ? Mess.website(dice, c.domain()) : null;
            } else {
                name = dice.chance(0.8) ? c.fullName() : c.name();
                domain = domain(dice, c.domain());
            }
            if (blankName.get(r)) {
                name = dice.pick("", "", "", " ", "  ");
            } else if (Mojibake.damageable(name) && dice.chance(0.2)) {
                name = Mess.mojibake(dice, name);
            }
            double industry = dice.unit();
            String city = c.place().city();
            out.row(world.hubspotCompanyId[r],
                    name,
                    domain,
                    industry < 0.80 ? c.industry().hubspot() : industry < 0.88 ? c.industry().human() : null,
                    employeeCount(dice, c.employees()),
                    revenue(dice, c.revenue()),
                    dice.chance(0.1) ? null : Mojibake.damageable(city) && dice.chance(0.25)
                            ? Mess.mojibake(dice, city) : dice.chance(0.05) ? city.toLowerCase(Locale.ROOT) : city,
                    dice.chance(0.15) ? null : dice.chance(0.7) ? c.place().region() : c.place().regionLong(),
                    dice.chance(0.15) ? null : dice.pick(c.place().countrySpellings()),
                    ownerEmail(dice, orphanOwner.get(r)),
                    Mess.dateText(dice, created),
                    dice.chance(0.02) ? null : Mess.timestamp(Mess.momentAfter(dice, created)),
                    Mess.lifecycleStage(dice),
                    notes(dice));
        }
    }

    private static String domain(Dice dice, String domain) {
        double roll = dice.unit();
        if (roll < 0.75) {
            return domain;
        } else if (roll < 0.85) {
            return "www." + domain;
        } else if (roll < 0.90) {
            return Mess.website(dice, domain);
        } else if (roll < 0.97) {
            return null;
        } else if (roll < 0.99) {
            return "";
        }
        return domain.toUpperCase(Locale.ROOT);
    }

    private static String employeeCount(Dice dice, int employees) {
        double roll = dice.unit();
        if (roll < 0.62) {
            return employees <= 10 ? "1-10" : employees <= 50 ? "11-50" : employees <= 200 ? "51-200"
                    : employees <= 500 ? "201-500" : employees <= 1000 ? "501-1,000"
                    : employees <= 5000 ? "1,001-5,000" : employees <= 10_000 ? "5,001-10,000" : "10,000+";
        } else if (roll < 0.72) {
            return Integer.toString(employees);
        } else if (roll < 0.76) {
            return employees > 1000 ? "1,000+" : employees > 500 ? "500+" : String.format(Locale.US, "%,d", employees);
        } else if (roll < 0.79) {
            return employees <= 50 ? "11 - 50" : "51 - 200";
        } else if (roll < 0.88) {
            return "";
        } else if (roll < 0.97) {
            return null;
        }
        return dice.pick("n/a", "~50", "lots", "-5", "unknown", "200ish");
    }

    private static BigDecimal revenue(Dice dice, long revenue) {
        double roll = dice.unit();
        long rounded = Math.max(1, revenue / 1000) * 1000;
        if (roll < 0.25) {
            return null;
        } else if (roll < 0.94) {
            return BigDecimal.valueOf(rounded);
        } else if (roll < 0.985) {
            return BigDecimal.valueOf(rounded * 100 + dice.between(0, 99), 2);
        } else if (roll < 0.991) {
            return BigDecimal.valueOf(-rounded);
        } else if (roll < 0.996) {
            return dice.pick(new BigDecimal("999999999999999.99"), new BigDecimal("1E+18"), BigDecimal.ZERO);
        }
        return BigDecimal.valueOf(rounded).movePointRight(3); // entered in thousands twice over
    }

    private static String ownerEmail(Dice dice, boolean unknown) {
        if (unknown) {
            return dice.pick("former.rep@testpilot.ai", "sales@testpilot.ai", "mike@testpilot.ai",
                    "jsmith@testpilot.ai", "owner@example.com", "Allan");
        }
        String user = Mess.userId(dice, 0, 0.04);
        return user == null ? null : dice.chance(0.03) ? (user + "@" + Words.OWN_DOMAIN).toUpperCase(Locale.ROOT)
                : user + "@" + Words.OWN_DOMAIN;
    }

    private String notes(Dice dice) {
        double roll = dice.unit();
        if (roll < 0.70) {
            return null;
        }
        String text = roll < 0.98 ? prose.text(dice, dice.between(20, 300)) : prose.text(dice, dice.between(2_000, 20_000));
        return Mojibake.damageable(text) && dice.chance(0.08) ? Mess.mojibake(dice, text) : text;
    }

    // ---- apollo_companies --------------------------------------------------------------------------------------

    private void apollo(Dice dice, RowSink out) throws SQLException {
        // CSV loads without a primary key: some records appear twice, half as exact copies, half re-enriched
        Mess.withRepeatedIds(dice, World.APOLLO_DISTINCT_COMPANIES, APOLLO_REPEATS, 1_640_995_200L, (i, second) -> apolloRow(dice, i, second), out);
    }

    private Object[] apolloRow(Dice dice, int i, long enriched) {
        int index = world.apolloCompany[i];
        Company c = world.companies.get(index);
        boolean sharedWithHubspot = world.hubspotIdOfCompany(index) != null;
        String name;
        if (index == World.ACME) {
            name = "ACME Corporation";
        } else if (dice.chance(0.006)) {
            name = "";
        } else {
            name = sharedWithHubspot && dice.chance(0.45) ? Mess.companyNameVariant(dice, c)
                    : dice.chance(0.6) ? c.name() : c.fullName();
            if (Mojibake.damageable(name) && dice.chance(0.2)) {
                name = Mess.mojibake(dice, name);
            }
        }
        double w = dice.unit();
        String website = index == World.ACME ? "http://www.acme.com" : w < 0.90 ? Mess.website(dice, c.domain())
                : w < 0.98 ? null : "";
        String linkedin = dice.chance(0.85) ? "http://www.linkedin.com/company/"
                + World.slug(c.name()) + (dice.chance(0.2) ? "-" + dice.between(2, 99) : "") : null;
        double e = dice.unit();
        Integer employees = e < 0.85 ? (Integer) Math.max(1, c.employees() + dice.between(-c.employees() / 5, c.employees() / 5))
                : e < 0.95 ? null : e < 0.98 ? 0 : dice.pick(-1, 2_000_000_000, 999_999);
        double f = dice.unit();
        Integer founded = f < 0.65 ? (Integer) c.founded() : f < 0.95 ? null : dice.pick(0, 19, 2099, 1066, 20_015);
        String industry = dice.chance(0.85) ? c.industry().apollo() : null;
        String id = world.apolloCompanyId[i];
        String raw = "{\"id\": " + Mess.jsonString(id)
                + ", \"name\": " + Mess.jsonString(name)
                + ", \"primary_domain\": " + Mess.jsonString(c.domain())
                + ", \"website_url\": " + (website == null ? "null" : Mess.jsonString(website))
                + ", \"estimated_num_employees\": " + (employees == null ? "null" : employees)
                + ", \"industry\": " + (industry == null ? "null" : Mess.jsonString(industry))
                + ", \"founded_year\": " + (founded == null ? "null" : founded)
                + ", \"raw_address\": " + Mess.jsonString(c.place().city() + ", " + c.place().regionLong() + ", "
                + c.place().countrySpellings().get(0))
                + ", \"keywords\": [" + Mess.jsonString(c.industry().apollo()) + ", "
                + Mess.jsonString(c.industry().human().toLowerCase(Locale.ROOT)) + "]"
                + ", \"publicly_traded_symbol\": null}";
        return new Object[] {id, name, website, linkedin, employees, industry, founded, Mess.timestamptz(enriched), raw};
    }

    // ---- manual_companies --------------------------------------------------------------------------------------

    private void manual(Dice dice, RowSink out) throws SQLException {
        List<Company> shared = new ArrayList<>();
        for (int k = 0; k < 5; k++) {
            shared.add(world.companies.get(world.apolloCompany[dice.below(World.APOLLO_DISTINCT_COMPANIES)]));
        }
        Company hubspotOnly = world.companies.get(world.hubspotCompany[dice.below(World.HUBSPOT_COMPANY_ROWS)]);
        Company[] own = new Company[World.MANUAL_ONLY_COMPANIES];
        for (int k = 0; k < own.length; k++) {
            own[k] = world.companies.get(world.manualOnlyCompanies[k]);
        }
        long day = 86_400;
        long added = dice.between(Mess.FIRST_SECOND, Mess.FIRST_SECOND + 400 * day);
        // typed by hand over the years; rows 4 and 11 were deleted, so the serial ids have gaps
        Object[][] rows = {
                {1, "acme.com", "www.acme.com", "allan"},
                {2, Mess.companyNameVariant(dice, shared.get(0)), shared.get(0).domain(), "allan"},
                {3, shared.get(1).name().toUpperCase(Locale.ROOT), Mess.website(dice, shared.get(1).domain()), "kristina"},
                {5, shared.get(2).name().toLowerCase(Locale.ROOT), "n/a", "Allan"},
                {6, Mess.mojibake(dice, "Café Lumière Studios"), "cafe-lumiere.fr", "andre"},
                {7, "", Mess.website(dice, shared.get(3).domain()), "allan"},
                {8, own[0].fullName(), own[0].domain(), "bob"},
                {9, own[1].name(), null, "kristina"},
                {10, own[2].fullName(), "http://" + own[2].domain() + "/", "allan"},
                {12, shared.get(4).domain(), null, null},
                {13, hubspotOnly.name() + " (old)", hubspotOnly.domain(), "andre"}};
        for (Object[] row : rows) {
            added += dice.between(1, 200) * day;
            out.row(row[0], row[1], row[2], row[3], dice.chance(0.1) ? null : Mess.date(added));
        }
    }
}
