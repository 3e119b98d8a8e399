package dev.townhall.legacy.imports.internal;

import dev.townhall.db.Identifiers;
import dev.townhall.legacy.imports.internal.Mapping.MergeRule;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;

/**
 * What the database already holds, read at the start of a run (and again after a failed batch was rolled back):
 * which legacy rows became which target rows, which are quarantined, and the merge indexes of companies and
 * contacts. Everything the importer decides follows from this and the rows it reads, so a resumed run decides
 * exactly what an uninterrupted one would.
 */
public final class RunState {
    /** A legacy row already accounted for in legacy.id_map. */
    public record Known(String outcome, UUID targetId, String hash) {
    }

    /** An open quarantine entry. */
    public record Quarantined(UUID id, String hash, String reasonCode) {
    }

    /** Per source table: its id map and open quarantine, keyed by source id and by raw key. */
    public static final class TableKnowledge {
        final Map<String, Known> known = new HashMap<>();
        final Map<String, Quarantined> quarantined = new HashMap<>();
        final Map<String, UUID> targetByRawKey = new HashMap<>();
        /** Open entries per raw key (a key repeated without a unique constraint has one entry per row). */
        final Map<String, Integer> quarantinedPerRawKey = new HashMap<>();
        final boolean keyUnique;

        TableKnowledge(boolean keyUnique) {
            this.keyUnique = keyUnique;
        }

        public Known known(String sourceId) {
            return known.get(sourceId);
        }

        public Quarantined quarantined(String sourceId) {
            return quarantined.get(sourceId);
        }

        void putKnown(String sourceId, Known k) {
            known.put(sourceId, k);
            targetByRawKey.putIfAbsent(rawKey(sourceId), k.targetId());
        }

        void putQuarantined(String sourceId, Quarantined q) {
            if (quarantined.put(sourceId, q) == null) {
                quarantinedPerRawKey.merge(rawKey(sourceId), 1, Integer::sum);
            }
        }

        void resolveQuarantine(String sourceId) {
            if (quarantined.remove(sourceId) != null) {
                quarantinedPerRawKey.computeIfPresent(rawKey(sourceId), (raw, n) -> n == 1 ? null : n - 1);
            }
        }

        private String rawKey(String sourceId) {
            return keyUnique ? sourceId : sourceId.substring(0, sourceId.lastIndexOf('#'));
        }

        /** The target a raw key became, or null. */
        public UUID target(String rawKey) {
            return targetByRawKey.get(rawKey);
        }

        public boolean isQuarantined(String rawKey) {
            return quarantinedPerRawKey.containsKey(rawKey);
        }
    }

    /** A target row a merge may fold duplicates into, with the values the mapping can write. */
    public static final class MergeTarget {
        final UUID id;
        final Map<String, Object> values = new HashMap<>();
        final Map<String, String> provenance = new HashMap<>();
        String creator;
        /** The row's COPY line while its batch is unwritten: a merge fills blanks there instead of updating. */
        TargetRow pendingRow;

        MergeTarget(UUID id) {
            this.id = id;
        }

        public UUID id() {
            return id;
        }

        public Object value(String column) {
            return values.get(column);
        }
    }

    /** A target table that merges duplicates or answers lookups: its rows, cached, and their keys. */
    public static final class TargetIndex {
        final String table;
        final MergeRule rule;
        final PgCatalog.Table catalog;
        final List<String> columns;
        final Map<UUID, MergeTarget> rows = new HashMap<>();
        /** domain (companies) or email (contacts) -> rows. */
        final Map<String, TreeSet<UUID>> byPrimary = new HashMap<>();
        /** company name key, or person key + company id -> rows. */
        final Map<String, TreeSet<UUID>> byName = new HashMap<>();

        TargetIndex(String table, MergeRule rule, PgCatalog.Table catalog, List<String> columns) {
            this.table = table;
            this.rule = rule;
            this.catalog = catalog;
            this.columns = columns;
        }

