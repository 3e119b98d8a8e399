package dev.townhall.records.internal;

/**
 * One visible column as the catalog describes it.
 *
 * @param name         the column name
 * @param castType     the type without modifiers, as SQL text from {@code format_type} ({@code uuid},
 *                     {@code timestamp with time zone}, {@code core.visibility}, {@code text[]}): what a bound text
 *                     value is cast to (without modifiers, so an over-long value is refused by the column, never
 *                     cut by a cast)
 * @param declaredType the type with modifiers ({@code character(3)}), as PostgreSQL names it in messages
 * @param kind         the JSON shape a value of this column takes
 * @param elementKind  for arrays, the JSON shape of each element; else {@link Kind#TEXT}
 * @param castCanFail  whether a well-formed JSON value of the right shape may still not convert (a uuid, a
 *                     timestamp, an enum label, an integer out of range); such values are checked one by one so the
 *                     column at fault can be named
 * @param notNull      NOT NULL
 * @param generated    a generated column
 * @param hasDefault   whether the column has a default
 */
public record ColumnShape(String name, String castType, String declaredType, Kind kind, Kind elementKind,
                          boolean castCanFail, boolean notNull, boolean generated, boolean hasDefault) {

    /** The JSON shape of a column's values. */
    public enum Kind {
        /** JSON strings: text, citext, uuid, timestamps, dates, enums, intervals and anything else read from text. */
        TEXT,
        NUMBER,
        BOOLEAN,
        /** json and jsonb: any JSON value. */
        JSON,
        ARRAY
    }
}
