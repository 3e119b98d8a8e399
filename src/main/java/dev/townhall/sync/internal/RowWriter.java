package dev.townhall.sync.internal;

import dev.townhall.db.Identifiers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The SQL that writes one synced table as its owner: an upsert by id of its non-generated columns (but those its
 * node keeps to itself, {@code sync.synced_tables.kept_local}, which an insert leaves to their default and an update
 * leaves as they are), a delete, its row image. Used by the agent to apply changes and by a manual conflict
 * resolution to write the kept version. Upsert and delete take any number of rows in one statement, so the agent
 * writes a run of changes in one go. {@code directory}: a table of the organisation's directory (decision 46).
 */
public record RowWriter(String upsert, String delete, String image, boolean directory) {
    public static RowWriter load(Connection c, String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        List<String> updatable = new ArrayList<>();
        boolean directory = false;
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT a.attname, a.attidentity = 'a', s.scope = 'directory'
                FROM sync.synced_tables s
                JOIN pg_attribute a ON a.attrelid = s.table_name::regclass
                WHERE s.table_name = ? AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
                  AND a.attname <> ALL (s.kept_local)
                ORDER BY a.attnum""")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    directory = rs.getBoolean(3);
                    String column = Identifiers.quote(rs.getString(1));
                    columns.add(column);
                    if (!rs.getBoolean(2) && !rs.getString(1).equals("id")) {
                        updatable.add(column + " = EXCLUDED." + column);
                    }
                }
            }
        }
        if (columns.isEmpty()) {
            throw new SQLException("table " + table + " is not synced on this node", "42P01");
        }
        int dot = table.indexOf('.');
        String name = Identifiers.quote(table.substring(0, dot)) + "." + Identifiers.quote(table.substring(dot + 1));
        String list = String.join(", ", columns);
        String upsert = "INSERT INTO " + name + " (" + list + ") OVERRIDING SYSTEM VALUE SELECT " + list
                + " FROM jsonb_populate_recordset(NULL::" + name + ", ?::jsonb) ON CONFLICT (id) DO UPDATE SET "
                + String.join(", ", updatable);
        return new RowWriter(upsert, "DELETE FROM " + name + " WHERE id = ANY (?::uuid[])",
                // the local version kept with a conflict leaves out, as the change log does, what never leaves its node
                "SELECT to_jsonb(r) - (SELECT s.kept_local FROM sync.synced_tables s WHERE s.table_name::regclass = r.tableoid)"
                        + " FROM " + name + " r WHERE r.id = ?", directory);
    }

    /** Writes a version of the row: its image (JSON text) upserted, or the row deleted when the image is null. */
    public void write(Connection c, UUID rowId, String image) throws SQLException {
        if (image == null) {
            deleteAll(c, List.of(rowId));
        } else {
            upsertAll(c, List.of(image));
        }
    }

    /** Upserts rows of distinct ids, given as their images (JSON objects as text), in one statement. */
    public void upsertAll(Connection c, List<String> images) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(upsert)) {
            ps.setString(1, "[" + String.join(",", images) + "]");
            ps.executeUpdate();
        }
    }

    public void deleteAll(Connection c, List<UUID> rowIds) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(delete)) {
            ps.setArray(1, c.createArrayOf("uuid", rowIds.toArray(UUID[]::new)));
            ps.executeUpdate();
        }
    }
}
