package dev.townhall.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.townhall.search.EmbeddingProvider;
import dev.townhall.search.EmbeddingProviders;
import dev.townhall.search.EmbeddingSettings;
import dev.townhall.search.Search;
import dev.townhall.search.SearchHit;
import dev.townhall.search.SearchMode;
import dev.townhall.search.SearchRequest;
import dev.townhall.search.SearchResults;
import dev.townhall.search.SearchType;
import dev.townhall.towns.Towns;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code ./townhall search "QUERY" --as USER@TOWN}: what that person finds, under row-level security. */
@Command(name = "search", description = {
        "Search what USER may read in TOWN: by meaning (semantic), by words (keyword) or both fused (hybrid, the default).",
        "Semantic results need embeddings: ./townhall embed makes them."})
final class SearchCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Mixin
    DatabaseOptions options;

    @Parameters(index = "0", paramLabel = "QUERY", description = "What to look for (quotes, or and -word work in keyword mode).")
    String query;

    @Option(names = "--as", required = true, paramLabel = "USER@TOWN", description = "Whose eyes to search with.")
    String actor;

    @Option(names = "--types", paramLabel = "T,…", description = "contacts, companies, deals, activities, messages,"
            + " knowledge, notes, transcripts (default: all).")
    String types;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "hybrid", description = "semantic, keyword or hybrid (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--limit", paramLabel = "K", defaultValue = "" + SearchRequest.DEFAULT_LIMIT, description = "Results, 1 to 100 (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--model", paramLabel = "M", description = "Embedding model to compare with (default: the configured one).")
    String model;

    @Option(names = "--json", description = "Print the results as JSON.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        SearchRequest request = new SearchRequest(query, SearchType.parseList(types), SearchMode.parse(mode), limit);
        Map<String, String> flags = new HashMap<>();
        if (model != null) {
            flags.put(EmbeddingSettings.Key.MODEL.confKey(), model);
        }
        SearchResults results;
        try (Towns towns = TownsCommand.open(options);
             EmbeddingProvider provider = request.mode() == SearchMode.KEYWORD && model == null ? null
                     : EmbeddingProviders.create(EmbeddingSettings.resolve(flags))) {
            results = provider == null ? Search.keywordOnly().search(towns.as(actor), request)
                    : Search.with(provider).search(towns.as(actor), request);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(JSON.writeValueAsString(results));
            return 0;
        }
        print(out, results, actor);
        return 0;
    }

    /** The hits as a table, then one line: how many, for whom, how, how long. */
    static void print(PrintWriter out, SearchResults results, String actor) {
        TextTable table = TextTable.of("#", "type", "title", "score", "town", "shared", "snippet");
        int rank = 1;
        for (SearchHit hit : results.hits()) {
            table.row(rank++, hit.type().label(), hit.title(), String.format(Locale.ROOT, "%.3f", hit.score()), hit.town(),
                    hit.shared() ? "yes" : "", hit.snippet());
        }
        table.print(out);
        out.printf(Locale.ROOT, "%d result%s for %s in %s mode%s, %.0f ms%n", results.hits().size(),
                results.hits().size() == 1 ? "" : "s", actor, results.request().mode().label(),
                results.model().isEmpty() ? "" : " (" + results.model() + ")", results.elapsed().toNanos() / 1e6);
        if (results.hits().isEmpty() && results.request().mode() != SearchMode.KEYWORD) {
            out.println("(semantic results need embeddings: ./townhall embed --town TOWN makes them)");
        }
    }
}
