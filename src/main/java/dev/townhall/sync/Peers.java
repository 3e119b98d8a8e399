package dev.townhall.sync;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Database;
import dev.townhall.db.Endpoint;
import dev.townhall.sync.internal.SchemaVersions;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The peers of this database ({@code sync.peers}, maintained as the owner). A peer is another TownHall database at
 * the same migration version, reached as its owner; only host:port/database is stored, never credentials.
 */
public final class Peers {
    private static final Set<String> DIRECTIONS = Set.of("both", "push", "pull");
    private static final String COLUMNS =
            "id, name, role, node_id, endpoint, town_ids, include_shared, direction FROM sync.peers";

    private final Database db;

    private Peers(Database db) {
        this.db = db;
    }

    public static Peers of(Database db) {
        return new Peers(db);
    }

    /**
     * Connects to {@code peerOwner} (the URL's user must own that TownHall database), checks both are at the same
     * migration version, learns the peer's node id and lists it. {@code town}: a town replica holding only that town
     * (by slug) plus what is shared with it.
     */
    public Peer add(String name, Endpoint peerOwner, Optional<String> town, String direction) {
        if (!DIRECTIONS.contains(direction)) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, "direction", "direction is both, push or pull");
        }
        if (find(name).isPresent()) {
            throw TownHallException.forField(ErrorCode.CONFLICT, "name", "a peer called " + name + " exists already");
        }
        SchemaVersions.requireSame(db.owner(), peerOwner, name);
        UUID peerNode = nodeId(peerOwner);
        UUID localNode = nodeId(db.owner());
        if (peerNode.equals(localNode)) {
            throw new TownHallException(ErrorCode.CONFLICT, "peer " + name + " has this database's node id " + localNode
                    + ": one is a copy of the other; give the copy its own id (SELECT sync.renew_local_node() as its owner)");
        }
        list(db.owner(), name, peerNode, peerOwner.host() + ":" + peerOwner.port() + "/" + peerOwner.database(),
                town.map(slug -> Set.of(townId(slug))).orElse(Set.of()), direction);
        return get(name);
    }

    /**
     * Lists this database at the peer as {@code asName}, unless the peer lists it already, so the peer knows who
     * reads it and what this node may hold and write there: with {@code replicaOf}, a replica of that town. The
     * listing there has no address: this node's own agent syncs with the peer. Returns the name the peer lists us by.
     */
    public String registerAt(Endpoint peerOwner, String asName, Optional<String> replicaOf) {
        UUID local = nodeId(db.owner());
        Set<UUID> towns = replicaOf.map(slug -> Set.of(townId(slug))).orElse(Set.of());
        Optional<Peer> there = listingAt(peerOwner, local);
        if (there.isPresent()) {
            if (replicaOf.isPresent() && !there.get().townIds().equals(towns)) {
                throw TownHallException.forField(ErrorCode.CONFLICT, "replica_of", "the peer lists this node already, as "
                        + there.get().name() + " holding " + (there.get().townIds().isEmpty() ? "every town"
                        : "other towns") + "; change it there (./townhall sync remove-peer " + there.get().name()
                        + " on the peer) first");
            }
            return there.get().name();
        }
        list(peerOwner, asName, local, null, towns, "both");
        return asName;
    }

    /** Removes the peer's listing here, and how far it had read us (it no longer holds back pruning). */
    public Peer remove(String name) {
        Peer peer = get(name);
        try (Connection c = db.owner().connect()) {
            forget(c, peer.nodeId());
        } catch (SQLException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "cannot change sync.peers: " + e.getMessage(), e);
        }
        return peer;
    }

    /** Removes the peer's listing of this database, if it has one; returns whether it had. */
    public boolean deregisterAt(Endpoint peerOwner) {
        try (Connection c = peerOwner.connect()) {
            return forget(c, nodeId(db.owner())) > 0;
        } catch (SQLException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "cannot change sync.peers at " + peerOwner.describe() + ": "
                    + e.getMessage(), e);
        }
    }

    private static int forget(Connection c, UUID node) throws SQLException {
        try (PreparedStatement readers = c.prepareStatement("DELETE FROM sync.readers WHERE reader_node = ?");
             PreparedStatement peers = c.prepareStatement("DELETE FROM sync.peers WHERE node_id = ?")) {
            readers.setObject(1, node);
            readers.executeUpdate();
            peers.setObject(1, node);
            return peers.executeUpdate();
        }
    }

    private static void list(Endpoint owner, String name, UUID node, String endpoint, Set<UUID> towns, String direction) {
        try (Connection c = owner.connect(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO sync.peers (name, role, node_id, endpoint, town_ids, direction)
                VALUES (?, 'replica', ?, ?, ?, ?)""")) {
            ps.setString(1, name);
            ps.setObject(2, node);
            ps.setString(3, endpoint);
            ps.setArray(4, c.createArrayOf("uuid", towns.toArray(UUID[]::new)));
            ps.setString(5, direction);
            ps.executeUpdate();
        } catch (SQLException e) {
            if ("23514".equals(e.getSQLState()) && e.getMessage().contains("peers_name_check")) {
                throw TownHallException.forField(ErrorCode.INVALID_INPUT, "name",
                        "a peer name is lower-case letters, digits, '.', '_' or '-'");
            }
            if ("23505".equals(e.getSQLState()) && e.getMessage().contains("peers_name_key")) {
                throw TownHallException.forField(ErrorCode.CONFLICT, "name", "a peer called " + name + " exists already at "
                        + owner.describe());
            }
            if ("23505".equals(e.getSQLState())) {
                throw new TownHallException(ErrorCode.CONFLICT, "that database is already a peer of " + owner.describe()
                        + " (node " + node + ")");
            }
            throw new TownHallException(ErrorCode.INTERNAL, "cannot add peer " + name + ": " + e.getMessage(), e);
        }
    }

    public List<Peer> list() {
        return query(db.owner(), "SELECT " + COLUMNS + " ORDER BY name", null);
    }

    public Peer get(String name) {
        return find(name).orElseThrow(() -> TownHallException.forField(ErrorCode.NOT_FOUND, "name",
                "no peer called " + name + " (see ./townhall sync status)"));
    }

    public Optional<Peer> find(String name) {
        return query(db.owner(), "SELECT " + COLUMNS + " WHERE name = ?", name).stream().findFirst();
    }

    /** How the database at {@code owner} lists {@code node} among its own peers, if it does. */
    static Optional<Peer> listingAt(Endpoint owner, UUID node) {
        return query(owner, "SELECT " + COLUMNS + " WHERE node_id = ?", node).stream().findFirst();
    }

    /** A database's {@code sync.local_node_id()}, asked as its owner. */
    static UUID nodeId(Endpoint owner) {
        try (Connection c = owner.connect(); PreparedStatement ps = c.prepareStatement("SELECT sync.local_node_id()");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getObject(1, UUID.class);
        } catch (SQLException e) {
            throw new TownHallException(ErrorCode.CONFLICT, owner.describe()
                    + " is not a TownHall database this login owns (sync.local_node_id(): " + e.getMessage() + ")", e);
        }
    }

    private UUID townId(String slug) {
        try (Connection c = db.owner().connect();
             PreparedStatement ps = c.prepareStatement("SELECT id FROM core.towns WHERE slug = ?")) {
            ps.setString(1, slug);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw TownHallException.forField(ErrorCode.NOT_FOUND, "town", "no town " + slug);
                }
                UUID id = rs.getObject(1, UUID.class);
                if (rs.next()) {
                    throw TownHallException.forField(ErrorCode.INVALID_INPUT, "town",
                            "town " + slug + " exists in more than one organisation");
                }
                return id;
            }
        } catch (SQLException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "cannot look up town " + slug + ": " + e.getMessage(), e);
        }
    }

    private static List<Peer> query(Endpoint owner, String sql, Object key) {
        try (Connection c = owner.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (key != null) {
                ps.setObject(1, key);
            }
            List<Peer> peers = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    peers.add(new Peer(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                            rs.getObject(4, UUID.class), rs.getString(5), uuids(rs.getArray(6)), rs.getBoolean(7),
                            rs.getString(8)));
                }
            }
            return peers;
        } catch (SQLException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "cannot read sync.peers at " + owner.describe() + ": "
                    + e.getMessage(), e);
        }
    }

    private static Set<UUID> uuids(Array array) throws SQLException {
        return new HashSet<>(Arrays.asList((UUID[]) array.getArray()));
    }
}
