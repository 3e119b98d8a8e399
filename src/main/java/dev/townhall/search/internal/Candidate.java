package dev.townhall.search.internal;

import dev.townhall.search.SearchType;

import java.util.UUID;

/**
 * A ranked match before its row is read: which entity, how well it matched, and (semantic) which passage of its
 * text matched, as character offsets into the embedded text.
 */
public record Candidate(SearchType type, UUID id, double score, int passageStart, int passageEnd) {
    /** A keyword match: the snippet comes from the full text, not from a passage. */
    public static Candidate whole(SearchType type, UUID id, double score) {
        return new Candidate(type, id, score, -1, -1);
    }

    public boolean hasPassage() {
        return passageStart >= 0;
    }

    public Candidate withScore(double newScore) {
        return new Candidate(type, id, newScore, passageStart, passageEnd);
    }
}
