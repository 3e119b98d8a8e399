package dev.townhall.legacy.imports.internal;

import dev.townhall.db.Identifiers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Links rows imported with a reference left empty ({@code legacy.deferred_links}) once their parent has arrived:
 * a parent row imported by a later run, accepted or retried out of quarantine, or a lookup value that now finds
 * exactly one row. Run at the end of every import run, against the run's final {@link RunState}, so a link is
 * resolved by whichever run brings its parent. A column something else has filled meanwhile is left as it is, and
 * the parent that arrived is recorded as a merge conflict.
 */
final class DeferredLinks {
    private DeferredLinks() {
    }

    /** A pending link and the parent row found for it. */
    private record Found(UUID linkId, UUID childId, UUID parentId) {
    }

    /** Resolves every pending link of the town's runs whose parent can now be found; returns how many. */
    static long resolve(Connection c, Prepared prepared, RunState state, UUID runId) throws SQLException {
        Lookups lookups = new Lookups(state, prepared.mapping::isPlaceholder);
        Map<String, List<Found>> byColumn = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT id, target_table, target_id, column_name, parent_source_db || '.' || parent_source_table,
                       lookup, parent_key
                FROM legacy.deferred_links
                WHERE status = 'pending'
                  AND run_id IN (SELECT r.id FROM legacy.import_runs r WHERE r.town_id = ?)
                ORDER BY target_table, column_name, id""")) {
            ps.setObject(1, prepared.townId);
            ps.setFetchSize(10_000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID parent = parent(state, lookups, rs.getString(5), rs.getString(6), rs.getString(7));
                    if (parent != null) {
                        byColumn.computeIfAbsent(rs.getString(2) + "\u0000" + rs.getString(4), k -> new ArrayList<>())
                                .add(new Found(rs.getObject(1, UUID.class), rs.getObject(3, UUID.class), parent));
                    }
                }
            }
        }
        long resolved = 0;
        for (Map.Entry<String, List<Found>> e : byColumn.entrySet()) {
            String[] tableAndColumn = e.getKey().split("\u0000");
            List<Found> found = e.getValue();
            String column = Identifiers.quote(tableAndColumn[1]);
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + Identifiers.quoteQualified(tableAndColumn[0])
                    + " AS t SET " + column + " = v.parent FROM unnest(?::uuid[], ?::uuid[]) AS v(child, parent)"
                    + " WHERE t.id = v.child AND t." + column + " IS NULL")) {
                ps.setArray(1, c.createArrayOf("uuid", found.stream().map(Found::childId).toArray()));
                ps.setArray(2, c.createArrayOf("uuid", found.stream().map(Found::parentId).toArray()));
                ps.executeUpdate();
            }
            recordConflicts(c, tableAndColumn[0], tableAndColumn[1], found, runId);
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE legacy.deferred_links AS d
                    SET status = 'resolved', parent_target_id = v.parent, resolved_run_id = ?, resolved_at = now()
                    FROM unnest(?::uuid[], ?::uuid[]) AS v(link, parent)
                    WHERE d.id = v.link""")) {
                ps.setObject(1, runId);
                ps.setArray(2, c.createArrayOf("uuid", found.stream().map(Found::linkId).toArray()));
                ps.setArray(3, c.createArrayOf("uuid", found.stream().map(Found::parentId).toArray()));
                resolved += ps.executeUpdate();
            }
        }
        return resolved;
    }

    /**
     * A child whose column another parent filled meanwhile (two legacy rows merged into it, each with its own
     * parent) keeps that value, as a merge keeps the first non-empty one; the parent that arrived is recorded as the
     * other value in legacy.merge_conflicts, so the difference is not silently dropped.
     */
    private static void recordConflicts(Connection c, String table, String column, List<Found> found, UUID runId)
            throws SQLException {
        String sql = """
                INSERT INTO legacy.merge_conflicts (run_id, target_table, target_id, column_name, kept_value,
                                                    other_value, other_source_db, other_source_table, other_source_id,
                                                    rule)
                SELECT ?, d.target_table, d.target_id, d.column_name, to_jsonb(t.%1$s), to_jsonb(v.parent),
                       d.source_db, d.source_table, d.source_id, 'first_non_empty'
                FROM unnest(?::uuid[], ?::uuid[]) AS v(link, parent)
                JOIN legacy.deferred_links d ON d.id = v.link
                JOIN %2$s t ON t.id = d.target_id
                WHERE t.%1$s IS DISTINCT FROM v.parent""".formatted(Identifiers.quote(column),
                Identifiers.quoteQualified(table));
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, runId);
            ps.setArray(2, c.createArrayOf("uuid", found.stream().map(Found::linkId).toArray()));
            ps.setArray(3, c.createArrayOf("uuid", found.stream().map(Found::parentId).toArray()));
            ps.executeUpdate();
        }
    }

    /** The row a pending link's parent became: by the legacy table's key, or by the lookup; null while absent. */
    private static UUID parent(RunState state, Lookups lookups, String parentTable, String lookup, String key) {
        if (lookup != null) {
            return lookups.find(lookup, key).id();
        }
        RunState.TableKnowledge knowledge = state.table(parentTable);
        return knowledge == null ? null : knowledge.target(key);
    }
}
