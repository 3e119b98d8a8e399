package dev.townhall.legacy.imports.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Year;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The named normalisers a mapping file may use. Each turns a source value (text as the source database printed
 * it) into a target value or refuses it with an {@link InvalidValue}; none guesses. Placeholders ("n/a", "TBD" ...)
 * read as "no value" wherever short text is read.
 */
public final class Normalisers {
    /** What a normaliser produces, checked against the target column's type before a run. */
    public enum Kind { TEXT, INTEGER, DECIMAL, TIMESTAMP, DATE, UUID, JSON, TEXT_ARRAY }

    /** What a normaliser may ask of the run while it works. */
    public interface ValueContext {
        ZoneId zone();

        Instant plausibleFrom();

        Instant plausibleTo();

        boolean isPlaceholder(String text);

        /** The user a text id names; refuses unknown ids with {@code unknown_user}. */
        UUID user(String textId) throws InvalidValue;

        /**
         * How the column that gave input {@code input} of the normaliser (0 for a normaliser of one input) orders the
         * day and month of slashed and dotted dates.
         */
        default Dates.Orders dateOrders(int input) {
            return Dates.Orders.DEFAULT;
        }

        /**
         * Keeps a note about a value the row is imported without (legacy.value_issues), with what was stored instead
         * ({@code stored}; null: nothing).
         */
        void note(String reasonCode, String rawValue, String message, Object stored);

        Object arg(String name);

        /** The column's map applied to a value (for normalisers that combine inputs before mapping). */
        Object mapped(String value) throws InvalidValue;
    }

    @FunctionalInterface
    interface Impl {
        Object apply(Object value, ValueContext c) throws InvalidValue;
    }

    /**
     * A normaliser: its output kind, the args it accepts, how many source columns it reads, and which of them it
     * reads as text dates ({@code dateInputs}: their day/month order is inferred per column before the run).
     */
    public record Def(String name, Kind output, Set<String> args, int inputs, List<Integer> dateInputs,
                      boolean appliesMap, Impl impl) {
        public Object apply(Object value, ValueContext c) throws InvalidValue {
            return impl.apply(value, c);
        }
    }

    /** The longest name or label kept: longer text is no name (and would not fit a btree index entry). */
    static final int LONGEST_NAME = 200;
    private static final Pattern SPACES = Pattern.compile("\\s+");
    private static final Pattern EMAIL = Pattern.compile(
            "[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]{2,63}");
    private static final Pattern INTEGER = Pattern.compile("-?\\d{1,18}");
    private static final Pattern GROUPED_INTEGER = Pattern.compile("\\d{1,3}(,\\d{3})+");
    private static final Pattern RANGE = Pattern.compile("(\\d[\\d,]*)\\s*(?:-|–|to)\\s*(\\d[\\d,]*)");
    private static final Pattern OPEN_RANGE = Pattern.compile("(\\d[\\d,]*)\\s*\\+");
    private static final Pattern EXTENSION = Pattern.compile("(?i)\\s*(?:ext\\.?|extension|x|#)\\s*(\\d{1,6})\\s*$");
    private static final Pattern PHONE_CHARS = Pattern.compile("[0-9+()\\-./\\s]+");

    private static final Map<String, Def> DEFS = new TreeMap<>();

