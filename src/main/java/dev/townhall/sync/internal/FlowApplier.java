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
import java.util.HashSet;
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
 * <p>
 * A batch costs a few statements, not several per change: one looks up which changes were already handled, one
 * observes the newest clock, one records the applied keys, and each run of consecutive inserts and updates (or
 * deletes) of distinct rows of one table is decided in one query and written in one statement. When such a
 * statement fails, the batch is rolled back and applied again change by change, so the failing change is known
 * and backoff and parking work on it alone.
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

    /** A run of changes written together failed: which change is to blame is found by applying them one by one. */
    private static final class RunFailure extends Exception {
        RunFailure(SQLException cause) {
            super(cause);
        }
    }

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
        boolean inRuns = true;
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
                    applyBatch(c, batch, tried, inRuns);
                    c.commit();
                    for (int i = 0; i < counts.length; i++) {
                        counts[i] += tried[i];
                    }
                    return batch.cursor();
                } catch (RunFailure failure) {
                    c.rollback();
                    inRuns = false;
                } catch (ApplyFailure failure) {
                    c.rollback();
                    attempt++;
                    recordFailure(failure.getMessage());
                    if (attempt >= options.maxAttempts()) {
                        park(failure.change, "apply_error", failure.getMessage(), attempt);
                        counts[Outcome.PARKED.ordinal()]++;
                        attempt = 0;
                        inRuns = true;
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

    private void applyBatch(Connection c, Batch batch, int[] counts, boolean inRuns)
            throws SQLException, ApplyFailure, RunFailure {
        List<Change> changes = batch.changes();
        Set<Long> handled = handled(c, changes);
        List<Change> fresh = changes.stream().filter(change -> !handled.contains(change.id())).toList();
        // observing the newest clock observes them all; only a batch holding one too far ahead is observed change by change
        boolean trusted = fresh.isEmpty() || observe(c, fresh.stream().mapToLong(Change::hlc).max().getAsLong());
        Tally tally = new Tally(counts);
        Run run = new Run();
        for (int i = 0; i < changes.size(); i++) {
            Change change = changes.get(i);
            Change next = i + 1 < changes.size() ? changes.get(i + 1) : null;
            if (handled.contains(change.id())) {
                continue;
            }
            Optional<String> refusal;
            if (!trusted && !observe(c, change.hlc())) {
                parkIn(c, change, "clock_skew", "its clock is more than sync.max_clock_skew() ahead of this node's", 0);
                tally.add(Outcome.PARKED, change);
            } else if ((refusal = refusal(c, change, next)).isPresent()) {
                parkIn(c, change, "not_permitted", refusal.get(), 0);
                tally.add(Outcome.PARKED, change);
            } else if (isMoveOutBeforeItsMoveIn(change, next)) {
                // a row moved between scopes this node both holds: the move_in that follows updates it in place
                tally.add(Outcome.SKIPPED, change);
            } else if (inRuns && Run.fits(change)) {
                if (!run.takes(change)) {
                    flush(c, run, tally);
                }
                run.add(change);
            } else {
                flush(c, run, tally);
                try {
                    tally.add(applyOne(c, change), change);
                } catch (SQLException e) {
                    throw new ApplyFailure(change, e);
                }
            }
        }
        flush(c, run, tally);
        if (!fresh.isEmpty()) {
            markApplied(c, fresh);
        }
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE sync.peer_progress
                SET cursor = ?, last_hlc = greatest(last_hlc, nullif(?, 0)), applied_count = applied_count + ?,
                    failures = 0, last_error = NULL, last_attempt_at = now(), last_success_at = now()
                WHERE source_node = ?""")) {
            ps.setLong(1, batch.cursor());
            ps.setLong(2, tally.lastHlc);
            ps.setLong(3, counts[Outcome.APPLIED.ordinal()]);
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

    /** What a batch came to: the count per outcome and the newest clock applied. */
    private static final class Tally {
        final int[] counts;
        long lastHlc;

        Tally(int[] counts) {
            this.counts = counts;
        }

        void add(Outcome outcome, Change change) {
            counts[outcome.ordinal()]++;
            if (outcome == Outcome.APPLIED) {
                lastHlc = Math.max(lastHlc, change.hlc());
            }
        }
    }

    /**
     * Consecutive plain changes (inserts and updates, or deletes) of distinct rows of one table, written together.
     * Moves stay out: they come in pairs and change which towns may see a row.
     */
    private static final class Run {
        /** Capture looks each written row up in the run's list of rows, so a run's cost grows with its square. */
        private static final int MAX_ROWS = 100;
        private static final Set<String> OPERATIONS = Set.of("insert", "update", "delete");

        private final List<Change> changes = new ArrayList<>();
        private final Set<UUID> rows = new HashSet<>();

        static boolean fits(Change change) {
            return OPERATIONS.contains(change.operation());
        }

        /** Whether the change may join: the same table and kind of write, a row not in the run yet, room left. */
        boolean takes(Change change) {
            if (changes.isEmpty()) {
                return true;
            }
            Change first = changes.get(0);
            return changes.size() < MAX_ROWS && first.table().equals(change.table())
                    && (first.rowData() == null) == (change.rowData() == null) && !rows.contains(change.rowId());
        }

        void add(Change change) {
            changes.add(change);
            rows.add(change.rowId());
        }

        void clear() {
            changes.clear();
            rows.clear();
        }
    }

    /** Applies the run's changes, if any, and empties it. */
    private void flush(Connection c, Run run, Tally tally) throws RunFailure {
        if (run.changes.isEmpty()) {
            return;
        }
        try {
            List<Outcome> outcomes = applyAll(c, run.changes.get(0).table(), run.changes);
            for (int i = 0; i < outcomes.size(); i++) {
                tally.add(outcomes.get(i), run.changes.get(i));
            }
        } catch (SQLException e) {
            throw new RunFailure(e);
        }
        run.clear();
    }

    private static boolean isMoveOutBeforeItsMoveIn(Change change, Change next) {
        return change.operation().equals("move_out") && next != null && next.operation().equals("move_in")
                && next.txid() == change.txid() && next.table().equals(change.table()) && next.rowId().equals(change.rowId());
    }

    private Outcome applyOne(Connection c, Change change) throws SQLException {
        return applyAll(c, change.table(), List.of(change)).get(0);
    }

    /**
     * Applies changes of distinct rows of one table, all writes or all deletes, each unless this node already has it
     * or something newer from its origin, or it conflicts and loses. It conflicts when it was made without seeing
     * the row's current version here (the latest change logged for the row): its base is older than that version's
     * hlc. Then the table's policy ranks both versions ({@code sync.conflict_rank}), equal ranks going to the later
     * (hlc, origin); the node that refuses the losing change keeps it in {@code sync.conflicts} with the local
     * winner, the other node simply applies the winner, so each conflict is kept once.
     */
    private List<Outcome> applyAll(Connection c, String tableName, List<Change> changes) throws SQLException {
        RowWriter table = writer(c, tableName);
        List<Outcome> outcomes = new ArrayList<>();
        List<Change> winners = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                WITH r AS (SELECT * FROM unnest(?::bigint[], ?::uuid[], ?::uuid[], ?::uuid[], ?::text[]::core.visibility[],
                                                ?::bigint[], ?::uuid[])
                                  WITH ORDINALITY AS r(hlc, origin, writer, town, visibility, base, row_id, ord))
                SELECT EXISTS (SELECT 1 FROM sync.changes h WHERE h.table_name = s.table_name AND h.row_id = r.row_id
                                                              AND h.hlc = r.hlc AND h.origin_node = r.origin) AS seen,
                       EXISTS (SELECT 1 FROM sync.changes h WHERE h.table_name = s.table_name AND h.row_id = r.row_id
                                                              AND h.hlc > r.hlc AND h.origin_node = r.origin) AS superseded,
                       current.hlc IS NULL OR coalesce(r.base >= current.hlc, false) AS follows,
                       -- ranked only when the change does not follow the current version: ranking costs two lookups
                       CASE WHEN current.hlc IS NOT NULL AND NOT coalesce(r.base >= current.hlc, false) THEN
                           (sync.conflict_rank(s.policy, r.writer, r.town, r.visibility), r.hlc, r.origin)
                           > (sync.conflict_rank(s.policy, current.writer_town_id, current.town_id, current.visibility),
                              current.hlc, current.origin_node)
                       END AS remote_wins,
                       current.hlc AS current_hlc, s.policy
                FROM r JOIN sync.synced_tables s ON s.table_name = ?
                LEFT JOIN LATERAL (SELECT * FROM sync.changes c WHERE c.table_name = s.table_name AND c.row_id = r.row_id
                                   ORDER BY c.id DESC LIMIT 1) current ON true
                ORDER BY r.ord""")) {
            ps.setArray(1, c.createArrayOf("bigint", changes.stream().map(Change::hlc).toArray(Long[]::new)));
            ps.setArray(2, c.createArrayOf("uuid", changes.stream().map(Change::originNode).toArray(UUID[]::new)));
            ps.setArray(3, c.createArrayOf("uuid", changes.stream().map(Change::writerTown).toArray(UUID[]::new)));
            ps.setArray(4, c.createArrayOf("uuid", changes.stream().map(Change::townId).toArray(UUID[]::new)));
            ps.setArray(5, c.createArrayOf("text", changes.stream().map(Change::visibility).toArray(String[]::new)));
            ps.setArray(6, c.createArrayOf("bigint", changes.stream().map(Change::baseHlc).toArray(Long[]::new)));
            ps.setArray(7, c.createArrayOf("uuid", changes.stream().map(Change::rowId).toArray(UUID[]::new)));
            ps.setString(8, tableName);
            try (ResultSet rs = ps.executeQuery()) {
                for (Change change : changes) {
                    if (!rs.next()) {
                        throw new SQLException("table " + tableName + " is not synced on this node", "42P01");
                    }
                    if (rs.getBoolean("seen") || rs.getBoolean("superseded")) {
                        outcomes.add(Outcome.SKIPPED);
                    } else if (!rs.getBoolean("follows") && !rs.getBoolean("remote_wins")) {
                        keepConflict(c, table, change, rs.getLong("current_hlc"), rs.getString("policy"));
                        outcomes.add(Outcome.CONFLICT);
                    } else {
                        winners.add(change);
                        outcomes.add(Outcome.APPLIED);
                    }
                }
            }
        }
        if (!winners.isEmpty()) {
            writeAsRemote(c, table, tableName, winners);
        }
        return outcomes;
    }

    /**
     * Writes the changes with their origin, clock and writer town for capture to log. A single change sets them for
     * the statement, cascades into other rows included; several list them per row in {@code townhall.sync_rows}.
     */
    private static void writeAsRemote(Connection c, RowWriter table, String tableName, List<Change> changes)
            throws SQLException {
        Change only = changes.size() == 1 ? changes.get(0) : null;
        StringBuilder rows = new StringBuilder();
        if (only == null) {
            rows.append(tableName).append(';');
            for (Change change : changes) {
                rows.append(change.rowId()).append(' ').append(change.originNode()).append(' ').append(change.hlc())
                        .append(' ').append(change.writerTown() == null ? "" : change.writerTown()).append(';');
            }
        }
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT set_config('townhall.sync_origin', ?, true), set_config('townhall.sync_hlc', ?, true),
                       set_config('townhall.sync_writer_town', ?, true), set_config('townhall.sync_rows', ?, true)""")) {
            ps.setString(1, only == null ? "" : only.originNode().toString());
            ps.setString(2, only == null ? "" : Long.toString(only.hlc()));
            ps.setString(3, only == null || only.writerTown() == null ? "" : only.writerTown().toString());
            ps.setString(4, rows.toString());
            ps.execute();
        }
        if (changes.get(0).rowData() == null) {
            table.deleteAll(c, changes.stream().map(Change::rowId).toList());
        } else {
            table.upsertAll(c, changes.stream().map(Change::rowData).toList());
        }
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

    /** The changes already applied or parked here, by id: reading a batch again is a no-op. */
    private Set<Long> handled(Connection c, List<Change> changes) throws SQLException {
        Set<Long> handled = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT k.id FROM unnest(?::bigint[]) AS k(id)
                WHERE EXISTS (SELECT 1 FROM sync.applied_changes a WHERE a.source_node = ? AND a.change_id = k.id)
                   OR EXISTS (SELECT 1 FROM sync.parked_changes p WHERE p.source_node = ? AND p.change_id = k.id)""")) {
            ps.setArray(1, c.createArrayOf("bigint", changes.stream().map(Change::id).toArray(Long[]::new)));
            ps.setObject(2, sourceNode);
            ps.setObject(3, sourceNode);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    handled.add(rs.getLong(1));
                }
            }
        }
        return handled;
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

    private void markApplied(Connection c, List<Change> changes) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO sync.applied_changes (source_node, change_id, source_txid)
                SELECT ?, k.id, k.txid FROM unnest(?::bigint[], ?::bigint[]) AS k(id, txid)
                ON CONFLICT DO NOTHING""")) {
            ps.setObject(1, sourceNode);
            ps.setArray(2, c.createArrayOf("bigint", changes.stream().map(Change::id).toArray(Long[]::new)));
            ps.setArray(3, c.createArrayOf("bigint", changes.stream().map(Change::txid).toArray(Long[]::new)));
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
                    markApplied(c, List.of(change));
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
