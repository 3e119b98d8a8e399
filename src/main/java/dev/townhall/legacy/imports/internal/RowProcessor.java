package dev.townhall.legacy.imports.internal;

import dev.townhall.legacy.imports.internal.LegacyRows.DeferredLink;
import dev.townhall.legacy.imports.internal.LegacyRows.IdMapRow;
import dev.townhall.legacy.imports.internal.LegacyRows.IdMapUpdate;
import dev.townhall.legacy.imports.internal.LegacyRows.QuarantineRow;
import dev.townhall.legacy.imports.internal.LegacyRows.QuarantineUpdate;
import dev.townhall.legacy.imports.internal.LegacyRows.ValueIssue;
import dev.townhall.legacy.imports.internal.MappedRow.Note;
import dev.townhall.legacy.imports.internal.RunState.Known;
import dev.townhall.legacy.imports.internal.RunState.MergeTarget;
import dev.townhall.legacy.imports.internal.RunState.Quarantined;
import dev.townhall.legacy.imports.internal.RunState.TableKnowledge;

import java.time.Instant;
import java.util.UUID;

/**
 * Decides what one source row becomes, in this order: already imported and unchanged (nothing to do); mapped
 * value by value ({@link ValueMapper}); merged into an existing row the merge rule matches ({@link MergeMatcher});
 * or a new row, when every required value is there. A row that cannot be mapped or matched is quarantined. Every
 * outcome lands in the {@link Batch} together with its id-map, quarantine, note and deferred-link rows.
 */
public final class RowProcessor {
    private final Prepared prepared;
    private final Prepared.Table table;
    private final RunState state;
    private final UUID runId;
    private final TableKnowledge knowledge;
    private final ValueMapper mapper;
    private final MergeMatcher matcher;

    public RowProcessor(Prepared prepared, Prepared.Table table, RunState state, UserDirectory users, UUID runId,
                        Instant runStart) {
        this.prepared = prepared;
        this.table = table;
        this.state = state;
        this.runId = runId;
        this.knowledge = state.table(table.qualified());
        this.mapper = new ValueMapper(prepared, table, state, users, runId, runStart);
        this.matcher = new MergeMatcher(table, state, runId);
    }

    /**
     * Processes one row into {@code b}. {@code retry} is the quarantine entry being retried (its fixed or original
     * row is {@code row}), or null for a row read from the source.
     */
    public void process(SourceRow row, Batch b, Quarantined retry) {
        b.rows.add(row);
        b.read++;
        String sid = row.sourceId();
        String hash = row.hash();
        Known known = knowledge.known(sid);
        Quarantined open = retry != null ? retry : knowledge.quarantined(sid);
        if (retry == null) {
            if (known != null) {
                if (hash.equals(known.hash())) {
                    b.unchanged++;
                } else {
                    changed(row, known, b);
                }
                return;
            }
            if (open != null && hash.equals(open.hash())) {
                b.unchanged++;
                return;
            }
        } else if (known != null) {
            // imported meanwhile (e.g. the source row was fixed and re-read): the quarantine entry is settled
            b.quarantineResolved.add(retry.id());
            knowledge.resolveQuarantine(sid);
            b.unchanged++;
            return;
        }
        String sourceHash = retry != null && retry.hash() != null ? retry.hash() : hash;
        try {
            MappedRow c = mapper.map(row, b);
            MergeTarget match = matcher.match(row, c);
            if (match != null) {
                matcher.merge(row, c, match, b);
                addNotes(c, sid, match.id(), b);
                addLinks(c, sid, table.main.table, match.id(), b);
                b.idMap.add(idMapRow(sid, match.id(), "merged", sourceHash));
                knowledge.putKnown(sid, new Known("merged", match.id(), sourceHash));
                b.merged++;
            } else {
                c.applyDefaults();
                if (!c.missingRequired.isEmpty()) {
                    throw new RowQuarantine("missing_required", "no value for required " + table.main.table
                            + " column(s) " + String.join(", ", c.missingRequired));
                }
                UUID id = create(row, c, b);
                b.idMap.add(idMapRow(sid, id, "imported", sourceHash));
                knowledge.putKnown(sid, new Known("imported", id, sourceHash));
                addNotes(c, sid, id, b);
                addLinks(c, sid, table.main.table, id, b);
                b.imported++;
            }
            if (open != null) {
                b.quarantineResolved.add(open.id());
                knowledge.resolveQuarantine(sid);
            }
        } catch (RowQuarantine q) {
            quarantine(row, q, open, retry != null, sourceHash, b);
        }
    }

    // ---- creating ------------------------------------------------------------------------------------------------

    private UUID create(SourceRow row, MappedRow c, Batch b) {
        String source = table.map.source();
        UUID id = Ids.of(prepared.townId, source, table.map.table(), row.sourceId());
        c.main.identify(id, prepared.orgId, prepared.townId);
        UUID groupId = null;
        if (table.group != null) {
            groupId = Ids.of(prepared.townId, source, table.map.table(), "group", c.groupKey);
            c.main.set(table.map.group().link(), groupId);
            if (state.groups.get(table.group.table).add(groupId)) {
                c.group.identify(groupId, prepared.orgId, prepared.townId);
                b.insert(c.group);
                for (Note n : c.groupNotes) {
                    b.issues.add(n.issue(runId, source, table.map.table(), row.sourceId(), groupId));
                }
                addLinks(c, row.sourceId(), table.group.table, groupId, b);
            }
        }
        b.insert(c.main);
        if (table.explode != null) {
            int i = 0;
            for (TargetRow child : c.children) {
                child.identify(Ids.of(prepared.townId, source, table.map.table(), row.sourceId(), "explode",
                        Integer.toString(i++)), prepared.orgId, prepared.townId);
                child.set(table.map.explode().link(), groupId);
                b.insert(child);
            }
        }
        matcher.created(id, c, row, b);
        return id;
    }

