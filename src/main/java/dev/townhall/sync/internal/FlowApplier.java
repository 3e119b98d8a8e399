package dev.townhall.sync.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Endpoint;
import dev.townhall.db.Identifiers;
import dev.townhall.sync.Batch;
import dev.townhall.sync.Change;
import dev.townhall.sync.FlowReport;
import dev.townhall.sync.PeerFilter;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * One flow: the changes of a source database's log applied to a destination, both reached as their owner. Each
 * batch is applied in one destination transaction that also moves the source's cursor in
 * {@code sync.peer_progress} and records every change in {@code sync.applied_changes}, so a batch is applied
 * exactly once however often it is read. A failing batch is rolled back and retried with exponential backoff;
 * after {@code maxAttempts} the change that failed is parked (it blocks nothing else) and retried after every run.
 */
public final class FlowApplier {
    /** How many changes per batch, how often a failing batch is tried before its failing change is parked, the first pause. */
    public record Options(int batchRows, int maxAttempts, Duration firstBackoff) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Endpoint source;
    private final Endpoint dest;
    private final UUID sourceNode;
    private final PeerFilter filter;
    private final Set<UUID> sourceMayWrite;
    private final Options options;
    private final Map<String, RowWriter> writers = new HashMap<>();

    /** {@code sourceMayWrite}: the towns whose rows a town replica source may write here; empty = any. */
    public FlowApplier(Endpoint source, Endpoint dest, UUID sourceNode, PeerFilter filter, Set<UUID> sourceMayWrite,
                       Options options) {
        this.source = source;
        this.dest = dest;
        this.sourceNode = sourceNode;
        this.filter = filter;
        this.sourceMayWrite = Set.copyOf(sourceMayWrite);
        this.options = options;
    }

    private enum Outcome { APPLIED, CONFLICT, PARKED, SKIPPED }

    private static final class ApplyFailure extends Exception {
        final Change change;

        ApplyFailure(Change change, SQLException cause) {
            super(change.table() + " " + change.rowId() + " (change " + change.id() + ", " + change.operation() + "): "
                    + firstLine(cause.getMessage()), cause);
            this.change = change;
        }
    }

    public FlowReport run() {
        int read = 0;
        int[] counts = new int[Outcome.values().length];
        long cursor = cursor();
        while (true) {
            Batch batch = ChangeReader.read(source, cursor, options.batchRows(), filter);
            if (batch.changes().isEmpty()) {
                // the horizon moves with every transaction in the cluster, this run's own included: record where
                // it got and stop, or the run would chase it forever
                if (batch.cursor() != cursor) {
                    applyWithRetry(batch, cursor, counts);
                }
                break;
            }
            read += batch.changes().size();
            cursor = applyWithRetry(batch, cursor, counts);
        }
        retryParked(counts);
        return new FlowReport(read, counts[Outcome.APPLIED.ordinal()], counts[Outcome.CONFLICT.ordinal()],
                counts[Outcome.PARKED.ordinal()]);
    }

    /** Applies the batch and returns the cursor to read from next. */
    private long applyWithRetry(Batch batch, long expected, int[] counts) {
        int attempt = 0;
        while (true) {
            int[] tried = new int[counts.length];
            try (Connection c = dest.connect()) {
                c.setAutoCommit(false);
                try {
                    long locked = lockProgress(c);
                    if (locked != expected) {
                        // another agent moved this flow on; continue from where it got
                        c.rollback();
                        return locked;
                    }
                    applyBatch(c, batch, tried);
                    c.commit();
                    for (int i = 0; i < counts.length; i++) {
                        counts[i] += tried[i];
                    }
                    return batch.cursor();
                } catch (ApplyFailure failure) {
                    c.rollback();
                    attempt++;
                    recordFailure(failure.getMessage());
                    if (attempt >= options.maxAttempts()) {
                        park(failure.change, "apply_error", failure.getMessage(), attempt);
                        counts[Outcome.PARKED.ordinal()]++;
                        attempt = 0;
                    } else {
                        pause(attempt);
                    }
                }
            } catch (SQLException e) {
                throw new TownHallException(ErrorCode.INTERNAL, "sync apply to " + dest.describe() + " failed: "
                        + firstLine(e.getMessage()), e);
            }
        }
    }

