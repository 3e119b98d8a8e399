package dev.townhall.sync;

import java.util.Set;
import java.util.UUID;

/**
 * A row of {@code sync.peers}: another TownHall database this one syncs with.
 *
 * @param nodeId    the peer's {@code sync.local_node_id()}, learned when it was added
 * @param endpoint  host:port/database, never credentials
 * @param townIds   the towns the peer holds; empty = every town
 * @param direction both, push (only send to it) or pull (only take from it)
 */
public record Peer(UUID id, String name, String role, UUID nodeId, String endpoint, Set<UUID> townIds,
                   boolean includeShared, String direction) {
    public Peer {
        townIds = Set.copyOf(townIds);
    }

    public boolean pulls() {
        return !direction.equals("push");
    }

    public boolean pushes() {
        return !direction.equals("pull");
    }
}
