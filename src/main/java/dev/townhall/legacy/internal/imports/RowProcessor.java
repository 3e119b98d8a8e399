package dev.townhall.legacy.internal.imports;

import dev.townhall.legacy.internal.imports.Mapping.ColumnMap;
import dev.townhall.legacy.internal.imports.Mapping.ColumnMerge;
import dev.townhall.legacy.internal.imports.Mapping.MergeRule;
import dev.townhall.legacy.internal.imports.Mapping.Policy;
import dev.townhall.legacy.internal.imports.RunState.Known;
import dev.townhall.legacy.internal.imports.RunState.MergeTarget;
import dev.townhall.legacy.internal.imports.RunState.Quarantined;
import dev.townhall.legacy.internal.imports.RunState.TableKnowledge;
import dev.townhall.legacy.internal.imports.RunState.TargetIndex;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Decides what one source row becomes, in this order: already imported and unchanged (nothing to do); mapped
 * value by value (normalise, map, resolve references), where a refused value or a dangling reference either drops
 * the value with a note or quarantines the row, as the mapping says; merged into an existing row the merge rule
 * matches (blanks filled, differing values recorded as conflicts); or a new row, when every required value is
 * there. Every outcome lands in the {@link Batch} together with its id-map, quarantine and note rows.
 */
public final class RowProcessor {
    /** Fallback for a reference that finds nothing: why. */
    private record Missing(String code, String reason) {
    }

    /** A note about a value the row is kept without. */
    private record Note(String table, String column, String sourceColumn, String raw, String code, String reason) {
    }

    /** Thrown inside mapping when the row must be quarantined. */
    private static final class Quarantine extends Exception {
        private static final long serialVersionUID = 1L;
        final String code;

        Quarantine(String code, String reason) {
            super(reason, null, false, false);
            this.code = code;
        }
    }

    /** The mapped values of one row. */
    private static final class Candidate {
        final Object[] main;
        Object[] group;
        String groupKey;
        final List<Object[]> children = new ArrayList<>();
        final List<Note> notes = new ArrayList<>();
        /** Notes about the group row: kept only when this row creates the group. */
        final List<Note> groupNotes = new ArrayList<>();
        final List<String> missingRequired = new ArrayList<>();

        Candidate(int width) {
            main = new Object[width];
        }
    }

    private final Prepared prepared;
    private final Prepared.Table table;
    private final RunState state;
    private final UserDirectory users;
    private final UUID runId;
    private final Instant runStart;
    private final TableKnowledge knowledge;
    private final TargetIndex index;
    private final Instant plausibleFrom;
    private final Instant plausibleTo;
    private final String label;