    // ---- changed rows, quarantine, notes -------------------------------------------------------------------------

    /**
     * A row imported earlier whose content changed in the source (a delta): the values it supplies now update its
     * target (merged rows fill blanks again); a new version that cannot be mapped keeps the earlier import and is
     * noted. The id map keeps the new hash either way, so the change is handled once.
     */
    private void changed(SourceRow row, Known known, Batch b) {
        String sid = row.sourceId();
        b.issueDeletes.add(sid);
        try {
            MappedRow c = mapper.map(row, b);
            MergeTarget cached = matcher.cached(known.targetId());
            if (known.outcome().equals("merged") && cached != null) {
                matcher.merge(row, c, cached, b);
            } else {
                for (Prepared.Column col : table.columns) {
                    Object v = c.main.get(col);
                    if (v == null || col.constant != null || cached != null && !matcher.changed(cached, col, v)) {
                        continue;
                    }
                    b.updates.add(new Batch.Update(table.main.table, known.targetId(), col.target.name(), v,
                            col.target));
                }
                if (cached != null) {
                    matcher.reindex(cached);
                }
            }
            addNotes(c, sid, known.targetId(), b);
            addLinks(c, sid, table.main.table, known.targetId(), b);
        } catch (RowQuarantine q) {
            b.issues.add(new ValueIssue(runId, table.map.source(), table.map.table(), sid, table.main.table,
                    known.targetId(), null, null, null, "update_rejected",
                    "the source row changed but its new version cannot be imported (" + q.code + ": " + q.getMessage()
                            + "); the earlier import stands", null));
        }
        b.idMapUpdates.add(new IdMapUpdate(table.map.source(), table.map.table(), sid, known.targetId(),
                known.outcome(), runId, row.hash()));
        knowledge.putKnown(sid, new Known(known.outcome(), known.targetId(), row.hash()));
        b.updated++;
    }

    private void quarantine(SourceRow row, RowQuarantine q, Quarantined open, boolean retrying, String sourceHash,
                            Batch b) {
        String sid = row.sourceId();
        if (open != null) {
            if (retrying) {
                // the original row stays as it was quarantined; only the reason is refreshed
                b.quarantineRetried.add(new QuarantineUpdate(open.id(), runId, q.code, q.getMessage(), null, null));
            } else {
                b.quarantineUpdates.add(new QuarantineUpdate(open.id(), runId, q.code, q.getMessage(),
                        Json.of(row.toJson(table.source)), sourceHash));
            }
            knowledge.putQuarantined(sid, new Quarantined(open.id(), sourceHash, q.code));
        } else {
            UUID id = UUID.randomUUID();
            b.quarantine.add(new QuarantineRow(id, runId, table.map.source(), table.map.table(), sid, q.code,
                    q.getMessage(), Json.of(row.toJson(table.source)), sourceHash));
            knowledge.putQuarantined(sid, new Quarantined(id, sourceHash, q.code));
        }
        b.quarantined(q.code);
    }

    /**
     * Quarantines a row the target database refused, with the database's reason. {@code retrying}: the row is a
     * quarantine entry's fixed or original row being retried, whose stored original row must stay as it was.
     */
    public void reject(SourceRow row, String code, String reason, boolean retrying, Batch b) {
        b.rows.add(row);
        b.read++;
        Quarantined open = knowledge.quarantined(row.sourceId());
        quarantine(row, new RowQuarantine(code, reason), open, retrying && open != null, open != null
                && open.hash() != null ? open.hash() : row.hash(), b);
    }

    private void addNotes(MappedRow c, String sid, UUID targetId, Batch b) {
        for (Note n : c.notes) {
            b.issues.add(n.issue(runId, table.map.source(), table.map.table(), sid, targetId));
        }
    }

    /** The references of {@code c} into {@code targetTable} that wait for their parent, for row {@code targetId}. */
    private void addLinks(MappedRow c, String sid, String targetTable, UUID targetId, Batch b) {
        for (MappedRow.Deferred d : c.deferred) {
            if (!d.table().equals(targetTable)) {
                continue;
            }
            Mapping.Ref ref = d.ref();
            String parentDb = null;
            String parentTable = null;
            if (ref.byKey()) {
                int dot = ref.table().indexOf('.');
                parentDb = ref.table().substring(0, dot);
                parentTable = ref.table().substring(dot + 1);
            }
            b.links.add(new DeferredLink(runId, table.map.source(), table.map.table(), sid, targetTable, targetId,
                    d.column(), parentDb, parentTable, ref.lookup(), d.parent(), d.code()));
        }
    }

    private IdMapRow idMapRow(String sid, UUID target, String outcome, String hash) {
        return new IdMapRow(table.map.source(), table.map.table(), sid, table.main.table, target, outcome, runId, hash);
    }
}
