package dev.townhall.ops.internal;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Endpoint;
import dev.townhall.db.Identifiers;
import dev.townhall.ops.Manifest;
import dev.townhall.ops.Progress;
import dev.townhall.schema.Verifier;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One repeatable-read transaction on a TownHall database, as its owner (who bypasses row-level security): the
 * snapshot pg_dump is given ({@link #exported()}) and the one the manifest's sums are read in, so both describe
 * exactly the same rows whatever is written meanwhile.
 */
public final class ContentSnapshot implements AutoCloseable {
    private static final String TABLES = """
            SELECT n.nspname, c.relname,
                   EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'id' AND NOT a.attisdropped),
                   EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'town_id' AND NOT a.attisdropped)
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind = 'r' AND n.nspname = ANY (?)
            ORDER BY 1, 2""";
    private static final String MIGRATION = """
            SELECT (SELECT tag FROM databasechangelog WHERE tag IS NOT NULL ORDER BY orderexecuted DESC LIMIT 1),
                   (SELECT author || ':' || id FROM databasechangelog ORDER BY orderexecuted DESC LIMIT 1),
                   (SELECT count(*) FROM databasechangelog)""";

    private final Connection connection;
    private final String exported;

    private ContentSnapshot(Connection connection, String exported) {
        this.connection = connection;
        this.exported = exported;
    }

    public static ContentSnapshot open(Endpoint owner) {
        Connection c = owner.connect();
        try {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_export_snapshot()")) {
                rs.next();
                String id = rs.getString(1);
                // to_jsonb writes timestamptz in the session's zone: fixed, so a restore elsewhere sums the same text
                s.execute("SET LOCAL TimeZone = 'UTC'");
                return new ContentSnapshot(c, id);
            }
        } catch (SQLException e) {
            close(c);
            throw new TownHallException(ErrorCode.INTERNAL, "cannot open a snapshot of " + owner.describe() + ": "
                    + e.getMessage(), e);
        }
    }

    /** The snapshot's id for {@code pg_dump --snapshot}; valid while this stays open. */
    public String exported() {
        return exported;
    }

    /** The manifest of what this snapshot holds (without the dump's file, size and sha256). */
    public Manifest manifest(String kind, String town, String version, Progress progress) {
        try {
            Map<String, String> slugs = townSlugs();
            List<TableRef> tables = tables();
            SortedMap<String, Manifest.Table> sums = new TreeMap<>();
            for (int i = 0; i < tables.size(); i++) {
                progress.at("checksums", i, tables.size());
                TableRef t = tables.get(i);
                sums.put(t.name(), sum(t, slugs));
            }
            progress.at("checksums", tables.size(), tables.size());
            return new Manifest(Manifest.FORMAT, kind, town, version, Instant.now().toString(),
                    connection.getCatalog(), migration(), null, sums);
        } catch (SQLException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "cannot sum the database's tables: " + e.getMessage(), e);
        }
    }

    private record TableRef(String schema, String table, boolean hasId, boolean hasTown) {
        String name() {
            return schema + "." + table;
        }

        String quoted() {
            return Identifiers.quote(schema) + "." + Identifiers.quote(table);
        }
    }

    private List<TableRef> tables() throws SQLException {
        List<TableRef> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(TABLES)) {
            Array schemas = connection.createArrayOf("text", Verifier.SCHEMAS.toArray());
            ps.setArray(1, schemas);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new TableRef(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getBoolean(4)));
                }
            }
        }
        return out;
    }

    private Map<String, String> townSlugs() throws SQLException {
        Map<String, String> out = new HashMap<>();
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT id::text, slug FROM core.towns")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }

    /**
     * One scan per table: the whole table and, with GROUPING SETS, each town. A row's hash is md5 of its JSON, so
     * the aggregate holds 32 bytes a row whatever the row's size (embeddings, transcripts).
     */
    private Manifest.Table sum(TableRef t, Map<String, String> slugs) throws SQLException {
        String order = t.hasId() ? "k" : "h";
        String key = t.hasId() ? "x.id" : "NULL::int";
        String town = t.hasTown() ? "x.town_id::text" : "NULL::text";
        String sql = """
                SELECT GROUPING(town), town, count(*), md5(string_agg(h, '' ORDER BY %s))
                FROM (SELECT %s AS town, md5(to_jsonb(x)::text) AS h, %s AS k FROM %s x) r
                GROUP BY GROUPING SETS ((), (town))""".formatted(order, town, key, t.quoted());
        long rows = 0;
        String checksum = null;
        SortedMap<String, Manifest.Sums> towns = new TreeMap<>();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                if (rs.getInt(1) == 1) {
                    rows = rs.getLong(3);
                    checksum = rs.getString(4);
                } else if (t.hasTown()) {
                    String id = rs.getString(2);
                    String label = id == null ? "(none)" : slugs.getOrDefault(id, id);
                    towns.put(label, new Manifest.Sums(rs.getLong(3), rs.getString(4)));
                }
            }
        }
        return new Manifest.Table(rows, checksum, towns);
    }

    private Manifest.Migration migration() throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(MIGRATION)) {
            rs.next();
            return new Manifest.Migration(rs.getString(1), rs.getString(2), rs.getInt(3));
        }
    }

    @Override
    public void close() {
        close(connection);
    }

    private static void close(Connection c) {
        try (c) {
            c.rollback();
        } catch (SQLException ignored) {
            // closing ends the transaction either way
        }
    }
}