    public RowProcessor(Prepared prepared, Prepared.Table table, RunState state, UserDirectory users, UUID runId,
                        Instant runStart) {
        this.prepared = prepared;
        this.table = table;
        this.state = state;
        this.users = users;
        this.runId = runId;
        this.runStart = runStart;
        this.knowledge = state.table(table.qualified());
        this.index = table.map.merge() == MergeRule.NONE ? null : state.index(table.map.target());
        this.plausibleFrom = prepared.mapping.plausibleFrom().atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
        this.plausibleTo = prepared.mapping.plausibleTo().plusDays(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
        this.label = table.map.source() + "." + table.map.table();
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
        Candidate c;
        try {
            c = map(row);
            MergeTarget match = index == null ? sameKeyTarget(row) : match(row, c);
            if (match != null) {
                merge(row, c, match, b);
                b.idMap.add(idMapRow(sid, match.id, "merged", sourceHash));
                knowledge.putKnown(sid, new Known("merged", match.id, sourceHash));
                if (index == null) {
                    addNotes(c, sid, match.id, b);
                }
                b.merged++;
            } else {
                if (!c.missingRequired.isEmpty()) {
                    throw new Quarantine("missing_required", "no value for required " + table.main.table + " column(s) "
                            + String.join(", ", c.missingRequired));
                }
                UUID id = create(row, c, b);
                b.idMap.add(idMapRow(sid, id, "imported", sourceHash));
                knowledge.putKnown(sid, new Known("imported", id, sourceHash));
                addNotes(c, sid, id, b);
                b.imported++;
            }
            if (open != null) {
                b.quarantineResolved.add(open.id());
                knowledge.resolveQuarantine(sid);
            }
        } catch (Quarantine q) {
            quarantine(row, q, open, retry != null, sourceHash, b);
        }
    }

    // ---- mapping -------------------------------------------------------------------------------------------------

    private Candidate map(SourceRow row) throws Quarantine {
        Candidate c = new Candidate(table.main.columns.size());
        for (Prepared.Column col : table.columns) {
            c.main[col.position] = value(col, row, null, c, table.main.table);
        }
        onlyIfNull(table.columns, c.main);
        if (table.group != null) {
            String key = row.value(table.groupByIndex);
            if (key == null || key.isBlank()) {
                throw new Quarantine("missing_required", table.map.group().by() + " is empty, so the row belongs to no "
                        + table.group.table + " row");
            }
            c.groupKey = key.strip();
            c.group = new Object[table.group.columns.size()];
            int before = c.notes.size();
            for (Prepared.Column col : table.groupColumns) {
                Object v = value(col, row, null, c, table.group.table);
                if (v == null && col.required) {
                    throw new Quarantine("missing_required", "no value for required " + table.group.table + "."
                            + col.target.name());
                }
                c.group[col.position] = v == null ? fallback(col) : v;
            }
            List<Note> groupNotes = c.notes.subList(before, c.notes.size());
            c.groupNotes.addAll(groupNotes);
            groupNotes.clear();
        }
        if (table.explode != null) {
            String list = row.value(table.explodeFromIndex);
            if (list != null) {
                Set<String> items = new LinkedHashSet<>();
                for (String item : table.map.explode().split().split(list)) {
                    String t = TextRepair.repair(item).strip();
                    if (!t.isEmpty()) {
                        items.add(t);
                    }
                }
                for (String item : items) {
                    Object[] child = new Object[table.explode.columns.size()];
                    for (Prepared.Column col : table.explodeColumns) {
                        child[col.position] = value(col, row, item, c, table.explode.table);
                    }
                    onlyIfNull(table.explodeColumns, child);
                    c.children.add(child);
                }
            }
        }
        for (Prepared.Column col : table.columns) {
            if (c.main[col.position] == null) {
                Object fallback = fallback(col);
                if (fallback != null) {
                    c.main[col.position] = fallback;
                } else if (col.required) {
                    c.missingRequired.add(col.target.name());
                }
            }
        }
        return c;
    }

    private Object fallback(Prepared.Column col) {
        return col.nullFallback == Prepared.RUN_START ? runStart : col.nullFallback;
    }

    private static void onlyIfNull(List<Prepared.Column> columns, Object[] values) {
        for (Prepared.Column col : columns) {
            String other = col.map.onlyIfNull();
            if (other != null) {
                for (Prepared.Column o : columns) {
                    if (o.target.name().equals(other) && values[o.position] != null) {
                        values[col.position] = null;
                    }
                }
            }
        }
    }

    /** One column's value for this row ({@code item}: the exploded item, for explode columns). */
    private Object value(Prepared.Column col, SourceRow row, String item, Candidate c, String targetTable)
            throws Quarantine {
        ColumnMap m = col.map;
        if (col.constant != null) {
            return col.constant;
        }
        String raw = item != null ? item : col.sourceIndexes.length == 0 ? null : row.value(col.sourceIndexes[0]);
        String sourceColumn = item != null ? table.map.explode().from() : String.join(",", m.from());
        if (m.ref() != null) {
            return reference(col, raw, c, targetTable, sourceColumn);
        }
        Context ctx = new Context(col, c, targetTable, sourceColumn, raw);
        try {
            Object v;
            if (!col.normalisers.isEmpty() && col.normalisers.get(0).inputs() > 1) {
                List<String> inputs = new ArrayList<>();
                for (int index : col.sourceIndexes) {
                    inputs.add(row.value(index));
                }
                v = col.normalisers.get(0).apply(inputs, ctx);
            } else {
                if (raw == null) {
                    return null;
                }
                v = raw;
                if (col.normalisers.isEmpty()) {
                    String t = TextRepair.repair(raw).strip();
                    v = t.isEmpty() || isPlaceholder(t) ? null : t;
                }
                for (Normalisers.Def def : col.normalisers) {
                    if (v == null) {
                        break;
                    }
                    v = v instanceof List<?> list ? eachElement(def, list, ctx) : def.apply(v, ctx);
                }
                if (v != null && m.map() != null) {
                    v = v instanceof List<?> list ? eachMapped(list, ctx) : ctx.mapped(v.toString());
                }
            }
            if (v != null && col.allowed != null && !col.allowed.contains(v.toString())) {
                throw new InvalidValue("unknown_value", "'" + v + "' is not one of " + m.inTable());
            }
            if (v instanceof List<?> list && !col.target.isArray()) {
                if (list.isEmpty()) {
                    return null;
                }
                for (int i = 1; i < list.size(); i++) {
                    ctx.note("extra_value", String.valueOf(list.get(i)), targetTable + "." + col.target.name()
                            + " holds one value; this one was not kept");
                }
                v = list.get(0);
            }
            return v;
        } catch (InvalidValue e) {
            return refused(m.onInvalid(), e.reasonCode(), e.reason(), col, c, targetTable, sourceColumn, raw);
        }
    }

    private Object eachElement(Normalisers.Def def, List<?> list, Context ctx) {
        List<Object> out = new ArrayList<>();
        for (Object element : list) {
            try {
                Object v = def.apply(element, ctx);
                if (v != null) {
                    out.add(v);
                }
            } catch (InvalidValue e) {
                ctx.note(e.reasonCode(), String.valueOf(element), e.reason());
            }
        }
        return out;
    }

    private Object eachMapped(List<?> list, Context ctx) throws InvalidValue {
        List<Object> out = new ArrayList<>();
        for (Object element : list) {
            Object v = ctx.mapped(element.toString());
            if (v instanceof List<?> l) {
                out.addAll(l);
            } else if (v != null) {
                out.add(v);
            }
        }
        return out;
    }

    private Object refused(Policy policy, String code, String reason, Prepared.Column col, Candidate c,
                           String targetTable, String sourceColumn, String raw) throws Quarantine {
        return switch (policy) {
            case QUARANTINE -> throw new Quarantine(code, sourceColumn + ": " + reason);
            case NULL -> {
                c.notes.add(new Note(targetTable, col.target.name(), sourceColumn, raw, code, reason));
                yield null;
            }
            case IGNORE -> null;
        };
    }

    private Object reference(Prepared.Column col, String raw, Candidate c, String targetTable, String sourceColumn)
            throws Quarantine {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String key = raw.strip();
        Mapping.Ref ref = col.map.ref();
        Missing missing;
        if (ref.byKey()) {
            TableKnowledge parent = state.table(ref.table());
            UUID target = parent.target(key);
            if (target != null) {
                return target;
            }
            missing = parent.isQuarantined(key)
                    ? new Missing("parent_quarantined", ref.table() + " row " + key + " is quarantined")
                    : new Missing("orphan_reference", ref.table() + " has no row " + key);
        } else {
            Lookup found = lookup(ref.lookup(), key);
            if (found.id != null) {
                return found.id;
            }
            missing = new Missing(found.code, found.reason);
        }
        if (missing.code().equals("parent_quarantined")) {
            // the child waits with its parent: retrying the quarantine after a fix brings both back
            throw new Quarantine(missing.code(), sourceColumn + ": " + missing.reason());
        }
        return refused(col.map.onMissing(), missing.code(), missing.reason(), col, c, targetTable, sourceColumn, raw);
    }

    private record Lookup(UUID id, String code, String reason) {
    }

    /** Finds an imported contact by e-mail, or company by name or host name; never picks among several. */
    private Lookup lookup(String lookup, String text) {
        if (lookup.equals("contact_by_email")) {
            String email;
            try {
                email = (String) Normalisers.get("email").apply(text, new Context(null, null, null, null, text));
            } catch (InvalidValue e) {
                return new Lookup(null, "invalid_email", "'" + text + "' is not an e-mail address to look a contact up by");
            }
            if (email == null) {
                return new Lookup(null, "orphan_reference", "'" + text + "' names no contact");
            }
            Set<UUID> ids = state.index("crm.contacts").byPrimary(email);
            return ids.size() == 1 ? new Lookup(ids.iterator().next(), null, null)
                    : ids.isEmpty() ? new Lookup(null, "orphan_reference", "no imported contact has the e-mail " + email)
                    : new Lookup(null, "ambiguous_reference", ids.size() + " contacts have the e-mail " + email);
        }
        TargetIndex companies = state.index("crm.companies");
        Set<UUID> ids;
        String what;
        if (Names.isHostName(text)) {
            String host = text.strip().toLowerCase(java.util.Locale.ROOT).replaceFirst("^www\\.", "");
            ids = companies.byPrimary(host);
            what = "domain " + host;
        } else {
            String key = Names.companyKey(TextRepair.repair(text));
            ids = key == null ? Set.of() : companies.byName(key);
            what = "name '" + text.strip() + "'";
        }
        return ids.size() == 1 ? new Lookup(ids.iterator().next(), null, null)
                : ids.isEmpty() ? new Lookup(null, "orphan_reference", "no imported company has the " + what)
                : new Lookup(null, "ambiguous_reference", ids.size() + " companies have the " + what);
    }

    private boolean isPlaceholder(String text) {
        return prepared.mapping.placeholders().contains(text.strip().toLowerCase(java.util.Locale.ROOT));
    }

    /** The {@link Normalisers.ValueContext} of one column of one row. */
    private final class Context implements Normalisers.ValueContext {
        private final Prepared.Column col;
        private final Candidate candidate;
        private final String targetTable;
        private final String sourceColumn;
        private final String raw;

        Context(Prepared.Column col, Candidate candidate, String targetTable, String sourceColumn, String raw) {
            this.col = col;
            this.candidate = candidate;
            this.targetTable = targetTable;
            this.sourceColumn = sourceColumn;
            this.raw = raw;
        }

        @Override
        public ZoneId zone() {
            Object zone = arg("zone");
            return zone == null ? table.map.zone() : ZoneId.of(zone.toString());
        }

        @Override
        public Instant plausibleFrom() {
            return plausibleFrom;
        }

        @Override
        public Instant plausibleTo() {
            return plausibleTo;
        }

        @Override
        public boolean isPlaceholder(String text) {
            return RowProcessor.this.isPlaceholder(text);
        }

        @Override
        public UUID user(String textId) throws InvalidValue {
            UserDirectory.Resolution r = users.resolve(textId);
            if (r == null) {
                throw new InvalidValue("unknown_user", "text id '" + textId.strip() + "' matches no user");
            }
            String normalised = UserDirectory.normalise(textId);
            if (pendingUsers != null && state.userMappings.add(table.map.source() + "\u0000" + normalised)) {
                pendingUsers.idMap.add(new Object[] {table.map.source(), "user_text_id", normalised, "core.users",
                        r.userId(), "mapped", runId, null});
            }
            return r.userId();
        }

        @Override
        public void note(String reasonCode, String rawValue, String message) {
            if (candidate != null) {
                candidate.notes.add(new Note(targetTable, col.target.name(), sourceColumn, rawValue, reasonCode, message));
            }
        }

        @Override
        public Object arg(String name) {
            return col == null ? null : col.map.args().get(name);
        }

        @Override
        public Object mapped(String value) throws InvalidValue {
            ColumnMap m = col.map;
            Object v = m.map().get(MappingLoader.fold(value));
            if (v != null) {
                return v;
            }
            return switch (m.unmapped()) {
                case INVALID -> throw new InvalidValue("unmapped_value", "'" + value + "' has no entry in the map for "
                        + targetTable + "." + col.target.name());
                case KEEP -> value;
                case NULL -> null;
                case VALUE -> {
                    note("unmapped_value", raw, "'" + value + "' has no entry in the map; kept as " + m.unmappedValue());
                    yield m.unmappedValue();
                }
            };
        }
    }

    /** The batch user mappings go to while a row is processed. */
    private Batch pendingUsers;

    /** Processes one row, routing user id mappings into {@code b}. */
    public void processInto(SourceRow row, Batch b, Quarantined retry) {
        pendingUsers = b;
        try {
            process(row, b, retry);
        } finally {
            pendingUsers = null;
        }
    }

    // ---- merging -------------------------------------------------------------------------------------------------

    /** Rows of a table without a unique key that repeat a key are the same record: the first one's target. */
    private MergeTarget sameKeyTarget(SourceRow row) {
        if (table.map.keyUnique()) {
            return null;
        }
        UUID target = knowledge.target(row.rawKey());
        if (target == null) {
            return null;
        }
        MergeTarget m = index == null ? null : index.row(target);
        return m != null ? m : new MergeTarget(target);
    }

    /**
     * The merge rule: the same repeated key; then companies by domain, then by name key (only where the domains
     * do not disagree); contacts by e-mail, then by name and company (only where the e-mails do not disagree).
     * Several candidates are never chosen between: the row is quarantined as ambiguous.
     */
    private MergeTarget match(SourceRow row, Candidate c) throws Quarantine {
        MergeTarget same = sameKeyTarget(row);
        if (same != null) {
            return same;
        }
        boolean company = index.rule == MergeRule.COMPANY;
        String primary = (String) column(c, company ? "domain" : "email");
        String nameKey;
        if (company) {
            String name = (String) column(c, "name");
            if (primary == null && name != null && Names.isHostName(name)) {
                primary = name.strip().toLowerCase(java.util.Locale.ROOT).replaceFirst("^www\\.", "");
            }
            nameKey = name == null ? null : Names.companyKey(name);
        } else {
            Object companyId = column(c, "company_id");
            String person = Names.personKey((String) column(c, "first_name"), (String) column(c, "last_name"));
            nameKey = companyId == null || person == null ? null : person + "|" + companyId;
        }
        if (primary != null) {
            Set<UUID> ids = index.byPrimary(primary.toLowerCase(java.util.Locale.ROOT));
            if (!ids.isEmpty()) {
                // several rows sharing one domain or e-mail can only come from data that was there before:
                // the smallest id is a stable choice, and the others stay untouched
                return index.row(ids.iterator().next());
            }
        }
        if (nameKey != null) {
            List<MergeTarget> candidates = new ArrayList<>();
            for (UUID id : index.byName(nameKey)) {
                MergeTarget m = index.row(id);
                Object theirs = m.value(company ? "domain" : "email");
                if (theirs == null || primary == null) {
                    candidates.add(m);
                }
            }
            if (candidates.size() == 1) {
                return candidates.get(0);
            }
            if (candidates.size() > 1) {
                throw new Quarantine("ambiguous_match", candidates.size() + " existing " + index.table
                        + " rows match by name; which one this row is cannot be decided by the rules");
            }
        }
        return null;
    }

    private Object column(Candidate c, String name) {
        return table.main.has(name) ? c.main[table.main.position(name)] : null;
    }

    private void merge(SourceRow row, Candidate c, MergeTarget target, Batch b) {
        if (index == null) {
            return; // a repeated key of a table without merge rules: the first row's values stand
        }
        for (Prepared.Column col : table.columns) {
            Object v = c.main[col.position];
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
                b.fills.add(new Object[] {runId, index.table, target.id, name, table.map.source(), table.map.table(),
                        row.sourceId()});
            } else if (!ValueCodec.same(existing, v, col.target)) {
                if (col.map.merge() == ColumnMerge.UNION && existing instanceof List<?> a && v instanceof List<?> add) {
                    List<Object> union = new ArrayList<>(a);
                    add.stream().filter(x -> !union.contains(x)).forEach(union::add);
                    set(target, col, union, b);
                } else {
                    b.conflicts.add(new Object[] {runId, index.table, target.id, name, Json.of(Json.tree(existing)),
                            Json.of(Json.tree(v)), target.provenance.getOrDefault(name, target.creator),
                            table.map.source(), table.map.table(), row.sourceId(), "first_non_empty"});
                }
            }
        }
        index.reindex(target);
        addNotes(c, row.sourceId(), target.id, b);
    }

