package dev.townhall.search.internal;

import dev.townhall.search.SearchType;
import org.jdbi.v3.core.Handle;

import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Full-text search over {@code memory.search_documents}: the {@code search} tsvector columns of the searchable
 * tables (GIN-indexed), matched with {@code websearch_to_tsquery} (quotes, {@code or}, {@code -word} work as people
 * expect) and ranked by {@code ts_rank_cd}. Names are indexed without stemming ('simple') and prose with English
 * stemming, so the query is matched in both forms.
 */
public final class KeywordQuery {
    /**
     * The query as full text, bound as {@code :query}: English stems for prose, 'simple' words for names. Snippets
     * ({@link ResultRows}) mark the same words.
     */
    static final String TSQUERY = "websearch_to_tsquery('english', :query) || websearch_to_tsquery('simple', :query)";

    private KeywordQuery() {
    }

    public static List<Candidate> run(Handle handle, String query, Set<SearchType> types, int limit) {
        return handle.createQuery("""
                        WITH q AS (SELECT %s AS q)
                        SELECT d.entity_type, d.entity_id, ts_rank_cd(d.search, q.q) AS rank
                        FROM memory.search_documents d, q
                        WHERE d.entity_type = ANY (:types) AND d.search @@ q.q
                        ORDER BY rank DESC, d.entity_id
                        LIMIT :limit""".formatted(TSQUERY))
                .bind("query", query).bindArray("types", String.class, types.stream().map(SearchType::entityType).toList())
                .bind("limit", limit)
                .map((rs, ctx) -> Candidate.whole(SearchType.ofEntityType(rs.getString(1)), rs.getObject(2, UUID.class),
                        rs.getDouble(3)))
                .list();
    }
}
