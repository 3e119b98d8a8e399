package dev.townhall.legacy.imports.internal;

import dev.townhall.legacy.imports.internal.LegacyRows.FilledValue;
import dev.townhall.legacy.imports.internal.LegacyRows.MergeConflict;
import dev.townhall.legacy.imports.internal.Mapping.ColumnMerge;
import dev.townhall.legacy.imports.internal.Mapping.MergeRule;
import dev.townhall.legacy.imports.internal.RunState.MergeTarget;
import dev.townhall.legacy.imports.internal.RunState.TableKnowledge;
import dev.townhall.legacy.imports.internal.RunState.TargetIndex;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The merge rule of one source table: which existing row a mapped row is (the same repeated key; then, for
 * companies and contacts, the keys {@link MatchKeys} defines, looked up in the {@link TargetIndex}), and how it is
 * folded into that row (blanks filled, differing values recorded as conflicts, lists united where the column says).
 */
final class MergeMatcher {
    private final Prepared.Table table;
    private final TableKnowledge knowledge;
    /** The merge index of the target table; null for a table without merge rules. */
    private final TargetIndex index;
    private final UUID runId;
    private final String label;

    MergeMatcher(Prepared.Table table, RunState state, UUID runId) {
        this.table = table;
        this.knowledge = state.table(table.qualified());
        this.index = table.map.merge() == MergeRule.NONE ? null : state.index(table.map.target());
        this.runId = runId;
        this.label = table.map.source() + "." + table.map.table();
    }

    /** True when the table has merge rules (companies, contacts): rows are indexed and matched by their keys. */
    boolean merges() {
        return index != null;
    }

    /** The cached row {@code id}, or null when the table has no merge rules or the row is not cached. */
    MergeTarget cached(UUID id) {
        return index == null ? null : index.row(id);
    }

    /** The existing row {@code c} is, or null for a new row; several candidates quarantine it as ambiguous. */
    MergeTarget match(SourceRow row, MappedRow c) throws RowQuarantine {
        MergeTarget same = sameKeyTarget(row);
        if (same != null || index == null) {
            return same;
        }
        String primary = index.primaryKey(c.main::value);
        if (primary != null) {
            Set<UUID> ids = index.byPrimary(primary);
            if (!ids.isEmpty()) {
                // several rows sharing one domain or e-mail can only come from data that was there before:
                // the smallest id is a stable choice, and the others stay untouched
                return index.row(ids.iterator().next());
            }
        }
        String nameKey = index.nameKey(c.main::value);
        if (nameKey != null) {
            String primaryColumn = index.rule == MergeRule.COMPANY ? "domain" : "email";
            List<MergeTarget> candidates = new ArrayList<>();
            for (UUID id : index.byName(nameKey)) {
                MergeTarget m = index.row(id);
                if (m.value(primaryColumn) == null || primary == null) {
                    candidates.add(m);
                }
            }
            if (candidates.size() == 1) {
                return candidates.get(0);
            }
            if (candidates.size() > 1) {
                throw new RowQuarantine("ambiguous_match", candidates.size() + " existing " + index.table
                        + " rows match by name; which one this row is cannot be decided by the rules");
            }
        }
        return null;
    }

    /** Rows of a table without a unique key that repeat a key are the same record: the first one's target. */
    private MergeTarget sameKeyTarget(SourceRow row) {
        if (table.map.keyUnique()) {
            return null;
        }
        UUID target = knowledge.target(row.key());
        if (target == null) {
            return null;
        }
        MergeTarget m = index == null ? null : index.row(target);
        return m != null ? m : new MergeTarget(target);
    }

    /** Folds {@code c} into {@code target}: fills its blanks, records differing values as conflicts. */
    void merge(SourceRow row, MappedRow c, MergeTarget target, Batch b) {
        if (index == null) {
            return; // a repeated key of a table without merge rules: the first row's values stand
        }
        for (Prepared.Column col : table.columns) {
            Object v = c.main.get(col);
            String name = col.target.name();
            if (ValueCodec.isEmpty(v) || col.map.merge() == ColumnMerge.NONE) {
                continue;
            }
            if (col.map.onlyIfNull() != null && target.value(col.map.onlyIfNull()) != null) {
                continue;
            }
            Object existing = target.value(name);
            if (ValueCodec.isEmpty(existing)) {
                set(target, col, v, b);
                target.provenance.put(name, label + ":" + row.sourceId());
                b.fills.add(new FilledValue(runId, index.table, target.id, name, table.map.source(),
                        table.map.table(), row.sourceId()));
            } else if (!ValueCodec.same(existing, v, col.target)) {
                if (col.map.merge() == ColumnMerge.UNION && existing instanceof List<?> a && v instanceof List<?> add) {
                    List<Object> union = new ArrayList<>(a);
                    add.stream().filter(x -> !union.contains(x)).forEach(union::add);
                    set(target, col, union, b);
                } else {
                    b.conflicts.add(new MergeConflict(runId, index.table, target.id, name, Json.of(Json.tree(existing)),
                            Json.of(Json.tree(v)), target.provenance.getOrDefault(name, target.creator),
                            table.map.source(), table.map.table(), row.sourceId(), "first_non_empty"));
                }
            }
        }
        index.reindex(target);
    }

    private void set(MergeTarget target, Prepared.Column col, Object v, Batch b) {
        String name = col.target.name();
        target.values.put(name, v);
        if (target.pendingRow != null && target.pendingRow.shape.has(name)) {
            target.pendingRow.set(name, v);
        } else {
            b.updates.add(new Batch.Update(index.table, target.id, name, v, col.target));
        }
    }

    /** Makes a newly created row a merge target for the rows after it (its COPY line still pending). */
    void created(UUID id, MappedRow c, SourceRow row, Batch b) {
        if (index == null) {
            return;
        }
        MergeTarget m = new MergeTarget(id);
        for (Prepared.Column col : table.columns) {
            Object v = c.main.get(col);
            if (v != null) {
                m.values.put(col.target.name(), v);
            }
        }
        m.creator = label + ":" + row.sourceId();
        m.pendingRow = c.main;
        b.pendingTargets.add(m);
        index.add(m);
    }

    /** Records changed values of a row imported earlier on its cached copy; false when the value is not new. */
    boolean changed(MergeTarget cached, Prepared.Column col, Object v) {
        if (ValueCodec.same(cached.value(col.target.name()), v, col.target)) {
            return false;
        }
        cached.values.put(col.target.name(), v);
        return true;
    }

    void reindex(MergeTarget cached) {
        index.reindex(cached);
    }
}