    private void set(MergeTarget target, Prepared.Column col, Object v, Batch b) {
        String name = col.target.name();
        target.values.put(name, v);
        if (target.pendingRow != null && target.pendingShape.has(name)) {
            target.pendingRow[target.pendingShape.position(name)] = v;
        } else {
            b.updates.add(new Batch.Update(index.table, target.id, name, v, col.target));
        }
    }

    // ---- creating ------------------------------------------------------------------------------------------------

    private UUID create(SourceRow row, Candidate c, Batch b) {
        String source = table.map.source();
        UUID id = Ids.of(prepared.townId, source, table.map.table(), row.sourceId());
        c.main[0] = id;
        c.main[1] = prepared.orgId;
        c.main[2] = prepared.townId;
        UUID groupId = null;
        if (table.group != null) {
            groupId = Ids.of(prepared.townId, source, table.map.table(), "group", c.groupKey);
            c.main[table.main.position(table.map.group().link())] = groupId;
            if (state.groups.get(table.group.table).add(groupId)) {
                c.group[0] = groupId;
                c.group[1] = prepared.orgId;
                c.group[2] = prepared.townId;
                b.insert(table.group, c.group, estimate(c.group));
                for (Note n : c.groupNotes) {
                    b.issues.add(new Object[] {runId, table.map.source(), table.map.table(), row.sourceId(), n.table(),
                            groupId, n.column(), n.sourceColumn(), n.raw(), n.code(), n.reason()});
                }
            }
        }
        b.insert(table.main, c.main, estimate(c.main));
        if (table.explode != null) {
            int i = 0;
            for (Object[] child : c.children) {
                child[0] = Ids.of(prepared.townId, source, table.map.table(), row.sourceId(), "explode",
                        Integer.toString(i++));
                child[1] = prepared.orgId;
                child[2] = prepared.townId;
                child[table.explode.position(table.map.explode().link())] = groupId;
                b.insert(table.explode, child, estimate(child));
            }
        }
        if (index != null) {
            MergeTarget m = new MergeTarget(id);
            for (Prepared.Column col : table.columns) {
                Object v = c.main[col.position];
                if (v != null) {
                    m.values.put(col.target.name(), v);
                }
            }
            m.creator = label + ":" + row.sourceId();
            m.pendingRow = c.main;
            m.pendingShape = table.main;
            b.pendingTargets.add(m);
            index.add(m);
        }
        return id;
    }

