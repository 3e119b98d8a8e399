package dev.townhall.legacy.generate.internal;

import dev.townhall.legacy.generate.internal.Words.Industry;
import dev.townhall.legacy.generate.internal.Words.Place;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The "true" companies and people behind the legacy tables, and which source holds whom under which id. Every
 * table is a view of this world, spoiled in its own way; that is what makes the same company appear in several
 * sources under different spellings, and the same person in several contact tables.
 * <p>
 * Sizes: 7,112 companies (6,740 in HubSpot, 700 of them also in Apollo, 368 in Apollo only, a few typed by hand
 * only) and 4,894 people (1,830 in HubSpot, 680 of them also in Apollo, 3,060 in Apollo only, a few by hand only).
 */
final class World {
    static final int HUBSPOT_COMPANY_ROWS = 6_810;
    static final int HUBSPOT_DISTINCT_COMPANIES = 6_740; // the other 70 rows enter a company a second time
    static final int APOLLO_COMPANY_ROWS = 1_088;
    static final int APOLLO_DISTINCT_COMPANIES = 1_068; // 20 rows repeat an apollo_id
    static final int APOLLO_SHARED_COMPANIES = 700;   // also in HubSpot
    static final int APOLLO_ONLY_COMPANIES = APOLLO_DISTINCT_COMPANIES - APOLLO_SHARED_COMPANIES;
    static final int MANUAL_ONLY_COMPANIES = 3;
    static final int ROBBIE_ALLAN_ONLY_COMPANIES = 1;

    static final int HUBSPOT_CONTACT_ROWS = 1_851;
    static final int HUBSPOT_DISTINCT_PEOPLE = 1_830;  // 21 rows enter a person twice
    static final int APOLLO_CONTACT_ROWS = 3_796;
    static final int APOLLO_DISTINCT_PEOPLE = 3_740;   // 56 rows repeat an id
    static final int APOLLO_SHARED_PEOPLE = 680;       // also in HubSpot, matched by email
    static final int APOLLO_ONLY_PEOPLE = APOLLO_DISTINCT_PEOPLE - APOLLO_SHARED_PEOPLE;
    static final int MANUAL_ONLY_PEOPLE = 3;
    static final int ROBBIE_ALLAN_ONLY_PEOPLE = 1;

    static final int HUBSPOT_DEALS = 66;

    /** Index 0 is always Acme: the company whose variants the docs use as the example. */
    static final int ACME = 0;
    /** Person 0 is always John Doe of Acme. */
    static final int JOHN_DOE = 0;

    record Company(String name, String legal, String domain, Industry industry, Place place, int employees,
                   int founded, long revenue) {
        /** The name with its legal form, as a careful person would write it. */
        String fullName() {
            return legal.isEmpty() ? name : name + " " + legal;
        }
    }

    record Person(String first, String last, String email, Place place, String title, int company, String phone) {
        String fullName() {
            return first + " " + last;
        }
    }

    final List<Company> companies = new ArrayList<>();
    final List<Person> people = new ArrayList<>();

    /** hubspot_companies row → company; ids ascend with the row. */
    final int[] hubspotCompany = new int[HUBSPOT_COMPANY_ROWS];
    final long[] hubspotCompanyId = new long[HUBSPOT_COMPANY_ROWS];
    private final Map<Integer, Long> hubspotIdOfCompany = new HashMap<>();
    private final long[] sortedHubspotCompanyIds;

    /** The distinct Apollo organisations → company, and their 24-hex ids. */
    final int[] apolloCompany = new int[APOLLO_DISTINCT_COMPANIES];
    final String[] apolloCompanyId = new String[APOLLO_DISTINCT_COMPANIES];
    private final Map<Integer, String> apolloIdOfCompany = new HashMap<>();

    /** hubspot_contacts row → person; ids ascend with the row. */
    final int[] hubspotContact = new int[HUBSPOT_CONTACT_ROWS];
    final long[] hubspotContactId = new long[HUBSPOT_CONTACT_ROWS];
    private final Map<Integer, Integer> hubspotRowOfPerson = new HashMap<>();
    private final long[] sortedHubspotContactIds;

    /** The distinct Apollo people → person, and their 24-hex ids. */
    final int[] apolloContact = new int[APOLLO_DISTINCT_PEOPLE];
    final String[] apolloContactId = new String[APOLLO_DISTINCT_PEOPLE];

    /** hubspot_deals row → id, company row (-1 none), contact row (-1 none). */
    final long[] dealId = new long[HUBSPOT_DEALS];
    final int[] dealCompanyRow = new int[HUBSPOT_DEALS];
    final int[] dealContactRow = new int[HUBSPOT_DEALS];
    private final long[] sortedDealIds;

