package dev.townhall.legacy.generate.internal;

import java.util.List;

/**
 * The small built-in vocabulary the generator draws names, places and prose from. Some entries carry accents and
 * typographic apostrophes on purpose: they are what double encoding damages.
 */
final class Words {
    private Words() {
    }

    static final List<String> FIRST_NAMES = List.of(
            "James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "William", "Elizabeth",
            "David", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen",
            "Christopher", "Nancy", "Daniel", "Lisa", "Matthew", "Betty", "Anthony", "Margaret", "Mark", "Sandra",
            "Donald", "Ashley", "Steven", "Kimberly", "Paul", "Emily", "Andrew", "Donna", "Joshua", "Michelle",
            "Kenneth", "Carol", "Kevin", "Amanda", "Brian", "Melissa", "George", "Deborah", "Timothy", "Stephanie",
            "Priya", "Raj", "Wei", "Mei", "Hiroshi", "Yuki", "Omar", "Fatima", "Carlos", "Lucia", "Ahmed", "Aisha",
            "Olga", "Dmitri", "Ingrid", "Lars", "Sven", "Anika", "Kwame", "Ngozi", "Tyler", "Hannah", "Ethan",
            "Grace", "Noah", "Chloe", "Liam", "Ava", "Mateo", "Sofia",
            "José", "Zoë", "Renée", "François", "Björn", "Søren", "Chloé", "Jürgen", "Inés", "Łukasz", "Noémie",
            "André", "Sébastien", "Agnès", "Jörg", "Małgorzata");

    static final List<String> LAST_NAMES = List.of(
            "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
            "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
            "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
            "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green",
            "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Patel",
            "Shah", "Kim", "Park", "Chen", "Wang", "Singh", "Kumar", "Tanaka", "Sato", "Novak", "Kowalski", "Ivanov",
            "Petrov", "Larsen", "Jensen", "Schmidt", "Fischer", "Weber", "Becker", "Rossi", "Russo", "Bianchi",
            "Dubois", "Laurent", "Moreau", "Okafor", "Mensah", "Haddad", "Khalil", "Cohen", "Levi", "Murphy", "Kelly",
            "Müller", "Núñez", "Gómez", "Sørensen", "Lefèvre", "Böhm", "Wójcik", "Çelik", "Ødegaard", "Jiménez",
            "Schröder", "Håkansson", "Dvořák", "O’Brien", "D’Angelo", "Peña");

    /** First words of company names; "Acme" is reserved for the one company every source knows. */
    static final List<String> COMPANY_ROOTS = List.of(
            "Bright", "Summit", "Blue", "Iron", "North", "Silver", "Red", "Green", "Cedar", "Pine", "Oak", "River",
            "Harbor", "Stone", "Falcon", "Eagle", "Apex", "Vertex", "Nova", "Quantum", "Pixel", "Cloud", "Signal",
            "Orbit", "Atlas", "Zenith", "Pioneer", "Vector", "Lumen", "Beacon", "Crest", "Meridian", "Horizon",
            "Granite", "Maple", "Willow", "Aspen", "Coral", "Cobalt", "Ember", "Frontier", "Keystone", "Liberty",
            "Mosaic", "Nimbus", "Onyx", "Polar", "Prairie", "Radiant", "Sterling", "Tidal", "Unity", "Velocity",
            "Crimson", "Golden", "Evergreen", "Clear", "Swift", "True", "Bold", "Open", "Smart", "Rapid", "Prime",
            "Core", "Lake", "Sky", "Sun", "Star", "Wolf", "Fox", "Bear", "Hawk", "Cypress", "Juniper", "Sage",
            "Café", "Lumière", "Zürich", "Crème", "Señor", "Björk", "Fjörd", "Élan", "Nørd");

    /** Endings that glue onto a root: "Bright" + "path" = "Brightpath". */
    static final List<String> COMPANY_TAILS = List.of(
            "path", "point", "line", "works", "wave", "stack", "field", "bridge", "gate", "forge", "labs", "ly",
            "ify", "hub", "base", "scale", "loop", "mark", "spring", "wise", "view", "craft", "sphere", "shift");

    static final List<String> COMPANY_NOUNS = List.of(
            "Analytics", "Systems", "Solutions", "Logistics", "Health", "Capital", "Partners", "Software", "Labs",
            "Dynamics", "Networks", "Media", "Foods", "Energy", "Robotics", "Consulting", "Manufacturing",
            "Therapeutics", "Security", "Studios", "Ventures", "Group", "Technologies", "Holdings", "Insurance",
            "Realty", "Motors", "Apparel", "Pharma", "Learning", "Finance", "Payments", "Marketing", "Design",
            "Construction", "Legal", "Dental", "Bakery", "Brewing", "Outfitters", "Freight", "Data", "Bio", "AI");

