package dev.townhall.search.internal;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reciprocal-rank fusion (Cormack et al., 2009): an entity scores the sum of 1 / (K + rank) over the lists it is in,
 * so agreement between meaning and words lifts a result, and neither list's raw scores (cosine vs. ts_rank, not
 * comparable) matter. The semantic passage of an entity is kept for its snippet.
 */
public final class RankFusion {
    /** The constant of the original paper; it damps the weight of the very first ranks. */
    public static final int K = 60;
    private static final int MIN_DEPTH = 30;

    private RankFusion() {
    }

    /** How deep each list is read to fuse {@code limit} results. */
    public static int depth(int limit) {
        return Math.max(MIN_DEPTH, 3 * limit);
    }

    public static List<Candidate> fuse(List<List<Candidate>> rankings, int limit) {
        Map<UUID, Candidate> byId = new LinkedHashMap<>();
        Map<UUID, Double> score = new LinkedHashMap<>();
        for (List<Candidate> ranking : rankings) {
            for (int rank = 0; rank < ranking.size(); rank++) {
                Candidate c = ranking.get(rank);
                score.merge(c.id(), 1.0 / (K + rank + 1), Double::sum);
                byId.merge(c.id(), c, (kept, other) -> kept.hasPassage() ? kept : other);
            }
        }
        return byId.values().stream()
                .map(c -> c.withScore(score.get(c.id())))
                .sorted(Comparator.comparingDouble(Candidate::score).reversed())
                .limit(limit)
                .toList();
    }
}
