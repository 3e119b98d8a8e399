package dev.townhall.legacy.imports.internal;

import dev.townhall.legacy.imports.internal.LegacyRows.IdMapRow;
import dev.townhall.legacy.imports.internal.Mapping.ColumnMap;
import dev.townhall.legacy.imports.internal.Mapping.Policy;
import dev.townhall.legacy.imports.internal.Mapping.TableMap;
import dev.townhall.legacy.imports.internal.MappedRow.Note;
import dev.townhall.legacy.imports.internal.RunState.TableKnowledge;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Maps one source row value by value into a {@link MappedRow}, as the mapping says: constants, normalisers, maps,
 * allowed values, references (by key, or a {@link Lookups lookup}), fallbacks for NOT NULL columns. A refused value
 * or a dangling reference either drops the value with a note or quarantines the row ({@link RowQuarantine}), as
 * the column's {@code on_invalid}/{@code on_missing} says. It decides nothing about merging.
 */
final class ValueMapper {
    private final Prepared prepared;
    private final Prepared.Table table;
    private final RunState state;
    private final UserDirectory users;
    private final Lookups lookups;
    private final UUID runId;
    private final Instant runStart;
    private final Instant plausibleFrom;
    private final Instant plausibleTo;

    ValueMapper(Prepared prepared, Prepared.Table table, RunState state, UserDirectory users, UUID runId,
                Instant runStart) {
        this.prepared = prepared;
        this.table = table;
        this.state = state;
        this.users = users;
        this.lookups = new Lookups(state, prepared.mapping::isPlaceholder);
        this.runId = runId;
        this.runStart = runStart;
        this.plausibleFrom = prepared.mapping.plausibleFrom().atStartOfDay(ZoneOffset.UTC).toInstant();
        this.plausibleTo = prepared.mapping.plausibleTo().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** Maps {@code row}; user text ids it resolves for the first time are recorded in {@code b}'s id map. */
    MappedRow map(SourceRow row, Batch b) throws RowQuarantine {
        MappedRow c = new MappedRow(table.main);
        for (Prepared.Column col : table.columns) {
            c.main.set(col, value(col, row, null, c, table.main.table, b));
        }
        onlyIfNull(table.columns, c.main);
        identity(c.main);
        if (table.group != null) {
            String key = row.value(table.groupByIndex);
            if (key == null || key.isBlank()) {
                throw new RowQuarantine("missing_required", table.map.group().by() + " is empty, so the row belongs"
                        + " to no " + table.group.table + " row");
            }
            c.groupKey = key.strip();
            c.group = new TargetRow(table.group);
            int before = c.notes.size();
            for (Prepared.Column col : table.groupColumns) {
                c.group.set(col, value(col, row, null, c, table.group.table, b));
            }
            // the group row is created by the first row of its group, never merged: a default applies at once
            for (Prepared.Column col : table.groupColumns) {
                if (c.group.get(col) != null) {
                    continue;
                }
                MappedRow.Default d = defaulted(col, row, c.group, c);
                if (d != null) {
                    c.group.set(col, d.value());
                    c.notes.add(d.note());
                } else if (col.required) {
                    throw new RowQuarantine("missing_required", "no value for required " + table.group.table + "."
                            + missing(col, c));
                } else {
                    Object fallback = fallback(col);
                    c.group.set(col, fallback);
                    Note refused = refusal(c, table.group.table, col);
                    if (refused != null) {
                        c.notes.set(c.notes.indexOf(refused), refused.storing(fallback));
                    }
                }
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
                    TargetRow child = new TargetRow(table.explode);
                    boolean any = false;
                    for (Prepared.Column col : table.explodeColumns) {
                        Object v = value(col, row, item, c, table.explode.table, b);
                        child.set(col, v);
                        any |= v != null && col.constant == null;
                    }
                    if (!any) {
                        // "n/a", "?": an item that names nobody is no row of its own
                        // noted on the main row (the notes' target): the attendee row it would have been does not exist
                        c.notes.add(new Note(table.main.table, null, table.map.explode().from(), item,
                                "unusable_item", "'" + item + "' gives no value for any " + table.explode.table
                                        + " column; no row made of it"));
                        continue;
                    }
                    onlyIfNull(table.explodeColumns, child);
                    c.children.add(child);
                }
            }
        }
        // defaults first, from the values the row really has (a database fallback such as now() is no fact)
        for (Prepared.Column col : table.columns) {
            if (c.main.get(col) == null && !col.map.defaultFrom().isEmpty()) {
                MappedRow.Default d = defaulted(col, row, c.main, c);
                if (d != null) {
                    c.defaults.add(d);
                }
            }
        }
        for (Prepared.Column col : table.columns) {
            if (c.main.get(col) == null && c.defaults.stream().noneMatch(d -> d.column() == col)) {
                Object fallback = fallback(col);
                if (fallback != null) {
                    c.main.set(col, fallback);
                    Note refused = refusal(c, table.main.table, col);
                    if (refused != null) {
                        // what a new row stores instead of the refused value (an invalid JSON as {}, a sentinel
                        // date as the import's time); a row merged into another stores nothing of it
                        c.fallbacks.add(new MappedRow.Default(col, fallback, refused));
                    }
                } else if (col.required) {
                    c.missingRequired.add(missing(col, c));
                }
            }
        }
        return c;
    }

