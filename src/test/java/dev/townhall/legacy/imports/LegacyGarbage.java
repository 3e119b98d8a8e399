package dev.townhall.legacy.imports;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Rows of the legacy shapes (legacy-schemas.md, the shipped DDL) with garbage in every column, and, per table, the
 * explicit rule saying which of them are salvageable: a row is salvageable unless it has no identity at all or lacks a
 * value its meaning depends on. The rules are conservative: a row they call salvageable is one any reasonable importer
 * must keep (imported or merged), whatever else is wrong with it (emails, amounts, dates nobody needs, references
 * that point nowhere, JSON that does not parse).
 *
 * <p>Every value is generated as the text PostgreSQL casts to the column's type, so typed columns get garbage of their
 * type (extremes, negatives, infinities, NaN, NULL) and text columns get anything text can hold (no NUL).
 */
final class LegacyGarbage {
    private LegacyGarbage() {
    }

    /** What a column holds, which decides its garbage. */
    enum Kind {
        BIGINT_KEY, INT_KEY, UUID_KEY, TEXT_KEY, SESSION,
        NAME, FULL_NAME, LONG_TEXT, TEXT, EMAIL, PHONE, URL, USER, TEXT_DATE, ISO_DATE_TEXT, MONEY_TEXT, JSON_TEXT,
        STAGE, TASK_STATUS, PRIORITY, ROLE, ACTIVITY_TYPE, ATTENDEES,
        BIGINT_REF, INT_REF, TEXT_REF, EPOCH, BIGINT, INTEGER, NUMERIC, REAL, BOOLEAN, TIMESTAMP, DATE, JSONB, CHAR3
    }

    record Column(String name, Kind kind) {
    }

    /**
     * One legacy table: its key (unique or not, as the mapping reads it), its columns, and which rows are salvageable.
     */
    record Shape(String source, String table, String key, boolean keyUnique, List<Column> columns, String rule,
                 Predicate<Map<String, String>> salvageable) {
        String qualified() {
            return source + "." + table;
        }
    }

    /** One generated row: column to the text PostgreSQL casts to the column's type (null: SQL NULL). */
    record Row(Shape shape, Map<String, String> values) {
        String key() {
            return values.get(shape.key());
        }

        boolean salvageable() {
            return shape.salvageable().test(values);
        }

        @Override
        public String toString() {
            Map<String, String> shown = new LinkedHashMap<>();
            values.forEach((k, v) -> shown.put(k, v == null || v.length() < 80 ? v
                    : v.substring(0, 40) + "...(" + v.length() + " chars)"));
            return shape.qualified() + shown;
        }
    }

    /** The mapping's placeholders: text that means "nothing here". */
    private static final Set<String> PLACEHOLDERS = Set.of("", "-", "--", "?", "??", "n/a", "na", "none", "null", "nil",
            "undefined", "unknown", "tbd", "tba", "no email", "noemail@example.com", "unknown@unknown.com",
            "test@test.com", "test@test", "asap");
    private static final Set<String> DEAL_STAGES = Set.of("appointmentscheduled", "qualifiedtobuy",
            "presentationscheduled", "decisionmakerboughtin", "contractsent", "closedwon", "closedlost", "lead",
            "awareness", "interest", "qualified", "evaluation", "proposal", "negotiation");
    private static final Set<String> TASK_STATUSES = Set.of("notstarted", "inprogress", "completed", "waiting",
            "deferred");
    private static final Set<String> ROLES = Set.of("user", "assistant", "system");
    /** The plausible window, one year inside the mapping's (1970-01-02 .. 2099-12-31) so zones cannot matter. */
    private static final Instant PLAUSIBLE_FROM = Instant.parse("1971-01-01T00:00:00Z");
    private static final Instant PLAUSIBLE_TO = Instant.parse("2098-12-31T00:00:00Z");
    private static final String HUGE = "Lorem ipsum d\u00f4lor \u00c3\u00a9 sit amet; ".repeat(7_000);
    /** An id of 4 kB that does not compress (hex of a fixed pseudo-random sequence): longer than a btree entry. */
    private static final String HUGE_KEY = new Random(14).ints(2_048, 0, 256)
            .mapToObj(b -> String.format("%02x", b)).collect(Collectors.joining());

