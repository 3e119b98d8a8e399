package dev.townhall;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people type them in flags and settings: a whole number of seconds, minutes, hours or days. */
public final class Intervals {
    private static final Pattern INTERVAL = Pattern.compile("([0-9]{1,6})([smhd])");

    private Intervals() {
    }

    /** {@code 30s}, {@code 5m}, {@code 6h}, {@code 1d}; anything else, or zero, is one line naming {@code field}. */
    public static Duration parse(String text, String field) {
        Matcher m = INTERVAL.matcher(text == null ? "" : text.strip());
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, field, field + " is a whole number of seconds,"
                    + " minutes, hours or days, like 30s, 5m, 6h or 1d; got '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }
}
