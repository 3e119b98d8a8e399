package dev.townhall.sync;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Database;
import dev.townhall.sync.internal.RowWriter;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The conflicts the sync agent kept on this database: listed, and resolved by hand as the owner. A resolution
 * writes the kept version into the row (an ordinary local write, so it syncs to the peers like any other), marks
 * the conflict resolved and audits it, all in one transaction.
 */
public final class Conflicts {
    /** Statuses a listing can ask for; "all" lists every one. */
    public static final Set<String> STATUSES = Set.of("decided", "needs_review", "resolved", "dismissed", "all");

    private final Database db;

    private Conflicts(Database db) {
        this.db = db;
    }

    public static Conflicts of(Database db) {
        return new Conflicts(db);
    }

    /** Conflicts with the given status ("all" for every one), of one peer or all, newest first. */
    public List<Conflict> list(Optional<String> peerName, String status) {
        if (!STATUSES.contains(status)) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, "status",
                    "status must be one of decided, needs_review, resolved, dismissed, all; got '" + status + "'");
        }
        UUID peer = peerName.map(name -> Peers.of(db).get(name).id()).orElse(null);
        try (Connection c = db.owner().connect(); PreparedStatement ps = c.prepareStatement("""
                SELECT c.id, c.table_name, c.row_id, c.detected_at, c.policy, c.winner, c.status, c.local_hlc,
                       c.remote_hlc, p.name
                FROM sync.conflicts c LEFT JOIN sync.peers p ON p.id = c.remote_peer_id
                WHERE (?::uuid IS NULL OR c.remote_peer_id = ?) AND (? = 'all' OR c.status = ?)
                ORDER BY c.detected_at DESC, c.id""")) {
            ps.setObject(1, peer);
            ps.setObject(2, peer);
            ps.setString(3, status);
            ps.setString(4, status);
            List<Conflict> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Conflict(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, UUID.class),
                            rs.getTimestamp(4).toInstant(), rs.getString(5), rs.getString(6), rs.getString(7),
                            rs.getString(8), rs.getString(9), Optional.ofNullable(rs.getString(10))));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "cannot list sync conflicts: " + e.getMessage(), e);
        }
    }

    /**
     * Writes the kept version ("local" or "remote", as recorded when the conflict was detected) into the row, marks
     * the conflict resolved with that winner and writes an audit row. A conflict is resolved by hand once.
     */
    public Conflict resolve(UUID id, String keep) {
        if (!keep.equals("local") && !keep.equals("remote")) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, "keep", "--keep must be local or remote, got '" + keep + "'");
        }
        try (Connection c = db.owner().connect()) {
            c.setAutoCommit(false);
            try {
                resolveIn(c, id, keep);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "cannot resolve sync conflict " + id + ": " + e.getMessage(), e);
        }
        return list(Optional.empty(), "all").stream().filter(conflict -> conflict.id().equals(id)).findFirst().orElseThrow();
    }

    private static void resolveIn(Connection c, UUID id, String keep) throws SQLException {
        String table;
        UUID rowId;
        String kept;
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT table_name, row_id, status, winner,
                       CASE WHEN jsonb_typeof(v.version) = 'null' THEN NULL ELSE v.version::text END
                FROM sync.conflicts,
                     LATERAL (SELECT CASE ? WHEN 'local' THEN local_version ELSE remote_version END AS version) v
                WHERE id = ? FOR UPDATE OF conflicts""")) {
            ps.setString(1, keep);
            ps.setObject(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw TownHallException.forField(ErrorCode.NOT_FOUND, "id", "no sync conflict " + id + " on this database");
                }
                if (rs.getString(3).equals("resolved") || rs.getString(3).equals("dismissed")) {
                    throw TownHallException.forField(ErrorCode.CONFLICT, "id", "sync conflict " + id + " is already "
                            + rs.getString(3) + " (kept " + rs.getString(4) + ")");
                }
                table = rs.getString(1);
                rowId = rs.getObject(2, UUID.class);
                kept = rs.getString(5);
            }
        }
        RowWriter.load(c, table).write(c, rowId, kept);
        try (PreparedStatement ps = c.prepareStatement("""
                WITH before AS (SELECT * FROM sync.conflicts WHERE id = ?),
                     resolved AS (UPDATE sync.conflicts SET status = 'resolved', winner = ?, resolved_at = now()
                                  WHERE id = ? RETURNING org_id, town_id, id, winner)
                INSERT INTO core.audit_log (org_id, town_id, actor, action, table_name, row_id, before_data, after_data)
                SELECT r.org_id, r.town_id, 'cli', 'sync.conflict.resolve', 'sync.conflicts', r.id,
                       jsonb_build_object('status', b.status, 'winner', b.winner),
                       jsonb_build_object('status', 'resolved', 'winner', r.winner, 'table', b.table_name,
                                          'row_id', b.row_id)
                FROM resolved r CROSS JOIN before b""")) {
            ps.setObject(1, id);
            ps.setString(2, keep);
            ps.setObject(3, id);
            ps.executeUpdate();
        }
    }
}