    private static long estimate(Object[] row) {
        long size = 16L * row.length;
        for (Object v : row) {
            if (v instanceof String s) {
                size += s.length();
            }
        }
        return size;
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
            Candidate c = map(row);
            if (known.outcome().equals("merged") && index != null && index.row(known.targetId()) != null) {
                merge(row, c, index.row(known.targetId()), b);
            } else {
                MergeTarget cached = index == null ? null : index.row(known.targetId());
                for (Prepared.Column col : table.columns) {
                    Object v = c.main[col.position];
                    if (v == null || col.constant != null) {
                        continue;
                    }
                    if (cached != null) {
                        if (ValueCodec.same(cached.value(col.target.name()), v, col.target)) {
                            continue;
                        }
                        cached.values.put(col.target.name(), v);
                    }
                    b.updates.add(new Batch.Update(table.main.table, known.targetId(), col.target.name(), v, col.target));
                }
                if (cached != null) {
                    index.reindex(cached);
                }
                addNotes(c, sid, known.targetId(), b);
            }
        } catch (Quarantine q) {
            b.issues.add(new Object[] {runId, table.map.source(), table.map.table(), sid, table.main.table,
                    known.targetId(), null, null, null, "update_rejected",
                    "the source row changed but its new version cannot be imported (" + q.code + ": " + q.getMessage()
                            + "); the earlier import stands"});
        }
        b.idMapUpdates.add(new Object[] {known.targetId(), known.outcome(), runId, row.hash(), table.map.source(),
                table.map.table(), sid});
        knowledge.putKnown(sid, new Known(known.outcome(), known.targetId(), row.hash()));
        b.updated++;
    }

    private void quarantine(SourceRow row, Quarantine q, Quarantined open, boolean retrying, String sourceHash,
                            Batch b) {
        String sid = row.sourceId();
        if (open != null) {
            if (retrying) {
                // the original row stays as it was quarantined; only the reason is refreshed
                b.quarantineRetried.add(new Object[] {runId, q.code, q.getMessage(), open.id()});
            } else {
                b.quarantineUpdates.add(new Object[] {runId, q.code, q.getMessage(), Json.of(row.toJson(table.source)),
                        sourceHash, open.id()});
            }
            knowledge.putQuarantined(sid, new Quarantined(open.id(), sourceHash, q.code));
        } else {
            UUID id = UUID.randomUUID();
            b.quarantine.add(new Object[] {id, runId, table.map.source(), table.map.table(), sid, q.code, q.getMessage(),
                    Json.of(row.toJson(table.source)), sourceHash});
            knowledge.putQuarantined(sid, new Quarantined(id, sourceHash, q.code));
        }
        b.quarantined(q.code);
    }

    /** Quarantines a row the target database refused, with the database's reason. */
    public void reject(SourceRow row, String code, String reason, Batch b) {
        b.rows.add(row);
        b.read++;
        Quarantined open = knowledge.quarantined(row.sourceId());
        quarantine(row, new Quarantine(code, reason), open, false, open != null && open.hash() != null
                ? open.hash() : row.hash(), b);
    }

    private void addNotes(Candidate c, String sid, UUID targetId, Batch b) {
        for (Note n : c.notes) {
            b.issues.add(new Object[] {runId, table.map.source(), table.map.table(), sid, n.table(), targetId,
                    n.column(), n.sourceColumn(), n.raw(), n.code(), n.reason()});
        }
    }

    private Object[] idMapRow(String sid, UUID target, String outcome, String hash) {
        return new Object[] {table.map.source(), table.map.table(), sid, table.main.table, target, outcome, runId, hash};
    }
}
