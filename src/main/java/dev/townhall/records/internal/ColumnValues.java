package dev.townhall.records.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * JSON values to and from columns. A value travels as text in a bind parameter and is converted by an explicit
 * cast to the column's type in SQL, so PostgreSQL's own input rules decide what a timestamp, uuid or enum label
 * is, and nothing a caller sends is ever part of the SQL text.
 */
public final class ColumnValues {
    /** Decimals read as {@code BigDecimal}, so {@code numeric} values keep every digit. */
    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private ColumnValues() {
    }

    /** Refuses, naming {@code field}, a value whose JSON type does not fit the column (null always fits here). */
    public static void checkShape(ColumnShape column, Object value, String field) {
        if (value == null || column.kind() == ColumnShape.Kind.JSON) {
            return;
        }
        if (column.kind() == ColumnShape.Kind.ARRAY) {
            if (!(value instanceof List<?> list)) {
                throw wrongType(column, field, "an array", value);
            }
            for (Object element : list) {
                if (element != null && !fits(column.elementKind(), element)) {
                    throw wrongType(column, field, "an array of " + describe(column.elementKind()), value);
                }
            }
            return;
        }
        if (!fits(column.kind(), value)) {
            throw wrongType(column, field, describe(column.kind()), value);
        }
    }

    /** The text to bind for a value that passed {@link #checkShape}; null for null. */
    public static String bindText(ColumnShape column, Object value) {
        if (value == null) {
            return null;
        }
        if (column.kind() == ColumnShape.Kind.JSON || column.kind() == ColumnShape.Kind.ARRAY) {
            try {
                return JSON.writeValueAsString(value);
            } catch (JsonProcessingException e) {
                throw new TownHallException(ErrorCode.INVALID_INPUT, column.name() + ": not JSON: " + e.getOriginalMessage(), e);
            }
        }
        return scalarText(value);
    }

    /** SQL that turns the text in bind parameter {@code :param} into a value of the column's type. */
    public static String expression(ColumnShape column, String param) {
        if (column.kind() == ColumnShape.Kind.ARRAY) {
            // a JSON array becomes a text[] in element order, then one cast gives each element the column's type
            return "CAST(ARRAY(SELECT e FROM jsonb_array_elements_text(CAST(:" + param + " AS jsonb)) WITH ORDINALITY x(e, n)"
                    + " ORDER BY n) AS " + column.castType() + ")";
        }
        return "CAST(:" + param + " AS " + column.castType() + ")";
    }

    private static boolean fits(ColumnShape.Kind kind, Object value) {
        return switch (kind) {
            case TEXT -> value instanceof String;
            case NUMBER -> value instanceof Number;
            case BOOLEAN -> value instanceof Boolean;
            case JSON -> true;
            case ARRAY -> false; // arrays of arrays are not offered
        };
    }

    private static String scalarText(Object value) {
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        if (value instanceof Double || value instanceof Float) {
            return new BigDecimal(value.toString()).toPlainString();
        }
        if (value instanceof Number || value instanceof Boolean || value instanceof String || value instanceof BigInteger) {
            return value.toString();
        }
        throw new IllegalArgumentException("not a JSON scalar: " + value.getClass().getName());
    }

    private static String describe(ColumnShape.Kind kind) {
        return switch (kind) {
            case TEXT -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "true or false";
            case JSON -> "any JSON value";
            case ARRAY -> "an array";
        };
    }

    private static TownHallException wrongType(ColumnShape column, String field, String expected, Object value) {
        return TownHallException.forField(ErrorCode.INVALID_INPUT, field, field + " must be " + expected + " ("
                + column.declaredType() + "), got " + jsonType(value));
    }

    private static String jsonType(Object value) {
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof Number) {
            return "a number";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        if (value instanceof List<?>) {
            return "an array";
        }
        if (value instanceof Map<?, ?>) {
            return "an object";
        }
        return value.getClass().getSimpleName();
    }
}