    /** Companies and people only the hand-typed tables and Robbie_Allan know. */
    final int[] manualOnlyCompanies = new int[MANUAL_ONLY_COMPANIES];
    final int robbieAllanOnlyCompany;
    final int[] manualOnlyPeople = new int[MANUAL_ONLY_PEOPLE];
    final int robbieAllanOnlyPerson;

    private final Set<String> usedDomains = new HashSet<>();
    private final Set<String> usedNames = new HashSet<>();
    private final Set<String> usedEmails = new HashSet<>();

    World(long seed) {
        Dice dice = Dice.forTable(seed, "world");
        makeCompanies(dice);
        // HubSpot: every one of the first 6,740 companies once, plus 70 second entries, in a shuffled order
        int[] order = new int[HUBSPOT_COMPANY_ROWS];
        for (int i = 0; i < HUBSPOT_DISTINCT_COMPANIES; i++) {
            order[i] = i;
        }
        order[HUBSPOT_DISTINCT_COMPANIES] = ACME; // Acme is entered twice, as the docs' example says
        for (int i = HUBSPOT_DISTINCT_COMPANIES + 1; i < HUBSPOT_COMPANY_ROWS; i++) {
            order[i] = dice.below(HUBSPOT_DISTINCT_COMPANIES);
        }
        dice.shuffle(order);
        long id = 1_500_000_000L;
        for (int row = 0; row < HUBSPOT_COMPANY_ROWS; row++) {
            id += dice.between(1, 60_000);
            hubspotCompany[row] = order[row];
            hubspotCompanyId[row] = id;
            hubspotIdOfCompany.putIfAbsent(order[row], id);
        }
        sortedHubspotCompanyIds = hubspotCompanyId.clone(); // already ascending

        // Apollo: 700 HubSpot companies (Acme among them) and the 368 only Apollo knows
        BitSet shared = dice.marks(HUBSPOT_DISTINCT_COMPANIES - 1, APOLLO_SHARED_COMPANIES - 1);
        int[] apollo = new int[APOLLO_DISTINCT_COMPANIES];
        int filled = 0;
        apollo[filled++] = ACME;
        for (int c = shared.nextSetBit(0); c >= 0; c = shared.nextSetBit(c + 1)) {
            apollo[filled++] = c + 1;
        }
        for (int i = 0; i < APOLLO_ONLY_COMPANIES; i++) {
            apollo[APOLLO_SHARED_COMPANIES + i] = HUBSPOT_DISTINCT_COMPANIES + i;
        }
        dice.shuffle(apollo);
        for (int i = 0; i < APOLLO_DISTINCT_COMPANIES; i++) {
            apolloCompany[i] = apollo[i];
            apolloCompanyId[i] = objectId(dice);
            apolloIdOfCompany.put(apollo[i], apolloCompanyId[i]);
        }
        int next = HUBSPOT_DISTINCT_COMPANIES + APOLLO_ONLY_COMPANIES;
        for (int i = 0; i < MANUAL_ONLY_COMPANIES; i++) {
            manualOnlyCompanies[i] = next++;
        }
        robbieAllanOnlyCompany = next;

        makePeople(dice);
        int[] contacts = new int[HUBSPOT_CONTACT_ROWS];
        for (int i = 0; i < HUBSPOT_DISTINCT_PEOPLE; i++) {
            contacts[i] = i;
        }
        for (int i = HUBSPOT_DISTINCT_PEOPLE; i < HUBSPOT_CONTACT_ROWS; i++) {
            contacts[i] = dice.below(HUBSPOT_DISTINCT_PEOPLE);
        }
        dice.shuffle(contacts);
        id = 51;
        for (int row = 0; row < HUBSPOT_CONTACT_ROWS; row++) {
            id += dice.between(1, 400);
            hubspotContact[row] = contacts[row];
            hubspotContactId[row] = id;
            hubspotRowOfPerson.putIfAbsent(contacts[row], row);
        }
        sortedHubspotContactIds = hubspotContactId.clone();

        // Apollo people: 680 HubSpot people whose company Apollo knows (John Doe first), then Apollo's own
        List<Integer> candidates = new ArrayList<>();
        for (int p = 1; p < HUBSPOT_DISTINCT_PEOPLE; p++) {
            if (apolloIdOfCompany.containsKey(people.get(p).company())) {
                candidates.add(p);
            }
        }
        BitSet chosen = dice.marks(candidates.size(), APOLLO_SHARED_PEOPLE - 1);
        int[] apolloPeople = new int[APOLLO_DISTINCT_PEOPLE];
        int k = 0;
        apolloPeople[k++] = JOHN_DOE;
        for (int c = chosen.nextSetBit(0); c >= 0; c = chosen.nextSetBit(c + 1)) {
            apolloPeople[k++] = candidates.get(c);
        }
        for (int i = 0; i < APOLLO_ONLY_PEOPLE; i++) {
            apolloPeople[k++] = HUBSPOT_DISTINCT_PEOPLE + i;
        }
        dice.shuffle(apolloPeople);
        for (int i = 0; i < APOLLO_DISTINCT_PEOPLE; i++) {
            apolloContact[i] = apolloPeople[i];
            apolloContactId[i] = objectId(dice);
        }
        int nextPerson = HUBSPOT_DISTINCT_PEOPLE + APOLLO_ONLY_PEOPLE;
        for (int i = 0; i < MANUAL_ONLY_PEOPLE; i++) {
            manualOnlyPeople[i] = nextPerson++;
        }
        robbieAllanOnlyPerson = nextPerson;

        id = 3_100_000_000L;
        for (int d = 0; d < HUBSPOT_DEALS; d++) {
            id += dice.between(1_000, 9_000_000);
            dealId[d] = id;
            int contactRow = dice.below(HUBSPOT_CONTACT_ROWS);
            Long companyId = hubspotIdOfCompany.get(people.get(hubspotContact[contactRow]).company());
            dealContactRow[d] = contactRow;
            dealCompanyRow[d] = companyId == null ? dice.below(HUBSPOT_COMPANY_ROWS)
                    : Arrays.binarySearch(sortedHubspotCompanyIds, companyId);
        }
        sortedDealIds = dealId.clone();
    }

