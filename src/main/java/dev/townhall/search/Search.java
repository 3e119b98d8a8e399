package dev.townhall.search;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.search.internal.KeywordQuery;
import dev.townhall.search.internal.ActingScope;
import dev.townhall.search.internal.Candidate;
import dev.townhall.search.internal.RankFusion;
import dev.townhall.search.internal.ResultRows;
import dev.townhall.search.internal.VectorQuery;
import dev.townhall.towns.TownContext;
import org.jdbi.v3.core.Handle;

import java.time.Duration;
import java.util.List;

/**
 * Semantic, keyword and hybrid search over what one user may read in one town. Every search runs in a
 * {@link TownContext} transaction as the application role, so row-level security decides what it can see; the
 * nearest-neighbour part reads only the embedding partitions of the towns the user may read, plus the shared-rows
 * indexes of the others, so a small town gets its full k results (decision #23). The CLI, the API and the MCP tools
 * all call this one class.
 */
public final class Search {
    private final EmbeddingProvider provider;

    private Search(EmbeddingProvider provider) {
        this.provider = provider;
    }

    /** A search that embeds queries with {@code provider}: the model whose vectors it compares against. */
    public static Search with(EmbeddingProvider provider) {
        return new Search(java.util.Objects.requireNonNull(provider, "provider"));
    }

    /** A search that needs no model (keyword mode only); a semantic or hybrid request is refused. */
    public static Search keywordOnly() {
        return new Search(null);
    }

    /** The hits of {@code request} for the user and town of {@code context}, best first. */
    public SearchResults search(TownContext context, SearchRequest request) {
        long start = System.nanoTime();
        float[] queryVector = request.mode() == SearchMode.KEYWORD ? null : embedQuery(request.query());
        List<SearchHit> hits = context.inTransaction(handle -> {
            ActingScope scope = ActingScope.read(handle, request.limit());
            List<Candidate> ranked = switch (request.mode()) {
                case SEMANTIC -> semantic(handle, scope, queryVector, request, request.limit());
                case KEYWORD -> KeywordQuery.run(handle, request.query(), request.types(), request.limit());
                case HYBRID -> RankFusion.fuse(List.of(
                        semantic(handle, scope, queryVector, request, RankFusion.depth(request.limit())),
                        KeywordQuery.run(handle, request.query(), request.types(), RankFusion.depth(request.limit()))),
                        request.limit());
            };
            return ResultRows.load(handle, ranked, request.query());
        });
        return new SearchResults(request, hits, queryVector == null ? "" : provider.model(),
                Duration.ofNanos(System.nanoTime() - start));
    }

    private List<Candidate> semantic(Handle handle, ActingScope scope, float[] vector, SearchRequest request, int limit) {
        return VectorQuery.nearest(handle, provider.model(), provider.dimensions(), vector, request.types(), limit,
                scope.readableTowns(), scope.actingTown(), scope.capital());
    }

    private float[] embedQuery(String query) {
        if (provider == null) {
            throw new TownHallException(ErrorCode.INVALID_INPUT, "mode: semantic and hybrid search need an embedding model");
        }
        if (provider.chunker().countTokens(query) > provider.maxInputTokens()) {
            throw new TownHallException(ErrorCode.INVALID_INPUT, "query: longer than the model's window of "
                    + provider.maxInputTokens() + " tokens; shorten it, or use --mode keyword");
        }
        return provider.embed(List.of(query)).get(0);
    }
}
