package dev.townhall.legacy.generate.internal;

import dev.townhall.legacy.generate.internal.World.Company;
import dev.townhall.legacy.generate.internal.World.Person;

import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/**
 * The ways legacy data goes wrong, one method per kind: mixed date formats and garbage dates, spelling and domain
 * variants of one company, case and whitespace variants of one email, invalid emails, phones in every format,
 * amounts as text, JSON that does not parse, double-encoded UTF-8. Callers decide how often; these only decide how.
 */
final class Mess {
    /** The legacy data spans 2018-01-01 to 2025-06-30 (UTC). */
    static final long FIRST_SECOND = 1_514_764_800L;
    static final long LAST_SECOND = 1_751_241_600L;

    private static final DateTimeFormatter ISO_Z = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'", Locale.ROOT);
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT);
    private static final DateTimeFormatter ISO_SPACE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter ISO_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT);
    private static final DateTimeFormatter US_DATE = DateTimeFormatter.ofPattern("MM/dd/yyyy", Locale.ROOT);
    private static final DateTimeFormatter EU_MINUTES = DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm", Locale.ROOT);
    private static final DateTimeFormatter OFFSET = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx", Locale.ROOT);

    static final List<String> GARBAGE_DATES = List.of(
            "yesterday", "13/45/2020", "N/A", "0000-00-00", "TBD", "2021-02-30", "31.02.2020 25:61", "last week",
            "Q3 2021", "asap", "??", "1/1/1900", "9999-12-31");

    private static final List<String> BAD_EMAILS = List.of(
            "n/a", "N/A", "test@test", "noemail@example.com", "none", "", "unknown@unknown.com", "-", "no email",
            "test@test.com");

    private static final List<String> BAD_PHONES = List.of("n/a", "", "0", "555", "call me", "+1 (555) CALL-NOW",
            "tbd", "000-000-0000", "see notes");

    private static final List<String> INVALID_JSON = List.of(
            "{\"opens\": 3,", "{'source': 'gmail', 'opens': 2}", "{\"thread_id\": \"abc\", }", "NaN", "undefined",
            "{\"a\": 1}}", "[object Object]", "{\"body\": \"unterminated}", "{opens: 3}", "{\"x\": 01}",
            "{\"clicks\": [1, 2,]}", "None", "{\"note\": \"tab\there\"}");

    private Mess() {
    }

    // ---- dates -------------------------------------------------------------------------------------------------

    /** A moment written the way the CRM exports did: mostly ISO, then US, European and epoch forms, a little garbage. */
    static String dateText(Dice dice, long epochSecond) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
        int roll = dice.below(100);
        if (roll < 25) {
            return ISO_Z.format(t);
        } else if (roll < 35) {
            return ISO_MILLIS.format(t.plusNanos(dice.below(1000) * 1_000_000L));
        } else if (roll < 47) {
            return ISO_SPACE.format(t);
        } else if (roll < 55) {
            return ISO_DATE.format(t);
        } else if (roll < 75) {
            return US_DATE.format(t);
        } else if (roll < 87) {
            return EU_MINUTES.format(t);
        } else if (roll < 97) {
            return Long.toString(epochSecond);
        } else if (roll < 99) {
            return dice.pick(GARBAGE_DATES);
        }
        return dice.chance(0.5) ? "" : null;
    }

    /** ISO 8601 with a zone offset, the way Robbie_Allan stored local times. */
    static String isoWithOffset(Dice dice, long epochSecond) {
        int quarterHours = dice.pick(-32, -28, -24, -20, -16, -16, -20, 0, 0, 4, 8, 22);
        ZoneOffset offset = ZoneOffset.ofTotalSeconds(quarterHours * 15 * 60);
        String text = OFFSET.format(Instant.ofEpochSecond(epochSecond).atOffset(offset));
        return quarterHours == 0 && dice.chance(0.5) ? text.replace("+00:00", "Z") : text;
    }

    /** A {@code timestamp} literal (no zone) holding UTC. */
    static String timestamp(long epochSecond) {
        return ISO_SPACE.format(LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC));
    }

    /** A {@code timestamptz} literal in UTC. */
    static String timestamptz(long epochSecond) {
        return timestamp(epochSecond) + "+00";
    }

    static String date(long epochSecond) {
        return ISO_DATE.format(LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC));
    }

    static long moment(Dice dice) {
        return dice.between(FIRST_SECOND, LAST_SECOND);
    }

    static long momentAfter(Dice dice, long epochSecond) {
        return dice.between(Math.min(epochSecond, LAST_SECOND), LAST_SECOND);
    }

    // ---- companies ---------------------------------------------------------------------------------------------

    /** The same company as another person or vendor would write it: "Acme Corp", "ACME CORPORATION", "acme.com". */
    static String companyNameVariant(Dice dice, Company company) {
        String name = company.name();
        return switch (dice.below(9)) {
            case 0 -> name;
            case 1 -> name + " " + legalVariant(dice, company.legal());
            case 2 -> company.fullName().toUpperCase(Locale.ROOT);
            case 3 -> name.toLowerCase(Locale.ROOT);
            case 4 -> name + ", " + legalVariant(dice, company.legal());
            case 5 -> company.domain();
            case 6 -> "  " + company.fullName() + " ";
            case 7 -> name.contains(" ") ? name.replaceFirst(" ", "  ") : name + " ";
            default -> "The " + name;
        };
    }

    private static String legalVariant(Dice dice, String legal) {
        return switch (legal) {
            case "Inc" -> dice.pick("Inc.", "Inc", "Incorporated", "INC");
            case "LLC" -> dice.pick("LLC", "L.L.C.", "llc");
            case "Corp", "Corporation" -> dice.pick("Corp", "Corp.", "Corporation", "CORP");
            case "Ltd" -> dice.pick("Ltd", "Ltd.", "Limited");
            case "GmbH" -> dice.pick("GmbH", "G.m.b.H.", "GMBH");
            case "" -> dice.pick("Inc", "LLC", "Co.", "Group");
            default -> legal + ".";
        };
    }

    /** A website as vendors and people paste it: scheme or not, www or not, paths, trailing slashes, capitals. */
    static String website(Dice dice, String domain) {
        return switch (dice.below(12)) {
            case 0, 1 -> "http://www." + domain;
            case 2 -> "https://www." + domain + "/";
            case 3 -> "https://" + domain;
            case 4 -> "www." + domain;
            case 5 -> domain + "/";
            case 6 -> "https://www." + domain + "/about/";
            case 7 -> "https://" + domain + "/en-us/home";
            case 8 -> ("HTTP://WWW." + domain).toUpperCase(Locale.ROOT);
            case 9 -> "https://" + domain + "/?utm_source=apollo&utm_medium=export";
            case 10 -> "http://" + domain + "//";
            default -> domain;
        };
    }

    // ---- contacts ----------------------------------------------------------------------------------------------

    /** The same address as typed elsewhere: different case, stray whitespace. */
    static String emailVariant(Dice dice, String email) {
        int at = email.indexOf('@');
        return switch (dice.below(7)) {
            case 0 -> " " + email;
            case 1 -> email + " ";
            case 2 -> email.toUpperCase(Locale.ROOT);
            case 3 -> capitalise(email.substring(0, at)) + "@" + capitalise(email.substring(at + 1));
            case 4 -> email.substring(0, at).toUpperCase(Locale.ROOT) + email.substring(at);
            case 5 -> email + "\t";
            default -> "  " + capitalise(email) + "  ";
        };
    }

    private static String capitalise(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean start = true;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            out.append(start ? Character.toUpperCase(ch) : ch);
            start = ch == '.' || ch == '_' || ch == '-';
        }
        return out.toString();
    }

    /** An email a validator should refuse, or a placeholder standing for "none". */
    static String badEmail(Dice dice, Person person) {
        String email = person.email();
        String local = email.substring(0, email.indexOf('@'));
        String domain = email.substring(email.indexOf('@') + 1);
        return switch (dice.below(10)) {
            case 0, 1, 2 -> dice.pick(BAD_EMAILS);
            case 3 -> local + "@";
            case 4 -> local + "@@" + domain;
            case 5 -> local + "@" + domain.substring(0, domain.lastIndexOf('.'));
            case 6 -> "mailto:" + email;
            case 7 -> email + "; " + local.charAt(0) + "@" + domain;
            case 8 -> local + " at " + domain;
            default -> email + ".";
        };
    }

    /** A phone number in one of the many ways people write one, or something that is not a number at all. */
    static String phone(Dice dice, Person person) {
        if (dice.chance(0.02)) {
            return dice.pick(BAD_PHONES);
        }
        String digits = person.phone();
        String prefix = person.place().phonePrefix();
        if (prefix.equals("+1")) {
            String a = digits.substring(0, 3);
            String b = digits.substring(3, 6);
            String c = digits.substring(6);
            return switch (dice.below(12)) {
                case 0 -> "+1 (" + a + ") " + b + "-" + c;
                case 1, 2 -> a + "-" + b + "-" + c;
                case 3 -> "(" + a + ") " + b + "-" + c;
                case 4 -> digits;
                case 5 -> "+1" + digits;
                case 6 -> a + "." + b + "." + c;
                case 7 -> "1-" + a + "-" + b + "-" + c;
                case 8 -> a + " " + b + " " + c;
                case 9 -> "(" + a + ")" + b + "-" + c + " ext. " + dice.between(2, 999);
                case 10 -> a + "-" + b + "-" + c + " x" + dice.between(100, 999);
                default -> "+1 " + a + " " + b + " " + c;
            };
        }
        String head = digits.substring(0, 2);
        String tail = digits.substring(2);
        return switch (dice.below(6)) {
            case 0 -> prefix + " " + head + " " + tail;
            case 1 -> prefix + digits;
            case 2 -> "00" + prefix.substring(1) + " " + digits;
            case 3 -> "0" + head + " " + tail.substring(0, 3) + " " + tail.substring(3);
            case 4 -> prefix + " (0) " + head + " " + tail;
            default -> prefix + "-" + head + "-" + tail;
        };
    }

    // ---- amounts, JSON, text -----------------------------------------------------------------------------------

    /** A deal amount as the CRM's text field holds it: "$12,500.00", "12500", "12.5k", blank, and worse. */
    static String amountText(Dice dice, long cents) {
        return amountText(dice, cents, dice.below(100));
    }

    /** {@link #amountText(Dice, long)} with the form chosen by {@code roll} (0-99) instead of by chance. */
    static String amountText(Dice dice, long cents, int roll) {
        long dollars = cents / 100;
        if (roll < 30) {
            return String.format(Locale.US, "$%,d.%02d", dollars, cents % 100);
        } else if (roll < 55) {
            return Long.toString(dollars);
        } else if (roll < 65) {
            return thousands(dollars);
        } else if (roll < 73) {
            return String.format(Locale.ROOT, "%d.%02d", dollars, cents % 100);
        } else if (roll < 80) {
            return String.format(Locale.US, "%,d", dollars);
        } else if (roll < 84) {
            return String.format(Locale.US, "USD %,d", dollars);
        } else if (roll < 87) {
            return String.format(Locale.GERMANY, "%,d,%02d €", dollars, cents % 100);
        } else if (roll < 93) {
            return "";
        } else if (roll < 96) {
            return null;
        }
        return dice.pick("TBD", "-" + dollars, "-$" + dollars, "999999999999", "1e9");
    }

    private static String thousands(long dollars) {
        if (dollars % 1000 == 0) {
            return (dollars / 1000) + "k";
        }
        String k = String.format(Locale.ROOT, "%.1fk", dollars / 1000.0);
        return k.endsWith(".0k") ? k.replace(".0k", "k") : k;
    }

    static String invalidJson(Dice dice) {
        return dice.pick(INVALID_JSON);
    }

    /** Double-encoded text: mostly UTF-8 read as Windows-1252 ("Ã©"), sometimes as Mac Roman ("üéØ"). */
    static String mojibake(Dice dice, String text) {
        return dice.chance(0.75) ? Mojibake.windows1252(text) : Mojibake.macRoman(text);
    }

    /** JSON string literal contents for {@code text} (quotes, backslashes and control characters escaped). */
    static String jsonString(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            switch (ch) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (ch < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
                    } else {
                        out.append(ch);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    // ---- people of the old team ----------------------------------------------------------------------------------

    /** A user's text id: mostly the known team, {@code unknown} of the time one that matches no user, some none. */
    static String userId(Dice dice, double unknown, double none) {
        double roll = dice.unit();
        if (roll < none) {
            return null;
        }
        if (roll < none + unknown) {
            return dice.pick(Words.UNKNOWN_USERS);
        }
        double known = dice.unit();
        return Words.KNOWN_USERS.get(known < 0.55 ? 0 : known < 0.82 ? 1 : 2); // allan, kristina, andre
    }

    static final List<String> LIFECYCLE_STAGES = List.of("lead", "marketingqualifiedlead", "salesqualifiedlead",
            "opportunity", "customer", "evangelist", "subscriber", "other");

    /** A HubSpot lifecycle stage; a few in the wrong case, some missing. */
    static String lifecycleStage(Dice dice) {
        double roll = dice.unit();
        String stage = dice.pick(LIFECYCLE_STAGES);
        if (roll < 0.08) {
            return null;
        }
        if (roll < 0.12) {
            return dice.chance(0.5) ? stage.toUpperCase(Locale.ROOT)
                    : Character.toUpperCase(stage.charAt(0)) + stage.substring(1);
        }
        return stage;
    }

    /** Makes the row of distinct record {@code i}, stamped {@code second} (epoch seconds). */
    @FunctionalInterface
    interface RowOf {
        Object[] row(int i, long second);
    }

    /**
     * Writes a table loaded from CSV without a primary key: every distinct record once (stamped between
     * {@code firstSecond} and {@link #LAST_SECOND}), then {@code repeats} of them a second time at a later random
     * place, alternately as exact copies and as re-exports made since 2024 with fresh values.
     */
    static void withRepeatedIds(Dice dice, int distinctCount, int repeats, long firstSecond, RowOf rowOf, RowSink out)
            throws SQLException {
        List<Object[]> distinct = new ArrayList<>(distinctCount);
        for (int i = 0; i < distinctCount; i++) {
            distinct.add(rowOf.row(i, dice.between(firstSecond, LAST_SECOND)));
        }
        List<Object[]> rows = new ArrayList<>(distinct);
        BitSet repeated = dice.marks(distinctCount, repeats);
        boolean exact = true;
        for (int i = repeated.nextSetBit(0); i >= 0; i = repeated.nextSetBit(i + 1)) {
            Object[] again = exact ? distinct.get(i).clone() : rowOf.row(i, dice.between(1_704_067_200L, LAST_SECOND));
            int at = rows.indexOf(distinct.get(i)) + 1;
            rows.add(at + dice.below(rows.size() - at + 1), again);
            exact = !exact;
        }
        for (Object[] row : rows) {
            out.row(row);
        }
    }
}
