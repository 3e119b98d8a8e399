package dev.townhall.legacy.imports.internal;

import dev.townhall.db.Identifiers;
import dev.townhall.legacy.imports.ImportReport;
import dev.townhall.legacy.imports.internal.Mapping.InventoryGroup;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Accounts for every source row from the database's own records, not from what the run believes it did: the source
 * is read again (ids only), and each id is looked up in legacy.id_map and the open quarantine; value issues and
 * deferred links are counted from their tables. It then checks the
 * references: for every imported or merged row whose legacy row pointed at a parent, the target row must point at
 * what that parent became.
 */
public final class Reconciler {
    private final Prepared prepared;
    private final Connection target;
    private final Map<String, Connection> sources;

    public Reconciler(Prepared prepared, Connection target, Map<String, Connection> sources) {
        this.prepared = prepared;
        this.target = target;
        this.sources = sources;
    }

    /** Per source table: where its rows stand ({@code thisRun}: the counters of this run, by table). */
    public List<ImportReport.SourceTable> tables(Map<String, Map<String, Long>> thisRun) throws SQLException {
        List<ImportReport.SourceTable> lines = new ArrayList<>();
        for (Prepared.Table t : prepared.tables.values()) {
            List<String> ids = SourceReader.sourceIds(sources.get(t.map.source()), t);
            Map<String, String> outcomes = new HashMap<>();
            try (PreparedStatement ps = target.prepareStatement(
                    "SELECT source_id, outcome FROM legacy.id_map WHERE source_db = ? AND source_table = ?")) {
                ps.setString(1, t.map.source());
                ps.setString(2, t.map.table());
                ps.setFetchSize(10_000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        outcomes.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
            Map<String, String> quarantined = new HashMap<>();
            try (PreparedStatement ps = target.prepareStatement("""
                    SELECT source_id, reason_code FROM legacy.quarantine
                    WHERE source_db = ? AND source_table = ? AND status IN ('open', 'fixed')""")) {
                ps.setString(1, t.map.source());
                ps.setString(2, t.map.table());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        quarantined.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
            long imported = 0;
            long merged = 0;
            long pending = 0;
            long both = 0;
            Map<String, Long> byReason = new TreeMap<>();
            Set<String> present = new HashSet<>(ids);
            for (String id : ids) {
                String outcome = outcomes.get(id);
                String reason = quarantined.get(id);
                if (outcome != null && reason != null) {
                    both++;
                }
                if ("imported".equals(outcome)) {
                    imported++;
                } else if ("merged".equals(outcome)) {
                    merged++;
                } else if (reason != null) {
                    byReason.merge(reason, 1L, Long::sum);
                } else {
                    pending++;
                }
            }
            long gone = outcomes.keySet().stream().filter(id -> !present.contains(id)).count();
            Map<String, Long> issuesByRow = countsOf(t, """
                    SELECT source_id, count(*) FROM legacy.value_issues WHERE source_db = ? AND source_table = ?
                    GROUP BY source_id""");
            long issues = issuesByRow.values().stream().mapToLong(Long::longValue).sum();
            long withIssues = issuesByRow.keySet().stream()
                    .filter(id -> present.contains(id) && "imported".equals(outcomes.get(id))).count();
            Map<String, Long> links = countsOf(t, """
                    SELECT status, count(*) FROM legacy.deferred_links WHERE source_db = ? AND source_table = ?
                    GROUP BY status""");
            long quarantinedTotal = byReason.values().stream().mapToLong(Long::longValue).sum();
            lines.add(new ImportReport.SourceTable(t.map.source(), t.map.table(), t.map.target(),
                    prepared.mapping.statedRows(t.qualified()).orElse(null), ids.size(), imported, merged,
                    quarantinedTotal, byReason, pending, gone, both, issues, withIssues,
                    links.getOrDefault("pending", 0L), links.getOrDefault("resolved", 0L),
                    thisRun.getOrDefault(t.qualified(), Map.of())));
        }
        return lines;
    }

    /** A {@code (key, count)} query about one source table's rows, as a map. */
    private Map<String, Long> countsOf(Prepared.Table t, String sql) throws SQLException {
        Map<String, Long> counts = new HashMap<>();
        try (PreparedStatement ps = target.prepareStatement(sql)) {
            ps.setString(1, t.map.source());
            ps.setString(2, t.map.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return counts;
    }

    /** The {@code limit} most frequent kinds of value kept aside in this town's imports: source table, column, reason. */
    public List<ImportReport.ValueIssueLine> topValueIssues(int limit) throws SQLException {
        List<ImportReport.ValueIssueLine> lines = new ArrayList<>();
        try (PreparedStatement ps = target.prepareStatement("""
                SELECT v.source_db || '.' || v.source_table, v.target_table || '.' || coalesce(v.column_name, '(row)'),
                       v.reason_code, count(*)
                FROM legacy.value_issues v
                WHERE v.run_id IN (SELECT r.id FROM legacy.import_runs r WHERE r.town_id = ?)
                GROUP BY 1, 2, 3
                ORDER BY 4 DESC, 1, 2, 3
                LIMIT ?""")) {
            ps.setObject(1, prepared.townId);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    lines.add(new ImportReport.ValueIssueLine(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getLong(4)));
                }
            }
        }
        return lines;
    }

    /** The plan's inventory beside what was read (all tables of the mapping, even those this run skipped). */
    public List<ImportReport.PlanLine> plan(List<ImportReport.SourceTable> tables) {
        Map<String, Long> read = new HashMap<>();
        tables.forEach(t -> read.put(t.qualified(), t.read()));
        List<ImportReport.PlanLine> lines = new ArrayList<>();
        for (InventoryGroup g : prepared.mapping.inventory()) {
            long sum = g.parts().keySet().stream().mapToLong(p -> read.getOrDefault(p, 0L)).sum();
            lines.add(new ImportReport.PlanLine(g.group(), g.stated(), g.statedText(), g.partsSum(), sum));
        }
        return lines;
    }

    /** Checks every reference column of every table (key references and lookups). */
    public List<ImportReport.Relationship> relationships(RunState state) throws SQLException {
        List<ImportReport.Relationship> checks = new ArrayList<>();
        Lookups lookups = new Lookups(state, prepared.mapping::isPlaceholder);
        for (Prepared.Table t : prepared.tables.values()) {
            List<Prepared.Column> refs = new ArrayList<>();
            t.columns.stream().filter(c -> c.map.ref() != null).forEach(refs::add);
            t.groupColumns.stream().filter(c -> c.map.ref() != null).forEach(refs::add);
            if (refs.isEmpty()) {
                continue;
            }
            RunState.TableKnowledge knowledge = state.table(t.qualified());
            List<String[]> rows = refValues(t, refs);
            for (Prepared.Column col : refs) {
                boolean inGroup = t.groupColumns.contains(col);
                String targetTable = inGroup ? t.group.table : t.main.table;
                Map<UUID, UUID> actual = columnValues(targetTable, col.target.name());
                Set<String> conflicts = conflicts(targetTable, col.target.name(), t);
                int index = refs.indexOf(col);
                long checked = 0;
                long ok = 0;
                long conflict = 0;
                long wrong = 0;
                for (String[] row : rows) {
                    String sid = row[0];
                    String raw = row[index + 2];
                    RunState.Known known = knowledge.known(sid);
                    if (raw == null || raw.isBlank() || known == null) {
                        continue; // no reference, or the row itself is quarantined or pending
                    }
                    UUID expected = expected(col, raw.strip(), state, lookups);
                    if (expected == null && col.map.onMissing() != Mapping.Policy.QUARANTINE) {
                        continue; // a reference the mapping lets go (kept as a note): nothing to point at
                    }
                    UUID rowId = inGroup ? Ids.of(prepared.townId, t.map.source(), t.map.table(), "group",
                            row[1].strip()) : known.targetId();
                    checked++;
                    UUID got = actual.get(rowId);
                    if (expected != null && expected.equals(got)) {
                        ok++;
                    } else if (known.outcome().equals("merged") && conflicts.contains(sid)) {
                        conflict++;
                    } else {
                        wrong++;
                    }
                }
                checks.add(new ImportReport.Relationship(t.qualified(), targetTable + "." + col.target.name(),
                        col.map.ref().byKey() ? col.map.ref().table() : col.map.ref().lookup(), checked, ok, conflict,
                        wrong));
            }
        }
        return checks;
    }

    /** What the reference should point at: the parent's target, or what the lookup row processing used finds. */
    private UUID expected(Prepared.Column col, String raw, RunState state, Lookups lookups) {
        Mapping.Ref ref = col.map.ref();
        if (ref.byKey()) {
            return state.table(ref.table()).target(SourceRow.key(raw));
        }
        return lookups.find(ref.lookup(), raw).id();
    }

    /** Per source row: {source id, group key, ref values...}. */
    private List<String[]> refValues(Prepared.Table t, List<Prepared.Column> refs) throws SQLException {
        List<String> columns = new ArrayList<>();
        columns.add(t.groupByIndex < 0 ? t.map.key() : t.map.group().by());
        for (Prepared.Column col : refs) {
            columns.add(col.map.from().get(0));
        }
        return SourceReader.columns(sources.get(t.map.source()), t, columns);
    }

    private Map<UUID, UUID> columnValues(String table, String column) throws SQLException {
        Map<UUID, UUID> values = new HashMap<>();
        try (PreparedStatement ps = target.prepareStatement("SELECT id, " + Identifiers.quote(column) + " FROM "
                + Identifiers.quoteQualified(table) + " WHERE town_id = ?")) {
            ps.setObject(1, prepared.townId);
            ps.setFetchSize(10_000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    values.put(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class));
                }
            }
        }
        return values;
    }

    private Set<String> conflicts(String table, String column, Prepared.Table t) throws SQLException {
        Set<String> ids = new HashSet<>();
        try (PreparedStatement ps = target.prepareStatement("""
                SELECT other_source_id FROM legacy.merge_conflicts
                WHERE target_table = ? AND column_name = ? AND other_source_db = ? AND other_source_table = ?""")) {
            ps.setString(1, table);
            ps.setString(2, column);
            ps.setString(3, t.map.source());
            ps.setString(4, t.map.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }

    /** Legacy text user ids: those mapped (from the id map) and those unknown (from the notes), with row counts. */
    public List<ImportReport.UserLine> users() throws SQLException {
        Map<String, ImportReport.UserLine> lines = new LinkedHashMap<>();
        try (PreparedStatement ps = target.prepareStatement("""
                SELECT m.source_db, m.source_id, coalesce(u.handle, u.email::text)
                FROM legacy.id_map m JOIN core.users u ON u.id = m.target_id
                WHERE m.source_table = 'user_text_id' ORDER BY 1, 2""");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                lines.put(rs.getString(1) + "\u0000" + rs.getString(2),
                        new ImportReport.UserLine(rs.getString(1), rs.getString(2), rs.getString(3), 0));
            }
        }
        try (PreparedStatement ps = target.prepareStatement("""
                SELECT source_db, lower(btrim(raw_value)), count(*) FROM legacy.value_issues
                WHERE reason_code = 'unknown_user' GROUP BY 1, 2 ORDER BY 3 DESC, 2""");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                lines.put(rs.getString(1) + "\u0000" + rs.getString(2),
                        new ImportReport.UserLine(rs.getString(1), rs.getString(2), null, rs.getLong(3)));
            }
        }
        return new ArrayList<>(lines.values());
    }

    /** Stores the per-table lines in legacy.reconciliation (on {@code c}, which may be another connection). */
    public static void store(Connection c, UUID runId, List<ImportReport.SourceTable> tables) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO legacy.reconciliation (run_id, source_db, source_table, expected_rows, rows_read, rows_imported,
                                                   rows_merged, rows_quarantined, quarantined_by_reason, notes,
                                                   rows_with_value_issues, links_pending, links_resolved)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), ?, ?, ?, ?)
                ON CONFLICT (run_id, source_db, source_table) DO NOTHING""")) {
            for (ImportReport.SourceTable t : tables) {
                ps.setObject(1, runId);
                ps.setString(2, t.source());
                ps.setString(3, t.table());
                ps.setObject(4, t.planned());
                ps.setLong(5, t.read());
                ps.setLong(6, t.imported());
                ps.setLong(7, t.merged());
                // pending rows are reported as not yet imported; the generated column shows them as unaccounted
                ps.setLong(8, t.quarantined());
                ps.setString(9, Json.MAPPER.writeValueAsString(t.quarantinedByReason()));
                ps.setString(10, notes(t));
                ps.setLong(11, t.withValueIssues());
                ps.setLong(12, t.linksPending());
                ps.setLong(13, t.linksResolved());
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String notes(ImportReport.SourceTable t) {
        List<String> notes = new ArrayList<>();
        if (t.pending() > 0) {
            notes.add(t.pending() + " rows not imported yet (staged run)");
        }
        if (t.gone() > 0) {
            notes.add(t.gone() + " imported rows no longer in the source");
        }
        if (t.valueIssues() > 0) {
            notes.add(t.valueIssues() + " values kept aside in legacy.value_issues");
        }
        if (t.planned() != null && t.planned() != t.read()) {
            notes.add("the plan says " + t.planned() + ", the source holds " + t.read());
        }
        return notes.isEmpty() ? null : String.join("; ", notes);
    }
}
