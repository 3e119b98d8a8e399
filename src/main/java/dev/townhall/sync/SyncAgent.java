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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
        FlowReport pulled = FlowReport.NONE;
        if (peer.pulls()) {
            pulled = new FlowApplier(peerOwner, db.owner(), peer.nodeId(), scope.sentToUs(), scope.peerMayWrite(),
                    options).run();
            acknowledge(peerOwner, db.owner(), peer.nodeId(), scope.localNode());
        }
        FlowReport pushed = FlowReport.NONE;
        if (peer.pushes()) {
            pushed = new FlowApplier(db.owner(), peerOwner, scope.localNode(), scope.sentToPeer(), scope.weMayWrite(),
                    options).run();
            acknowledge(db.owner(), peerOwner, scope.localNode(), peer.nodeId());
        }
        return new RunReport(peer.name(), pulled, pushed);
    }

    /**
     * Deletes our changes every reader has read and the applied-change keys that can never be read again (decisions
     * 44, 47). Our log is pruned below the lowest cursor in {@code sync.readers}: how far each node that reads us
     * (listed here or not) has got, recorded here by whichever agent ran the flow, so no peer needs to be reachable.
     * A listed peer that has not read us yet blocks it, as does having neither peers nor readers: nothing has been
     * acknowledged. Every peer counts, whatever its direction here: a pull-only peer may still pull from us with its
     * own agent. The newest change of each row per origin is always kept.
     */
    public PruneReport prune(List<Peer> peers) {
        long appliedKeys = pruneAppliedKeys(db.owner());
        Map<UUID, Long> readers = readers(db.owner());
        if (peers.isEmpty() && readers.isEmpty()) {
            return new PruneReport(0, appliedKeys, Optional.of("no peers"));
        }
        for (Peer peer : peers) {
            if (!readers.containsKey(peer.nodeId())) {
                return new PruneReport(0, appliedKeys, Optional.of("peer " + peer.name() + " has not read our changes yet"));
            }
        }
        long lowest = readers.values().stream().mapToLong(Long::longValue).min().orElseThrow();
        return new PruneReport(ChangeLog.of(db).prune(lowest), appliedKeys, Optional.empty());
    }

    /** Records at the source how far the destination has read its log: the flow's cursor kept at the destination. */
    private static void acknowledge(Endpoint source, Endpoint dest, UUID sourceNode, UUID destNode) {
        long cursor;
        try (Connection c = dest.connect();
             PreparedStatement ps = c.prepareStatement("SELECT cursor FROM sync.peer_progress WHERE source_node = ?")) {
            ps.setObject(1, sourceNode);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return;
                }
                cursor = rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "cannot read sync progress at " + dest.describe() + ": "
                    + e.getMessage(), e);
        }
        try (Connection c = source.connect(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO sync.readers (reader_node, cursor) VALUES (?, ?)
                ON CONFLICT (reader_node) DO UPDATE SET cursor = EXCLUDED.cursor, read_at = now()""")) {
            ps.setObject(1, destNode);
            ps.setLong(2, cursor);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "cannot record sync progress at " + source.describe() + ": "
                    + e.getMessage(), e);
        }
    }

    private static Map<UUID, Long> readers(Endpoint owner) {
        try (Connection c = owner.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT reader_node, cursor FROM sync.readers"); ResultSet rs = ps.executeQuery()) {
            Map<UUID, Long> readers = new HashMap<>();
            while (rs.next()) {
                readers.put(rs.getObject(1, UUID.class), rs.getLong(2));
            }
            return readers;
        } catch (SQLException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "cannot read sync.readers: " + e.getMessage(), e);
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
     * The state of both directions with the peer. A peer that cannot be reached (no URL here, down, or not the node
     * it was added as) gets the pull flow's progress kept here.
     */
    public PeerStatus status(Peer peer, Optional<Endpoint> url) {
        if (url.isEmpty()) {
            return unreachable(peer, "no URL here: it syncs with us by its own agent");
        }
        Endpoint peerOwner = url.get();
        Scope scope;
        try {
            scope = Scope.of(peer, peerOwner, checkPeer(peer, peerOwner));
        } catch (TownHallException e) {
            return unreachable(peer, e.getMessage().lines().findFirst().orElse(""));
        }
        return new PeerStatus(peer.name(),
                flow(Optional.of(peerOwner), db.owner(), peer.nodeId(), scope.sentToUs()),
                flow(Optional.of(db.owner()), peerOwner, scope.localNode(), scope.sentToPeer()), Optional.empty());
    }

    private PeerStatus unreachable(Peer peer, String why) {
        return new PeerStatus(peer.name(), flow(Optional.empty(), db.owner(), peer.nodeId(), null),
                PeerStatus.Flow.UNKNOWN, Optional.of(why));
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
                        backlog.map(b -> OptionalLong.of(b.inFlight())).orElse(OptionalLong.empty()),
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
