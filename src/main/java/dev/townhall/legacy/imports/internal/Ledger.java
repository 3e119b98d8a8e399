package dev.townhall.legacy.imports.internal;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * legacy.import_runs and legacy.import_checkpoints, on a connection of their own in autocommit mode (so a run's
 * status and heartbeat are visible while its data is still in flight), plus the advisory lock that lets one
 * import run at a time per town. A run found 'running' while the lock is free died without finishing: it is
 * marked interrupted and the next run with the same options resumes from its checkpoints.
 */
public final class Ledger implements AutoCloseable {
    private static final int LOCK_WAIT_S = 15;

    /** A run that died, and how far each of its tables got: source table -> {key, ordinal, rows done, complete}. */
    public record Interrupted(UUID runId, Map<String, Checkpoint> checkpoints) {
    }

    public record Checkpoint(String key, long ordinal, long rowsDone, boolean complete) {
    }

    private final Connection c;
    private final UUID townId;

    private Ledger(Connection c, UUID townId) {
        this.c = c;
        this.townId = townId;
    }

    /** Takes the town's import lock on {@code c} (waiting a little for a killed run's session to go away). */
    public static Ledger lock(Connection c, UUID townId) throws SQLException {
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
            s.execute("SET lock_timeout = '" + LOCK_WAIT_S + "s'");
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_lock(hashtextextended(?, 0))")) {
                ps.setString(1, "townhall.import:" + townId);
                ps.execute();
            } catch (SQLException e) {
                if ("55P03".equals(e.getSQLState())) {
                    throw new TownHallException(ErrorCode.CLUSTER_BUSY, "another import into this town is running;"
                            + " wait for it to finish (or stop it) and run again", e);
                }
                throw e;
            }
            s.execute("SET lock_timeout = 0");
        }
        return new Ledger(c, townId);
    }

    /** Marks runs left 'running' by a dead process as interrupted; returns the newest with the same mode and options. */
    public Optional<Interrupted> recoverInterrupted(String mode, String optionsJson) throws SQLException {
        UUID resumable = null;
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE legacy.import_runs SET status = 'interrupted', finished_at = heartbeat_at,
                       error = 'the importing process stopped without finishing (killed or crashed)'
                WHERE town_id = ? AND status = 'running'
                RETURNING id, mode, options::text, started_at, dry_run""")) {
            ps.setObject(1, townId);
            try (ResultSet rs = ps.executeQuery()) {
                java.time.OffsetDateTime newest = null;
                while (rs.next()) {
                    boolean same = rs.getString(2).equals(mode) && sameJson(rs.getString(3), optionsJson)
                            && !rs.getBoolean(5);
                    java.time.OffsetDateTime started = rs.getObject(4, java.time.OffsetDateTime.class);
                    if (same && (newest == null || started.isAfter(newest))) {
                        newest = started;
                        resumable = rs.getObject(1, UUID.class);
                    }
                }
            }
        }
        if (resumable == null) {
            return Optional.empty();
        }
        Map<String, Checkpoint> checkpoints = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT source_db || '.' || source_table, last_source_key, rows_done, is_complete
                FROM legacy.import_checkpoints WHERE run_id = ?""")) {
            ps.setObject(1, resumable);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String key = rs.getString(2);
                    Object[] decoded = key == null ? new Object[] {null, 0L} : Checkpoints.decode(key);
                    checkpoints.put(rs.getString(1), new Checkpoint((String) decoded[0], (Long) decoded[1],
                            rs.getLong(3), rs.getBoolean(4)));
                }
            }
        }
        return Optional.of(new Interrupted(resumable, checkpoints));
    }

    private static boolean sameJson(String a, String b) {
        try {
            return Json.MAPPER.readTree(a).equals(Json.MAPPER.readTree(b));
        } catch (Exception e) {
            return false;
        }
    }

    /** Records a new run and returns its id. */
    public UUID start(UUID orgId, List<String> sources, String mode, boolean dryRun, String optionsJson,
                      UUID resumedFrom) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO legacy.import_runs (org_id, town_id, sources, mode, dry_run, options, resumed_from_run_id)
                VALUES (?, ?, ?, ?, ?, CAST(? AS jsonb), ?) RETURNING id""")) {
            ps.setObject(1, orgId);
            ps.setObject(2, townId);
            ps.setArray(3, c.createArrayOf("text", sources.toArray()));
            ps.setString(4, mode);
            ps.setBoolean(5, dryRun);
            ps.setString(6, optionsJson);
            ps.setObject(7, resumedFrom);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getObject(1, UUID.class);
            }
        }
    }

    /** Carries a resumed run's checkpoints over to the new run, so a second interruption resumes from them too. */
    public void inheritCheckpoints(UUID runId, UUID from) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO legacy.import_checkpoints (run_id, source_db, source_table, last_source_key, rows_done,
                                                       is_complete)
                SELECT ?, source_db, source_table, last_source_key, rows_done, is_complete
                FROM legacy.import_checkpoints WHERE run_id = ?""")) {
            ps.setObject(1, runId);
            ps.setObject(2, from);
            ps.executeUpdate();
        }
    }

    /** Progress so far; also the heartbeat that tells a live run from a dead one. */
    public void heartbeat(UUID runId, long read, long imported, long merged, long quarantined) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE legacy.import_runs SET heartbeat_at = now(), rows_read = ?, rows_imported = ?, rows_merged = ?,
                       rows_quarantined = ?
                WHERE id = ?""")) {
            ps.setLong(1, read);
            ps.setLong(2, imported);
            ps.setLong(3, merged);
            ps.setLong(4, quarantined);
            ps.setObject(5, runId);
            ps.executeUpdate();
        }
    }

    /** Closes the run: succeeded (with its report) or failed (with the error). */
    public void finish(UUID runId, boolean succeeded, String reportJson, String error) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE legacy.import_runs SET status = ?, finished_at = now(), heartbeat_at = now(),
                       report = CAST(? AS jsonb), error = ?
                WHERE id = ?""")) {
            ps.setString(1, succeeded ? "succeeded" : "failed");
            ps.setString(2, reportJson);
            ps.setString(3, error);
            ps.setObject(4, runId);
            ps.executeUpdate();
        }
    }

    public Connection connection() {
        return c;
    }

    @Override
    public void close() throws SQLException {
        c.close();
    }
}
