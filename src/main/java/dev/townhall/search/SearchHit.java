package dev.townhall.search;

import java.util.UUID;

/**
 * One result: what it is, its title, a snippet with the matched words (keyword: marked «like this»; semantic: the
 * passage that matched), its score (semantic: cosine similarity; keyword: full-text rank; hybrid: fused rank score),
 * the town that owns it and whether it reached the asker by sharing.
 */
public record SearchHit(SearchType type, UUID id, String title, String snippet, double score, String town, boolean shared) {
}