        void add(MergeTarget m) {
            rows.put(m.id, m);
            reindex(m);
        }

        /** Adds the row's current keys (keys only ever gain values: blanks are filled, never cleared). */
        void reindex(MergeTarget m) {
            String primary = primaryKey(m.values::get);
            if (primary != null) {
                byPrimary.computeIfAbsent(primary, k -> new TreeSet<>()).add(m.id);
            }
            String name = nameKey(m.values::get);
            if (name != null) {
                byName.computeIfAbsent(name, k -> new TreeSet<>()).add(m.id);
            }
        }

        /** The domain (companies) or e-mail (contacts) key of a row: see {@link MatchKeys}. */
        String primaryKey(Function<String, Object> row) {
            if (rule == MergeRule.COMPANY) {
                return MatchKeys.companyPrimary(text(row.apply("domain")), text(row.apply("name")));
            }
            return MatchKeys.email(text(row.apply("email")));
        }

        /** The name key of a row: see {@link MatchKeys}. */
        String nameKey(Function<String, Object> row) {
            if (rule == MergeRule.COMPANY) {
                return MatchKeys.companyName(text(row.apply("name")));
            }
            return MatchKeys.contactName(text(row.apply("first_name")), text(row.apply("last_name")),
                    row.apply("company_id"));
        }

        private static String text(Object value) {
            return value == null ? null : value.toString();
        }

        public Set<UUID> byPrimary(String key) {
            return byPrimary.getOrDefault(key, new TreeSet<>());
        }

        public Set<UUID> byName(String key) {
            return byName.getOrDefault(key, new TreeSet<>());
        }

        public MergeTarget row(UUID id) {
            return rows.get(id);
        }
    }

    final Map<String, TableKnowledge> tables = new HashMap<>();
    final Map<String, TargetIndex> indexes = new HashMap<>();
    final Map<String, Set<UUID>> groups = new HashMap<>();
    final Set<String> userMappings = new HashSet<>();

    private RunState() {
    }

    /** Reads the state of everything {@code prepared} maps, as {@code c} sees it (its own uncommitted work included). */
    public static RunState load(Connection c, Prepared prepared) throws SQLException {
        RunState s = new RunState();
        for (Prepared.Table t : prepared.tables.values()) {
            s.tables.put(t.qualified(), loadTable(c, t));
        }
        Map<String, MergeRule> indexed = new HashMap<>();
        Map<String, Set<String>> cachedColumns = new HashMap<>();
        for (Prepared.Table t : prepared.tables.values()) {
            if (t.map.merge() != MergeRule.NONE) {
                indexed.put(t.map.target(), t.map.merge());
            }
            for (Prepared.Column col : t.columns) {
                if (col.map.ref() != null && !col.map.ref().byKey()) {
                    String lookup = col.map.ref().lookup();
                    indexed.putIfAbsent(Lookups.targetTable(lookup), lookup.equals(Lookups.CONTACT_BY_EMAIL)
                            ? MergeRule.CONTACT : MergeRule.COMPANY);
                }
            }
            for (Prepared.Column col : t.explodeColumns) {
                if (col.map.ref() != null && !col.map.ref().byKey()) {
                    indexed.putIfAbsent("crm.contacts", MergeRule.CONTACT);
                }
            }
            cachedColumns.computeIfAbsent(t.map.target(), k -> new LinkedHashSet<>())
                    .addAll(t.columns.stream().map(col -> col.target.name()).toList());
        }
        for (Map.Entry<String, MergeRule> e : indexed.entrySet()) {
            PgCatalog.Table catalog = prepared.targets.containsKey(e.getKey()) ? prepared.targets.get(e.getKey())
                    : PgCatalog.table(c, e.getKey()).orElseThrow();
            Set<String> cols = new LinkedHashSet<>(e.getValue() == MergeRule.COMPANY ? List.of("domain", "name")
                    : List.of("email", "first_name", "last_name", "company_id"));
            cols.addAll(cachedColumns.getOrDefault(e.getKey(), Set.of()));
            s.indexes.put(e.getKey(), loadIndex(c, prepared, e.getKey(), e.getValue(), catalog, new ArrayList<>(cols)));
        }
        for (Prepared.Table t : prepared.tables.values()) {
            if (t.group != null) {
                s.groups.put(t.group.table, loadIds(c, t.group.table, prepared.townId));
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT source_db, source_id FROM legacy.id_map WHERE source_table = 'user_text_id'");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                s.userMappings.add(rs.getString(1) + "\u0000" + rs.getString(2));
            }
        }
        return s;
    }

