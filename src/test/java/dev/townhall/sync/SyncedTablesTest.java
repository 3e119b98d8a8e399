package dev.townhall.sync;

import dev.townhall.db.Database;
import dev.townhall.testing.PostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** Every tenant table is synced, or left out for a stated reason; every synced table captures its writes. */
@ExtendWith(PostgresExtension.class)
class SyncedTablesTest {
    /** Tenant tables that are not synced, and why. Tables commented "derived:" are rebuilt on each node from synced rows. */
    static final Map<String, String> NOT_SYNCED = Map.of(
            "sync.pending_sync", "node-local: this node's outgoing queue",
            "sync.conflicts", "node-local: conflicts this node decided",
            "sync.integrations", "node-local: each node runs its own connectors (cursors, errors)",
            "sync.webhooks", "node-local: delivery state of this node's connectors");

    private final Database db;

    SyncedTablesTest(Database db) {
        this.db = db;
    }

    @Test
    void everyTenantTableIsSyncedOrExcludedWithAReason() throws SQLException {
        Set<String> tenant = set("SELECT table_name::text FROM core.tenant_tables");
        Set<String> derived = set("SELECT table_name::text FROM core.tenant_tables"
                + " WHERE obj_description(table_name, 'pg_class') LIKE 'derived:%'");
        Set<String> synced = set("SELECT table_name FROM sync.synced_tables WHERE scope = 'town'");

        Set<String> accounted = new TreeSet<>(synced);
        accounted.addAll(derived);
        accounted.addAll(NOT_SYNCED.keySet());
        assertThat(accounted).as("synced, derived or excluded with a reason").isEqualTo(tenant);
        assertThat(synced).as("a synced table is neither derived nor excluded")
                .doesNotContainAnyElementsOf(derived).doesNotContainAnyElementsOf(NOT_SYNCED.keySet());
        assertThat(synced).contains("crm.contacts", "memory.sticky_notes", "work.tasks");
        assertThat(set("SELECT table_name FROM sync.synced_tables WHERE scope = 'directory'"))
                .as("the organisation's directory, which every peer holds")
                .containsExactly("core.memberships", "core.towns", "core.users");
    }

    @Test
    void everySyncedTableHasTheCaptureTriggerOfItsScopeNamingTheColumnsLeftOut() throws SQLException {
        Map<String, String> expected = map("""
                SELECT s.table_name, coalesce(string_agg(a.attname, ',' ORDER BY a.attnum), '')
                FROM sync.synced_tables s
                LEFT JOIN pg_attribute a ON a.attrelid = s.table_name::regclass AND a.attnum > 0
                     AND NOT a.attisdropped AND (a.attgenerated <> '' OR a.attname = ANY (s.kept_local))
                GROUP BY s.table_name""");
        // tgargs: the trigger's arguments, each ended by a NUL byte
        Map<String, String> installed = map("""
                SELECT s.table_name, coalesce(string_agg(arg, ',' ORDER BY ord), '')
                FROM sync.synced_tables s
                JOIN pg_trigger t ON t.tgrelid = s.table_name::regclass
                     AND t.tgfoid = CASE s.scope WHEN 'town' THEN 'sync.capture_change()'::regprocedure
                                             ELSE 'sync.capture_directory_change()'::regprocedure END
                     AND t.tgenabled = 'O'
                     AND t.tgtype = (1 | 4 | 8 | 16)
                LEFT JOIN LATERAL unnest(string_to_array(encode(t.tgargs, 'escape'), '\\000'))
                     WITH ORDINALITY AS g(arg, ord) ON g.arg <> ''
                GROUP BY s.table_name""");
        assertThat(installed).isEqualTo(expected);
    }

    private Set<String> set(String sql) throws SQLException {
        Set<String> out = new TreeSet<>();
        try (Connection c = db.owner().connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private Map<String, String> map(String sql) throws SQLException {
        Map<String, String> out = new TreeMap<>();
        try (Connection c = db.owner().connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }
}