    static final List<Shape> SHAPES = List.of(
            shape("robbie", "hubspot_companies", "id", true, "a plausible name",
                    r -> plausibleName(r.get("name")),
                    col("id", Kind.BIGINT_KEY), col("name", Kind.NAME), col("domain", Kind.URL),
                    col("industry", Kind.TEXT), col("employee_count", Kind.TEXT), col("annual_revenue", Kind.NUMERIC),
                    col("city", Kind.TEXT), col("state", Kind.TEXT), col("country", Kind.TEXT),
                    col("owner_email", Kind.USER), col("created_date", Kind.TEXT_DATE),
                    col("hs_lastmodifieddate", Kind.TIMESTAMP), col("lifecycle_stage", Kind.TEXT),
                    col("notes", Kind.LONG_TEXT)),
            shape("robbie", "apollo_companies", "apollo_id", false, "an apollo id and a plausible name",
                    r -> identity(r.get("apollo_id")) && plausibleName(r.get("company_name")),
                    col("apollo_id", Kind.TEXT_KEY), col("company_name", Kind.NAME), col("website_url", Kind.URL),
                    col("linkedin_url", Kind.URL), col("num_employees", Kind.INTEGER), col("industry", Kind.TEXT),
                    col("founded_year", Kind.INTEGER), col("enriched_at", Kind.TIMESTAMP), col("raw", Kind.JSONB)),
            shape("robbie", "manual_companies", "id", true, "a plausible name",
                    r -> plausibleName(r.get("name")),
                    col("id", Kind.INT_KEY), col("name", Kind.NAME), col("website", Kind.URL),
                    col("added_by", Kind.USER), col("added_on", Kind.DATE)),
            shape("robbie", "hubspot_contacts", "id", true, "a plausible first name",
                    r -> plausibleName(r.get("firstname")),
                    col("id", Kind.BIGINT_KEY), col("firstname", Kind.NAME), col("lastname", Kind.NAME),
                    col("email", Kind.EMAIL), col("phone", Kind.PHONE), col("jobtitle", Kind.TEXT),
                    col("company_id", Kind.BIGINT_REF), col("lifecyclestage", Kind.TEXT),
                    col("createdate", Kind.TEXT_DATE), col("lastmodifieddate", Kind.TIMESTAMP),
                    col("owner", Kind.USER)),
            shape("robbie", "apollo_contacts", "id", false, "an apollo id and a plausible first name",
                    r -> identity(r.get("id")) && plausibleName(r.get("first_name")),
                    col("id", Kind.TEXT_KEY), col("first_name", Kind.NAME), col("last_name", Kind.NAME),
                    col("email", Kind.EMAIL), col("email_status", Kind.TEXT), col("title", Kind.TEXT),
                    col("organization_id", Kind.TEXT_REF), col("linkedin_url", Kind.URL), col("city", Kind.TEXT),
                    col("state", Kind.TEXT), col("country", Kind.TEXT), col("phone_numbers", Kind.JSONB),
                    col("created_at", Kind.TIMESTAMP)),
            shape("robbie", "manual_contacts", "id", true, "a plausible full name",
                    r -> plausibleFullName(r.get("full_name")),
                    col("id", Kind.INT_KEY), col("full_name", Kind.FULL_NAME), col("email", Kind.EMAIL),
                    col("phone", Kind.PHONE), col("company_name", Kind.NAME), col("notes", Kind.LONG_TEXT),
                    col("added_by", Kind.USER)),
            shape("robbie", "hubspot_deals", "deal_id", true, "a plausible name and a known stage",
                    r -> plausibleName(r.get("dealname")) && knownStage(r.get("dealstage")),
                    col("deal_id", Kind.BIGINT_KEY), col("dealname", Kind.NAME), col("amount", Kind.MONEY_TEXT),
                    col("dealstage", Kind.STAGE), col("pipeline", Kind.TEXT), col("closedate", Kind.TEXT_DATE),
                    col("company_id", Kind.BIGINT_REF), col("contact_id", Kind.BIGINT_REF), col("owner", Kind.USER),
                    col("createdate", Kind.TEXT_DATE)),
            shape("robbie", "manual_deals", "id", true, "a plausible name and a known stage",
                    r -> plausibleName(r.get("name")) && knownStage(r.get("stage")),
                    col("id", Kind.INT_KEY), col("name", Kind.NAME), col("value", Kind.NUMERIC),
                    col("stage", Kind.STAGE), col("company_name", Kind.NAME), col("added_by", Kind.USER)),
            shape("robbie", "pipeline_deals", "id", true, "a plausible title and a known stage",
                    r -> plausibleName(r.get("title")) && knownStage(r.get("stage")),
                    col("id", Kind.UUID_KEY), col("title", Kind.NAME), col("amount_cents", Kind.BIGINT),
                    col("currency", Kind.CHAR3), col("stage", Kind.STAGE), col("contact_email", Kind.EMAIL)),
            shape("robbie", "activities", "id", true, "a plausible epoch (seconds or milliseconds), whatever its type",
                    r -> plausibleEpoch(r.get("timestamp")),
                    col("id", Kind.BIGINT_KEY), col("type", Kind.ACTIVITY_TYPE), col("subject", Kind.TEXT),
                    col("body", Kind.LONG_TEXT), col("contact_id", Kind.BIGINT_REF),
                    col("company_id", Kind.BIGINT_REF), col("deal_id", Kind.BIGINT_REF),
                    col("timestamp", Kind.EPOCH), col("source", Kind.TEXT), col("metadata", Kind.JSON_TEXT)),
            shape("robbie", "meeting_transcripts", "id", true,
                    "a plausible title, a plausible start and a transcript with words",
                    r -> plausibleName(r.get("meeting_title")) && plausibleTimestamp(r.get("started_at"))
                            && plausibleText(r.get("transcript")),
                    col("id", Kind.UUID_KEY), col("meeting_title", Kind.NAME), col("started_at", Kind.TIMESTAMP),
                    col("duration_seconds", Kind.INTEGER), col("attendees", Kind.ATTENDEES),
                    col("transcript", Kind.LONG_TEXT), col("summary", Kind.LONG_TEXT),
                    col("deal_id", Kind.BIGINT_REF)),
            shape("robbie", "tasks", "id", true, "a plausible title and a known status",
                    r -> plausibleName(r.get("title")) && TASK_STATUSES.contains(fold(r.get("status"))),
                    col("id", Kind.INT_KEY), col("title", Kind.NAME), col("notes", Kind.LONG_TEXT),
                    col("status", Kind.TASK_STATUS), col("priority", Kind.PRIORITY), col("due_date", Kind.TEXT_DATE),
                    col("assigned_to", Kind.USER), col("contact_id", Kind.BIGINT_REF),
                    col("completed", Kind.BOOLEAN)),
            shape("robbie", "chat_history", "id", true, "a session, a known role and a plausible time",
                    r -> identity(r.get("session_id")) && r.get("role") != null
                            && ROLES.contains(r.get("role").toLowerCase(Locale.ROOT))
                            && plausibleTimestamp(r.get("created_at")),
                    col("id", Kind.INT_KEY), col("session_id", Kind.SESSION), col("user_id", Kind.USER),
                    col("role", Kind.ROLE), col("message", Kind.LONG_TEXT), col("created_at", Kind.TIMESTAMP),
                    col("model", Kind.TEXT), col("tokens", Kind.INTEGER), col("mood", Kind.TEXT)),
            shape("robbie_allan", "interactions", "id", true,
                    "a plausible ISO 8601 time with an offset, whatever its channel",
                    r -> plausibleIsoText(r.get("occurred_at")),
                    col("id", Kind.UUID_KEY), col("contact_email", Kind.EMAIL), col("channel", Kind.ACTIVITY_TYPE),
                    col("direction", Kind.TEXT), col("summary", Kind.LONG_TEXT),
                    col("occurred_at", Kind.ISO_DATE_TEXT), col("sentiment", Kind.REAL)),
            shape("robbie_allan", "contacts", "id", true, "a plausible full name",
                    r -> plausibleFullName(r.get("name")),
                    col("id", Kind.INT_KEY), col("name", Kind.FULL_NAME), col("email", Kind.EMAIL),
                    col("company", Kind.NAME)),
            shape("robbie_allan", "deals", "id", true, "a plausible title and a known stage",
                    r -> plausibleName(r.get("title")) && knownStage(r.get("stage")),
                    col("id", Kind.INT_KEY), col("title", Kind.NAME), col("value_cents", Kind.INTEGER),
                    col("stage", Kind.STAGE), col("contact_id", Kind.INT_REF)),
            shape("robbie_allan", "companies", "id", true, "a plausible name",
                    r -> plausibleName(r.get("name")),
                    col("id", Kind.INT_KEY), col("name", Kind.NAME), col("url", Kind.URL)),
            shape("robbie_allan", "knowledge_base", "id", true, "a plausible title and content with words",
                    r -> plausibleName(r.get("title")) && plausibleText(r.get("content")),
                    col("id", Kind.INT_KEY), col("title", Kind.NAME), col("content", Kind.LONG_TEXT),
                    col("tags", Kind.TEXT), col("created", Kind.TIMESTAMP)));

