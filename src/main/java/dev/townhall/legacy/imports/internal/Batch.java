package dev.townhall.legacy.imports.internal;

import dev.townhall.legacy.imports.internal.LegacyRows.DeferredLink;
import dev.townhall.legacy.imports.internal.LegacyRows.FilledValue;
import dev.townhall.legacy.imports.internal.LegacyRows.IdMapRow;
import dev.townhall.legacy.imports.internal.LegacyRows.IdMapUpdate;
import dev.townhall.legacy.imports.internal.LegacyRows.MergeConflict;
import dev.townhall.legacy.imports.internal.LegacyRows.QuarantineRow;
import dev.townhall.legacy.imports.internal.LegacyRows.QuarantineUpdate;
import dev.townhall.legacy.imports.internal.LegacyRows.ValueIssue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Everything one batch of source rows turns into, written in one transaction with its checkpoint: new target rows
 * (COPY), filled blanks (UPDATE), the id map, quarantine, value notes, merge conflicts, deferred links. Nothing reaches the database
 * before {@link BatchWriter#write}.
 */
public final class Batch {
    /** A value set on an existing target row. */
    public record Update(String table, UUID id, String column, Object value, PgCatalog.Column info) {
    }

    final Prepared.Table table;
    final List<SourceRow> rows = new ArrayList<>();
    /** Insertion order matters: group rows before the rows that link to them. */
    final LinkedHashMap<Prepared.Shape, List<TargetRow>> inserts = new LinkedHashMap<>();
    final List<Update> updates = new ArrayList<>();
    final List<IdMapRow> idMap = new ArrayList<>();
    final List<IdMapUpdate> idMapUpdates = new ArrayList<>();
    final List<QuarantineRow> quarantine = new ArrayList<>();
    /** Entries quarantined again by a changed source row. */
    final List<QuarantineUpdate> quarantineUpdates = new ArrayList<>();
    final List<UUID> quarantineResolved = new ArrayList<>();
    /** Entries quarantined again by a retry. */
    final List<QuarantineUpdate> quarantineRetried = new ArrayList<>();
    /** Source rows whose new version replaces their value issues and deferred links. */
    final List<String> issueDeletes = new ArrayList<>();
    final List<ValueIssue> issues = new ArrayList<>();
    final List<DeferredLink> links = new ArrayList<>();
    final List<MergeConflict> conflicts = new ArrayList<>();
    final List<FilledValue> fills = new ArrayList<>();
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

    /**
     * The table's next, empty batch: it starts after this one's last row, so even if no row follows it writes the
     * checkpoint that marks the table complete.
     */
    Batch following() {
        Batch next = new Batch(table);
        next.lastKey = lastKey;
        next.lastOrdinal = lastOrdinal;
        return next;
    }

    void insert(TargetRow row) {
        inserts.get(row.shape).add(row);
        rowsWritten.merge(row.shape.table, 1L, Long::sum);
        bytes += row.estimate();
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
