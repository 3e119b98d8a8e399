package dev.townhall.ops.internal;

import dev.townhall.db.Identifiers;
import dev.townhall.ops.Doctor.Status;
import dev.townhall.ops.DoctorCheck;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The SQL behind each {@link DoctorCheck}, read on one autocommit connection of the owner. */
public final class Probes {
    /** A figure, what explains it, and a verdict that overrides the thresholds (a check that could not run). */
    public record Reading(Double value, String detail, Optional<Status> verdict) {
        static Reading of(double value, String detail) {
            return new Reading(value, detail, Optional.empty());
        }

        static Reading unmeasured(Status verdict, String detail) {
            return new Reading(null, detail, Optional.of(verdict));
        }
    }

    private static final double MB = 1024d * 1024d;
    /** Tables smaller than this have a meaningless dead-row share (a few updates swing it). */
    private static final long BLOAT_MIN_ROWS = 1_000;
    /** A statement run once or twice (a migration, a one-off) says nothing about the workload. */
    private static final long SLOW_MIN_CALLS = 3;
    private static final int LISTED = 5;
    private static final int QUERY_SHOWN = 80;

    private final Connection c;
    private final long unusedIndexMinBytes;

    public Probes(Connection c, long unusedIndexMinBytes) {
        this.c = c;
        this.unusedIndexMinBytes = unusedIndexMinBytes;
    }

    /** Measures {@code check}; a failing query makes it FAIL with PostgreSQL's message, not the whole doctor. */
    public Reading measure(DoctorCheck check) {
        try {
            return switch (check) {
                case DATABASE_SIZE -> databaseSize();
                case TOWN_ROWS -> townRows();
                case UNUSED_INDEXES -> unusedIndexes();
                case SLOW_QUERIES -> slowQueries();
                case BLOAT -> bloat();
                case CONNECTIONS -> connections();
                case LONG_TRANSACTIONS -> longTransactions();
                case SYNC_LAG -> syncLag();
                case PARKED_CHANGES -> count("sync.parked_changes", "SELECT count(*), NULL FROM sync.parked_changes");
                case EMBEDDING_QUEUE -> count("memory.embedding_queue", """
                        SELECT count(*), 'oldest ' || coalesce(round(extract(epoch FROM now() - min(enqueued_at)))::text
                                || ' s ago', '-')
                        FROM memory.embedding_queue""");
                case BACKUP_AGE -> backupAge();
                case QUARANTINE -> count("legacy.quarantine", """
                        SELECT coalesce(sum(n), 0), string_agg(source_table || ' ' || n, ', ' ORDER BY n DESC)
                        FROM (SELECT source_db || '.' || source_table AS source_table, count(*) AS n
                              FROM legacy.quarantine WHERE resolved_at IS NULL GROUP BY 1) t""");
            };
        } catch (SQLException e) {
            String message = e.getMessage() == null ? "no detail" : e.getMessage().lines().findFirst().orElse("");
            return Reading.unmeasured(Status.FAIL, "cannot measure: " + message);
        }
    }

