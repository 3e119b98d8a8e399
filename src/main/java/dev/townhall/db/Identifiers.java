package dev.townhall.db;

/**
 * The one way TownHall writes a name into SQL text. Values always travel as bind parameters; names (tables,
 * columns, databases, roles) cannot, so they pass through here and come out as quoted identifiers that no input can
 * break out of.
 */
public final class Identifiers {
    private Identifiers() {
    }

    /** {@code "name"} with embedded quotes doubled: {@code a"b} becomes {@code "a""b"}. */
    public static String quote(String identifier) {
        if (identifier == null || identifier.isEmpty() || identifier.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("an SQL identifier must be non-empty text without NUL bytes");
        }
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /** {@code "schema"."table"} for {@code schema.table}; a name without a dot is quoted whole. */
    public static String quoteQualified(String qualified) {
        int dot = qualified.indexOf('.');
        if (dot < 0) {
            return quote(qualified);
        }
        return quote(qualified.substring(0, dot)) + "." + quote(qualified.substring(dot + 1));
    }
}
