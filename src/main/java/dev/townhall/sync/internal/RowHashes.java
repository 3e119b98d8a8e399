package dev.townhall.sync.internal;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Endpoint;
import dev.townhall.db.Identifiers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One side of {@code sync verify}: a read-only REPEATABLE READ transaction as the database's owner (one snapshot for
 * every table), hashing the rows a peer holds. A row's hash is the md5 of its JSON image without its generated
 * columns and {@code updated_at}, the columns capture leaves out or does not treat as a change; jsonb text has sorted
 * keys, so the hash does not depend on column order. Timestamps are rendered in UTC, whatever each server's default.
 */
public final class RowHashes implements AutoCloseable {
    /** Rows are compared in 256 buckets by the first two hex digits of their id; only differing buckets list ids. */
    private static final String BUCKET = "left(r.id::text, 2)";

    private static final String PEER = "WITH p AS (SELECT ?::uuid[] AS towns, ?::boolean AS shared, ?::text[] AS ignored)\n";

    private static final String ROW_HASH = "md5((to_jsonb(r) - p.ignored)::text)";

    /** Per bucket: how many rows, and a digest of their ids and hashes in id order. */
    public record Bucket(long rows, String digest) {
    }

    private final Endpoint owner;
    private final Connection c;
    private final Set<UUID> towns;
    private final boolean shared;
    private Set<String> directoryTables;

    private RowHashes(Endpoint owner, Connection c, Set<UUID> towns, boolean shared) {
        this.owner = owner;
        this.c = c;
        this.towns = Set.copyOf(towns);
        this.shared = shared;
    }

    /** {@code towns} empty = every row; otherwise a town replica's rows (see {@link ChangeReader#heldByPeer}). */
    public static RowHashes open(Endpoint owner, Set<UUID> towns, boolean shared) {
        Connection c = owner.connect();
        try {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL TimeZone = 'UTC'");
            }
            return new RowHashes(owner, c, towns, shared);
        } catch (SQLException e) {
            close(c);
            throw failure(owner, "open a snapshot", e);
        }
    }

    /** The tables this database syncs, by name. */
    public List<String> syncedTables() {
        try (PreparedStatement ps = c.prepareStatement("SELECT table_name FROM sync.synced_tables ORDER BY table_name");
             ResultSet rs = ps.executeQuery()) {
            List<String> tables = new ArrayList<>();
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
            return tables;
        } catch (SQLException e) {
            throw failure("list the synced tables", e);
        }
    }

    /** The columns left out of a table's row hash: its generated columns, {@code updated_at} and those kept local. */
    public List<String> ignoredColumns(String table) {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT a.attname FROM sync.synced_tables s JOIN pg_attribute a ON a.attrelid = s.table_name::regclass
                WHERE s.table_name = ? AND a.attnum > 0 AND NOT a.attisdropped
                  AND (a.attgenerated <> '' OR a.attname = 'updated_at' OR a.attname = ANY (s.kept_local))
                ORDER BY a.attnum""")) {
            ps.setString(1, table);
            List<String> columns = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(rs.getString(1));
                }
            }
            return columns;
        } catch (SQLException e) {
            throw failure("read the columns of " + table, e);
        }
    }

    public Map<String, Bucket> buckets(String table, List<String> ignored) {
        String sql = PEER + "SELECT " + BUCKET + ", count(*), md5(string_agg(r.id::text || " + ROW_HASH
                + ", ',' ORDER BY r.id))\nFROM " + Identifiers.quoteQualified(table) + " r, p\nWHERE "
                + held(table) + "\nGROUP BY 1";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, ignored);
            Map<String, Bucket> buckets = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    buckets.put(rs.getString(1), new Bucket(rs.getLong(2), rs.getString(3)));
                }
            }
            return buckets;
        } catch (SQLException e) {
            throw failure("hash " + table, e);
        }
    }

    /** The hash of every row in the given buckets, by id. */
    public Map<UUID, String> rows(String table, List<String> ignored, Collection<String> buckets) {
        String sql = PEER + "SELECT r.id, " + ROW_HASH + "\nFROM " + Identifiers.quoteQualified(table) + " r, p\nWHERE "
                + held(table) + "\n  AND " + BUCKET + " = ANY (?::text[])";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, ignored);
            ps.setArray(4, c.createArrayOf("text", buckets.toArray(String[]::new)));
            Map<UUID, String> rows = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getObject(1, UUID.class), rs.getString(2));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw failure("hash the rows of " + table, e);
        }
    }

    /** Which rows of the table the peer holds: every row of a directory table, else by town. */
    private String held(String table) {
        return directoryTables().contains(table) ? "true" : ChangeReader.heldByPeer("r");
    }

    private Set<String> directoryTables() {
        if (directoryTables == null) {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT table_name FROM sync.synced_tables WHERE scope = 'directory'");
                 ResultSet rs = ps.executeQuery()) {
                Set<String> tables = new HashSet<>();
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
                directoryTables = tables;
            } catch (SQLException e) {
                throw failure("list the directory tables", e);
            }
        }
        return directoryTables;
    }

    private void bind(PreparedStatement ps, List<String> ignored) throws SQLException {
        ps.setArray(1, c.createArrayOf("uuid", towns.toArray(UUID[]::new)));
        ps.setBoolean(2, shared);
        ps.setArray(3, c.createArrayOf("text", ignored.toArray(String[]::new)));
    }

    private TownHallException failure(String what, SQLException e) {
        return failure(owner, what, e);
    }

    private static TownHallException failure(Endpoint owner, String what, SQLException e) {
        return new TownHallException(ErrorCode.INTERNAL, "sync verify could not " + what + " at " + owner.describe()
                + ": " + FlowApplier.firstLine(e.getMessage()), e);
    }

    @Override
    public void close() {
        close(c);
    }

    private static void close(Connection c) {
        try (c) {
            if (!c.getAutoCommit()) {
                c.rollback();
            }
        } catch (SQLException ignored) {
            // a read-only snapshot: nothing to lose
        }
    }
}
