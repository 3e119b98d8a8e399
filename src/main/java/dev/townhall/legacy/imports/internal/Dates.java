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

    private Dates() {
    }

    /** The moment {@code text} names, reading zone-less forms in {@code zone}; null when it is no date at all. */
    public static Instant parse(String text, ZoneId zone) {
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
        if (m.matches()) {
            return moment(m.group(3), m.group(1), m.group(2), m.group(4), m.group(5), m.group(6), null, null, zone);
        }
        m = EU.matcher(t);
        if (m.matches()) {
            return moment(m.group(3), m.group(2), m.group(1), m.group(4), m.group(5), m.group(6), null, null, zone);
        }
        return null;
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
