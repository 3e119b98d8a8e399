package dev.townhall.records;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a list asks for: equality filters (column → value as text), a sort, where to continue (the cursor of the
 * previous page), how many rows, and which columns. Names are checked against the resource by
 * {@link Records#list}; this record checks only their form.
 */
public record ListQuery(Map<String, String> filters, Optional<Sort> sort, Optional<String> cursor, int limit,
                        Optional<List<String>> fields) {
    public static final int DEFAULT_LIMIT = 50, MAX_LIMIT = 500;

    static final String LIMIT = "limit", CURSOR = "cursor", SORT = "sort", FIELDS = "fields";

    public ListQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, LIMIT,
                    "limit must be 1 to " + MAX_LIMIT + ", got " + limit);
        }
        filters = Collections.unmodifiableMap(new LinkedHashMap<>(filters == null ? Map.of() : filters));
        sort = sort == null ? Optional.empty() : sort;
        cursor = cursor == null ? Optional.empty() : cursor.filter(c -> !c.isBlank());
        fields = fields == null ? Optional.empty() : fields.map(List::copyOf);
    }

    /** The first page of everything, in the default order, {@link #DEFAULT_LIMIT} rows. */
    public static ListQuery firstPage() {
        return new ListQuery(Map.of(), Optional.empty(), Optional.empty(), DEFAULT_LIMIT, Optional.empty());
    }

    /** The same query continued after {@code nextCursor}. */
    public ListQuery after(String nextCursor) {
        return new ListQuery(filters, sort, Optional.of(nextCursor), limit, fields);
    }

    /**
     * Reads URL query parameters: {@code limit}, {@code cursor}, {@code sort} and {@code fields} are reserved, every
     * other parameter is an equality filter. A parameter given twice, a limit that is not a number from 1 to
     * {@value #MAX_LIMIT}, or an empty sort, cursor or field list is refused naming the parameter.
     */
    public static ListQuery parse(Map<String, List<String>> queryParams) {
        int limit = DEFAULT_LIMIT;
        Optional<Sort> sort = Optional.empty();
        Optional<String> cursor = Optional.empty();
        Optional<List<String>> fields = Optional.empty();
        Map<String, String> filters = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> param : queryParams.entrySet()) {
            String name = param.getKey();
            String value = single(name, param.getValue());
            switch (name) {
                case LIMIT -> limit = parseLimit(value);
                case CURSOR -> cursor = Optional.of(nonBlank(CURSOR, value, "a cursor from a previous page's next_cursor"));
                case SORT -> sort = Optional.of(Sort.parse(nonBlank(SORT, value, "COLUMN or -COLUMN")));
                case FIELDS -> fields = Optional.of(parseFields(value));
                default -> filters.put(name, value);
            }
        }
        return new ListQuery(filters, sort, cursor, limit, fields);
    }

    private static String single(String name, List<String> values) {
        if (values == null || values.isEmpty()) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, name, "parameter '" + name + "' has no value");
        }
        if (values.size() > 1) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, name, "parameter '" + name + "' is given "
                    + values.size() + " times; give it once");
        }
        return values.get(0) == null ? "" : values.get(0);
    }

    private static int parseLimit(String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, LIMIT,
                    "limit must be a whole number from 1 to " + MAX_LIMIT + ", got '" + value + "'");
        }
    }

    private static String nonBlank(String name, String value, String expected) {
        if (value.isBlank()) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, name, name + " is empty; expected " + expected);
        }
        return value.strip();
    }

    private static List<String> parseFields(String value) {
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (String part : value.split(",", -1)) {
            if (part.isBlank()) {
                throw TownHallException.forField(ErrorCode.INVALID_INPUT, FIELDS,
                        "fields must be column names separated by commas, got '" + value + "'");
            }
            names.add(part.strip());
        }
        return new ArrayList<>(names);
    }
}
