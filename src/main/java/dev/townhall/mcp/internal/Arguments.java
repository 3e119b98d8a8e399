package dev.townhall.mcp.internal;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reading a tool's arguments: each reader answers the value or throws INVALID_INPUT naming the argument, which the
 * runner turns into a tool error (the SDK's own input validation is off, so every call reaches the audit log).
 */
final class Arguments {
    private Arguments() {
    }

    static String text(Map<String, Object> args, String name) {
        if (!(args.get(name) instanceof String s) || s.isBlank()) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, name, name + " must be a non-empty string");
        }
        return s;
    }

    static List<String> textList(Map<String, Object> args, String name) {
        if (!(args.get(name) instanceof List<?> list) || list.isEmpty() || !list.stream().allMatch(String.class::isInstance)) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, name, name + " must be a non-empty list of strings");
        }
        return list.stream().map(String.class::cast).toList();
    }

    static int whole(Map<String, Object> args, String name) {
        if (!(args.get(name) instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
                || Math.abs(n.doubleValue()) > Integer.MAX_VALUE) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, name, name + " must be a whole number");
        }
        return n.intValue();
    }

    static UUID uuid(Map<String, Object> args, String name) {
        String s = text(args, name);
        try {
            return UUID.fromString(s.strip());
        } catch (IllegalArgumentException e) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, name, name + " must be a UUID, got '" + s + "'");
        }
    }

    /** {@code value} when it is one of {@code allowed}, else INVALID_INPUT listing them. */
    static String oneOf(Map<String, Object> args, String name, List<String> allowed) {
        String value = text(args, name);
        if (!allowed.contains(value)) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, name, name + " must be one of "
                    + String.join(", ", allowed) + ", got '" + value + "'");
        }
        return value;
    }

    /** A map keeping the order given (JSON schemas and answers read better in it). */
    @SuppressWarnings("unchecked")
    static <V> Map<String, V> orderedMap(Object... keysAndValues) {
        Map<String, V> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], (V) keysAndValues[i + 1]);
        }
        return map;
    }
}