    static {
        def("text", Kind.TEXT, Set.of(), (v, c) -> text(v, c));
        def("long_text", Kind.TEXT, Set.of(), (v, c) -> {
            String s = TextRepair.repair((String) v);
            return s.isBlank() ? null : s;
        });
        def("name", Kind.TEXT, Set.of(), (v, c) -> name(v, c));
        def("label", Kind.TEXT, Set.of(), (v, c) -> {
            String s = name(v, c);
            return s == null ? null : SPACES.matcher(s.toLowerCase(Locale.ROOT).replace('_', ' ')).replaceAll(" ");
        });
        def("person_name", Kind.TEXT, Set.of(), (v, c) -> {
            String s = name(v, c);
            return s == null ? null : Names.personName(s);
        });
        def("full_name_first", Kind.TEXT, Set.of(), (v, c) -> {
            String s = name(v, c);
            return s == null ? null : blankToNull(Names.split(s)[0]);
        });
        def("full_name_last", Kind.TEXT, Set.of(), (v, c) -> {
            String s = name(v, c);
            return s == null ? null : blankToNull(Names.split(s)[1]);
        });
        def("lower", Kind.TEXT, Set.of(), (v, c) -> {
            String s = text(v, c);
            return s == null ? null : s.toLowerCase(Locale.ROOT);
        });
        def("upper", Kind.TEXT, Set.of(), (v, c) -> {
            String s = text(v, c);
            return s == null ? null : s.toUpperCase(Locale.ROOT);
        });
        def("slug", Kind.TEXT, Set.of(), (v, c) -> {
            String s = text(v, c);
            if (s == null) {
                return null;
            }
            String slug = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
            return slug.isEmpty() ? null : slug;
        });
        def("email", Kind.TEXT, Set.of(), Normalisers::email);
        def("phone", Kind.TEXT, Set.of("default_country"), Normalisers::phone);
        def("domain", Kind.TEXT, Set.of(), Normalisers::domain);
        def("url", Kind.TEXT, Set.of(), Normalisers::url);
        dateDef("timestamp", Kind.TIMESTAMP, (v, c) -> moment(v, c, 0));
        dateDef("date", Kind.DATE, (v, c) -> {
            Instant t = moment(v, c, 0);
            return t == null ? null : LocalDate.ofInstant(t, c.zone());
        });
        def("epoch_millis", Kind.TIMESTAMP, Set.of("seconds_below"), Normalisers::epochMillis);
        def("money_cents", Kind.INTEGER, Set.of("max_cents"), Normalisers::moneyCents);
        def("cents", Kind.INTEGER, Set.of("max_cents"), (v, c) -> {
            String s = text(v, c);
            if (s == null) {
                return null;
            }
            BigDecimal d = decimalValue(s);
            if (d == null || d.scale() > 0 && d.stripTrailingZeros().scale() > 0) {
                throw new InvalidValue("unparseable_amount", "'" + s + "' is not a whole number of cents");
            }
            return checkCents(d.longValue(), s, c);
        });
        def("currency", Kind.TEXT, Set.of(), (v, c) -> {
            String s = text(v, c);
            if (s == null) {
                return null;
            }
            String upper = s.toUpperCase(Locale.ROOT);
            return upper.matches("[A-Z]{3}") ? upper : Money.currency(s);
        });
        // a currency column (not an amount's text): what it holds must name a currency, or it is refused
        def("currency_code", Kind.TEXT, Set.of(), (v, c) -> {
            String s = text(v, c);
            if (s == null) {
                return null;
            }
            String upper = s.toUpperCase(Locale.ROOT);
            String code = upper.matches("[A-Z]{3}") ? upper : Money.currency(s);
            if (code == null) {
                throw new InvalidValue("invalid_currency", "'" + s + "' is no ISO 4217 code or currency sign");
            }
            return code;
        });
        def("integer", Kind.INTEGER, Set.of("min", "max"), (v, c) -> {
            String s = text(v, c);
            if (s == null) {
                return null;
            }
            Long n = integerValue(s);
            if (n == null) {
                throw new InvalidValue("unparseable_number", "'" + s + "' is not a whole number");
            }
            return inRange(n, s, c);
        });
        def("decimal", Kind.DECIMAL, Set.of("min", "max"), (v, c) -> {
            String s = text(v, c);
            if (s == null) {
                return null;
            }
            BigDecimal d = decimalValue(s);
            if (d == null) {
                throw new InvalidValue("unparseable_number", "'" + s + "' is not a number");
            }
            return inRange(d, s, c);
        });
        def("headcount", Kind.INTEGER, Set.of(), (v, c) -> {
            String s = text(v, c);
            if (s == null || RANGE.matcher(s).matches() || OPEN_RANGE.matcher(s).matches()) {
                return null; // a range is not a count: headcount_range keeps it
            }
            Long n = integerValue(s);
            if (n == null || n < 0) {
                throw new InvalidValue("unparseable_number", "'" + s + "' is neither a head count nor a range");
            }
            return n;
        });
        def("headcount_range", Kind.TEXT, Set.of(), (v, c) -> {
            String s = text(v, c);
            if (s == null) {
                return null;
            }
            var range = RANGE.matcher(s);
            if (range.matches()) {
                return range.group(1) + "-" + range.group(2);
            }
            var open = OPEN_RANGE.matcher(s);
            return open.matches() ? open.group(1) + "+" : null; // garbage is reported once, by headcount
        });
        def("year", Kind.INTEGER, Set.of(), (v, c) -> {
            String s = text(v, c);
            if (s == null) {
                return null;
            }
            Long n = integerValue(s);
            int latest = Year.now(java.time.ZoneOffset.UTC).getValue() + 1;
            if (n == null || n < 1600 || n > latest) {
                throw new InvalidValue("out_of_range", "'" + s + "' is not a plausible year (1600-" + latest + ")");
            }
            return n;
        });
        def("minutes", Kind.INTEGER, Set.of("max_seconds"), (v, c) -> {
            String s = text(v, c);
            if (s == null) {
                return null;
            }
            Long n = integerValue(s);
            long max = longArg(c, "max_seconds", 86_400L);
            if (n == null || n < 0 || n > max) {
                throw new InvalidValue("out_of_range", "'" + s + "' seconds is not a plausible duration (0-" + max + ")");
            }
            return Math.round(n / 60.0);
        });
        def("json_object", Kind.JSON, Set.of(), (v, c) -> {
            String s = (String) v;
            if (s.isBlank()) {
                return null;
            }
            JsonNode node = parseJson(s);
            if (node.isObject()) {
                return Json.of(node);
            }
            var wrapped = Json.object();
            wrapped.set("value", node);
            return Json.of(wrapped);
        });
        def("json_array", Kind.TEXT_ARRAY, Set.of(), (v, c) -> {
            String s = (String) v;
            if (s.isBlank()) {
                return null;
            }
            JsonNode node = parseJson(s);
            if (!node.isArray()) {
                throw new InvalidValue("invalid_json", "expected a JSON array, got " + node.getNodeType());
            }
            List<Object> items = new ArrayList<>();
            node.forEach(item -> items.add(item.isTextual() ? item.asText() : item.toString()));
            return items.isEmpty() ? null : items;
        });
        def("json_field", Kind.JSON, Set.of("field"), (v, c) -> {
            String s = text(v, c);
            if (s == null) {
                return null;
            }
            var object = Json.object();
            object.put((String) c.arg("field"), s);
            return Json.of(object);
        });
        def("tags", Kind.TEXT_ARRAY, Set.of(), (v, c) -> {
            String s = TextRepair.repair((String) v);
            Set<String> tags = new LinkedHashSet<>();
            for (String part : s.split("[,;]")) {
                String tag = SPACES.matcher(part.strip()).replaceAll(" ");
                if (!tag.isEmpty() && !c.isPlaceholder(tag)) {
                    tags.add(tag);
                }
            }
            return tags.isEmpty() ? null : new ArrayList<Object>(tags);
        });
        def("user", Kind.UUID, Set.of(), (v, c) -> {
            String s = text(v, c);
            return s == null ? null : c.user(s);
        });
        DEFS.put("task_status", new Def("task_status", Kind.TEXT, Set.of(), 2, List.of(), true,
                Normalisers::taskStatus));
        // [stage, close date, created date]: the stage is no date
        DEFS.put("closed_at", new Def("closed_at", Kind.TIMESTAMP, Set.of("closed", "zone"), 3, List.of(1, 2), true,
                Normalisers::closedAt));
    }

