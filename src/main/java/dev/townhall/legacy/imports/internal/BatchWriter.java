package dev.townhall.legacy.imports.internal;

import dev.townhall.db.Identifiers;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes a {@link Batch} on the target connection: COPY for every bulk of new rows (target rows, id map,
 * quarantine, notes, deferred links, conflicts), batched UPDATEs for filled blanks, and the checkpoint. The caller owns the
 * transaction. A COPY that fails is cancelled, so the connection stays usable for the rollback.
 */
public final class BatchWriter {
    private static final int COPY_CHUNK_CHARS = 1 << 20;

    private BatchWriter() {
    }

    /** Writes everything in {@code b} and the checkpoint after its last row. */
    public static void write(Connection c, Batch b, UUID runId, boolean tableComplete, long rowsDone)
            throws SQLException {
        for (List<TargetRow> rows : b.inserts.values()) {
            copy(c, rows);
        }
        writeUpdates(c, b.updates);
        copy(c, b.idMap);
        if (!b.idMapUpdates.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE legacy.id_map SET target_id = ?, outcome = ?, run_id = ?, source_row_hash = ?
                    WHERE source_db = ? AND source_table = ? AND source_id = ?""")) {
                for (LegacyRows.IdMapUpdate u : b.idMapUpdates) {
                    ps.setObject(1, u.targetId());
                    ps.setString(2, u.outcome());
                    ps.setObject(3, u.runId());
                    ps.setString(4, u.sourceRowHash());
                    ps.setString(5, u.sourceDb());
                    ps.setString(6, u.sourceTable());
                    ps.setString(7, u.sourceId());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        copy(c, b.quarantine);
        if (!b.quarantineUpdates.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE legacy.quarantine
                    SET run_id = ?, reason_code = ?, reason = ?, original_row = CAST(? AS jsonb), source_row_hash = ?,
                        status = CASE WHEN status = 'fixed' THEN 'open' ELSE status END
                    WHERE id = ?""")) {
                for (LegacyRows.QuarantineUpdate u : b.quarantineUpdates) {
                    ps.setObject(1, u.runId());
                    ps.setString(2, u.reasonCode());
                    ps.setString(3, u.reason());
                    ps.setString(4, u.originalRow().text());
                    ps.setString(5, u.sourceRowHash());
                    ps.setObject(6, u.id());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        if (!b.quarantineRetried.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE legacy.quarantine
                    SET run_id = ?, reason_code = ?, reason = ?,
                        status = CASE WHEN status = 'fixed' THEN 'open' ELSE status END
                    WHERE id = ?""")) {
                for (LegacyRows.QuarantineUpdate u : b.quarantineRetried) {
                    ps.setObject(1, u.runId());
                    ps.setString(2, u.reasonCode());
                    ps.setString(3, u.reason());
                    ps.setObject(4, u.id());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        if (!b.quarantineResolved.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE legacy.quarantine SET status = 'reimported', resolved_run_id = ?, resolved_at = now()
                    WHERE id = ANY (?)""")) {
                ps.setObject(1, runId);
                ps.setArray(2, c.createArrayOf("uuid", b.quarantineResolved.toArray()));
                ps.executeUpdate();
            }
        }
        if (!b.issueDeletes.isEmpty()) {
            for (String sql : List.of(
                    "DELETE FROM legacy.value_issues WHERE source_db = ? AND source_table = ? AND source_id = ANY (?)",
                    "DELETE FROM legacy.deferred_links WHERE source_db = ? AND source_table = ? AND source_id = ANY (?)")) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setString(1, b.table.map.source());
                    ps.setString(2, b.table.map.table());
                    ps.setArray(3, c.createArrayOf("text", b.issueDeletes.toArray()));
                    ps.executeUpdate();
                }
            }
        }
        copy(c, b.issues);
        copy(c, b.links);
        copy(c, b.conflicts);
        copy(c, b.fills);
        if (b.lastKey != null) {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO legacy.import_checkpoints (run_id, source_db, source_table, last_source_key, rows_done,
                                                           is_complete)
                    VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (run_id, source_db, source_table) DO UPDATE
                    SET last_source_key = EXCLUDED.last_source_key, rows_done = EXCLUDED.rows_done,
                        is_complete = EXCLUDED.is_complete""")) {
                ps.setObject(1, runId);
                ps.setString(2, b.table.map.source());
                ps.setString(3, b.table.map.table());
                ps.setString(4, Checkpoints.encode(b.lastKey, b.lastOrdinal));
                ps.setLong(5, rowsDone);
                ps.setBoolean(6, tableComplete);
                ps.executeUpdate();
            }
        }
    }

    private static void writeUpdates(Connection c, List<Batch.Update> updates) throws SQLException {
        // one statement per (table, column): few distinct shapes, each sent as one JDBC batch
        Map<String, List<Batch.Update>> byShape = new LinkedHashMap<>();
        for (Batch.Update u : updates) {
            byShape.computeIfAbsent(u.table() + "\u0000" + u.column(), k -> new ArrayList<>()).add(u);
        }
        for (List<Batch.Update> group : byShape.values()) {
            Batch.Update first = group.get(0);
            String type = first.info().isArray() ? first.info().type().substring(1) + "[]" : first.info().type();
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + Identifiers.quoteQualified(first.table())
                    + " SET " + Identifiers.quote(first.column()) + " = CAST(? AS " + type + ") WHERE id = ?")) {
                for (Batch.Update u : group) {
                    ps.setString(1, ValueCodec.text(u.value()));
                    ps.setObject(2, u.id());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }

    /** COPY {@code rows} (all of one table and shape) into their table; returns the number of rows the server took. */
    public static long copy(Connection c, List<? extends CopyRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return 0;
        }
        String table = rows.get(0).table();
        List<String> columns = rows.get(0).columns();
        StringBuilder sql = new StringBuilder("COPY ").append(Identifiers.quoteQualified(table)).append(" (");
        for (int i = 0; i < columns.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(Identifiers.quote(columns.get(i)));
        }
        sql.append(") FROM STDIN");
        CopyManager copyManager = c.unwrap(PGConnection.class).getCopyAPI();
        CopyIn copy = copyManager.copyIn(sql.toString());
        try {
            StringBuilder buffer = new StringBuilder(COPY_CHUNK_CHARS + 4096);
            CopyRow.Line line = new CopyRow.Line(buffer);
            for (CopyRow row : rows) {
                row.writeTo(line);
                line.end();
                if (buffer.length() >= COPY_CHUNK_CHARS) {
                    send(copy, buffer);
                }
            }
            send(copy, buffer);
            return copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    private static void send(CopyIn copy, StringBuilder buffer) throws SQLException {
        if (buffer.length() == 0) {
            return;
        }
        byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
        copy.writeToCopy(bytes, 0, bytes.length);
        buffer.setLength(0);
    }
}
