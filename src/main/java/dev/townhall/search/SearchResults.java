package dev.townhall.search;

import java.time.Duration;
import java.util.List;

/** The hits of one search, best first, with the model that ranked them by meaning (empty for keyword search). */
public record SearchResults(SearchRequest request, List<SearchHit> hits, String model, Duration elapsed) {
}
