package dev.townhall.sync;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Which changes a peer receives: never its own (no echo), and for a replica restricted to some towns only their rows,
 * plus rows shared with the whole organisation or with one of them when {@code includeShared}.
 *
 * @param townIds empty = every town (as {@code sync.peers.town_ids})
 */
public record PeerFilter(Optional<UUID> peerNode, Set<UUID> townIds, boolean includeShared) {
    public PeerFilter {
        townIds = Set.copyOf(townIds);
    }

    /** Every change, whatever its origin or town. */
    public static PeerFilter everything() {
        return new PeerFilter(Optional.empty(), Set.of(), true);
    }
}