    private Reading databaseSize() throws SQLException {
        double bytes;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT pg_database_size(current_database())")) {
            rs.next();
            bytes = rs.getLong(1);
        }
        List<String> largest = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT schemaname || '.' || relname, pg_total_relation_size(relid) FROM pg_stat_user_tables
                ORDER BY 2 DESC, 1 LIMIT ?""")) {
            ps.setInt(1, LISTED);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    largest.add(rs.getString(1) + " " + megabytes(rs.getLong(2)));
                }
            }
        }
        return Reading.of(bytes / MB, "largest: " + String.join(", ", largest));
    }

    /**
     * Counts rows per town over every table (not partition) with a {@code town_id} column; the detail gives each
     * town's total and the table holding most of it.
     */
    private Reading townRows() throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT n.nspname, t.relname, t.oid FROM pg_attribute a
                JOIN pg_class t ON t.oid = a.attrelid JOIN pg_namespace n ON n.oid = t.relnamespace
                WHERE a.attname = 'town_id' AND NOT a.attisdropped AND t.relkind IN ('r', 'p') AND NOT t.relispartition
                  AND n.nspname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2""")) {
            while (rs.next()) {
                // the oid (a number) names the table in the result without quoting a literal
                tables.add("SELECT " + rs.getLong(3) + "::regclass::text AS tbl, town_id, count(*) AS n FROM "
                        + Identifiers.quote(rs.getString(1)) + "." + Identifiers.quote(rs.getString(2))
                        + " GROUP BY town_id");
            }
        }
        if (tables.isEmpty()) {
            return Reading.of(0, "no table has a town column");
        }
        long largest = 0;
        List<String> detail = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT coalesce(t.slug, 'no town'), sum(c.n)::bigint AS rows,
                       (array_agg(c.tbl || ' ' || c.n ORDER BY c.n DESC, c.tbl))[1]
                FROM (%s) c LEFT JOIN core.towns t ON t.id = c.town_id
                GROUP BY 1 ORDER BY 2 DESC, 1""".formatted(String.join("\nUNION ALL ", tables)))) {
            while (rs.next()) {
                largest = Math.max(largest, rs.getLong(2));
                detail.add(rs.getString(1) + " " + rs.getLong(2) + " (most in " + rs.getString(3) + ")");
            }
        }
        return Reading.of(largest, (detail.isEmpty() ? "no rows" : String.join(", ", detail)) + " over "
                + tables.size() + " tables");
    }

    private Reading unusedIndexes() throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT count(*),
                       string_agg(s.schemaname || '.' || s.indexrelname || ' '
                                      || pg_size_pretty(pg_relation_size(s.indexrelid)),
                                  ', ' ORDER BY pg_relation_size(s.indexrelid) DESC),
                       (SELECT coalesce(sum(idx_scan), 0) FROM pg_stat_user_indexes)
                FROM pg_stat_user_indexes s JOIN pg_index i ON i.indexrelid = s.indexrelid
                WHERE s.idx_scan = 0 AND NOT i.indisunique AND NOT i.indisprimary
                  AND pg_relation_size(s.indexrelid) >= ?""")) {
            ps.setLong(1, unusedIndexMinBytes);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                String listed = rs.getString(2);
                return Reading.of(rs.getLong(1), (listed == null ? "none" : listed) + " (of "
                        + megabytes(unusedIndexMinBytes) + " or more; " + rs.getLong(3)
                        + " index scans since statistics were reset)");
            }
        }
    }

    private Reading slowQueries() throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements'")) {
            if (!rs.next()) {
                return Reading.unmeasured(Status.WARN, "pg_stat_statements not installed in this database");
            }
        }
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT mean_exec_time, calls, regexp_replace(left(query, 200), '\\s+', ' ', 'g')
                FROM pg_stat_statements
                WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND calls >= ?
                ORDER BY mean_exec_time DESC LIMIT 1""")) {
            ps.setLong(1, SLOW_MIN_CALLS);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Reading.of(0, "no statement ran " + SLOW_MIN_CALLS + " times yet");
                }
                String query = rs.getString(3);
                String shown = query == null ? "(text hidden)"
                        : query.length() > QUERY_SHOWN ? query.substring(0, QUERY_SHOWN) + "…" : query;
                return Reading.of(rs.getDouble(1), "slowest on average (" + rs.getLong(2) + " calls): " + shown);
            }
        } catch (SQLException e) {
            if ("55000".equals(e.getSQLState())) { // installed but not in shared_preload_libraries
                return Reading.unmeasured(Status.WARN, "pg_stat_statements not loaded (shared_preload_libraries)");
            }
            throw e;
        }
    }

    private Reading bloat() throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT schemaname || '.' || relname, n_dead_tup, n_live_tup,
                       100.0 * n_dead_tup / (n_live_tup + n_dead_tup) AS dead
                FROM pg_stat_user_tables WHERE n_live_tup + n_dead_tup >= ?
                ORDER BY dead DESC, 1 LIMIT 1""")) {
            ps.setLong(1, BLOAT_MIN_ROWS);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Reading.of(0, "no table of " + BLOAT_MIN_ROWS + " rows or more");
                }
                return Reading.of(rs.getDouble(4), rs.getString(1) + ": " + rs.getLong(2) + " dead of "
                        + (rs.getLong(2) + rs.getLong(3)) + " rows");
            }
        }
    }

    private Reading connections() throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT count(*) FILTER (WHERE backend_type = 'client backend'),
                       current_setting('max_connections')::int,
                       count(*) FILTER (WHERE backend_type = 'client backend' AND datname = current_database())
                FROM pg_stat_activity""")) {
            rs.next();
            long used = rs.getLong(1);
            int max = rs.getInt(2);
            return Reading.of(100.0 * used / max, used + " of max_connections " + max + " (" + rs.getLong(3)
                    + " to this database)");
        }
    }

    private Reading longTransactions() throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT extract(epoch FROM clock_timestamp() - xact_start), pid, usename, state
                FROM pg_stat_activity
                WHERE datname = current_database() AND xact_start IS NOT NULL AND pid <> pg_backend_pid()
                  AND backend_type = 'client backend'
                ORDER BY xact_start LIMIT 1""")) {
            if (!rs.next()) {
                return Reading.of(0, "no open transaction");
            }
            return Reading.of(rs.getDouble(1), "oldest: pid " + rs.getInt(2) + " (" + rs.getString(3) + ", "
                    + rs.getString(4) + ")");
        }
    }

    private Reading syncLag() throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT count(*), max(extract(epoch FROM now() - coalesce(last_success_at, updated_at))),
                       count(*) FILTER (WHERE last_error IS NOT NULL)
                FROM sync.peer_progress""")) {
            rs.next();
            long flows = rs.getLong(1);
            if (flows == 0) {
                return Reading.of(0, "no peer has synced into this database");
            }
            return Reading.of(rs.getDouble(2), flows + " peers applied here, " + rs.getLong(3)
                    + " with an error on their last attempt");
        }
    }

    private Reading backupAge() throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT extract(epoch FROM now() - max(verified_at)) / 3600, count(*),
                       count(*) FILTER (WHERE verified_at IS NOT NULL)
                FROM ops.backups""")) {
            rs.next();
            double hours = rs.getDouble(1);
            if (rs.wasNull()) {
                return Reading.unmeasured(Status.WARN, "no verified backup (" + rs.getLong(2)
                        + " taken; ./townhall backup verify FILE)");
            }
            return Reading.of(hours, rs.getLong(3) + " of " + rs.getLong(2) + " backups verified");
        }
    }

    private Reading count(String table, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            String detail = rs.getString(2);
            return Reading.of(rs.getLong(1), detail == null ? table : detail);
        }
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / MB);
    }
}
