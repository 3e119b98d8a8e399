package dev.townhall.sync.internal;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Endpoint;
import dev.townhall.sync.Batch;
import dev.townhall.sync.Change;
import dev.townhall.sync.PeerFilter;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** The SQL behind {@link dev.townhall.sync.ChangeLog}: one REPEATABLE READ, read-only transaction per batch. */
public final class ChangeReader {
    /** Every transaction below this is over (committed or rolled back) and, if committed, visible to the snapshot. */
    private static final String HORIZON = "SELECT pg_snapshot_xmin(pg_current_snapshot())::text";

    /** The changes of transactions in [lo, hi) a peer receives; parameters lo, hi, peer node, towns, shared. */
    private static final String SELECTED = """
            WITH p AS (SELECT ?::text::xid8 AS lo, ?::text::xid8 AS hi, ?::uuid AS peer,
                              ?::uuid[] AS towns, ?::boolean AS shared)
            %s
            FROM sync.changes c, p
            WHERE c.txid >= p.lo AND c.txid < p.hi
              AND (p.peer IS NULL OR c.origin_node <> p.peer)
              AND """ + heldByPeer("c") + """

            %s""";

    /**
     * Whether the row (or change) {@code alias} is one the peer holds: every row, or for a town replica its towns'
     * rows plus those shared with the whole organisation or one of its towns; needs {@code p.towns} and {@code p.shared}.
     */
    static String heldByPeer(String alias) {
        return """
                (cardinality(p.towns) = 0 OR %1$s.town_id = ANY (p.towns)
                 OR (p.shared AND %1$s.visibility = 'shared' AND (%1$s.shared_with = '{}' OR %1$s.shared_with && p.towns)))"""
                .formatted(alias);
    }

    private static final String CHANGES = SELECTED.formatted("""
            SELECT c.id, c.txid::text, c.hlc, c.origin_node, c.table_name, c.row_id, c.org_id, c.town_id,
                   c.visibility::text, c.shared_with, c.operation, c.row_data::text,
                   c.writer_town_id, c.base_hlc""", "ORDER BY c.txid, c.id LIMIT ?");

    private static final String COUNT = SELECTED.formatted("""
            SELECT count(*) FILTER (WHERE c.txid < pg_snapshot_xmin(pg_current_snapshot())),
                   count(*) FILTER (WHERE c.txid >= pg_snapshot_xmin(pg_current_snapshot())), min(c.created_at)""", "");

    private static final String PRUNE = "SELECT sync.prune_changes(?::text::xid8)";

    private ChangeReader() {
    }

    public static Batch read(Endpoint owner, long after, int maxRows, PeerFilter filter) {
        if (maxRows < 1) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, "max_rows", "read at least one change per batch");
        }
        if (after < 0) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, "after", "a cursor is never negative");
        }
        try (Connection c = owner.connect()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try {
                long horizon;
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(HORIZON)) {
                    rs.next();
                    horizon = Long.parseLong(rs.getString(1));
                }
                Batch batch = cutAtTransaction(c, after, Math.max(after, horizon), maxRows, filter);
                c.commit();
                return batch;
            } finally {
                if (!c.getAutoCommit()) {
                    c.rollback();
                }
            }
        } catch (SQLException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "could not read the sync change log: " + e.getMessage(), e);
        }
    }

    /**
     * Up to {@code maxRows} changes, cut where a transaction begins: the rows of the first transaction that does not
     * fit are left for the next batch, whose cursor starts at it. A first transaction that alone exceeds the limit is
     * returned whole.
     */
    private static Batch cutAtTransaction(Connection c, long after, long horizon, int maxRows, PeerFilter filter)
            throws SQLException {
        List<Change> rows = query(c, after, horizon, maxRows + 1, filter);
        if (rows.size() <= maxRows) {
            return new Batch(rows, horizon);
        }
        long cut = rows.get(maxRows).txid();
        if (rows.get(0).txid() == cut) {
            return new Batch(query(c, cut, cut + 1, null, filter), cut + 1);
        }
        return new Batch(rows.stream().filter(r -> r.txid() < cut).toList(), cut);
    }

    /**
     * How many changes a peer has not yet received past {@code after} (committed or still running), and when the
     * oldest of them was written (null when none): the queue and lag of {@code sync status}.
     */
    public static Backlog backlog(Endpoint owner, long after, PeerFilter filter) {
        try (Connection c = owner.connect(); PreparedStatement ps = c.prepareStatement(COUNT)) {
            bindFilter(c, ps, after, Long.MAX_VALUE, filter);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                java.sql.Timestamp oldest = rs.getTimestamp(3);
                return new Backlog(rs.getLong(1), rs.getLong(2), oldest == null ? null : oldest.toInstant());
            }
        } catch (SQLException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "could not count the sync change log: " + e.getMessage(), e);
        }
    }

    /**
     * Changes waiting for a peer: readable now, and in flight (committed behind a transaction still running on the
     * source, read once it ends); and when the oldest was written (null when none).
     */
    public record Backlog(long changes, long inFlight, java.time.Instant oldest) {
    }

    private static void bindFilter(Connection c, PreparedStatement ps, long lo, long hi, PeerFilter filter)
            throws SQLException {
        ps.setString(1, Long.toString(lo));
        ps.setString(2, Long.toString(hi));
        ps.setObject(3, filter.peerNode().orElse(null), Types.OTHER);
        ps.setArray(4, c.createArrayOf("uuid", filter.townIds().toArray(UUID[]::new)));
        ps.setBoolean(5, filter.includeShared());
    }

    private static List<Change> query(Connection c, long lo, long hi, Integer limit, PeerFilter filter)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(CHANGES)) {
            bindFilter(c, ps, lo, hi, filter);
            if (limit == null) {
                ps.setNull(6, Types.INTEGER);
            } else {
                ps.setInt(6, limit);
            }
            List<Change> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Change(rs.getLong(1), Long.parseLong(rs.getString(2)), rs.getLong(3),
                            rs.getObject(4, UUID.class), rs.getString(5), rs.getObject(6, UUID.class),
                            rs.getObject(7, UUID.class), rs.getObject(8, UUID.class), rs.getString(9),
                            uuids(rs.getArray(10)), rs.getString(11), rs.getString(12),
                            rs.getObject(13, UUID.class), rs.getObject(14, Long.class)));
                }
            }
            return out;
        }
    }

    private static List<UUID> uuids(Array array) throws SQLException {
        return Arrays.asList((UUID[]) array.getArray());
    }

    public static long prune(Endpoint owner, long before) {
        try (Connection c = owner.connect(); PreparedStatement ps = c.prepareStatement(PRUNE)) {
            ps.setString(1, Long.toString(before));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "could not prune the sync change log: " + e.getMessage(), e);
        }
    }
}
