package dev.townhall.sync;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Database;
import dev.townhall.db.Endpoint;
import dev.townhall.sync.internal.ChangeReader;
import dev.townhall.sync.internal.FlowApplier;
import dev.townhall.sync.internal.SchemaVersions;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Function;

/**
 * Syncs this database with one peer, one run at a time: pull (the peer's changes applied here) and push (ours
 * applied there), each as a flow whose cursor, idempotency keys and parked changes live on the applying side,
 * keyed by the source's node id. Both databases are reached as their owner.
 */
public final class SyncAgent {
    /** Batches of 500 changes; a failing batch is tried 5 times (pauses 0.5, 1, 2, 4 s) before its failing change is parked. */
    public static final FlowApplier.Options DEFAULTS = new FlowApplier.Options(500, 5, Duration.ofMillis(500));

    private final Database db;
    private final FlowApplier.Options options;

    private SyncAgent(Database db, FlowApplier.Options options) {
        this.db = db;
        this.options = options;
    }

    public static SyncAgent of(Database db) {
        return new SyncAgent(db, DEFAULTS);
    }

    public static SyncAgent of(Database db, FlowApplier.Options options) {
        return new SyncAgent(db, options);
    }

    /**
     * Pulls from and pushes to the peer (as its direction says) until both logs are read up to their horizon; refused
     * between nodes at different migration versions or with different conflict policies.
     */
    public RunReport runOnce(Peer peer, Endpoint peerOwner) {
        Scope scope = Scope.of(peer, peerOwner, checkPeer(peer, peerOwner));
        Policies.requireSame(db.owner(), peerOwner, peer.name());
        FlowReport pulled = peer.pulls()
                ? new FlowApplier(peerOwner, db.owner(), peer.nodeId(), scope.sentToUs(), scope.peerMayWrite(), options).run()
                : FlowReport.NONE;
        FlowReport pushed = peer.pushes()
                ? new FlowApplier(db.owner(), peerOwner, scope.localNode(), scope.sentToPeer(), scope.weMayWrite(), options).run()
                : FlowReport.NONE;
        return new RunReport(peer.name(), pulled, pushed);
    }

    /**
     * Deletes our changes every peer has read and the applied-change keys that can never be read again (decision 44).
     * Our log is pruned below the lowest cursor the peers hold for our node in their {@code sync.peer_progress}; a
     * peer that cannot be reached, reaches another node or has no progress row for us yet blocks it, as does having
     * no peer at all: nothing has been acknowledged. Every peer counts, whatever its direction here: a pull-only
     * peer may still pull from us with its own agent. The newest change of each row per origin is always kept.
     */
    public PruneReport prune(List<Peer> peers, Function<Peer, Endpoint> endpoints) {
        long appliedKeys = pruneAppliedKeys(db.owner());
        if (peers.isEmpty()) {
            return new PruneReport(0, appliedKeys, Optional.of("no peers"));
        }
        UUID local = Peers.nodeId(db.owner());
        long lowest = Long.MAX_VALUE;
        for (Peer peer : peers) {
            OptionalLong acknowledged;
            try {
                acknowledged = acknowledged(peer, endpoints.apply(peer), local);
            } catch (TownHallException e) {
                return new PruneReport(0, appliedKeys, Optional.of("peer " + peer.name() + " cannot be asked: "
                        + e.getMessage().lines().findFirst().orElse("")));
            }
            if (acknowledged.isEmpty()) {
                return new PruneReport(0, appliedKeys, Optional.of("peer " + peer.name() + " has not read our changes yet"));
            }
            lowest = Math.min(lowest, acknowledged.getAsLong());
        }
        return new PruneReport(ChangeLog.of(db).prune(lowest), appliedKeys, Optional.empty());
    }

