package dev.townhall.code;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.search.SearchRequest;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * One validated code memory search: the words to look for (web-search syntax: quotes, {@code or}, {@code -word}), the
 * kinds to look in, optionally only rows of one language or of conversations about one repository, and how many
 * hits. Every way it can be wrong is refused here, naming the field, before anything touches the database.
 */
public record CodeQuery(String query, Set<CodeKind> kinds, Optional<String> language, Optional<String> repository,
                        int limit) {
    public static final int MAX_QUERY_CHARS = SearchRequest.MAX_QUERY_CHARS;
    public static final int MAX_LIMIT = 50;
    public static final int DEFAULT_LIMIT = 10;

    public CodeQuery {
        if (query == null || query.isBlank()) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, "query", "query must be non-empty text");
        }
        if (query.length() > MAX_QUERY_CHARS) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, "query", "query holds at most "
                    + String.format("%,d", MAX_QUERY_CHARS) + " characters, got " + String.format("%,d", query.length()));
        }
        if (kinds == null || kinds.isEmpty()) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, "kinds", "kinds must name at least one of"
                    + " messages, blocks, patterns");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, "limit", "limit must be 1 to " + MAX_LIMIT
                    + ", got " + limit);
        }
        query = query.strip();
        kinds = Set.copyOf(EnumSet.copyOf(kinds));
        language = Text.present(language);
        repository = Text.present(repository);
    }

    /** Every kind, any language and repository, the default number of hits. */
    public static CodeQuery of(String query) {
        return new CodeQuery(query, EnumSet.allOf(CodeKind.class), Optional.empty(), Optional.empty(), DEFAULT_LIMIT);
    }
}