    /**
     * Between {@code min} and {@code max} rows over all tables; rows repeating a unique key are dropped (the first
     * stays), as the source's primary key would refuse them.
     */
    static Arbitrary<List<Row>> rows(int min, int max) {
        return Arbitraries.of(SHAPES).flatMap(LegacyGarbage::row).list().ofMinSize(min).ofMaxSize(max)
                .map(LegacyGarbage::uniqueKeys);
    }

    private static List<Row> uniqueKeys(List<Row> rows) {
        Set<String> seen = new HashSet<>();
        List<Row> kept = new ArrayList<>();
        for (Row row : rows) {
            if (!row.shape().keyUnique() || seen.add(row.shape().qualified() + "/" + row.key())) {
                kept.add(row);
            }
        }
        return kept;
    }

    private static Arbitrary<Row> row(Shape shape) {
        List<Arbitrary<String>> values = shape.columns().stream().map(c -> values(c.kind())).toList();
        return Combinators.combine(values).as(list -> {
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < list.size(); i++) {
                row.put(shape.columns().get(i).name(), list.get(i));
            }
            return new Row(shape, Collections.unmodifiableMap(row));
        });
    }

    // --- the salvage rules' parts ---

    /** A name any importer keeps: it has a letter, is no placeholder and is not absurdly long. */
    static boolean plausibleName(String value) {
        if (value == null || value.length() > 500) {
            return false;
        }
        String visible = value.codePoints().filter(c -> !Character.isISOControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString().strip();
        return !PLACEHOLDERS.contains(visible.toLowerCase(Locale.ROOT)) && visible.codePoints().anyMatch(Character::isLetter);
    }

    /** Long text with words, of any length. */
    private static boolean plausibleText(String value) {
        return value != null && (value.length() > 500 ? value.codePoints().anyMatch(Character::isLetter)
                : plausibleName(value));
    }

    /** "Jane Roe" or "Roe, Jane": every part a plausible name. */
    private static boolean plausibleFullName(String value) {
        if (value == null) {
            return false;
        }
        return List.of(value.split(",", -1)).stream().allMatch(LegacyGarbage::plausibleName);
    }

    /** A key someone typed: letters or digits, nothing blank. */
    private static boolean identity(String value) {
        return value != null && value.matches("[A-Za-z0-9]+");
    }

    private static boolean knownStage(String value) {
        return DEAL_STAGES.contains(fold(value));
    }

    private static String fold(String value) {
        return value == null ? "" : value.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    private static boolean plausibleEpoch(String value) {
        if (value == null) {
            return false;
        }
        long v = Long.parseLong(value);
        return within(v, PLAUSIBLE_FROM.getEpochSecond(), PLAUSIBLE_TO.getEpochSecond())
                || within(v, PLAUSIBLE_FROM.toEpochMilli(), PLAUSIBLE_TO.toEpochMilli());
    }

    private static boolean within(long v, long from, long to) {
        return v >= from && v <= to;
    }

    /** A timestamp(tz) value as generated ("yyyy-MM-dd HH:mm:ss", maybe with an offset) inside the window. */
    private static boolean plausibleTimestamp(String value) {
        if (value == null || !value.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d([+-]\\d\\d:\\d\\d)?")) {
            return false;
        }
        LocalDateTime local = LocalDateTime.parse(value.substring(0, 19), TIMESTAMP);
        Instant at = local.toInstant(ZoneOffset.UTC);
        return !at.isBefore(PLAUSIBLE_FROM) && !at.isAfter(PLAUSIBLE_TO);
    }

    private static boolean plausibleIsoText(String value) {
        try {
            Instant at = OffsetDateTime.parse(value).toInstant();
            return !at.isBefore(PLAUSIBLE_FROM) && !at.isAfter(PLAUSIBLE_TO);
        } catch (DateTimeParseException | NullPointerException e) {
            return false;
        }
    }

    // --- the values ---

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    private static Arbitrary<String> values(Kind kind) {
        return switch (kind) {
            case BIGINT_KEY -> Arbitraries.oneOf(smallIds(), Arbitraries.of("0", "-1", "9223372036854775807",
                    "-9223372036854775808"));
            case INT_KEY -> Arbitraries.oneOf(smallIds(), Arbitraries.of("0", "-1", "2147483647", "-2147483648"));
            case UUID_KEY -> uuids();
            case TEXT_KEY, TEXT_REF -> Arbitraries.oneOf(
                    Arbitraries.of("5f2b8c0e1d3a4b5c6d7e8f90", "5f2b8c0e1d3a4b5c6d7e8f91", "A1", "a1", "7"),
                    Arbitraries.of(null, "", " ", "n/a", "-", " 5f2b8c0e1d3a4b5c6d7e8f90 ", "\u00c3\u00a9", HUGE_KEY));
            case SESSION -> Arbitraries.oneOf(Arbitraries.of("s1", "s2", "sess-3", "4"), Arbitraries.of(null, "", " ",
                    "n/a"));
            case NAME -> Arbitraries.frequencyOf(
                    Tuple.of(3, plausibleNames()), Tuple.of(2, garbageText()));
            case FULL_NAME -> Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of("Jane Roe",
                    "Roe, Jane", "  Zo\u00eb   O'Brien ", "Jos\u00c3\u00a9 Garc\u00c3\u00ada", "Madonna",
                    "Ren\u00e9e\u0007 Smith", "\u674e\u5c0f\u9f99", "Roe, ", ", Jane", "Doe, John, Jr.")),
                    Tuple.of(2, garbageText()));
            case LONG_TEXT -> Arbitraries.frequencyOf(Tuple.of(2, plausibleNames()),
                    Tuple.of(2, garbageText()), Tuple.of(1, Arbitraries.just(HUGE)));
            case TEXT -> garbageText();
            case EMAIL -> Arbitraries.oneOf(Arbitraries.of("john.doe@acme.com", " John.Doe@Acme.com ",
                    "jane.roe@acme.com", "bad at acme.com", "noemail@example.com", "a@b", "user@[127.0.0.1]",
                    "\u00c3\u00a9mile@ex\u00c3\u00a4mple.com", "two@a.com; three@b.com", "x@y.z".repeat(40_000),
                    "JOHN.DOE@ACME.COM\u0001"), garbageText());
            case PHONE -> Arbitraries.oneOf(Arbitraries.of("(415) 555-0100", "+44 20 7946 0000", "555",
                    "+1 (800) FLOWERS", "0000000000", "1".repeat(60)), garbageText());
            case URL -> Arbitraries.oneOf(Arbitraries.of("acme.com", "https://www.ACME.com/about/", "http://globex.io/",
                    "www.", "https://", "http://exa mple.com", "javascript:alert(1)", "ftp://x", "https://\u00c3\u00a9.com",
                    "https://" + "a".repeat(300) + ".com"), garbageText());
            case USER -> Arbitraries.oneOf(Arbitraries.of("allan", "Allan", "allan@testpilot.ai", " KRISTINA ", "bob",
                    "andre@testpilot.ai"), garbageText());
            case TEXT_DATE -> Arbitraries.oneOf(textDates(), garbageText());
            case ISO_DATE_TEXT -> Arbitraries.oneOf(isoTexts(), textDates(), garbageText());
            case MONEY_TEXT -> Arbitraries.oneOf(Arbitraries.of("$12,500.00", "12500", "12.5k", "-500", "1e308",
                    "$99999999999999999999", "\u20ac1.234,56", "12,5", "0", "NaN", "Infinity"), garbageText());
            case JSON_TEXT -> Arbitraries.oneOf(Arbitraries.of("{\"opens\": 1}", "{opens: 3}", "[1,2]", "\"str\"",
                    "null", "{\"a\":", "{\"deep\":" + "[".repeat(5000) + "]".repeat(5000) + "}",
                    "{\"bad\": \"\\ud800\"}", "{\"nul\": \"\\u0000\"}", "{\"big\": 1e400}"), garbageText());
            case STAGE -> Arbitraries.oneOf(Arbitraries.of("closedwon", "Closed Won", "APPOINTMENTSCHEDULED",
                    "qualifiedtobuy", "lead", " proposal ", "closed_lost"), garbageText());
            case TASK_STATUS -> Arbitraries.oneOf(Arbitraries.of("NOT_STARTED", "in_progress", "Completed",
                    "WAITING", "deferred"), garbageText());
            case PRIORITY -> Arbitraries.oneOf(Arbitraries.of("LOW", "medium", "High"), garbageText());
            case ROLE -> Arbitraries.oneOf(Arbitraries.of("user", "Assistant", "SYSTEM"), garbageText());
            case ACTIVITY_TYPE -> Arbitraries.oneOf(Arbitraries.of("EMAIL", "call", "Meeting", "NOTE", "task",
                    "carrier pigeon"), garbageText());
            case ATTENDEES -> Arbitraries.oneOf(Arbitraries.of("a@x.com; Allan, Kristina", "john.doe@acme.com",
                    ";;,,", "bad at x, @, allan@testpilot.ai", "n/a"), garbageText());
            case BIGINT_REF -> Arbitraries.oneOf(smallIds(), Arbitraries.of(null, "0", "-1", "9223372036854775807",
                    "-9223372036854775808", "999999"));
            case INT_REF -> Arbitraries.oneOf(smallIds(), Arbitraries.of(null, "0", "-1", "2147483647"));
            case EPOCH -> Arbitraries.oneOf(
                    instants().map(i -> Long.toString(i.toEpochMilli())),
                    instants().map(i -> Long.toString(i.getEpochSecond())),
                    Arbitraries.of(null, "0", "-1", "1", "9223372036854775807", "-9223372036854775808",
                            "253402300799999", "-2208988800000", "253402300799", "99999999999999"));
            case BIGINT -> Arbitraries.oneOf(Arbitraries.longs().map(Object::toString),
                    Arbitraries.of(null, "0", "-1", "9223372036854775807", "-9223372036854775808", "1250000"));
            case INTEGER -> Arbitraries.oneOf(Arbitraries.integers().map(Object::toString),
                    Arbitraries.of(null, "0", "-1", "2147483647", "-2147483648", "1989", "3600"));
            case NUMERIC -> Arbitraries.of(null, "NaN", "Infinity", "-Infinity", "-1", "0", "1e100", "12345.6789",
                    "0.0000001", "9".repeat(1000), "-0.5");
            case REAL -> Arbitraries.of(null, "NaN", "Infinity", "-Infinity", "3.4e38", "-0.5", "0.3", "1", "-1.0001");
            case BOOLEAN -> Arbitraries.of(null, "true", "false");
            case TIMESTAMP -> Arbitraries.oneOf(instants().map(i -> TIMESTAMP.format(i.atOffset(ZoneOffset.UTC))),
                    Arbitraries.of(null, "infinity", "-infinity", "4713-01-01 00:00:00 BC", "294276-12-31 23:59:59",
                            "1900-01-01 00:00:00", "1970-01-01 00:00:00", "9999-12-31 23:59:59",
                            "2021-03-14 02:30:00", "2021-11-07 01:30:00"));
            case DATE -> Arbitraries.of(null, "infinity", "-infinity", "4713-01-01 BC", "5874897-12-31", "1900-01-01",
                    "2021-02-28", "1999-12-31");
            case JSONB -> Arbitraries.of(null, "null", "42", "\"str\"", "[]", "{}",
                    "[\"(415) 555-0100\", \"+44 20 7946 0000\"]", "[\"+1 415 555 0100\", 7, null, {\"x\": 1}, []]",
                    "{\"a\": {\"b\": [1, 2, {\"c\": \"\u00c3\u00bc\"}]}}", "[\"" + "5".repeat(5000) + "\"]", "true",
                    "-1e300");
            case CHAR3 -> Arbitraries.of(null, "USD", "usd", "\u20ac\u20ac\u20ac", "", "   ", "XX", "n/a");
        };
    }

    private static Arbitrary<String> smallIds() {
        return Arbitraries.integers().between(1, 8).map(Object::toString);
    }

    private static Arbitrary<String> uuids() {
        return Arbitraries.of("00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff",
                "6ba7b810-9dad-11d1-80b4-00c04fd430c8", "6ba7b811-9dad-11d1-80b4-00c04fd430c8",
                "6ba7b812-9dad-11d1-80b4-00c04fd430c8", "6ba7b814-9dad-11d1-80b4-00c04fd430c8");
    }

    private static Arbitrary<Instant> instants() {
        return Arbitraries.longs().between(Instant.parse("1990-01-01T00:00:00Z").getEpochSecond(),
                Instant.parse("2030-01-01T00:00:00Z").getEpochSecond()).map(Instant::ofEpochSecond);
    }

    private static Arbitrary<String> plausibleNames() {
        return Arbitraries.oneOf(Arbitraries.of("Acme Corporation", "  Initech  ", "Jos\u00c3\u00a9 Garc\u00c3\u00ada",
                        "\u00fc\u00e9\u00af Rocket Co", "Zo\u00eb O'Brien", "Hooli\u0007 Inc", "Esc\u001b[0m Co",
                        "\u674e\u5c0f\u9f99", "Tab\there\r\nnewline", "'; DROP TABLE x; --", "\ufeffBOM Ltd",
                        "\u202eright-to-left", "\uff21\uff22\uff23 full width", "\ud83d\ude00 Emoji Ltd", "A",
                        "true", "{not json"),
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(20));
    }

    /** What text columns hold besides their meaning: wrong types, blanks, placeholders, mojibake, controls, huge. */
    private static Arbitrary<String> garbageText() {
        return Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.of(null, "", " ", "\t\n", "n/a", "N/A ", "-", "null", "NULL",
                        "none", "42", "-1", "3.14", "1e309", "true", "0000-00-00", "2020-13-45",
                        "\u00c3\u00a9t\u00c3\u00a9", "\u00e2\u20ac\u2122quoted\u00e2\u20ac\u009d", "\u00fc\u00e9\u00af",
                        "\u0001\u0007\u001b[31m", "\u007f\u0085\u2028\u2029", "[1,2", "\ufffd\ufffd")),
                Tuple.of(3, Arbitraries.strings().withCharRange('\u0001', '\ud7ff').ofMaxLength(30)),
                Tuple.of(1, Arbitraries.just(HUGE)));
    }

    private static Arbitrary<String> textDates() {
        return Arbitraries.oneOf(
                instants().map(i -> DateTimeFormatter.ISO_INSTANT.format(i)),
                instants().map(i -> DateTimeFormatter.ofPattern("MM/dd/yyyy", Locale.ROOT).format(i.atOffset(ZoneOffset.UTC))),
                instants().map(i -> DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm", Locale.ROOT).format(i.atOffset(ZoneOffset.UTC))),
                instants().map(i -> Long.toString(i.getEpochSecond())),
                instants().map(i -> Long.toString(i.toEpochMilli())),
                Arbitraries.of("1/1/1900", "9999-12-31", "0", "-1", "0000-00-00", "31/02/2021", "2021-02-30",
                        "12/31/9999", "yesterday", "1.1.1970 00:00", "99999999999999999999", "2020-01-01T25:61:00Z"));
    }

    private static Arbitrary<String> isoTexts() {
        return Combinators.combine(instants(), Arbitraries.integers().between(-12, 14)).as((i, h) ->
                i.atOffset(ZoneOffset.ofHours(h)).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    }

    private static Column col(String name, Kind kind) {
        return new Column(name, kind);
    }

    private static Shape shape(String source, String table, String key, boolean keyUnique, String rule,
                               Predicate<Map<String, String>> salvageable, Column... columns) {
        return new Shape(source, table, key, keyUnique, List.of(columns), rule, salvageable);
    }
}
