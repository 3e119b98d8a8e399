package dev.townhall.legacy.imports.internal;

import com.fasterxml.jackson.core.JsonProcessingException;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Target values in Java (text as {@link String}, whole numbers as {@link Long}, decimals as {@link BigDecimal},
 * times as {@link Instant}, dates, UUIDs, {@link Json}, arrays as {@link List}) to and from PostgreSQL's text
 * forms: the COPY text format going in, {@code ::text} output coming back for comparisons.
 */
public final class ValueCodec {
    private ValueCodec() {
    }

    /** {@code value} as the text PostgreSQL reads it from (null for null). */
    public static String text(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof List<?> list) {
            return arrayLiteral(list);
        }
        if (value instanceof Json j) {
            return j.text();
        }
        if (value instanceof Instant t) {
            return t.toString();
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        return value.toString();
    }

    /** Appends {@code value} as one field of a COPY text-format row ({@code \N} for null). */
    public static void appendCopy(StringBuilder out, Object value) {
        if (value == null) {
            out.append("\\N");
            return;
        }
        escape(out, value instanceof Boolean b ? (b ? "t" : "f") : text(value));
    }

    private static void escape(StringBuilder out, String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\0' -> { } // PostgreSQL text cannot hold NUL; no legacy text column can either
                default -> out.append(ch);
            }
        }
    }

    /** {@code {"a","b \"c\""}}: every element quoted, so commas, braces and spaces are safe. */
    public static String arrayLiteral(List<?> items) {
        StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            Object item = items.get(i);
            if (item == null) {
                out.append("NULL");
                continue;
            }
            out.append('"');
            String s = item.toString();
            for (int k = 0; k < s.length(); k++) {
                char ch = s.charAt(k);
                if (ch == '"' || ch == '\\') {
                    out.append('\\');
                }
                out.append(ch);
            }
            out.append('"');
        }
        return out.append('}').toString();
    }

    /** The Java value for PostgreSQL's text output of a value of {@code column}'s type. */
    public static Object fromText(String text, PgCatalog.Column column) {
        if (text == null) {
            return null;
        }
        if (column.isArray()) {
            return parseArray(text);
        }
        return switch (column.type()) {
            case "int2", "int4", "int8" -> Long.parseLong(text);
            case "numeric", "float4", "float8" -> new BigDecimal(text);
            case "bool" -> text.equals("t") || text.equals("true");
            case "uuid" -> UUID.fromString(text);
            case "timestamptz" -> Dates.parse(text, ZoneOffset.UTC);
            case "timestamp" -> Dates.parse(text, ZoneOffset.UTC);
            case "date" -> LocalDate.parse(text);
            case "json", "jsonb" -> new Json(text);
            default -> text;
        };
    }

    /** A one-dimensional array literal's elements as text. */
    static List<Object> parseArray(String literal) {
        List<Object> items = new ArrayList<>();
        String body = literal.substring(1, literal.length() - 1);
        int i = 0;
        while (i < body.length()) {
            if (body.charAt(i) == '"') {
                StringBuilder item = new StringBuilder();
                i++;
                while (body.charAt(i) != '"') {
                    if (body.charAt(i) == '\\') {
                        i++;
                    }
                    item.append(body.charAt(i++));
                }
                items.add(item.toString());
                i++;
            } else {
                int end = body.indexOf(',', i);
                end = end < 0 ? body.length() : end;
                String item = body.substring(i, end);
                items.add(item.equals("NULL") ? null : item);
                i = end;
            }
            if (i < body.length() && body.charAt(i) == ',') {
                i++;
            }
        }
        return items;
    }

    /** True when the column holds nothing worth keeping: null, empty text, an empty array or object. */
    public static boolean isEmpty(Object value) {
        if (value == null) {
            return true;
        }
        if (value instanceof String s) {
            return s.isBlank();
        }
        if (value instanceof List<?> list) {
            return list.isEmpty();
        }
        if (value instanceof Json j) {
            return j.text().equals("{}") || j.text().equals("[]");
        }
        return false;
    }

    /** Equality as the column compares: numbers by value, citext ignoring case, JSON by tree. */
    public static boolean same(Object a, Object b, PgCatalog.Column column) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a instanceof BigDecimal || b instanceof BigDecimal || a instanceof Long && b instanceof Long) {
            return new BigDecimal(a.toString()).compareTo(new BigDecimal(b.toString())) == 0;
        }
        if (column.type().equals("citext")) {
            return a.toString().equalsIgnoreCase(b.toString());
        }
        if (a instanceof Json ja && b instanceof Json jb) {
            try {
                return Json.MAPPER.readTree(ja.text()).equals(Json.MAPPER.readTree(jb.text()));
            } catch (JsonProcessingException e) {
                return ja.text().equals(jb.text());
            }
        }
        if (a instanceof List<?> la && b instanceof List<?> lb) {
            return la.stream().map(String::valueOf).toList().equals(lb.stream().map(String::valueOf).toList());
        }
        return a.toString().equals(b.toString());
    }
}