    /** A row none of whose identity columns has a value is no one: quarantined (no_identity). */
    private void identity(TargetRow values) throws RowQuarantine {
        List<String> identity = table.map.identity();
        if (!identity.isEmpty() && identity.stream().allMatch(name -> values.value(name) == null)) {
            throw new RowQuarantine("no_identity", "none of " + String.join(", ", identity) + " has a usable value,"
                    + " so the row identifies no one");
        }
    }

    /** A required column's name, with why its value was refused when it was ("occurred_at (implausible_date: ...)"). */
    private static String missing(Prepared.Column col, MappedRow c) {
        String name = col.target.name();
        for (Note n : c.notes) {
            if (name.equals(n.column())) {
                return name + " (" + n.code() + ": " + n.reason() + ")";
            }
        }
        return name;
    }

    /**
     * The first of the column's {@code default_from} templates that all its placeholders fill, as the value of a
     * new row, with the note that flags it (default_name); null when none does.
     */
    private MappedRow.Default defaulted(Prepared.Column col, SourceRow row, TargetRow values, MappedRow c) {
        for (DefaultTemplate template : col.map.defaultFrom()) {
            String text = template.render(p -> placeholder(p, row, values));
            if (text != null) {
                String raw = col.sourceIndexes.length == 0 ? null : row.value(col.sourceIndexes[0]);
                return new MappedRow.Default(col, text, new Note(values.shape.table, col.target.name(),
                        String.join(",", col.map.from()), raw, "default_name", "no usable " + col.target.name()
                        + "; stored the default '" + text + "' (from '" + template + "')", text));
            }
        }
        return null;
    }

    private String placeholder(DefaultTemplate.Placeholder p, SourceRow row, TargetRow values) {
        Object v;
        if (p.source()) {
            v = row.value(table.source.columnNames().indexOf(p.name()));
            if (v != null && prepared.mapping.isPlaceholder(v.toString())) {
                return null;
            }
        } else {
            v = values.value(p.name());
        }
        if (v == null) {
            return null;
        }
        if (p.filter() == null) {
            return TextRepair.repair(v.toString());
        }
        return switch (p.filter()) {
            case "date" -> day(v);
            case "name" -> v instanceof UUID id ? referencedName(p.name(), id) : null;
            default -> DefaultTemplate.textFilter(p.filter(), v.toString());
        };
    }

    private String day(Object v) {
        if (v instanceof Instant t) {
            return LocalDate.ofInstant(t, table.map.zone()).toString();
        }
        if (v instanceof LocalDate d) {
            return d.toString();
        }
        Instant t = Dates.parse(v.toString(), table.map.zone());
        return t == null ? null : LocalDate.ofInstant(t, table.map.zone()).toString();
    }