    private Normalisers() {
    }

    private static void def(String name, Kind output, Set<String> args, Impl impl) {
        DEFS.put(name, new Def(name, output, args, 1, List.of(), false, impl));
    }

    /** A normaliser of one text date input, read in the zone given as its arg. */
    private static void dateDef(String name, Kind output, Impl impl) {
        DEFS.put(name, new Def(name, output, Set.of("zone"), 1, List.of(0), false, impl));
    }

    public static Def get(String name) {
        return DEFS.get(name);
    }

    public static Set<String> names() {
        return DEFS.keySet();
    }

    // ---- text ----------------------------------------------------------------------------------------------------

    private static String text(Object v, ValueContext c) {
        String s = v instanceof String str ? str : v.toString();
        String t = TextRepair.repair(s).strip();
        return t.isEmpty() || c.isPlaceholder(t) ? null : t;
    }

    /**
     * A name or label: text with its runs of white space made one space. Longer than {@link #LONGEST_NAME} characters
     * it is no name but pasted text (and would not fit the name indexes): refused.
     */
    private static String name(Object v, ValueContext c) throws InvalidValue {
        String t = text(v, c);
        if (t == null) {
            return null;
        }
        String name = SPACES.matcher(t).replaceAll(" ");
        if (name.length() > LONGEST_NAME) {
            throw new InvalidValue("implausible_name", name.length() + " characters ('" + name.substring(0, 40)
                    + "…') is no name");
        }
        return name;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    // ---- contact details -----------------------------------------------------------------------------------------

    /**
     * Trimmed and lower-cased; a "mailto:" prefix, angle brackets and one trailing dot are removed (they are
     * wrapping, not address). Two addresses in one field, spaces, a missing or doubled '@', or a host without a
     * top-level domain are refused: which address was meant is not ours to decide.
     */
    private static Object email(Object v, ValueContext c) throws InvalidValue {
        String text = v instanceof String str ? str : v.toString();
        String email = email(text, c::isPlaceholder);
        if (email == null && text.contains("@")) {
            // an address-shaped placeholder ("noemail@example.com") is a value someone typed: kept aside, not lost
            c.note("placeholder_email", text.strip(), "'" + text.strip() + "' is a placeholder address; no e-mail kept",
                    null);
        }
        return email;
    }

    /** The {@code email} normaliser on its own: {@code isPlaceholder} says which texts mean "no value". */
    public static String email(String text, Predicate<String> isPlaceholder) throws InvalidValue {
        String t = TextRepair.repair(text).strip();
        if (t.isEmpty() || isPlaceholder.test(t)) {
            return null;
        }
        String e = canonicalEmail(t);
        if (isPlaceholder.test(e)) {
            return null;
        }
        if (!EMAIL.matcher(e).matches()) {
            throw new InvalidValue("invalid_email", "'" + t + "' is not one valid e-mail address");
        }
        return e;
    }

    /** An address without its wrapping: trimmed, lower case, no "mailto:", angle brackets or trailing dot. */
    public static String canonicalEmail(String text) {
        String e = TextRepair.repair(text).strip().toLowerCase(Locale.ROOT);
        if (e.startsWith("mailto:")) {
            e = e.substring("mailto:".length()).strip();
        }
        if (e.startsWith("<") && e.endsWith(">")) {
            e = e.substring(1, e.length() - 1).strip();
        }
        if (e.endsWith(".")) {
            e = e.substring(0, e.length() - 1);
        }
        return e;
    }

    /**
     * E.164 when the number says its country ("+44 ...", "0044 ..."), is a North American 10-digit number and the
     * default country is 1, or is the default country's code followed by a national number; an extension is kept as ";ext=N". Other numbers
     * keep their digits as written (no country is invented); fewer than 7 digits, or letters, are refused.
     */
    private static Object phone(Object v, ValueContext c) throws InvalidValue {
        String t = text(v, c);
        if (t == null) {
            return null;
        }
        String ext = null;
        var extension = EXTENSION.matcher(t);
        String number = t;
        if (extension.find()) {
            ext = extension.group(1);
            number = t.substring(0, extension.start());
        }
        if (!PHONE_CHARS.matcher(number).matches()) {
            throw new InvalidValue("invalid_phone", "'" + t + "' is not a phone number");
        }
        String digits = number.replaceAll("\\D", "");
        if (digits.length() < 7 || digits.length() > 15 || digits.chars().allMatch(ch -> ch == '0')) {
            throw new InvalidValue("invalid_phone", "'" + t + "' has too few or too many digits for a phone number");
        }
        String stripped = number.strip();
        String country = (String) c.arg("default_country");
        String e164;
        if (stripped.startsWith("+")) {
            // "+49 (0) 30 ...": the trunk zero in brackets is not dialled internationally
            e164 = "+" + number.replaceFirst("\\(0\\)", "").replaceAll("\\D", "");
        } else if (stripped.startsWith("00")) {
            e164 = "+" + digits.substring(2);
        } else if ("1".equals(country) && digits.length() == 10 && digits.charAt(0) >= '2') {
            // a North American number: area codes never start with 0 or 1
            e164 = "+1" + digits;
        } else if (country != null && digits.length() == 10 + country.length() && digits.startsWith(country)) {
            e164 = "+" + digits;
        } else {
            e164 = digits; // a national number of an unknown country: digits only, no prefix invented
        }
        return ext == null ? e164 : e164 + ";ext=" + ext;
    }

    /** The host of a domain or URL, as {@link MatchKeys#host} defines it; a value that has none is refused. */
    private static Object domain(Object v, ValueContext c) throws InvalidValue {
        String t = text(v, c);
        if (t == null) {
            return null;
        }
        String host;
        try {
            host = MatchKeys.hostCandidate(t);
        } catch (IllegalArgumentException e) {
            throw new InvalidValue("invalid_domain", "'" + t + "' is not a host name");
        }
        if (host.isEmpty() || c.isPlaceholder(host)) {
            return null;
        }
        if (!MatchKeys.isHostName(host)) {
            throw new InvalidValue("invalid_domain", "'" + t + "' is not a host name");
        }
        return host;
    }

    /** A URL as given, trimmed, scheme and host in lower case; spaces or no host refuse it. */
    private static Object url(Object v, ValueContext c) throws InvalidValue {
        String t = text(v, c);
        if (t == null) {
            return null;
        }
        if (t.chars().anyMatch(Character::isWhitespace) || !t.contains(".")) {
            throw new InvalidValue("invalid_url", "'" + t + "' is not a URL");
        }
        domain(t, c); // the host must be a host name
        var scheme = MatchKeys.SCHEME.matcher(t);
        if (scheme.find()) {
            String rest = t.substring(scheme.end());
            int slash = rest.indexOf('/');
            String host = slash < 0 ? rest : rest.substring(0, slash);
            return scheme.group().toLowerCase(Locale.ROOT) + host.toLowerCase(Locale.ROOT)
                    + (slash < 0 ? "" : rest.substring(slash));
        }
        return t;
    }

    // ---- time ----------------------------------------------------------------------------------------------------

    /** Input {@code input}'s value as a moment, read in its column's day/month order. */
    private static Instant moment(Object v, ValueContext c, int input) throws InvalidValue {
        String t = text(v, c);
        if (t == null) {
            return null;
        }
        Dates.Orders orders = c.dateOrders(input);
        Instant instant = Dates.parse(t, c.zone(), orders);
        if (instant == null) {
            throw new InvalidValue("unparseable_date", "'" + t + "' is not a date in any known format");
        }
        Instant kept = plausible(instant, t, c);
        String inference = orders.noteFor(t);
        if (inference != null) {
            c.note("ambiguous_date", t, inference + "; stored " + kept, kept);
        }
        return kept;
    }

    private static Instant plausible(Instant instant, String raw, ValueContext c) throws InvalidValue {
        // the window's end is exclusive: 2100-01-01T00:00Z, a favourite "far future" sentinel, is outside it
        if (instant.isBefore(c.plausibleFrom()) || !instant.isBefore(c.plausibleTo())) {
            throw new InvalidValue("implausible_date", "'" + raw + "' (" + instant + ") is outside "
                    + c.plausibleFrom() + " .. " + c.plausibleTo());
        }
        return instant;
    }

    private static Object epochMillis(Object v, ValueContext c) throws InvalidValue {
        String t = text(v, c);
        if (t == null) {
            return null;
        }
        Long n = integerValue(t);
        if (n == null) {
            throw new InvalidValue("unparseable_date", "'" + t + "' is not an epoch number");
        }
        return plausible(Dates.epochMillis(n, longArg(c, "seconds_below", 100_000_000_000L)), t, c);
    }

    // ---- numbers -------------------------------------------------------------------------------------------------

    private static Object moneyCents(Object v, ValueContext c) throws InvalidValue {
        String t = text(v, c);
        if (t == null) {
            return null;
        }
        BigDecimal major = Money.parse(t);
        if (major == null) {
            throw new InvalidValue("unparseable_amount", "'" + t + "' is not an amount");
        }
        long cents;
        try {
            cents = Money.cents(major);
        } catch (ArithmeticException e) {
            throw new InvalidValue("absurd_amount", "'" + t + "' is beyond any plausible amount");
        }
        return checkCents(cents, t, c);
    }

    private static long checkCents(long cents, String raw, ValueContext c) throws InvalidValue {
        if (cents < 0) {
            throw new InvalidValue("negative_amount", "'" + raw + "' is negative; amounts are kept as they are owed, "
                    + "a refund or credit note needs a decision");
        }
        long max = longArg(c, "max_cents", Long.MAX_VALUE);
        if (cents > max) {
            throw new InvalidValue("absurd_amount", "'" + raw + "' is more than the plausible maximum of "
                    + (max / 100) + " major units");
        }
        return cents;
    }

    static Long integerValue(String s) {
        String t = s.strip();
        if (GROUPED_INTEGER.matcher(t).matches()) {
            t = t.replace(",", "");
        }
        if (INTEGER.matcher(t).matches()) {
            return Long.parseLong(t);
        }
        BigDecimal d = decimalValue(t);
        if (d != null && d.stripTrailingZeros().scale() <= 0 && d.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) < 0) {
            return d.longValue();
        }
        return null;
    }

