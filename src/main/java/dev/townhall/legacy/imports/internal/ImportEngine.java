package dev.townhall.legacy.imports.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Endpoint;
import dev.townhall.legacy.imports.ImportReport;
import dev.townhall.legacy.imports.internal.Mapping.ColumnMap;
import dev.townhall.legacy.imports.internal.Mapping.TableMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One import run, start to finish: check the mapping against every catalog (nothing is written before that
 * passes), take the town's import lock, resume an interrupted run with the same options, stream each source
 * table in dependency order through the {@link RowProcessor} in batches committed with their checkpoint, and
 * finish with the reconciliation. A batch the database refuses is rolled back and replayed row by row, so one bad
 * row is quarantined (rejected_by_target) instead of failing the run. References whose parent has arrived since
 * they were imported empty are linked ({@link DeferredLinks}) before the reconciliation. A dry run does all of it
 * in one transaction that is rolled back at the end.
 */
public final class ImportEngine {
    private static final Logger LOG = LoggerFactory.getLogger(ImportEngine.class);
    private static final int DEFAULT_BATCH_ROWS = 5_000;
    private static final long BATCH_BYTES = 48L << 20;
    private static final int TOP_VALUE_ISSUES = 10;
    /** The table whose rows the engagement of contacts, companies and deals is computed from. */
    private static final String ENGAGEMENT_SOURCE = "crm.activities";

    /**
     * How the run is asked to behave. {@code only}: table names as given on the command line; {@code quarantineIds}:
     * with mode retry_quarantine, the entries to retry (empty: every open or fixed one).
     */
    public record Options(String mode, boolean dryRun, List<String> only, Integer latest, Instant since,
                          int batchRows, Set<UUID> quarantineIds) {
        public Options {
            only = only == null ? List.of() : List.copyOf(only);
            batchRows = batchRows <= 0 ? DEFAULT_BATCH_ROWS : batchRows;
            quarantineIds = quarantineIds == null ? Set.of() : Set.copyOf(quarantineIds);
        }

        String json() {
            ObjectNode o = Json.object();
            if (!only.isEmpty()) {
                var a = o.putArray("only");
                only.forEach(a::add);
            }
            if (latest != null) {
                o.put("latest", latest);
            }
            if (since != null) {
                o.put("since", since.toString());
            }
            if (!quarantineIds.isEmpty()) {
                var a = o.putArray("quarantine_ids");
                quarantineIds.stream().map(UUID::toString).sorted().forEach(a::add);
            }
            return Json.of(o).text();
        }
    }

    /** Told after every batch, and when a table is done. */
    public interface Progress {
        void update(String table, long done, long total, long imported, long merged, long quarantined,
                    Duration elapsed, boolean finished);
    }

    private final Mapping mapping;
    private final Map<String, Endpoint> sources;
    private final Endpoint target;
    private final Options options;
    private final Progress progress;

    private Prepared prepared;
    private RunState state;
    private UserDirectory users;
    private UUID runId;
    private Instant runStart;
    private Connection data;
    private Ledger ledger;
    private final Map<String, Map<String, Long>> thisRun = new LinkedHashMap<>();
    private final Map<String, Long> rowsWritten = new TreeMap<>();
    /** Activities inserted or updated this run: their contacts', companies' and deals' engagement is stale. */
    private boolean activitiesWritten;
    /** Writes a table's batches while the next one is mapped (one thread: batches land in order). */
    private ExecutorService writer;
    private final AtomicLong writeNanos = new AtomicLong();
    private long totalRead;
    private long totalImported;
    private long totalMerged;
    private long totalQuarantined;

    public ImportEngine(Mapping mapping, Map<String, Endpoint> sources, Endpoint target, Options options,
                        Progress progress) {
        this.mapping = mapping;
        this.sources = sources;
        this.target = target;
        this.options = options;
        this.progress = progress;
    }

