package dev.townhall.code.internal;

import dev.townhall.code.CodeHit;
import dev.townhall.code.CodeKind;
import dev.townhall.code.CodeQuery;
import org.jdbi.v3.core.Handle;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Full-text search over the code tables' {@code search} columns (GIN-indexed), as search's KeywordQuery searches the
 * CRM: the query read by {@code websearch_to_tsquery} in English (stems, for prose) and 'simple' (words as written,
 * for identifiers), ranked by {@code ts_rank_cd}, the best {@code limit} given a snippet by {@code ts_headline} with
 * the matched words marked «so». Runs on the caller's handle, so row-level security decides what it sees; a
 * conversation the caller may not read leaves its rows without a repository (and so out of a repository filter).
 */
public final class KeywordSearch {
    private static final int TITLE_CHARS = 120;
    private static final int SNIPPET_CHARS = 240;
    /** ts_headline reads the whole text it is given; the first 200k characters hold any realistic match. */
    private static final int HEADLINE_INPUT_CHARS = 200_000;

    private KeywordSearch() {
    }

    public static List<CodeHit> run(Handle handle, CodeQuery query) {
        return handle.createQuery("""
                        WITH q AS (SELECT websearch_to_tsquery('english', :query) || websearch_to_tsquery('simple', :query) AS q),
                        matches AS (
                            SELECT 'message' AS kind, m.id, m.conversation_id, m.language, m.file_path,
                                   m.content AS title, m.content AS body,
                                   -- a message's words are unweighted (D): rank them as a block's code (B), not below it
                                   ts_rank_cd('{0.4, 0.2, 0.4, 1.0}', m.search, q.q) AS score, c.repository
                            FROM q JOIN code.messages m ON m.search @@ q.q
                            LEFT JOIN code.conversations c ON c.town_id = m.town_id AND c.id = m.conversation_id
                            WHERE 'message' = ANY (:kinds)
                            UNION ALL
                            SELECT 'block', b.id, b.conversation_id, b.language, b.file_path,
                                   coalesce(b.title, b.file_path, b.content), b.content, ts_rank_cd(b.search, q.q), c.repository
                            FROM q JOIN code.blocks b ON b.search @@ q.q
                            LEFT JOIN code.conversations c ON c.town_id = b.town_id AND c.id = b.conversation_id
                            WHERE 'block' = ANY (:kinds)
                            UNION ALL
                            -- a pattern belongs to the conversation of the message it was learned from
                            SELECT 'pattern', p.id, sm.conversation_id, p.language, NULL,
                                   p.pattern, concat_ws(E'\\n', p.pattern, p.example), ts_rank_cd(p.search, q.q), c.repository
                            FROM q JOIN code.learned_patterns p ON p.search @@ q.q
                            LEFT JOIN code.messages sm ON sm.town_id = p.town_id AND sm.id = p.source_message_id
                            LEFT JOIN code.conversations c ON c.town_id = sm.town_id AND c.id = sm.conversation_id
                            WHERE 'pattern' = ANY (:kinds)
                        ),
                        best AS (
                            SELECT * FROM matches
                            WHERE (CAST(:language AS text) IS NULL OR lower(language) = lower(CAST(:language AS text)))
                              AND (CAST(:repository AS text) IS NULL OR repository = CAST(:repository AS text))
                            ORDER BY score DESC, id
                            LIMIT :limit
                        )
                        SELECT b.kind, b.id, b.title, b.language, b.file_path, b.conversation_id, b.score,
                               ts_headline('english', left(b.body, :headlineChars), q.q,
                                           'StartSel=«, StopSel=», MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "')
                        FROM best b CROSS JOIN q
                        ORDER BY b.score DESC, b.id""")
                .bind("query", query.query())
                .bindArray("kinds", String.class, query.kinds().stream().map(CodeKind::hitKind).toList())
                .bind("language", query.language().orElse(null))
                .bind("repository", query.repository().orElse(null))
                .bind("limit", query.limit())
                .bind("headlineChars", HEADLINE_INPUT_CHARS)
                .map((rs, ctx) -> new CodeHit(CodeKind.ofHitKind(rs.getString("kind")), rs.getObject("id", UUID.class),
                        firstLine(rs.getString("title")), oneLine(rs.getString(8), SNIPPET_CHARS),
                        Optional.ofNullable(rs.getString("language")), Optional.ofNullable(rs.getString("file_path")),
                        Optional.ofNullable(rs.getObject("conversation_id", UUID.class)), rs.getDouble("score")))
                .list();
    }

    private static String firstLine(String text) {
        return text.lines().map(String::strip).filter(line -> !line.isEmpty()).findFirst()
                .map(line -> oneLine(line, TITLE_CHARS)).orElse("");
    }

    private static String oneLine(String text, int max) {
        String flat = text == null ? "" : text.replaceAll("\\s+", " ").strip();
        return flat.length() <= max ? flat : flat.substring(0, max - 1) + "…";
    }
}