    /** The name of the row reference column {@code column} points at, from the run's merge index of its table. */
    private String referencedName(String column, UUID id) {
        Mapping.Ref ref = table.columns.stream().filter(col -> col.target.name().equals(column)).findFirst()
                .map(col -> col.map.ref()).orElse(null);
        if (ref == null) {
            return null;
        }
        String target = ref.byKey() ? prepared.mapping.table(ref.table()).map(TableMap::target).orElse(null)
                : Lookups.targetTable(ref.lookup());
        RunState.TargetIndex index = target == null ? null : state.index(target);
        RunState.MergeTarget parent = index == null ? null : index.row(id);
        if (parent == null) {
            return null;
        }
        Object name = parent.value("name");
        if (name != null) {
            return name.toString();
        }
        // a person: first and last name, as far as known
        String person = Stream.of(parent.value("first_name"), parent.value("last_name")).filter(Objects::nonNull)
                .map(Object::toString).collect(Collectors.joining(" "));
        return person.isEmpty() ? null : person;
    }

    /** The note saying why {@code col}'s own value in {@code targetTable} was refused, if it was; else null. */
    private static Note refusal(MappedRow c, String targetTable, Prepared.Column col) {
        for (int i = c.notes.size() - 1; i >= 0; i--) {
            Note n = c.notes.get(i);
            if (n.stored() == null && targetTable.equals(n.table()) && col.target.name().equals(n.column())) {
                return n;
            }
        }
        return null;
    }

    private Object fallback(Prepared.Column col) {
        return col.nullFallback == Prepared.RUN_START ? runStart : col.nullFallback;
    }

    private static void onlyIfNull(List<Prepared.Column> columns, TargetRow values) {
        for (Prepared.Column col : columns) {
            String other = col.map.onlyIfNull();
            if (other != null) {
                for (Prepared.Column o : columns) {
                    if (o.target.name().equals(other) && values.get(o) != null) {
                        values.set(col, null);
                    }
                }
            }
        }
    }

    /** One column's value for this row ({@code item}: the exploded item, for explode columns). */
    private Object value(Prepared.Column col, SourceRow row, String item, MappedRow c, String targetTable, Batch b)
            throws RowQuarantine {
        ColumnMap m = col.map;
        if (col.constant != null) {
            return col.constant;
        }
        String raw = item != null ? item : col.sourceIndexes.length == 0 ? null : row.value(col.sourceIndexes[0]);
        String sourceColumn = item != null ? table.map.explode().from() : String.join(",", m.from());
        if (m.ref() != null) {
            return reference(col, raw, c, targetTable, sourceColumn);
        }
        Object v = converted(col, row, raw, sourceColumn, m.onInvalid(), c, targetTable, b);
        for (int i = 0; v == null && i < col.fallbackIndexes.length; i++) {
            String other = row.value(col.fallbackIndexes[i]);
            String otherColumn = m.fallbackFrom().get(i);
            // a fallback that is unusable too is no news: the column's own value was noted already
            v = other == null ? null : converted(col, row, other, otherColumn, Policy.IGNORE, c, targetTable, b);
            if (v != null) {
                c.notes.add(new Note(targetTable, col.target.name(), sourceColumn, raw, "fallback_value",
                        sourceColumn + " has no usable value; stored " + v + " from " + otherColumn + " instead",
                        String.valueOf(v)));
            }
        }
        return v;
    }