    private static TableKnowledge loadTable(Connection c, Prepared.Table t) throws SQLException {
        TableKnowledge k = new TableKnowledge(t.map.keyUnique());
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT source_id, outcome, target_id, source_row_hash FROM legacy.id_map
                WHERE source_db = ? AND source_table = ?""")) {
            ps.setString(1, t.map.source());
            ps.setString(2, t.map.table());
            ps.setFetchSize(10_000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    k.putKnown(rs.getString(1), new Known(rs.getString(2), rs.getObject(3, UUID.class), rs.getString(4)));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT source_id, id, source_row_hash, reason_code FROM legacy.quarantine
                WHERE source_db = ? AND source_table = ? AND status IN ('open', 'fixed')""")) {
            ps.setString(1, t.map.source());
            ps.setString(2, t.map.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    k.putQuarantined(rs.getString(1), new Quarantined(rs.getObject(2, UUID.class), rs.getString(3),
                            rs.getString(4)));
                }
            }
        }
        return k;
    }

    private static TargetIndex loadIndex(Connection c, Prepared p, String table, MergeRule rule,
                                         PgCatalog.Table catalog, List<String> columns) throws SQLException {
        TargetIndex index = new TargetIndex(table, rule, catalog, columns);
        StringBuilder sql = new StringBuilder("SELECT id");
        for (String col : columns) {
            sql.append(", ").append(Identifiers.quote(col)).append("::text");
        }
        sql.append(" FROM ").append(Identifiers.quoteQualified(table)).append(" WHERE town_id = ?");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            ps.setObject(1, p.townId);
            ps.setFetchSize(10_000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    MergeTarget m = new MergeTarget(rs.getObject(1, UUID.class));
                    for (int i = 0; i < columns.size(); i++) {
                        Object v = ValueCodec.fromText(rs.getString(i + 2), catalog.column(columns.get(i)).orElseThrow());
                        if (v != null) {
                            m.values.put(columns.get(i), v);
                        }
                    }
                    index.add(m);
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT target_id, source_db || '.' || source_table || ':' || source_id FROM legacy.id_map
                WHERE target_table = ? AND outcome = 'imported'""")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    MergeTarget m = index.rows.get(rs.getObject(1, UUID.class));
                    if (m != null) {
                        m.creator = rs.getString(2);
                    }
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT target_id, column_name, source_db || '.' || source_table || ':' || source_id
                FROM legacy.filled_values WHERE target_table = ? ORDER BY created_at, id""")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    MergeTarget m = index.rows.get(rs.getObject(1, UUID.class));
                    if (m != null) {
                        m.provenance.put(rs.getString(2), rs.getString(3));
                    }
                }
            }
        }
        return index;
    }

    private static Set<UUID> loadIds(Connection c, String table, UUID town) throws SQLException {
        Set<UUID> ids = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM " + Identifiers.quoteQualified(table)
                + " WHERE town_id = ?")) {
            ps.setObject(1, town);
            ps.setFetchSize(10_000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return ids;
    }

    public TableKnowledge table(String qualified) {
        return tables.get(qualified);
    }

    public TargetIndex index(String targetTable) {
        return indexes.get(targetTable);
    }
}
