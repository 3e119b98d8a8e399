package dev.townhall.sync;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** The changes from other nodes the agent set aside on this database, for people to look at (as the owner). */
public final class ParkedChanges {
    public static final Set<String> REASONS = Set.of("clock_skew", "not_permitted", "apply_error");

    private final Database db;

    private ParkedChanges(Database db) {
        this.db = db;
    }

    public static ParkedChanges of(Database db) {
        return new ParkedChanges(db);
    }

    /** Parked changes from one peer or all, of one reason or all, oldest first. */
    public List<ParkedChange> list(Optional<String> peerName, Optional<String> reason) {
        if (reason.isPresent() && !REASONS.contains(reason.get())) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, "reason",
                    "reason is clock_skew, not_permitted or apply_error; got '" + reason.get() + "'");
        }
        UUID node = peerName.map(name -> Peers.of(db).get(name).nodeId()).orElse(null);
        try (Connection c = db.owner().connect(); PreparedStatement ps = c.prepareStatement("""
                SELECT coalesce(p.name, k.source_node::text), k.change_id, k.table_name, k.row_id, k.operation,
                       k.reason, k.last_error, k.retry_count, k.parked_at
                FROM sync.parked_changes k LEFT JOIN sync.peers p ON p.node_id = k.source_node
                WHERE (?::uuid IS NULL OR k.source_node = ?) AND (?::text IS NULL OR k.reason = ?)
                ORDER BY k.parked_at, k.source_node, k.change_id""")) {
            ps.setObject(1, node);
            ps.setObject(2, node);
            ps.setString(3, reason.orElse(null));
            ps.setString(4, reason.orElse(null));
            List<ParkedChange> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ParkedChange(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getObject(4, UUID.class),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getInt(8),
                            rs.getTimestamp(9).toInstant()));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "cannot list parked sync changes: " + e.getMessage(), e);
        }
    }
}
