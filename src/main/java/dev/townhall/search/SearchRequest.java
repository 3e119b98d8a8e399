package dev.townhall.search;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;

import java.util.EnumSet;
import java.util.Set;

/**
 * One validated search: the query text, the types to look in, the mode and how many results. Every way a request can
 * be wrong is refused here, with one sentence naming the field, before anything touches the database.
 */
public record SearchRequest(String query, Set<SearchType> types, SearchMode mode, int limit) {
    public static final int MAX_QUERY_CHARS = 2_000;
    public static final int MAX_LIMIT = 100;
    public static final int DEFAULT_LIMIT = 10;

    public SearchRequest {
        if (query == null || query.isBlank()) {
            throw new TownHallException(ErrorCode.INVALID_INPUT, "query: the search text is empty");
        }
        if (query.length() > MAX_QUERY_CHARS) {
            throw new TownHallException(ErrorCode.INVALID_INPUT, "query: " + String.format("%,d", query.length())
                    + " characters; a search text holds at most " + String.format("%,d", MAX_QUERY_CHARS));
        }
        if (types == null || types.isEmpty()) {
            throw new TownHallException(ErrorCode.INVALID_INPUT, "types: name at least one type to search");
        }
        if (mode == null) {
            throw new TownHallException(ErrorCode.INVALID_INPUT, "mode: one of semantic, keyword, hybrid");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new TownHallException(ErrorCode.INVALID_INPUT, "limit: must be 1 to " + MAX_LIMIT + ", got " + limit);
        }
        query = query.strip();
        types = Set.copyOf(EnumSet.copyOf(types));
    }
}
