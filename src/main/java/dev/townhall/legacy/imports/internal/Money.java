package dev.townhall.legacy.imports.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Amounts as exports write them: {@code "$12,500.00"}, {@code "12500"}, {@code "12.5k"}, {@code "USD 40,135"},
 * {@code "12.500,00 €"}, {@code "1e9"}. Rules: currency signs and codes are set aside; {@code k}/{@code m}/{@code bn}
 * multiply; with both '.' and ',' the last one is the decimal mark; a lone ',' is a decimal mark only before one or
 * two final digits, a thousands separator before groups of three; a lone '.' is a thousands separator only when it
 * repeats in groups of three ("1.000.000"). Anything else is not an amount.
 */
public final class Money {
    private static final Pattern GROUPED_COMMA = Pattern.compile("\\d{1,3}(,\\d{3})+");
    private static final Pattern DECIMAL_COMMA = Pattern.compile("\\d+,\\d{1,2}");
    private static final Pattern GROUPED_DOTS = Pattern.compile("\\d{1,3}(\\.\\d{3}){2,}");
    private static final Pattern PLAIN = Pattern.compile("\\d+(\\.\\d+)?");
    private static final Pattern SCIENTIFIC = Pattern.compile("\\d+(\\.\\d+)?[eE]\\+?\\d{1,3}");

    private Money() {
    }

    /** The amount in major units, sign included; null when the text is not an amount. */
    public static BigDecimal parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT).replace('\u00A0', ' ');
        boolean negative = false;
        if (t.startsWith("(") && t.endsWith(")")) {
            negative = true;
            t = t.substring(1, t.length() - 1).strip();
        }
        t = t.replace("usd", "").replace("eur", "").replace("gbp", "").replace("$", "").replace("€", "")
                .replace("£", "").replace(" ", "").strip();
        if (t.startsWith("-")) {
            negative = !negative;
            t = t.substring(1);
        }
        t = t.replace("$", "");
        BigDecimal multiplier = BigDecimal.ONE;
        if (t.endsWith("bn")) {
            multiplier = BigDecimal.valueOf(1_000_000_000L);
            t = t.substring(0, t.length() - 2);
        } else if (t.endsWith("k")) {
            multiplier = BigDecimal.valueOf(1_000L);
            t = t.substring(0, t.length() - 1);
        } else if (t.endsWith("m")) {
            multiplier = BigDecimal.valueOf(1_000_000L);
            t = t.substring(0, t.length() - 1);
        }
        BigDecimal value = number(t);
        if (value == null) {
            return null;
        }
        value = value.multiply(multiplier);
        return negative ? value.negate() : value;
    }

    private static BigDecimal number(String t) {
        if (t.isEmpty()) {
            return null;
        }
        if (SCIENTIFIC.matcher(t).matches()) {
            return new BigDecimal(t.replace("+", "")).setScale(2, RoundingMode.HALF_UP);
        }
        int dot = t.lastIndexOf('.');
        int comma = t.lastIndexOf(',');
        String canonical;
        if (dot >= 0 && comma >= 0) {
            canonical = dot > comma ? t.replace(",", "") : t.replace(".", "").replace(',', '.');
        } else if (comma >= 0) {
            if (GROUPED_COMMA.matcher(t).matches()) {
                canonical = t.replace(",", "");
            } else if (DECIMAL_COMMA.matcher(t).matches()) {
                canonical = t.replace(',', '.');
            } else {
                return null;
            }
        } else if (GROUPED_DOTS.matcher(t).matches()) {
            canonical = t.replace(".", "");
        } else {
            canonical = t;
        }
        if (!PLAIN.matcher(canonical).matches()) {
            return null;
        }
        return new BigDecimal(canonical);
    }

    /** Major units to cents, rounding half up. */
    public static long cents(BigDecimal major) {
        return major.movePointRight(2).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    /** The ISO currency code an amount's text names, or null when it names none. */
    public static String currency(String text) {
        String t = text.toUpperCase(Locale.ROOT);
        if (t.contains("€") || t.contains("EUR")) {
            return "EUR";
        }
        if (t.contains("£") || t.contains("GBP")) {
            return "GBP";
        }
        if (t.contains("$") || t.contains("USD")) {
            return "USD";
        }
        return null;
    }
}