    /** {@code raw} (read from {@code sourceColumn}) through the column's normalisers, map and checks. */
    private Object converted(Prepared.Column col, SourceRow row, String raw, String sourceColumn, Policy onInvalid,
                             MappedRow c, String targetTable, Batch b) throws RowQuarantine {
        ColumnMap m = col.map;
        Context ctx = new Context(col, c, targetTable, sourceColumn, raw, b);
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
                    v = t.isEmpty() || prepared.mapping.isPlaceholder(t) ? null : t;
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
                            + " holds one value; this one was not kept", list.get(0));
                }
                v = list.get(0);
            }
            return v;
        } catch (InvalidValue e) {
            return refused(onInvalid, e.reasonCode(), e.reason(), col, c, targetTable, sourceColumn, raw);
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
                ctx.note(e.reasonCode(), String.valueOf(element), e.reason(), null);
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

    private Object refused(Policy policy, String code, String reason, Prepared.Column col, MappedRow c,
                           String targetTable, String sourceColumn, String raw) throws RowQuarantine {
        return switch (policy) {
            case QUARANTINE -> throw new RowQuarantine(code, sourceColumn + ": " + reason);
            // DEFER comes here only for a reference no later parent can satisfy (an invalid or ambiguous lookup value)
            case NULL, DEFER -> {
                c.notes.add(new Note(targetTable, col.target.name(), sourceColumn, raw, code, reason));
                yield null;
            }
            case IGNORE -> null;
        };
    }

    /**
     * The id a reference column points at. A parent that does not exist (yet), or is in quarantine, leaves the column
     * empty and the row waiting for it ({@link MappedRow.Deferred}), unless the mapping says otherwise or the row
     * cannot exist without the parent (a required column: quarantined).
     */
    private Object reference(Prepared.Column col, String raw, MappedRow c, String targetTable, String sourceColumn)
            throws RowQuarantine {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String key = raw.strip();
        Mapping.Ref ref = col.map.ref();
        Lookups.Found missing;
        if (ref.byKey()) {
            key = SourceRow.key(key);
            TableKnowledge parent = state.table(ref.table());
            UUID target = parent.target(key);
            if (target != null) {
                return target;
            }
            missing = parent.isQuarantined(key)
                    ? new Lookups.Found(null, "parent_quarantined", ref.table() + " row " + key + " is quarantined")
                    : new Lookups.Found(null, "orphan_reference", ref.table() + " has no row " + key);
        } else {
            missing = lookups.find(ref.lookup(), key);
            if (missing.id() != null) {
                return missing.id();
            }
        }
        Policy policy = col.map.onMissing();
        // a lookup value too long to be anyone's key is kept as a value issue, not awaited
        boolean awaitable = (missing.code().equals("orphan_reference") || missing.code().equals("parent_quarantined"))
                && (ref.byKey() || key.length() <= SourceRow.LONGEST_KEY);
        if (policy == Policy.DEFER && awaitable) {
            boolean exploded = table.explode != null && targetTable.equals(table.explode.table);
            if (col.required) {
                policy = Policy.QUARANTINE;
            } else if (!exploded) {
                c.deferred.add(new MappedRow.Deferred(targetTable, col.target.name(), ref, key, missing.code()));
                return null;
            }
        }
        return refused(policy, missing.code(), missing.reason(), col, c, targetTable, sourceColumn, raw);
    }

    /** The {@link Normalisers.ValueContext} of one column of one row. */
    private final class Context implements Normalisers.ValueContext {
        private final Prepared.Column col;
        private final MappedRow candidate;
        private final String targetTable;
        private final String sourceColumn;
        private final String raw;
        private final Batch batch;

        Context(Prepared.Column col, MappedRow candidate, String targetTable, String sourceColumn, String raw,
                Batch batch) {
            this.col = col;
            this.candidate = candidate;
            this.targetTable = targetTable;
            this.sourceColumn = sourceColumn;
            this.raw = raw;
            this.batch = batch;
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
        public Dates.Orders dateOrders(int input) {
            String[] columns = sourceColumn.split(",");
            return input < columns.length ? table.dateOrders(columns[input]) : Dates.Orders.DEFAULT;
        }

        @Override
        public boolean isPlaceholder(String text) {
            return prepared.mapping.isPlaceholder(text);
        }

        @Override
        public UUID user(String textId) throws InvalidValue {
            UserDirectory.Resolution r = users.resolve(textId);
            if (r == null) {
                throw new InvalidValue("unknown_user", "text id '" + textId.strip() + "' matches no user");
            }
            String normalised = UserDirectory.normalise(textId);
            if (state.userMappings.add(table.map.source() + "\u0000" + normalised)) {
                batch.idMap.add(new IdMapRow(table.map.source(), "user_text_id", normalised, "core.users",
                        r.userId(), "mapped", runId, null));
            }
            return r.userId();
        }

        @Override
        public void note(String reasonCode, String rawValue, String message, Object stored) {
            candidate.notes.add(new Note(targetTable, col.target.name(), sourceColumn, rawValue, reasonCode, message,
                    ValueCodec.text(stored)));
        }

        @Override
        public Object arg(String name) {
            return col.map.args().get(name);
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
                    candidate.notes.add(new Note(targetTable, col.target.name(), sourceColumn, raw, "unmapped_value",
                            "'" + value + "' has no entry in the map; kept as " + m.unmappedValue(),
                            String.valueOf(m.unmappedValue())));
                    yield m.unmappedValue();
                }
            };
        }
    }
}