    private void applyBatch(Connection c, Batch batch, int[] counts) throws SQLException, ApplyFailure {
        List<Change> changes = batch.changes();
        long lastHlc = 0;
        int applied = 0;
        for (int i = 0; i < changes.size(); i++) {
            Change change = changes.get(i);
            Change next = i + 1 < changes.size() ? changes.get(i + 1) : null;
            if (handled(c, change)) {
                continue;
            }
            Outcome outcome;
            Optional<String> refusal;
            if (!observe(c, change.hlc())) {
                parkIn(c, change, "clock_skew", "its clock is more than sync.max_clock_skew() ahead of this node's", 0);
                outcome = Outcome.PARKED;
            } else if ((refusal = refusal(c, change, next)).isPresent()) {
                parkIn(c, change, "not_permitted", refusal.get(), 0);
                outcome = Outcome.PARKED;
            } else if (isMoveOutBeforeItsMoveIn(change, next)) {
                // a row moved between scopes this node both holds: the move_in that follows updates it in place
                outcome = Outcome.SKIPPED;
            } else {
                try {
                    outcome = applyOne(c, change);
                } catch (SQLException e) {
                    throw new ApplyFailure(change, e);
                }
                if (outcome == Outcome.APPLIED) {
                    applied++;
                    lastHlc = Math.max(lastHlc, change.hlc());
                }
            }
            markApplied(c, change);
            counts[outcome.ordinal()]++;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE sync.peer_progress
                SET cursor = ?, last_hlc = greatest(last_hlc, nullif(?, 0)), applied_count = applied_count + ?,
                    failures = 0, last_error = NULL, last_attempt_at = now(), last_success_at = now()
                WHERE source_node = ?""")) {
            ps.setLong(1, batch.cursor());
            ps.setLong(2, lastHlc);
            ps.setLong(3, applied);
            ps.setObject(4, sourceNode);
            ps.executeUpdate();
        }
    }

    /**
     * Why a town replica source may not make this change here, if it may not: the row must belong to one of its towns
     * both as it is here (if it exists) and as the change leaves it (for a move, where its move_in puts it). Rows
     * shared with the replica are readable there but belong to their own town, as under row-level security. The
     * organisation's directory (towns, users, memberships) is not a town's: a replica reads it, never writes it.
     */
    private Optional<String> refusal(Connection c, Change change, Change next) throws SQLException {
        if (sourceMayWrite.isEmpty()) {
            return Optional.empty();
        }
        if (writer(c, change.table()).directory()) {
            return Optional.of("a town replica may not write the organisation's directory (" + change.table()
                    + "); change it where the whole organisation is held");
        }
        UUID leavesIn = isMoveOutBeforeItsMoveIn(change, next) ? next.townId() : change.townId();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT (SELECT string_agg(slug, ', ' ORDER BY slug) FROM core.towns WHERE id = ANY (?)) AS replica_of,
                       (SELECT slug FROM core.towns WHERE id = ?) AS leaves_in,
                       here.town_id, here.slug
                FROM (SELECT 1) one
                LEFT JOIN (SELECT r.town_id, t.slug FROM %s r JOIN core.towns t ON t.id = r.town_id WHERE r.id = ?) here
                    ON true""".formatted(Identifiers.quoteQualified(change.table())))) {
            ps.setArray(1, c.createArrayOf("uuid", sourceMayWrite.toArray(UUID[]::new)));
            ps.setObject(2, leavesIn);
            ps.setObject(3, change.rowId());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                UUID here = rs.getObject("town_id", UUID.class);
                String replica = "a replica of " + rs.getString("replica_of") + " may not write ";
                if (here != null && !sourceMayWrite.contains(here)) {
                    return Optional.of(replica + "this " + change.table() + " row: here it belongs to town "
                            + rs.getString("slug"));
                }
                if (!sourceMayWrite.contains(leavesIn)) {
                    return Optional.of(replica + "a " + change.table() + " row of town " + rs.getString("leaves_in"));
                }
                return Optional.empty();
            }
        }
    }

    private static boolean isMoveOutBeforeItsMoveIn(Change change, Change next) {
        return change.operation().equals("move_out") && next != null && next.operation().equals("move_in")
                && next.txid() == change.txid() && next.table().equals(change.table()) && next.rowId().equals(change.rowId());
    }

    /**
     * Applies a change unless this node already has it or something newer from its origin, or it conflicts and
     * loses. It conflicts when it was made without seeing the row's current version here (the latest change logged
     * for the row): its base is older than that version's hlc. Then the table's policy ranks both versions
     * ({@code sync.conflict_rank}), equal ranks going to the later (hlc, origin); the node that refuses the losing
     * change keeps it in {@code sync.conflicts} with the local winner, the other node simply applies the winner, so
     * each conflict is kept once.
     */
    private Outcome applyOne(Connection c, Change change) throws SQLException {
        RowWriter table = writer(c, change.table());
        String policy;
        try (PreparedStatement ps = c.prepareStatement("""
                WITH r AS (SELECT ?::bigint AS hlc, ?::uuid AS origin, ?::uuid AS writer, ?::uuid AS town,
                                  ?::core.visibility AS visibility, ?::bigint AS base),
                     here AS (SELECT * FROM sync.changes WHERE table_name = ? AND row_id = ?),
                     current AS (SELECT * FROM here ORDER BY id DESC LIMIT 1)
                SELECT EXISTS (SELECT 1 FROM here WHERE here.hlc = r.hlc AND here.origin_node = r.origin) AS seen,
                       EXISTS (SELECT 1 FROM here WHERE here.hlc > r.hlc AND here.origin_node = r.origin) AS superseded,
                       current.hlc IS NULL OR coalesce(r.base >= current.hlc, false) AS follows,
                       (sync.conflict_rank(s.policy, r.writer, r.town, r.visibility), r.hlc, r.origin)
                           > (sync.conflict_rank(s.policy, current.writer_town_id, current.town_id, current.visibility),
                              current.hlc, current.origin_node) AS remote_wins,
                       current.hlc AS current_hlc, s.policy
                FROM r CROSS JOIN sync.synced_tables s LEFT JOIN current ON true
                WHERE s.table_name = ?""")) {
            ps.setLong(1, change.hlc());
            ps.setObject(2, change.originNode());
            ps.setObject(3, change.writerTown());
            ps.setObject(4, change.townId());
            ps.setString(5, change.visibility());
            ps.setObject(6, change.baseHlc());
            ps.setString(7, change.table());
            ps.setObject(8, change.rowId());
            ps.setString(9, change.table());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getBoolean("seen") || rs.getBoolean("superseded")) {
                    return Outcome.SKIPPED;
                }
                policy = rs.getString("policy");
                if (!rs.getBoolean("follows") && !rs.getBoolean("remote_wins")) {
                    keepConflict(c, table, change, rs.getLong("current_hlc"), policy);
                    return Outcome.CONFLICT;
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT set_config('townhall.sync_origin', ?, true), set_config('townhall.sync_hlc', ?, true),
                       set_config('townhall.sync_writer_town', ?, true)""")) {
            ps.setString(1, change.originNode().toString());
            ps.setString(2, Long.toString(change.hlc()));
            ps.setString(3, change.writerTown() == null ? "" : change.writerTown().toString());
            ps.execute();
        }
        table.write(c, change.rowId(), change.rowData());
        return Outcome.APPLIED;
    }

    private void keepConflict(Connection c, RowWriter table, Change change, long localHlc, String policy)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO sync.conflicts (org_id, town_id, visibility, shared_with, table_name, row_id,
                                            remote_peer_id, local_hlc, remote_hlc, local_version, remote_version,
                                            policy, winner, status)
                VALUES (?, ?, ?::core.visibility, ?, ?, ?, (SELECT id FROM sync.peers WHERE node_id = ?),
                        sync.hlc_to_text(?), sync.hlc_to_text(?),
                        coalesce((""" + table.image() + """
                ), 'null'::jsonb), coalesce(?::jsonb, 'null'::jsonb), ?, 'local', 'decided')""")) {
            ps.setObject(1, change.orgId());
            ps.setObject(2, change.townId());
            ps.setString(3, change.visibility());
            ps.setArray(4, c.createArrayOf("uuid", change.sharedWith().toArray(UUID[]::new)));
            ps.setString(5, change.table());
            ps.setObject(6, change.rowId());
            ps.setObject(7, sourceNode);
            ps.setLong(8, localHlc);
            ps.setLong(9, change.hlc());
            ps.setObject(10, change.rowId());
            ps.setString(11, change.rowData());
            ps.setString(12, policy);
            ps.executeUpdate();
        }
    }

    /** Already applied or parked here: reading a batch again is a no-op. */
    private boolean handled(Connection c, Change change) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT EXISTS (SELECT 1 FROM sync.applied_changes WHERE source_node = ? AND change_id = ?)
                    OR EXISTS (SELECT 1 FROM sync.parked_changes WHERE source_node = ? AND change_id = ?)""")) {
            ps.setObject(1, sourceNode);
            ps.setLong(2, change.id());
            ps.setObject(3, sourceNode);
            ps.setLong(4, change.id());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static boolean observe(Connection c, long hlc) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT sync.hlc_observe(?)")) {
            ps.setLong(1, hlc);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private void markApplied(Connection c, Change change) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                """
                INSERT INTO sync.applied_changes (source_node, change_id, source_txid) VALUES (?, ?, ?)
                ON CONFLICT DO NOTHING""")) {
            ps.setObject(1, sourceNode);
            ps.setLong(2, change.id());
            ps.setLong(3, change.txid());
            ps.executeUpdate();
        }
    }

    /** The flow's cursor, making its progress row on first use. */
    private long cursor() {
        try (Connection c = dest.connect()) {
            return lockProgress(c);
        } catch (SQLException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "cannot read sync progress at " + dest.describe() + ": "
                    + firstLine(e.getMessage()), e);
        }
    }

    private long lockProgress(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO sync.peer_progress (source_node) VALUES (?) ON CONFLICT DO NOTHING")) {
            ps.setObject(1, sourceNode);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT cursor FROM sync.peer_progress WHERE source_node = ? FOR UPDATE")) {
            ps.setObject(1, sourceNode);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private void recordFailure(String error) {
        try (Connection c = dest.connect(); PreparedStatement ps = c.prepareStatement("""
                UPDATE sync.peer_progress SET failures = failures + 1, last_error = ?, last_attempt_at = now()
                WHERE source_node = ?""")) {
            ps.setString(1, error);
            ps.setObject(2, sourceNode);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "cannot record a sync failure: " + firstLine(e.getMessage()), e);
        }
    }

    private void park(Change change, String reason, String error, int retries) {
        try (Connection c = dest.connect()) {
            parkIn(c, change, reason, error, retries);
        } catch (SQLException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "cannot park a sync change: " + firstLine(e.getMessage()), e);
        }
    }

    private void parkIn(Connection c, Change change, String reason, String error, int retries) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO sync.parked_changes (source_node, change_id, origin_node, hlc, table_name, row_id, operation,
                                                 change, reason, last_error, retry_count)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?) ON CONFLICT DO NOTHING""")) {
            ps.setObject(1, sourceNode);
            ps.setLong(2, change.id());
            ps.setObject(3, change.originNode());
            ps.setLong(4, change.hlc());
            ps.setString(5, change.table());
            ps.setObject(6, change.rowId());
            ps.setString(7, change.operation());
            ps.setString(8, toJson(change));
            ps.setString(9, reason);
            ps.setString(10, error);
            ps.setInt(11, retries);
            ps.executeUpdate();
        }
    }

    /** Each change parked after failing to apply gets one more try, in its own transaction, oldest first. */
    private void retryParked(int[] counts) {
        List<Change> parked = new ArrayList<>();
        try (Connection c = dest.connect(); PreparedStatement ps = c.prepareStatement("""
                SELECT change::text FROM sync.parked_changes
                WHERE source_node = ? AND reason = 'apply_error' ORDER BY change_id""")) {
            ps.setObject(1, sourceNode);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    parked.add(fromJson(rs.getString(1)));
                }
            }
            for (Change change : parked) {
                c.setAutoCommit(false);
                try {
                    Outcome outcome = applyOne(c, change);
                    markApplied(c, change);
                    unpark(c, change);
                    c.commit();
                    counts[outcome.ordinal()]++;
                } catch (SQLException e) {
                    c.rollback();
                    try (PreparedStatement up = c.prepareStatement("""
                            UPDATE sync.parked_changes SET retry_count = retry_count + 1, last_error = ?
                            WHERE source_node = ? AND change_id = ?""")) {
                        up.setString(1, new ApplyFailure(change, e).getMessage());
                        up.setObject(2, sourceNode);
                        up.setLong(3, change.id());
                        up.executeUpdate();
                    }
                    c.commit();
                } finally {
                    c.setAutoCommit(true);
                }
            }
        } catch (SQLException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "cannot retry parked sync changes: " + firstLine(e.getMessage()), e);
        }
    }

    private void unpark(Connection c, Change change) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM sync.parked_changes WHERE source_node = ? AND change_id = ?")) {
            ps.setObject(1, sourceNode);
            ps.setLong(2, change.id());
            ps.executeUpdate();
        }
    }

    private void pause(int attempt) {
        try {
            Thread.sleep(options.firstBackoff().multipliedBy(1L << Math.min(attempt - 1, 16)).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TownHallException(ErrorCode.INTERNAL, "sync interrupted");
        }
    }

    private RowWriter writer(Connection c, String table) throws SQLException {
        RowWriter known = writers.get(table);
        if (known == null) {
            known = RowWriter.load(c, table);
            writers.put(table, known);
        }
        return known;
    }

    private static String toJson(Change change) {
        try {
            return JSON.writeValueAsString(change);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a change always serialises", e);
        }
    }

    private static Change fromJson(String json) {
        try {
            return JSON.readValue(json, Change.class);
        } catch (JsonProcessingException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "a parked sync change is unreadable: " + e.getOriginalMessage(), e);
        }
    }

    static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