    // ---- companies -------------------------------------------------------------------------------------------

    private void makeCompanies(Dice dice) {
        int total = HUBSPOT_DISTINCT_COMPANIES + APOLLO_ONLY_COMPANIES + MANUAL_ONLY_COMPANIES
                + ROBBIE_ALLAN_ONLY_COMPANIES;
        Place home = Words.PLACES.get(0);
        add(new Company("Acme", "Corporation", "acme.com", Words.INDUSTRIES.get(0), home, 250, 1998, 48_000_000L));
        while (companies.size() < total) {
            String name = companyName(dice);
            String domain = slug(name.replace("&", "")) + "." + dice.pick(Words.TLDS);
            if (usedNames.contains(name.toLowerCase(Locale.ROOT)) || usedDomains.contains(domain)) {
                continue;
            }
            int employees = employees(dice);
            long revenue = employees * dice.between(40_000L, 400_000L);
            add(new Company(name, dice.pick(Words.LEGAL_FORMS), domain, dice.pick(Words.INDUSTRIES),
                    dice.pick(Words.PLACES), employees, dice.between(1950, 2023), revenue));
        }
    }

    private void add(Company company) {
        companies.add(company);
        usedNames.add(company.name().toLowerCase(Locale.ROOT));
        usedDomains.add(company.domain());
    }

    private static String companyName(Dice dice) {
        int shape = dice.below(10);
        String root = dice.pick(Words.COMPANY_ROOTS);
        if (shape < 3) {
            return root + dice.pick(Words.COMPANY_TAILS);
        }
        if (shape < 6) {
            return root + " " + dice.pick(Words.COMPANY_NOUNS);
        }
        if (shape < 8) {
            return root + dice.pick(Words.COMPANY_TAILS) + " " + dice.pick(Words.COMPANY_NOUNS);
        }
        if (shape < 9) {
            return dice.pick(Words.LAST_NAMES) + " & " + dice.pick(Words.LAST_NAMES);
        }
        return dice.pick(Words.LAST_NAMES) + " " + dice.pick(Words.COMPANY_NOUNS);
    }

    private static int employees(Dice dice) {
        double u = dice.unit();
        // mostly small companies, a long tail of big ones
        return (int) Math.max(1, Math.round(Math.exp(u * u * Math.log(60_000))));
    }

    // ---- people ----------------------------------------------------------------------------------------------