    /** The run's result; visibility is added by the caller (it needs the application role). */
    public ImportReport run() {
        List<TableMap> order = order(mapping);
        Set<String> selected = select(order);
        for (String name : mapping.sources().keySet()) {
            if (!sources.containsKey(name)) {
                throw new TownHallException(ErrorCode.CONFIG, "mapping file " + mapping.origin() + " reads source '"
                        + name + "', but no URL was given for it (--source " + name + "=URL)");
            }
        }
        Map<String, Connection> sourceConnections = new LinkedHashMap<>();
        try {
            for (String name : mapping.sources().keySet()) {
                sourceConnections.put(name, openSource(name, sources.get(name)));
            }
            data = target.connect();
            try {
                prepared = Prepared.prepare(mapping, sourceConnections, data, order);
            } catch (SQLException e) {
                throw failure("checking the mapping against the databases", e);
            }
            writer = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "townhall-import-writer");
                t.setDaemon(true);
                return t;
            });
            Connection ledgerConnection = target.connect();
            try {
                ledger = Ledger.lock(ledgerConnection, prepared.townId);
            } catch (RuntimeException | SQLException e) {
                closeQuietly(ledgerConnection); // the ledger never took it over
                throw e;
            }
            return runLocked(order, selected, sourceConnections);
        } catch (SQLException e) {
            throw failure("importing", e);
        } finally {
            if (writer != null) {
                writer.shutdownNow();
            }
            closeQuietly(data);
            if (ledger != null) {
                closeQuietly(ledger.connection());
            }
            sourceConnections.values().forEach(ImportEngine::closeQuietly);
        }
    }

    private ImportReport runLocked(List<TableMap> order, Set<String> selected, Map<String, Connection> sourceConns)
            throws SQLException {
        Optional<Ledger.Interrupted> interrupted = ledger.recoverInterrupted(options.mode(), options.json());
        if (options.dryRun() || options.mode().equals("retry_quarantine")) {
            interrupted = Optional.empty(); // nothing of a dry run is kept; a retry is cheap to start over
        }
        runStart = Instant.now();
        runId = ledger.start(prepared.orgId, new ArrayList<>(mapping.sources().keySet()), options.mode(),
                options.dryRun(), options.json(), interrupted.map(Ledger.Interrupted::runId).orElse(null));
        if (interrupted.isPresent()) {
            ledger.inheritCheckpoints(runId, interrupted.get().runId());
            LOG.info("resuming interrupted import run {} as run {}", interrupted.get().runId(), runId);
        }
        String error = null;
        ImportReport report = null;
        try {
            data.setAutoCommit(false);
            try (Statement s = data.createStatement()) {
                s.execute("SET TIME ZONE 'UTC'");
                // row auditing is for application writes; the import records itself in legacy.import_runs
                s.execute("SELECT set_config('townhall.bulk', 'on', false)");
                // engagement is refreshed once at the end of the run, not once per batch (crm-120)
                s.execute("SELECT set_config('townhall.defer_engagement', 'on', false)");
            }
            users = UserDirectory.prepare(data, prepared.orgId, mapping.users());
            endTransaction();
            state = RunState.load(data, prepared);
            Map<String, Ledger.Checkpoint> checkpoints = interrupted.map(Ledger.Interrupted::checkpoints).orElse(Map.of());
            for (TableMap t : order) {
                if (!selected.contains(t.qualified())) {
                    continue;
                }
                Prepared.Table table = prepared.tables.get(t.qualified());
                if (options.mode().equals("retry_quarantine")) {
                    retryTable(table, sourceConns.get(t.source()));
                } else {
                    importTable(table, sourceConns.get(t.source()), checkpoints.get(t.qualified()));
                }
            }
            RunState finalState = RunState.load(data, prepared);
            long linked = DeferredLinks.resolve(data, prepared, finalState, runId);
            // an interrupted run may have written activities whose engagement nobody refreshed
            if (activitiesWritten || linked > 0 || interrupted.isPresent()) {
                refreshEngagement();
            }
            Reconciler reconciler = new Reconciler(prepared, data, sourceConns);
            List<ImportReport.SourceTable> tables = reconciler.tables(thisRun);
            report = new ImportReport(runId, options.mode(), options.dryRun(),
                    interrupted.map(Ledger.Interrupted::runId).orElse(null), runStart,
                    Duration.between(runStart, Instant.now()), tables, reconciler.plan(tables),
                    reconciler.relationships(finalState), List.of(), reconciler.users(), rowsWritten, totalRead,
                    linked, reconciler.topValueIssues(TOP_VALUE_ISSUES), prepared.dateOrders);
            if (options.dryRun()) {
                data.rollback();
            } else {
                data.commit();
            }
            Reconciler.store(ledger.connection(), runId, tables);
            return report;
        } catch (RuntimeException | SQLException e) {
            error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().split("\n")[0];
            try {
                data.rollback();
            } catch (SQLException ignored) {
                // the connection is gone; the run row says what happened
            }
            throw e;
        } finally {
            try {
                ledger.finish(runId, error == null, report == null ? null : report.toJson(), error);
            } catch (SQLException e) {
                LOG.warn("could not record the end of import run {}: {}", runId, e.getMessage());
            }
        }
    }

    /** Lets the caller finish the stored report (visibility is measured after the commit). */
    public void storeReport(ImportReport report) {
        try (Connection c = target.connect(); PreparedStatement ps = c.prepareStatement(
                "UPDATE legacy.import_runs SET report = CAST(? AS jsonb) WHERE id = ?")) {
            ps.setString(1, report.toJson());
            ps.setObject(2, report.runId());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw failure("storing the import report", e);
        }
    }

    // ---- tables --------------------------------------------------------------------------------------------------

    private void importTable(Prepared.Table table, Connection source, Ledger.Checkpoint checkpoint) throws SQLException {
        SourceReader.Selection selection = new SourceReader.Selection(null, 0, options.since(),
                isLatestTarget(table) ? options.latest() : null);
        long done = 0;
        if (checkpoint != null) {
            if (checkpoint.complete()) {
                LOG.debug("{}: complete in the interrupted run, skipped", table.qualified());
                progress.update(table.qualified(), checkpoint.rowsDone(), checkpoint.rowsDone(), 0, 0, 0,
                        Duration.ZERO, true);
                return;
            }
            if (checkpoint.key() != null) {
                selection = selection.after(checkpoint.key(), checkpoint.ordinal());
                done = checkpoint.rowsDone();
            }
        }
        long total = SourceReader.count(source, table, selection);
        long started = System.nanoTime();
        Counter counter = new Counter(table, total, done, started);
        Pipeline pipeline = new Pipeline(table, counter);
        Batch batch = new Batch(table);
        if (selection.afterKey() != null) {
            batch.lastKey = selection.afterKey(); // resumed: even an empty rest ends with the table's checkpoint
            batch.lastOrdinal = selection.afterOrdinal();
        }
        try (SourceReader reader = SourceReader.open(source, table, selection)) {
            for (SourceRow row = reader.next(); row != null; row = reader.next()) {
                pipeline.processor.process(row, batch, null);
                batch.lastKey = row.rawKey();
                batch.lastOrdinal = row.ordinal();
                if (batch.rows.size() >= options.batchRows() || batch.bytes >= BATCH_BYTES) {
                    batch = pipeline.submit(batch);
                }
            }
            pipeline.finish(batch);
        } finally {
            pipeline.drain();
        }
        progress.update(table.qualified(), counter.done, Math.max(counter.total, counter.done), counter.imported,
                counter.merged, counter.quarantined, Duration.ofNanos(System.nanoTime() - started), true);
    }

    /**
     * A table's batches written on the {@link #writer} thread while the next batch is mapped on this one: the
     * database works while the rows are read and mapped. At most one batch is in flight; a batch is handed over only
     * after the one before it has landed, so they commit in order with their checkpoints. Mapping the next batch
     * needs nothing of the one being written but the run state, which already holds its rows; only the merge
     * targets' link to their pending row is cut before the hand-over (a later merge becomes an UPDATE, written after
     * that batch commits). If the database refuses the batch in flight, it is replayed row by row on this thread
     * with the state reloaded, and the batch mapped meanwhile is mapped again against that state.
     */
    private final class Pipeline {
        private final Prepared.Table table;
        private final Counter counter;
        RowProcessor processor;
        private Batch inFlight;
        private Future<SQLException> write;

        Pipeline(Prepared.Table table, Counter counter) {
            this.table = table;
            this.counter = counter;
            this.processor = new RowProcessor(prepared, table, state, users, runId, runStart);
        }

        /** Hands a full batch to the writer once the previous one has landed; returns the batch to map into next. */
        Batch submit(Batch full) throws SQLException {
            Batch b = land(full);
            detach(b);
            long rowsDone = counter.done + b.read;
            inFlight = b;
            write = writer.submit(() -> writeBatch(b, false, rowsDone));
            return b.following();
        }

        /** Lands the batch in flight, then writes the last one on this thread. */
        void finish(Batch last) throws SQLException {
            processor = flush(land(last), true, counter, processor);
        }

        /** After a failure: lets the write in flight end before the connection is rolled back or closed. */
        void drain() {
            // even when interrupted: the connection must not be rolled back or closed under the writer
            boolean interrupted = false;
            while (write != null) {
                try {
                    write.get();
                    write = null;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    LOG.debug("{}: the batch in flight failed too: {}", table.qualified(), e.getCause().getMessage());
                    write = null;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        /**
         * Waits for the batch in flight and settles it, or replays it if the database refused it; returns
         * {@code next} (mapped meanwhile) as it is, or mapped again against the state the replay reloaded.
         */
        private Batch land(Batch next) throws SQLException {
            if (write == null) {
                return next;
            }
            SQLException refused = await(write);
            Batch landed = inFlight;
            write = null;
            inFlight = null;
            if (refused == null) {
                settle(landed, counter);
                return next;
            }
            processor = replay(landed, false, counter, refused);
            Batch again = next.following();
            for (SourceRow row : next.rows) {
                processor.process(row, again, null);
            }
            return again;
        }
    }

    private static SQLException await(Future<SQLException> write) throws SQLException {
        try {
            return write.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TownHallException(ErrorCode.INTERNAL, "the import was interrupted while a batch was written", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SQLException sql) {
                throw sql;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** An open quarantine entry to retry: {@code row} is the reviewer's fixed row where set, else the original. */
    private record OpenEntry(UUID id, String sourceId, String row, boolean fixed, String hash, String reasonCode) {
    }

    /**
     * Re-runs the open quarantine of one table (only the entries {@link Options#quarantineIds} names, when it names
     * any). A reviewer's fixed_row is imported as it is; otherwise the row is read from the source again, so a row
     * fixed in the source comes in as it now is (like a changed row of a plain run), and a row the source no longer
     * holds is retried as it was quarantined.
     */
    private void retryTable(Prepared.Table table, Connection source) throws SQLException {
        List<OpenEntry> entries = new ArrayList<>();
        try (PreparedStatement ps = data.prepareStatement("""
                SELECT id, source_id, coalesce(fixed_row, original_row), fixed_row IS NOT NULL, source_row_hash,
                       reason_code
                FROM legacy.quarantine
                WHERE source_db = ? AND source_table = ? AND status IN ('open', 'fixed')
                  AND (cardinality(CAST(? AS uuid[])) = 0 OR id = ANY (CAST(? AS uuid[])))
                ORDER BY source_id""")) {
            ps.setString(1, table.map.source());
            ps.setString(2, table.map.table());
            java.sql.Array ids = data.createArrayOf("uuid", options.quarantineIds().toArray());
            ps.setArray(3, ids);
            ps.setArray(4, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    entries.add(new OpenEntry(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                            rs.getBoolean(4), rs.getString(5), rs.getString(6)));
                }
            }
        }
        Map<String, SourceRow> current = currentRows(table, source, entries);
        long started = System.nanoTime();
        Counter counter = new Counter(table, entries.size(), 0, started);
        RowProcessor processor = new RowProcessor(prepared, table, state, users, runId, runStart);
        Batch batch = new Batch(table);
        for (OpenEntry e : entries) {
            SourceRow now = e.fixed() ? null : current.get(e.sourceId());
            if (now != null && !now.hash().equals(e.hash())) {
                processor.process(now, batch, null); // changed in the source: what a plain run does with it
            } else {
                processor.process(storedRow(table, e), batch, new RunState.Quarantined(e.id(), e.hash(),
                        e.reasonCode()));
            }
            if (batch.rows.size() >= options.batchRows()) {
                processor = flush(batch, false, counter, processor);
                batch = new Batch(table);
            }
        }
        flush(batch, false, counter, processor);
        progress.update(table.qualified(), counter.done, counter.total, counter.imported, counter.merged,
                counter.quarantined, Duration.ofNanos(System.nanoTime() - started), true);
    }

    /** The source's rows as they are now for the entries without a fixed row, by source id. */
    private static Map<String, SourceRow> currentRows(Prepared.Table table, Connection source, List<OpenEntry> entries)
            throws SQLException {
        List<String> keys = new ArrayList<>();
        for (OpenEntry e : entries) {
            String key = table.map.keyUnique() ? e.sourceId() : e.sourceId().substring(0, e.sourceId().lastIndexOf('#'));
            // (a key recorded shortened, SourceRow.key, finds nothing: that entry is retried as stored)
            if (!e.fixed()) {
                keys.add(key);
            }
        }
        Map<String, SourceRow> rows = new HashMap<>();
        if (keys.isEmpty()) {
            return rows;
        }
        try (SourceReader reader = SourceReader.open(source, table, SourceReader.Selection.keys(keys))) {
            for (SourceRow row = reader.next(); row != null; row = reader.next()) {
                rows.put(row.sourceId(), row);
            }
        }
        return rows;
    }

    /** An entry's fixed or original row, as stored in legacy.quarantine. */
    private static SourceRow storedRow(Prepared.Table table, OpenEntry e) {
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(e.row());
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new IllegalStateException("quarantine entry " + e.id() + " holds invalid JSON", ex);
        }
        String sid = e.sourceId();
        String[] values = SourceRow.valuesFromJson(json, table.source);
        String rawKey = table.map.keyUnique() ? sid : sid.substring(0, sid.lastIndexOf('#'));
        long ordinal = table.map.keyUnique() ? 1 : Long.parseLong(sid.substring(sid.lastIndexOf('#') + 1));
        return new SourceRow(rawKey, ordinal, table.map.keyUnique(), values, null);
    }

    private boolean isLatestTarget(Prepared.Table table) {
        return options.latest() != null && matchesOnly(table.map);
    }

    private boolean matchesOnly(TableMap t) {
        return options.only().stream().anyMatch(o -> o.equals(t.qualified()) || o.equals(t.table()));
    }

    /** Running totals of one table, for the progress line. */
    private static final class Counter {
        final long total;
        final long started;
        long done;
        long imported;
        long merged;
        long quarantined;

        Counter(Prepared.Table table, long total, long done, long started) {
            this.total = total + done;
            this.done = done;
            this.started = started;
        }
    }

    // ---- writing -------------------------------------------------------------------------------------------------

    /**
     * Writes a batch with its checkpoint. If the database refuses it (a constraint the mapping did not foresee),
     * the batch is rolled back, the state reloaded, and its rows replayed one at a time: the rows the database
     * takes are kept, the one it refuses is quarantined with the database's reason.
     */
    private RowProcessor flush(Batch b, boolean complete, Counter counter, RowProcessor processor) throws SQLException {
        detach(b);
        SQLException refused = writeBatch(b, complete, counter.done + b.read);
        if (refused == null) {
            settle(b, counter);
            return processor;
        }
        return replay(b, complete, counter, refused);
    }

    /**
     * Writes and ends one batch's transaction (a dry run: its savepoint). A refusal that is the rows' fault is
     * rolled back and returned, not thrown; anything else is thrown. Runs on the writer thread or this one.
     */
    private SQLException writeBatch(Batch b, boolean complete, long rowsDone) throws SQLException {
        Savepoint savepoint = options.dryRun() ? data.setSavepoint() : null;
        long t0 = System.nanoTime();
        try {
            BatchWriter.write(data, b, runId, complete, rowsDone);
            endBatch(savepoint);
        } catch (SQLException e) {
            if (!isDataError(e)) {
                throw e;
            }
            undo(savepoint);
            return e;
        }
        long writing = writeNanos.addAndGet(System.nanoTime() - t0);
        LOG.debug("{}: batch of {} rows written; {} ms writing so far", b.table.qualified(), b.read,
                writing / 1_000_000);
        return null;
    }

    /** Later rows merge into this batch's targets by UPDATE: the rows here are about to be written. */
    private static void detach(Batch b) {
        for (RunState.MergeTarget m : b.pendingTargets) {
            m.pendingRow = null;
        }
    }

    private RowProcessor replay(Batch failed, boolean complete, Counter counter, SQLException refusal)
            throws SQLException {
        Prepared.Table table = failed.table;
        LOG.debug("{}: batch refused ({}); replaying it row by row", table.qualified(), refusal.getMessage());
        state = RunState.load(data, prepared);
        RowProcessor processor = new RowProcessor(prepared, table, state, users, runId, runStart);
        List<SourceRow> rows = failed.rows;
        for (int i = 0; i < rows.size(); i++) {
            SourceRow row = rows.get(i);
            boolean last = i == rows.size() - 1;
            Batch one = new Batch(table);
            processor.process(row, one, retryEntry(table, row));
            one.lastKey = failed.lastKey == null ? null : row.rawKey();
            one.lastOrdinal = row.ordinal();
            detach(one);
            SQLException refused = writeBatch(one, complete && last, counter.done + one.read);
            if (refused == null) {
                settle(one, counter);
                continue;
            }
            state = RunState.load(data, prepared);
            processor = new RowProcessor(prepared, table, state, users, runId, runStart);
            Batch rejected = one.following();
            processor.reject(row, "rejected_by_target", "the TownHall database refused the row: "
                    + firstLine(refused) + " [SQLState " + refused.getSQLState() + "]", retryEntry(table, row) != null,
                    rejected);
            detach(rejected);
            BatchWriter.write(data, rejected, runId, complete && last, counter.done + rejected.read);
            endBatch(null);
            settle(rejected, counter);
        }
        return processor;
    }

    private RunState.Quarantined retryEntry(Prepared.Table table, SourceRow row) {
        return options.mode().equals("retry_quarantine") ? state.table(table.qualified()).quarantined(row.sourceId())
                : null;
    }

    private void settle(Batch b, Counter counter) throws SQLException {
        counter.done += b.read;
        counter.imported += b.imported;
        counter.merged += b.merged;
        counter.quarantined += b.quarantined;
        totalRead += b.read;
        totalImported += b.imported;
        totalMerged += b.merged;
        totalQuarantined += b.quarantined;
        Map<String, Long> t = thisRun.computeIfAbsent(b.table.qualified(), k -> new TreeMap<>());
        t.merge("read", b.read, Long::sum);
        t.merge("imported", b.imported, Long::sum);
        t.merge("merged", b.merged, Long::sum);
        t.merge("quarantined", b.quarantined, Long::sum);
        t.merge("unchanged", b.unchanged, Long::sum);
        t.merge("updated", b.updated, Long::sum);
        b.rowsWritten.forEach((table, n) -> rowsWritten.merge(table, n, Long::sum));
        activitiesWritten |= b.rowsWritten.containsKey(ENGAGEMENT_SOURCE)
                || b.updates.stream().anyMatch(u -> u.table().equals(ENGAGEMENT_SOURCE));
        progress.update(b.table.qualified(), counter.done, Math.max(counter.total, counter.done), counter.imported,
                counter.merged, counter.quarantined, Duration.ofNanos(System.nanoTime() - counter.started), false);
        ledger.heartbeat(runId, totalRead, totalImported, totalMerged, totalQuarantined);
    }

    /** The town's engagement from all its activities, once (the per-statement refresh is deferred in this session). */
    private void refreshEngagement() throws SQLException {
        try (PreparedStatement ps = data.prepareStatement("SELECT crm.refresh_town_engagement(?)")) {
            ps.setObject(1, prepared.townId);
            ps.execute();
        }
    }

    private void endBatch(Savepoint savepoint) throws SQLException {
        if (options.dryRun()) {
            if (savepoint != null) {
                data.releaseSavepoint(savepoint);
            }
        } else {
            data.commit();
        }
    }

    private void undo(Savepoint savepoint) throws SQLException {
        if (options.dryRun()) {
            data.rollback(savepoint);
        } else {
            data.rollback();
        }
    }

    private void endTransaction() throws SQLException {
        if (!options.dryRun()) {
            data.commit();
        }
    }

    /**
     * Data exceptions (22), integrity violations (23) and program limits a value exceeds (54: a value too large for
     * an index entry): a row's fault, not the run's.
     */
    private static boolean isDataError(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23") || state.startsWith("54"));
    }

    // ---- order and selection -------------------------------------------------------------------------------------

    /**
     * Tables in the order they must be imported: a table after every table it references (by key) and after every
     * table filling the target a lookup searches; otherwise in file order. A cycle is a mapping error.
     */
    public static List<TableMap> order(Mapping mapping) {
        List<TableMap> tables = mapping.tables();
        Map<String, Set<String>> deps = new LinkedHashMap<>();
        for (TableMap t : tables) {
            Set<String> d = new LinkedHashSet<>();
            for (ColumnMap c : t.allColumns()) {
                if (c.ref() == null) {
                    continue;
                }
                if (c.ref().byKey()) {
                    d.add(c.ref().table());
                } else {
                    String lookupTarget = Lookups.targetTable(c.ref().lookup());
                    tables.stream().filter(o -> o.target().equals(lookupTarget) && o != t)
                            .forEach(o -> d.add(o.qualified()));
                }
            }
            d.remove(t.qualified());
            deps.put(t.qualified(), d);
        }
        List<TableMap> ordered = new ArrayList<>();
        Set<String> done = new LinkedHashSet<>();
        while (ordered.size() < tables.size()) {
            TableMap next = tables.stream().filter(t -> !done.contains(t.qualified())
                    && done.containsAll(deps.get(t.qualified()))).findFirst().orElse(null);
            if (next == null) {
                List<String> stuck = tables.stream().map(TableMap::qualified).filter(q -> !done.contains(q)).toList();
                throw new TownHallException(ErrorCode.CONFIG, "mapping file " + mapping.origin()
                        + ": the references between " + stuck + " form a cycle; no import order exists");
            }
            ordered.add(next);
            done.add(next.qualified());
        }
        return ordered;
    }

    /** The tables this run reads: all, or those named by --only and every table they depend on. */
    private Set<String> select(List<TableMap> order) {
        Set<String> all = new LinkedHashSet<>();
        order.forEach(t -> all.add(t.qualified()));
        if (options.only().isEmpty()) {
            if (options.latest() != null) {
                throw new TownHallException(ErrorCode.INVALID_INPUT, "--latest needs --only TABLE: it limits that table");
            }
            return all;
        }
        Map<String, TableMap> byName = new HashMap<>();
        order.forEach(t -> byName.put(t.qualified(), t));
        Set<String> wanted = new LinkedHashSet<>();
        for (String o : options.only()) {
            List<TableMap> matches = order.stream().filter(t -> t.qualified().equals(o) || t.table().equals(o)).toList();
            if (matches.isEmpty()) {
                throw new TownHallException(ErrorCode.INVALID_INPUT, "--only " + o + ": no such table in the mapping"
                        + " (tables: " + String.join(", ", all) + ")");
            }
            if (matches.size() > 1) {
                throw new TownHallException(ErrorCode.INVALID_INPUT, "--only " + o + " is ambiguous ("
                        + matches.stream().map(TableMap::qualified).toList() + "); name it as SOURCE.TABLE");
            }
            wanted.add(matches.get(0).qualified());
        }
        // parents first: a staged import of activities needs the contacts, companies and deals they point at
        Map<String, Set<String>> deps = new HashMap<>();
        List<TableMap> tables = order;
        for (TableMap t : tables) {
            Set<String> d = new LinkedHashSet<>();
            for (ColumnMap c : t.allColumns()) {
                if (c.ref() != null && c.ref().byKey()) {
                    d.add(c.ref().table());
                } else if (c.ref() != null) {
                    String lookupTarget = Lookups.targetTable(c.ref().lookup());
                    tables.stream().filter(o -> o.target().equals(lookupTarget) && o != t)
                            .forEach(o -> d.add(o.qualified()));
                }
            }
            deps.put(t.qualified(), d);
        }
        List<String> queue = new ArrayList<>(wanted);
        while (!queue.isEmpty()) {
            String q = queue.remove(0);
            for (String d : deps.getOrDefault(q, Set.of())) {
                if (wanted.add(d)) {
                    queue.add(d);
                }
            }
        }
        Set<String> selected = new LinkedHashSet<>();
        all.stream().filter(wanted::contains).forEach(selected::add);
        return selected;
    }

    // ---- connections ---------------------------------------------------------------------------------------------

    private static Connection openSource(String name, Endpoint endpoint) {
        Connection c = null;
        try {
            c = endpoint.connect();
            // one snapshot of each source for the whole run: parents and children, and the reconciliation, agree
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            return c;
        } catch (TownHallException e) {
            throw new TownHallException(e.code(), "source " + name + ": " + e.getMessage(), e);
        } catch (SQLException e) {
            closeQuietly(c);
            throw new TownHallException(ErrorCode.DB_UNREACHABLE, "source " + name + ": " + firstLine(e), e);
        }
    }

    private static TownHallException failure(String doing, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.startsWith("08")) {
            return new TownHallException(ErrorCode.DB_UNREACHABLE, "lost a database connection while " + doing + " ("
                    + firstLine(e) + "); run the import again: it resumes where it stopped", e);
        }
        return new TownHallException(ErrorCode.INTERNAL, doing + " failed: " + firstLine(e)
                + (state.isEmpty() ? "" : " [SQLState " + state + "]"), e);
    }

    private static String firstLine(SQLException e) {
        String m = e.getMessage() == null ? "no detail" : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing is best effort; the server drops the session anyway
            }
        }
    }
}
