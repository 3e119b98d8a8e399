package dev.townhall.legacy.imports.internal;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the date and time forms legacy exports use, in this order: epoch seconds (9-10 digits) or milliseconds
 * (12-13 digits); ISO 8601 with {@code T} or a space, optional fraction and optional offset ({@code Z},
 * {@code +05:30}, {@code -0800}, PostgreSQL's {@code +00}); {@code MM/DD/YYYY [HH:MM[:SS]]} (slashes mean US order);
 * {@code DD.MM.YYYY [HH:MM[:SS]]} (dots mean European order). A form without an offset is wall-clock time in the
 * source's zone: a time the zone skipped (spring forward) moves forward by the gap, a time it had twice (fall back)
 * takes the earlier offset. Anything else, or an impossible calendar date, is not a date.
 */
public final class Dates {
    private static final Pattern EPOCH = Pattern.compile("-?\\d{1,13}");
    private static final Pattern ISO = Pattern.compile(
            "(\\d{4})-(\\d{1,2})-(\\d{1,2})(?:[T ](\\d{1,2}):(\\d{2})(?::(\\d{2})(?:[.,](\\d{1,9}))?)?)?"
                    + "\\s*(Z|z|UTC|[+-]\\d{2}(?::?\\d{2})?)?");
    private static final Pattern US = Pattern.compile(
            "(\\d{1,2})/(\\d{1,2})/(\\d{4})(?:[ T](\\d{1,2}):(\\d{2})(?::(\\d{2}))?)?");
    private static final Pattern EU = Pattern.compile(
            "(\\d{1,2})\\.(\\d{1,2})\\.(\\d{4})(?:[ T](\\d{1,2}):(\\d{2})(?::(\\d{2}))?)?");

    /** Which part of a numeric date comes first. */
    public enum Order { MONTH_FIRST, DAY_FIRST }

    /**
     * How one source column's numeric dates are read: the order for slashed and for dotted dates, and for each the
     * sentence that explains the reading of an ambiguous value ("03/04/2021"), or null when the reading needs no
     * note (the column's unambiguous values agree with the default order, or there are none).
     */
    public record Orders(Order slashes, Order dots, String slashNote, String dotNote) {
        /** What a column without evidence gets: slashes US, dots European. */
        public static final Orders DEFAULT = new Orders(Order.MONTH_FIRST, Order.DAY_FIRST, null, null);

        /** The explanation to note for {@code text} when it is ambiguous and its reading needs one; else null. */
        public String noteFor(String text) {
            char separator = ambiguousSeparator(text);
            return separator == '/' ? slashNote : separator == '.' ? dotNote : null;
        }
    }

    /**
     * What one column's unambiguous values (a part above 12) say about the order of its slashed or dotted dates:
     * the order to read its ambiguous values in, the evidence, and the note each ambiguous value gets (null when the
     * evidence agrees with the separator's default order, or there is none).
     */
    public record Inference(char separator, Order order, long dayFirstValues, long monthFirstValues, String basis,
                            String note) {
    }

    /**
     * The order for {@code separator} ('/' or '.') given how many unambiguous values are day-first and month-first.
     * One order wins when it holds at least nine in ten of them (a stray typo does not flip a column); otherwise,
     * or without evidence, the separator's default stays (slashes US, dots European).
     */
    public static Inference infer(char separator, long dayFirst, long monthFirst) {
        Order fallback = separator == '/' ? Order.MONTH_FIRST : Order.DAY_FIRST;
        String kind = separator == '/' ? "slashed" : "dotted";
        if (dayFirst == 0 && monthFirst == 0) {
            return new Inference(separator, fallback, 0, 0, "default: no unambiguous " + kind + " dates", null);
        }
        Order winner = dayFirst >= 9 * monthFirst ? Order.DAY_FIRST : monthFirst >= 9 * dayFirst ? Order.MONTH_FIRST
                : null;
        String evidence = dayFirst + " day-first and " + monthFirst + " month-first unambiguous " + kind + " dates";
        if (winner == null) {
            return new Inference(separator, fallback, dayFirst, monthFirst, "default: conflicting evidence (" + evidence
                    + ")", "ambiguous " + kind + " date read " + words(fallback) + " (the default): the column has "
                    + evidence);
        }
        return new Inference(separator, winner, dayFirst, monthFirst, "inferred from " + evidence,
                winner == fallback ? null : "ambiguous " + kind + " date read " + words(winner) + ", as the column has "
                        + evidence);
    }

    private static String words(Order order) {
        return order == Order.DAY_FIRST ? "day-first" : "month-first";
    }

    private Dates() {
    }

    /** The moment {@code text} names, reading zone-less forms in {@code zone}; null when it is no date at all. */
    public static Instant parse(String text, ZoneId zone) {
        return parse(text, zone, Orders.DEFAULT);
    }

    /** As {@link #parse(String, ZoneId)}, reading numeric day/month dates in the column's {@code orders}. */
    public static Instant parse(String text, ZoneId zone, Orders orders) {
        String t = text.strip();
        if (EPOCH.matcher(t).matches()) {
            return epoch(t);
        }
        Matcher m = ISO.matcher(t);
        if (m.matches()) {
            return moment(m.group(1), m.group(2), m.group(3), m.group(4), m.group(5), m.group(6), m.group(7),
                    m.group(8), zone);
        }
        m = US.matcher(t);
        if (!m.matches()) {
            m = EU.matcher(t);
            if (!m.matches()) {
                return null;
            }
        }
        Order order = t.contains("/") ? orders.slashes() : orders.dots();
        Instant read = numeric(m, order, zone);
        // a part above 12 can only be the day: such a date means one thing whatever order the column has
        return read != null ? read : numeric(m, order == Order.MONTH_FIRST ? Order.DAY_FIRST : Order.MONTH_FIRST, zone);
    }

    private static Instant numeric(Matcher m, Order order, ZoneId zone) {
        String first = m.group(1);
        String second = m.group(2);
        return order == Order.MONTH_FIRST
                ? moment(m.group(3), first, second, m.group(4), m.group(5), m.group(6), null, null, zone)
                : moment(m.group(3), second, first, m.group(4), m.group(5), m.group(6), null, null, zone);
    }

    /**
     * '/' or '.' when {@code text} is a slashed or dotted numeric date whose first two parts could each be the day
     * or the month (both 1-12 and different), so only an order decides what it means; otherwise 0.
     */
    public static char ambiguousSeparator(String text) {
        String t = text.strip();
        Matcher m = US.matcher(t);
        char separator = '/';
        if (!m.matches()) {
            m = EU.matcher(t);
            separator = '.';
            if (!m.matches()) {
                return 0;
            }
        }
        int first = Integer.parseInt(m.group(1));
        int second = Integer.parseInt(m.group(2));
        return first >= 1 && first <= 12 && second >= 1 && second <= 12 && first != second ? separator : 0;
    }

    /** Epoch numbers as text: 9-10 digits are seconds, 12-13 digits milliseconds, anything else is ambiguous. */
    private static Instant epoch(String digits) {
        String abs = digits.startsWith("-") ? digits.substring(1) : digits;
        long value = Long.parseLong(digits);
        if (abs.length() >= 9 && abs.length() <= 10) {
            return Instant.ofEpochSecond(value);
        }
        if (abs.length() >= 12) {
            return Instant.ofEpochMilli(value);
        }
        return null;
    }

    /**
     * Epoch milliseconds from a number column. A value below {@code secondsBelow} in magnitude cannot be a
     * millisecond time after early 1973 and is read as seconds (exports that mixed the two units).
     */
    public static Instant epochMillis(long value, long secondsBelow) {
        return Math.abs(value) < secondsBelow ? Instant.ofEpochSecond(value) : Instant.ofEpochMilli(value);
    }

    private static Instant moment(String year, String month, String day, String hour, String minute, String second,
                                  String fraction, String offset, ZoneId zone) {
        try {
            LocalDate date = LocalDate.of(Integer.parseInt(year), Integer.parseInt(month), Integer.parseInt(day));
            LocalTime time = LocalTime.MIDNIGHT;
            if (hour != null) {
                int nanos = fraction == null ? 0 : Integer.parseInt((fraction + "000000000").substring(0, 9));
                time = LocalTime.of(Integer.parseInt(hour), Integer.parseInt(minute),
                        second == null ? 0 : Integer.parseInt(second), nanos);
            }
            LocalDateTime local = LocalDateTime.of(date, time);
            if (offset != null) {
                return local.toInstant(offset(offset));
            }
            return ZonedDateTime.ofLocal(local, zone, null).toInstant();
        } catch (DateTimeException | NumberFormatException e) {
            return null;
        }
    }

    private static ZoneOffset offset(String text) {
        if (text.equalsIgnoreCase("Z") || text.equals("UTC")) {
            return ZoneOffset.UTC;
        }
        String sign = text.substring(0, 1);
        String digits = text.substring(1).replace(":", "");
        int hours = Integer.parseInt(digits.substring(0, 2));
        int minutes = digits.length() >= 4 ? Integer.parseInt(digits.substring(2, 4)) : 0;
        int seconds = (hours * 3600 + minutes * 60) * (sign.equals("-") ? -1 : 1);
        return ZoneOffset.ofTotalSeconds(seconds);
    }
}