    static BigDecimal decimalValue(String s) {
        try {
            return new BigDecimal(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static <T extends Comparable<T>> T inRange(T n, String raw, ValueContext c) throws InvalidValue {
        Object min = c.arg("min");
        Object max = c.arg("max");
        BigDecimal value = new BigDecimal(n.toString());
        if (min != null && value.compareTo(new BigDecimal(min.toString())) < 0
                || max != null && value.compareTo(new BigDecimal(max.toString())) > 0) {
            throw new InvalidValue("out_of_range", "'" + raw + "' is outside " + (min == null ? "" : min) + ".."
                    + (max == null ? "" : max));
        }
        return n;
    }

    private static long longArg(ValueContext c, String name, long fallback) {
        Object value = c.arg(name);
        return value == null ? fallback : new BigDecimal(value.toString()).longValueExact();
    }

    // ---- JSON ----------------------------------------------------------------------------------------------------

    private static JsonNode parseJson(String s) throws InvalidValue {
        if (s.contains("\\u0000")) {
            throw new InvalidValue("invalid_json", "JSON holding \\u0000, which PostgreSQL cannot store");
        }
        try {
            JsonNode node = Json.MAPPER.readTree(s);
            if (node == null || node.isMissingNode()) {
                throw new InvalidValue("invalid_json", "no JSON value");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new InvalidValue("invalid_json", "not valid JSON: " + e.getOriginalMessage());
        }
    }

    // ---- row rules -----------------------------------------------------------------------------------------------

    /** Inputs: status text, completed flag. The status decides; a contradicting flag is noted, not applied. */
    private static Object taskStatus(Object v, ValueContext c) throws InvalidValue {
        List<?> inputs = (List<?>) v;
        String status = inputs.get(0) == null ? null : text(inputs.get(0), c);
        if (status == null) {
            return null;
        }
        String mapped = (String) c.mapped(status);
        Object completed = inputs.get(1);
        if (completed != null && mapped != null) {
            boolean flag = completed.toString().equalsIgnoreCase("t") || completed.toString().equalsIgnoreCase("true");
            if (flag != mapped.equals("done")) {
                c.note("contradiction", completed.toString(), "completed = " + flag + " contradicts status " + status
                        + "; the status decides (" + mapped + ")", mapped);
            }
        }
        return mapped;
    }

    /**
     * Inputs: stage text, date text. The date is when the deal closed only if the (mapped) stage is one of the
     * {@code closed} stages; for an open deal the same field is an expected date, so nothing is returned.
     */
    private static Object closedAt(Object v, ValueContext c) throws InvalidValue {
        List<?> inputs = (List<?>) v;
        String stage = inputs.get(0) == null ? null : text(inputs.get(0), c);
        Object closed = c.arg("closed");
        if (stage == null || inputs.get(1) == null || !(closed instanceof List<?> stages)) {
            return null;
        }
        Object mapped;
        try {
            mapped = c.mapped(stage);
        } catch (InvalidValue e) {
            return null; // the stage column reports an unmapped stage
        }
        if (!stages.contains(mapped)) {
            return null;
        }
        Instant closedAt = moment(inputs.get(1), c, 1);
        Instant openedAt = openedAt(inputs.get(2), c);
        if (closedAt != null && openedAt != null && closedAt.isBefore(openedAt)) {
            // one of the two dates is wrong and nothing says which: the close date is the one set aside
            throw new InvalidValue("contradiction", "closed " + closedAt + ", before the deal was created ("
                    + openedAt + ")");
        }
        return closedAt;
    }

    /** The creation date a close date must not precede; an unreadable one constrains nothing. */
    private static Instant openedAt(Object v, ValueContext c) {
        if (v == null) {
            return null;
        }
        try {
            return moment(v, c, 2);
        } catch (InvalidValue e) {
            return null; // the created date's own column reports it
        }
    }

    /** Used by the importer for values given as constants or defaults in the mapping file. */
    public static UUID uuid(String text) {
        return UUID.fromString(text);
    }
}
