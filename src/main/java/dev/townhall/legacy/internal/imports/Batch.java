package dev.townhall.legacy.internal.imports;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Everything one batch of source rows turns into, written in one transaction with its checkpoint: new target rows
 * (COPY), filled blanks (UPDATE), the id map, quarantine, value notes, merge conflicts. Nothing reaches the database
 * before {@link BatchWriter#write}.
 */
public final class Batch {
    /** A value set on an existing target row. */
    public record Update(String table, UUID id, String column, Object value, PgCatalog.Column info) {
    }

    final Prepared.Table table;
    final List<SourceRow> rows = new ArrayList<>();
    /** Insertion order matters: group rows before the rows that link to them. */
    final LinkedHashMap<Prepared.Shape, List<Object[]>> inserts = new LinkedHashMap<>();
    final List<Update> updates = new ArrayList<>();
    final List<Object[]> idMap = new ArrayList<>();
    final List<Object[]> idMapUpdates = new ArrayList<>();
    final List<Object[]> quarantine = new ArrayList<>();
    final List<Object[]> quarantineUpdates = new ArrayList<>();
    final List<UUID> quarantineResolved = new ArrayList<>();
    final List<Object[]> quarantineRetried = new ArrayList<>();
    final List<String> issueDeletes = new ArrayList<>();
    final List<Object[]> issues = new ArrayList<>();
    final List<Object[]> conflicts = new ArrayList<>();
    final List<Object[]> fills = new ArrayList<>();
    final List<RunState.MergeTarget> pendingTargets = new ArrayList<>();

    String lastKey;
    long lastOrdinal;
    long bytes;

    long read;
    long imported;
    long merged;
    long quarantined;
    long unchanged;
    long updated;
    final Map<String, Long> quarantinedByReason = new TreeMap<>();
    final Map<String, Long> rowsWritten = new HashMap<>();

    Batch(Prepared.Table table) {
        this.table = table;
        if (table.group != null) {
            inserts.put(table.group, new ArrayList<>());
        }
        inserts.put(table.main, new ArrayList<>());
        if (table.explode != null) {
            inserts.put(table.explode, new ArrayList<>());
        }
    }

    void insert(Prepared.Shape shape, Object[] row, long size) {
        inserts.get(shape).add(row);
        rowsWritten.merge(shape.table, 1L, Long::sum);
        bytes += size;
    }

    void quarantined(String reasonCode) {
        quarantined++;
        quarantinedByReason.merge(reasonCode, 1L, Long::sum);
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    public long read() {
        return read;
    }
}
