package dev.townhall.sync;

import dev.townhall.db.Endpoint;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * What flows between this node and a peer, from both sides' listings of each other (decision 45). A side that lists
 * the other as a town replica ({@code sync add-peer --town}) sends it only that town plus what is shared with it, and
 * refuses its writes to rows of any other town. Both listings count whichever side runs the agent, so a laptop that
 * lists the primary without a town still receives only the town the primary lists it for.
 *
 * @param ours   this database's listing of the peer
 * @param theirs the peer's listing of this database, if it has one
 */
record Scope(Peer ours, Optional<Peer> theirs, UUID localNode) {
    static Scope of(Peer ours, Endpoint peerOwner, UUID localNode) {
        return new Scope(ours, Peers.listingAt(peerOwner, localNode), localNode);
    }

    /** The changes of our log the peer receives. */
    PeerFilter sentToPeer() {
        return new PeerFilter(Optional.of(ours.nodeId()), ours.townIds(), ours.includeShared());
    }

    /** The changes of the peer's log we receive. */
    PeerFilter sentToUs() {
        return theirs.map(t -> new PeerFilter(Optional.of(localNode), t.townIds(), t.includeShared()))
                .orElseGet(() -> new PeerFilter(Optional.of(localNode), Set.of(), true));
    }

    /** The towns whose rows the peer may write here; empty = any. */
    Set<UUID> peerMayWrite() {
        return ours.townIds();
    }

    /** The towns whose rows we may write at the peer; empty = any. */
    Set<UUID> weMayWrite() {
        return theirs.map(Peer::townIds).orElse(Set.of());
    }

    /** The rows both sides are meant to hold: those of the side listed as a town replica, or every row. */
    PeerFilter held() {
        return ours.townIds().isEmpty() ? sentToUs() : sentToPeer();
    }
}
