package dev.townhall.search;

import dev.townhall.towns.Town;
import dev.townhall.towns.Towns;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the demo embeds and asks. A short demo embeds the small towns whole and, in the capital, the kinds of rows
 * people search first (knowledge, notes, deals); the bulk of the imported rows (activities, companies, contacts,
 * chat history, long transcripts) stays queued for {@code ./townhall embed}, and the demo says how much.
 */
public final class SampleSearches {
    /** One example: who asks, what, where, how. */
    public record Example(String actor, String query, Set<SearchType> types, SearchMode mode) {
        public SearchRequest request() {
            return new SearchRequest(query, types, mode, LIMIT);
        }
    }

    public static final int LIMIT = 4;
    private static final String CAPITAL = "aurora";
    private static final Set<SearchType> CAPITAL_FIRST = EnumSet.of(SearchType.KNOWLEDGE, SearchType.NOTES, SearchType.DEALS);

    public static final List<Example> EXAMPLES = List.of(
            new Example("allan@aurora", "enterprise deal stuck in negotiation", EnumSet.of(SearchType.DEALS, SearchType.KNOWLEDGE),
                    SearchMode.SEMANTIC),
            new Example("kristina@fluenti", "how do the other towns work", EnumSet.allOf(SearchType.class), SearchMode.HYBRID),
            new Example("andre@collaboration", "studio partner", EnumSet.allOf(SearchType.class), SearchMode.HYBRID));

    /** What the demo embedded, and what it left queued per entity type. */
    public record DemoEmbedding(EmbedReport embedded, Map<String, Long> leftQueued) {
    }

    private SampleSearches() {
    }

    /** Embeds the demo's share (see the class comment) and counts what stays queued. */
    public static DemoEmbedding embedDemo(Towns towns, EmbeddingWorker worker) {
        List<Town> small = towns.towns().stream().filter(t -> !t.slug().equals(CAPITAL)).toList();
        EmbedReport smallTowns = worker.run(small, EmbeddingWorker.entityTypes(List.of()));
        EmbedReport capital = worker.run(List.of(towns.town(CAPITAL)),
                CAPITAL_FIRST.stream().map(SearchType::entityType).toList());
        return new DemoEmbedding(smallTowns.plus(capital), worker.queued(towns.towns()));
    }
}