    private void makePeople(Dice dice) {
        int total = HUBSPOT_DISTINCT_PEOPLE + APOLLO_ONLY_PEOPLE + MANUAL_ONLY_PEOPLE + ROBBIE_ALLAN_ONLY_PEOPLE;
        addPerson(dice, "John", "Doe", ACME, "john.doe@acme.com");
        int[] apolloShared = new int[APOLLO_SHARED_COMPANIES];
        int s = 0;
        for (int c : apolloCompany) {
            if (c < HUBSPOT_DISTINCT_COMPANIES) {
                apolloShared[s++] = c;
            }
        }
        while (people.size() < total) {
            int p = people.size();
            int company;
            if (p < HUBSPOT_DISTINCT_PEOPLE) {
                // 45% of HubSpot's people work where Apollo also knows the company: that is where the overlap is
                company = dice.chance(0.45) ? apolloShared[dice.below(apolloShared.length)]
                        : dice.below(HUBSPOT_DISTINCT_COMPANIES);
            } else if (p < HUBSPOT_DISTINCT_PEOPLE + APOLLO_ONLY_PEOPLE) {
                company = dice.chance(0.97) ? apolloCompany[dice.below(APOLLO_DISTINCT_COMPANIES)]
                        : dice.below(HUBSPOT_DISTINCT_COMPANIES);
            } else {
                company = dice.below(companies.size());
            }
            addPerson(dice, dice.pick(Words.FIRST_NAMES), dice.pick(Words.LAST_NAMES), company, null);
        }
    }

    private void addPerson(Dice dice, String first, String last, int company, String fixedEmail) {
        Company at = companies.get(company);
        String email = fixedEmail;
        String f = slug(first);
        String l = slug(last);
        for (int attempt = 0; email == null || usedEmails.contains(email); attempt++) {
            String domain = dice.chance(0.08) ? dice.pick(Words.PERSONAL_DOMAINS) : at.domain();
            String local = switch (dice.below(5)) {
                case 0, 1 -> f + "." + l;
                case 2 -> f.charAt(0) + l;
                case 3 -> f;
                default -> f + "_" + l;
            };
            email = (attempt > 0 ? local + attempt : local) + "@" + domain;
        }
        usedEmails.add(email);
        Place place = dice.chance(0.8) ? at.place() : dice.pick(Words.PLACES);
        String phone = place.phonePrefix().equals("+1")
                ? String.format(Locale.ROOT, "%03d555%04d", dice.between(201, 989), dice.between(100, 9999))
                : String.format(Locale.ROOT, "%d%08d", dice.between(2, 9), dice.between(0, 99_999_999));
        people.add(new Person(first, last, email, place, dice.pick(Words.JOB_TITLES), company, phone));
    }

    // ---- lookups ---------------------------------------------------------------------------------------------

    /** The HubSpot id of a company's first row, or null when HubSpot does not know it. */
    Long hubspotIdOfCompany(int company) {
        return hubspotIdOfCompany.get(company);
    }

    /** The Apollo id of a company, or null when Apollo does not know it. */
    String apolloIdOfCompany(int company) {
        return apolloIdOfCompany.get(company);
    }

    /** The hubspot_contacts row of a person's first entry, or -1. */
    int hubspotRowOfPerson(int person) {
        return hubspotRowOfPerson.getOrDefault(person, -1);
    }

    /** A company id in HubSpot's range that no hubspot_companies row has: an orphaned reference. */
    long orphanCompanyId(Dice dice) {
        return orphan(dice, sortedHubspotCompanyIds);
    }

    long orphanContactId(Dice dice) {
        return orphan(dice, sortedHubspotContactIds);
    }

    long orphanDealId(Dice dice) {
        return orphan(dice, sortedDealIds);
    }

    private static long orphan(Dice dice, long[] sortedIds) {
        while (true) {
            long candidate = dice.between(sortedIds[0], sortedIds[sortedIds.length - 1]);
            if (Arrays.binarySearch(sortedIds, candidate) < 0) {
                return candidate;
            }
        }
    }

    /** A 24-hex id like Apollo's (a MongoDB ObjectId: 8 hex of seconds since 1970, then 16 random hex). */
    static String objectId(Dice dice) {
        long seconds = dice.between(1_450_000_000L, 1_720_000_000L);
        return String.format(Locale.ROOT, "%08x", seconds) + dice.hex(16);
    }

    /** Lower case ASCII letters and digits only: "Café Lumière" → "cafelumiere". */
    static String slug(String text) {
        String decomposed = Normalizer.normalize(text, Normalizer.Form.NFD);
        StringBuilder out = new StringBuilder(decomposed.length());
        for (int i = 0; i < decomposed.length(); i++) {
            char ch = Character.toLowerCase(decomposed.charAt(i));
            switch (ch) {
                case 'ø' -> out.append('o');
                case 'ł' -> out.append('l');
                case 'ß' -> out.append("ss");
                case 'æ' -> out.append("ae");
                case 'ı' -> out.append('i');
                default -> {
                    if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
                        out.append(ch);
                    }
                }
            }
        }
        return out.toString();
    }
}