    /** The cursor the peer holds for our node, if it has read from us at all. */
    private static OptionalLong acknowledged(Peer peer, Endpoint peerOwner, UUID local) {
        if (peer.nodeId() == null || !peer.nodeId().equals(Peers.nodeId(peerOwner))) {
            throw new TownHallException(ErrorCode.CONFLICT, "its URL does not reach the node it was added as");
        }
        try (Connection c = peerOwner.connect();
             PreparedStatement ps = c.prepareStatement("SELECT cursor FROM sync.peer_progress WHERE source_node = ?")) {
            ps.setObject(1, local);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        } catch (SQLException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "cannot read sync progress at " + peerOwner.describe() + ": "
                    + e.getMessage(), e);
        }
    }

    private static long pruneAppliedKeys(Endpoint owner) {
        try (Connection c = owner.connect(); PreparedStatement ps = c.prepareStatement("SELECT sync.prune_applied_changes()");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "could not prune applied-change keys: " + e.getMessage(), e);
        }
    }

    /**
     * The state of both directions with the peer; queued counts include changes of transactions still running. A
     * peer that cannot be reached (or is not the node it was added as) gets the pull flow's progress kept here.
     */
    public PeerStatus status(Peer peer, Endpoint peerOwner) {
        Scope scope;
        try {
            scope = Scope.of(peer, peerOwner, checkPeer(peer, peerOwner));
        } catch (TownHallException e) {
            return new PeerStatus(peer.name(), flow(Optional.empty(), db.owner(), peer.nodeId(), null),
                    PeerStatus.Flow.UNKNOWN, Optional.of(e.getMessage().lines().findFirst().orElse("")));
        }
        return new PeerStatus(peer.name(),
                flow(Optional.of(peerOwner), db.owner(), peer.nodeId(), scope.sentToUs()),
                flow(Optional.of(db.owner()), peerOwner, scope.localNode(), scope.sentToPeer()), Optional.empty());
    }

    /** A flow's progress as its applying side {@code dest} records it, and its backlog if the source can be asked. */
    private static PeerStatus.Flow flow(Optional<Endpoint> source, Endpoint dest, UUID sourceNode, PeerFilter filter) {
        try (Connection c = dest.connect(); PreparedStatement ps = c.prepareStatement("""
                SELECT p.cursor, p.last_success_at, p.last_error,
                       (SELECT count(*) FROM sync.parked_changes k WHERE k.source_node = ?)
                FROM (SELECT ?::uuid AS node) n LEFT JOIN sync.peer_progress p ON p.source_node = n.node""")) {
            ps.setObject(1, sourceNode);
            ps.setObject(2, sourceNode);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long cursor = rs.getLong(1);
                Optional<ChangeReader.Backlog> backlog = source.map(s -> ChangeReader.backlog(s, cursor, filter));
                return new PeerStatus.Flow(
                        backlog.map(b -> OptionalLong.of(b.changes())).orElse(OptionalLong.empty()),
                        Optional.ofNullable(rs.getTimestamp(2)).map(Timestamp::toInstant),
                        backlog.map(ChangeReader.Backlog::oldest).map(oldest -> Duration.between(oldest, Instant.now())),
                        Optional.ofNullable(rs.getString(3)), OptionalLong.of(rs.getLong(4)));
            }
        } catch (SQLException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "cannot read sync progress at " + dest.describe() + ": "
                    + e.getMessage(), e);
        }
    }

    /** The URL reaches the database the peer was added as, at this database's migration version; returns our node id. */
    UUID checkPeer(Peer peer, Endpoint peerOwner) {
        if (peer.nodeId() == null) {
            throw new TownHallException(ErrorCode.CONFLICT, "peer " + peer.name()
                    + " was listed without a node id; remove it and add it again with ./townhall sync add-peer");
        }
        UUID there = Peers.nodeId(peerOwner);
        if (!there.equals(peer.nodeId())) {
            throw new TownHallException(ErrorCode.CONFLICT, "the URL of peer " + peer.name() + " reaches node " + there
                    + ", not the node " + peer.nodeId() + " it was added as");
        }
        SchemaVersions.requireSame(db.owner(), peerOwner, peer.name());
        return Peers.nodeId(db.owner());
    }
}