    /** Legal forms, the empty one most often. */
    static final List<String> LEGAL_FORMS = List.of(
            "", "", "", "", "", "Inc", "Inc", "Inc", "LLC", "LLC", "Corp", "Ltd", "GmbH", "Co", "AG", "PLC", "SA");

    static final List<String> TLDS = List.of(
            "com", "com", "com", "com", "com", "com", "com", "io", "io", "co", "net", "ai", "de", "co.uk", "org");

    /** One industry in the three notations the sources use: HubSpot's enum, Apollo's lower case, a person's word. */
    record Industry(String hubspot, String apollo, String human) {
    }

    static final List<Industry> INDUSTRIES = List.of(
            new Industry("COMPUTER_SOFTWARE", "computer software", "Software"),
            new Industry("INFORMATION_TECHNOLOGY_AND_SERVICES", "information technology & services", "IT services"),
            new Industry("HOSPITAL_HEALTH_CARE", "hospital & health care", "Healthcare"),
            new Industry("FINANCIAL_SERVICES", "financial services", "Finance"),
            new Industry("MARKETING_AND_ADVERTISING", "marketing & advertising", "Marketing"),
            new Industry("LOGISTICS_AND_SUPPLY_CHAIN", "logistics & supply chain", "Logistics"),
            new Industry("CONSTRUCTION", "construction", "Construction"),
            new Industry("EDUCATION_MANAGEMENT", "education management", "Education"),
            new Industry("REAL_ESTATE", "real estate", "Real estate"),
            new Industry("RETAIL", "retail", "Retail"),
            new Industry("FOOD_BEVERAGES", "food & beverages", "Food & Bev"),
            new Industry("PHARMACEUTICALS", "pharmaceuticals", "Pharma"),
            new Industry("INSURANCE", "insurance", "Insurance"),
            new Industry("MANAGEMENT_CONSULTING", "management consulting", "Consulting"),
            new Industry("RENEWABLES_ENVIRONMENT", "renewables & environment", "Clean energy"),
            new Industry("AUTOMOTIVE", "automotive", "Automotive"),
            new Industry("LEGAL_SERVICES", "legal services", "Legal"),
            new Industry("COMPUTER_NETWORK_SECURITY", "computer & network security", "Cybersecurity"));

    /** A city with its region and country, each in the spellings people use. */
    record Place(String city, String region, String regionLong, String country, List<String> countrySpellings,
                 String phonePrefix) {
    }

    private static final List<String> US = List.of("United States", "United States", "United States", "USA", "US",
            "U.S.", "United States of America", "us");
    private static final List<String> UK = List.of("United Kingdom", "United Kingdom", "UK", "GB", "England");
    private static final List<String> DE = List.of("Germany", "Germany", "DE", "Deutschland");

    static final List<Place> PLACES = List.of(
            new Place("San Francisco", "CA", "California", "US", US, "+1"),
            new Place("New York", "NY", "New York", "US", US, "+1"),
            new Place("Austin", "TX", "Texas", "US", US, "+1"),
            new Place("Boston", "MA", "Massachusetts", "US", US, "+1"),
            new Place("Seattle", "WA", "Washington", "US", US, "+1"),
            new Place("Chicago", "IL", "Illinois", "US", US, "+1"),
            new Place("Denver", "CO", "Colorado", "US", US, "+1"),
            new Place("Atlanta", "GA", "Georgia", "US", US, "+1"),
            new Place("Miami", "FL", "Florida", "US", US, "+1"),
            new Place("Portland", "OR", "Oregon", "US", US, "+1"),
            new Place("Raleigh", "NC", "North Carolina", "US", US, "+1"),
            new Place("Nashville", "TN", "Tennessee", "US", US, "+1"),
            new Place("Columbus", "OH", "Ohio", "US", US, "+1"),
            new Place("Minneapolis", "MN", "Minnesota", "US", US, "+1"),
            new Place("Phoenix", "AZ", "Arizona", "US", US, "+1"),
            new Place("San Diego", "CA", "California", "US", US, "+1"),
            new Place("Salt Lake City", "UT", "Utah", "US", US, "+1"),
            new Place("Pittsburgh", "PA", "Pennsylvania", "US", US, "+1"),
            new Place("London", "ENG", "England", "GB", UK, "+44"),
            new Place("Manchester", "ENG", "England", "GB", UK, "+44"),
            new Place("Berlin", "BE", "Berlin", "DE", DE, "+49"),
            new Place("München", "BY", "Bayern", "DE", DE, "+49"),
            new Place("Zürich", "ZH", "Zürich", "CH", List.of("Switzerland", "CH", "Schweiz"), "+41"),
            new Place("Paris", "IDF", "Île-de-France", "FR", List.of("France", "FR"), "+33"),
            new Place("Toronto", "ON", "Ontario", "CA", List.of("Canada", "CA"), "+1"),
            new Place("Montréal", "QC", "Québec", "CA", List.of("Canada", "CA"), "+1"),
            new Place("São Paulo", "SP", "São Paulo", "BR", List.of("Brazil", "Brasil", "BR"), "+55"),
            new Place("Sydney", "NSW", "New South Wales", "AU", List.of("Australia", "AU"), "+61"),
            new Place("Bengaluru", "KA", "Karnataka", "IN", List.of("India", "IN"), "+91"),
            new Place("Kraków", "MA", "Małopolskie", "PL", List.of("Poland", "PL", "Polska"), "+48"),
            new Place("Dublin", "D", "Leinster", "IE", List.of("Ireland", "IE"), "+353"),
            new Place("Amsterdam", "NH", "Noord-Holland", "NL", List.of("Netherlands", "NL", "The Netherlands"), "+31"));

