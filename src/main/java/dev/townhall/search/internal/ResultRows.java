package dev.townhall.search.internal;

import dev.townhall.search.SearchHit;
import dev.townhall.search.SearchType;
import org.jdbi.v3.core.Handle;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reads the rows behind ranked candidates, through {@code memory.search_documents} and so under row-level security:
 * a candidate the user may not read (a vector that has not yet caught up with a sharing change) is dropped here.
 * Adds the title, the owning town, whether the row is shared, and a snippet: {@code ts_headline} with the query's
 * words marked «so», taken from the passage that matched (semantic hits) or the whole text (keyword hits); a passage
 * that shares no word with the query shows its beginning.
 */
public final class ResultRows {
    private static final int SNIPPET_CHARS = 240;
    /** ts_headline reads the whole text it is given; the first 200k characters hold any realistic match. */
    private static final int HEADLINE_INPUT_CHARS = 200_000;

    private ResultRows() {
    }

    private record Row(String title, String snippet, String town, boolean shared) {
    }

    public static List<SearchHit> load(Handle handle, List<Candidate> ranked, String query) {
        if (ranked.isEmpty()) {
            return List.of();
        }
        Map<UUID, Row> rows = new HashMap<>();
        handle.createQuery("""
                        WITH q AS (SELECT %s AS q)
                        SELECT d.entity_id, d.title, d.town_id, t.slug, d.visibility = 'shared',
                               ts_headline('english',
                                           CASE WHEN c.passage_start >= 0
                                                THEN substr(d.body, c.passage_start + 1, c.passage_end - c.passage_start)
                                                ELSE left(d.body, :headlineChars) END,
                                           q.q, 'StartSel=«, StopSel=», MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "')
                        FROM unnest(:types, :ids, :starts, :ends) AS c (entity_type, entity_id, passage_start, passage_end)
                        JOIN memory.search_documents d ON d.entity_type = c.entity_type AND d.entity_id = c.entity_id
                        LEFT JOIN core.towns t ON t.id = d.town_id
                        CROSS JOIN q""".formatted(KeywordQuery.TSQUERY))
                .bind("query", query).bind("headlineChars", HEADLINE_INPUT_CHARS)
                .bindArray("types", String.class, ranked.stream().map(c -> c.type().entityType()).toList())
                .bindArray("ids", UUID.class, ranked.stream().map(Candidate::id).toList())
                .bindArray("starts", Integer.class, ranked.stream().map(Candidate::passageStart).toList())
                .bindArray("ends", Integer.class, ranked.stream().map(Candidate::passageEnd).toList())
                .map((rs, ctx) -> Map.entry(rs.getObject(1, UUID.class), new Row(rs.getString(2), rs.getString(6),
                        rs.getString(4) != null ? rs.getString(4) : rs.getString(3), rs.getBoolean(5))))
                .forEach(e -> rows.put(e.getKey(), e.getValue()));
        List<SearchHit> hits = new ArrayList<>();
        for (Candidate c : ranked) {
            Row row = rows.get(c.id());
            if (row != null) {
                hits.add(new SearchHit(c.type(), c.id(), oneLine(row.title(), SNIPPET_CHARS), oneLine(row.snippet(), SNIPPET_CHARS),
                        c.score(), row.town(), row.shared()));
            }
        }
        return hits;
    }

    private static String oneLine(String text, int max) {
        if (text == null) {
            return "";
        }
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() <= max ? flat : flat.substring(0, max - 1) + "…";
    }
}