    static final List<String> JOB_TITLES = List.of(
            "CEO", "CTO", "COO", "CFO", "Founder", "Co-Founder & CEO", "VP Sales", "VP of Sales", "VP Engineering",
            "Head of Marketing", "Director of Operations", "Software Engineer", "Senior Software Engineer",
            "Account Executive", "Procurement Manager", "Product Manager", "Marketing Manager", "Office Manager",
            "IT Director", "Sales Development Rep", "Customer Success Manager", "HR Business Partner",
            "Sr. Data Scientist", "Head of Partnerships", "Operations Lead", "Controller", "General Counsel",
            "Directeur Général", "Geschäftsführer", "Chief Revenue Officer", "Growth Lead", "Owner");

    static final List<String> TOPICS = List.of(
            "pricing", "the renewal", "the Q3 roadmap", "onboarding", "the pilot results", "contract redlines",
            "the security questionnaire", "the Salesforce integration", "the demo follow-up", "budget approval",
            "the kickoff", "the quarterly review", "invoice #{n}", "the SOW", "procurement", "a case study",
            "the data migration", "SSO setup", "the reference call", "expansion seats", "the POC scope",
            "the holiday schedule", "API rate limits", "the partner program", "the webinar");

    static final List<String> DAYS = List.of(
            "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "end of week", "next week", "tomorrow",
            "the 15th", "month end", "EOD");

    /** Sentence templates for bodies, notes and transcripts: {f} first name, {c} company, {t} topic, {d} day, {n} number. */
    static final List<String> SENTENCES = List.of(
            "Hi {f}, thanks for the time today.",
            "Following up on {t} as discussed.",
            "As discussed, we will send the revised proposal by {d}.",
            "{f} mentioned that {c} is evaluating two other vendors.",
            "Can we move our call to {d}?",
            "Attached is the deck we walked through on {t}.",
            "They need sign-off from legal before {d}.",
            "Budget is roughly {n}k for this fiscal year.",
            "The team at {c} wants a second demo focused on {t}.",
            "Left a voicemail; will try again {d}.",
            "{f} asked about {t} and whether we support SSO.",
            "Great conversation — they’re excited about {t}.",
            "Sent the contract for signature; waiting on {f}.",
            "No answer, no voicemail box set up.",
            "Pilot went live with {n} users at {c}.",
            "Please find the notes from {t} below.",
            "We agreed to revisit {t} after {d}.",
            "{c} is consolidating tools, which is a risk for us.",
            "Reminder: renewal date is coming up, {n} seats.",
            "Thanks again, {f} — talk {d}.",
            "I’ll loop in our solutions engineer for {t}.",
            "They flagged a concern about data residency in the EU.",
            "Moved to next stage; champion is {f}.",
            "Invoice {n} is overdue by two weeks.",
            "Quick question on {t}: is the annual plan discounted?",
            "Résumé of the call: good fit, timing unclear.",
            "Per our café chat, sending the naïve first draft of {t}.",
            "Customer said the onboarding was “smooth and fast”.",
            "Hand-off to customer success scheduled for {d}.",
            "{f} is out of office until {d}.");

    static final List<String> KNOWN_USERS = List.of("allan", "kristina", "andre");
    static final List<String> UNKNOWN_USERS = List.of("mike", "jsmith", "admin", "sarah.k", "intern", "system", "tbd");
    static final String OWN_DOMAIN = "testpilot.ai";
    static final List<String> PERSONAL_DOMAINS = List.of("gmail.com", "gmail.com", "yahoo.com", "outlook.com",
            "hotmail.com", "icloud.com", "aol.com", "proton.me");
}
