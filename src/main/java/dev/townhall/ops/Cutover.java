package dev.townhall.ops;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Database;
import dev.townhall.db.Endpoint;
import dev.townhall.schema.Verifier;
import dev.townhall.sync.Convergence;
import dev.townhall.sync.Peer;
import dev.townhall.sync.Peers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The go/no-go of a cutover from the old systems (docs/cutover.md): each criterion measured, as the owner, against
 * its threshold. {@link #freeze} records when the old systems stopped taking writes; the final delta import must
 * start after it.
 */
public final class Cutover {
    /** How much may stay in quarantine (percent of the legacy rows read) and how young the verified backup must be. */
    public record Thresholds(double maxQuarantinedPercent, Duration backupWithin) {
        public static final Thresholds DEFAULTS = new Thresholds(1.0, Duration.ofMinutes(60));

        public Thresholds {
            if (maxQuarantinedPercent < 0 || maxQuarantinedPercent > 100) {
                throw TownHallException.forField(ErrorCode.INVALID_INPUT, "max_quarantine",
                        "the quarantine threshold is a percentage between 0 and 100");
            }
            if (backupWithin.isNegative() || backupWithin.isZero()) {
                throw TownHallException.forField(ErrorCode.INVALID_INPUT, "backup_within",
                        "a backup's age limit is a positive duration");
            }
        }
    }

    /** One go/no-go criterion: what was measured, against what, and whether it passes. */
    public record Criterion(String name, String figure, String threshold, boolean passed) {
    }

    /** Every criterion, in the runbook's order; a cutover may go only when all pass. */
    public record Report(List<Criterion> criteria) {
        public Report {
            criteria = List.copyOf(criteria);
        }

        public boolean go() {
            return criteria.stream().allMatch(Criterion::passed);
        }
    }

    /** The latest succeeded full import: what the reconciliation, relationship and quarantine criteria measure. */
    private record FullImport(Instant finishedAt, long read, long unaccounted, long checkedReferences,
                              long wrongReferences) {
    }

    private final Database db;

    private Cutover(Database db) {
        this.db = db;
    }

    public static Cutover of(Database db) {
        return new Cutover(db);
    }

    /** Records that the old systems are frozen now; returns the time recorded. */
    public Instant freeze(Optional<String> note) {
        try (Connection c = db.owner().connect(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO ops.cutover_freezes (note) VALUES (?) RETURNING frozen_at")) {
            ps.setString(1, note.map(String::strip).filter(n -> !n.isEmpty()).orElse(null));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getTimestamp(1).toInstant();
            }
        } catch (SQLException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "cannot record the freeze: " + e.getMessage(), e);
        }
    }

    /**
     * Measures every criterion. {@code peerUrls}: how this machine reaches each sync peer (empty for a peer that
     * syncs with us by its own agent: it is named, not checked, and does not hold the cutover back).
     */
    public Report check(Thresholds thresholds, Function<Peer, Optional<Endpoint>> peerUrls) {
        List<Criterion> criteria = new ArrayList<>();
        try (Connection c = db.owner().connect()) {
            Optional<FullImport> full = fullImport(c);
            criteria.add(reconciliation(full));
            criteria.add(relationships(full));
            criteria.add(quarantine(c, full, thresholds.maxQuarantinedPercent()));
            criteria.add(verifiedBackup(c, thresholds.backupWithin()));
            criteria.add(deltaAfterFreeze(c));
        } catch (SQLException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "cannot measure the cutover criteria: " + e.getMessage(), e);
        }
        criteria.add(schema());
        criteria.add(sync(peerUrls));
        return new Report(criteria);
    }

    private static Optional<FullImport> fullImport(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT r.finished_at,
                       (SELECT coalesce(sum(x.rows_read), 0) FROM legacy.reconciliation x WHERE x.run_id = r.id),
                       (SELECT coalesce(sum(x.unaccounted_rows), 0) FROM legacy.reconciliation x WHERE x.run_id = r.id),
                       (SELECT coalesce(sum((j ->> 'checked')::bigint), 0)
                        FROM jsonb_array_elements(coalesce(r.report -> 'relationships', '[]')) j),
                       (SELECT coalesce(sum((j ->> 'wrong')::bigint), 0)
                        FROM jsonb_array_elements(coalesce(r.report -> 'relationships', '[]')) j)
                FROM legacy.import_runs r
                WHERE r.mode = 'full' AND NOT r.dry_run AND r.status = 'succeeded'
                ORDER BY r.finished_at DESC LIMIT 1""");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new FullImport(rs.getTimestamp(1).toInstant(), rs.getLong(2), rs.getLong(3),
                    rs.getLong(4), rs.getLong(5)));
        }
    }

    private static Criterion reconciliation(Optional<FullImport> full) {
        String name = "import reconciled";
        if (full.isEmpty()) {
            return new Criterion(name, "no succeeded full import", "100 % of rows read accounted for", false);
        }
        FullImport f = full.get();
        double accounted = f.read() == 0 ? 0 : 100.0 * (f.read() - f.unaccounted()) / f.read();
        return new Criterion(name, "%.3f %% of %,d rows accounted for (run finished %s)".formatted(accounted, f.read(),
                f.finishedAt().truncatedTo(ChronoUnit.SECONDS)), "100 % of rows read accounted for",
                f.read() > 0 && f.unaccounted() == 0);
    }

    private static Criterion relationships(Optional<FullImport> full) {
        String name = "relationships";
        if (full.isEmpty()) {
            return new Criterion(name, "no succeeded full import", "0 wrong", false);
        }
        return new Criterion(name, "%,d wrong of %,d checked references".formatted(full.get().wrongReferences(),
                full.get().checkedReferences()), "0 wrong", full.get().wrongReferences() == 0);
    }

    private static Criterion quarantine(Connection c, Optional<FullImport> full, double maxPercent) throws SQLException {
        String threshold = "at most %s %% of rows read".formatted(maxPercent);
        long open;
        // 'fixed' rows are fixed at the source but not imported yet: still outside TownHall, as the doctor counts them
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM legacy.quarantine WHERE resolved_at IS NULL");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            open = rs.getLong(1);
        }
        if (full.isEmpty() || full.get().read() == 0) {
            return new Criterion("quarantine", "%,d rows unresolved, no full import to compare with".formatted(open),
                    threshold, false);
        }
        double percent = 100.0 * open / full.get().read();
        return new Criterion("quarantine", "%,d rows unresolved = %.2f %%".formatted(open, percent), threshold,
                percent <= maxPercent);
    }

    private static Criterion verifiedBackup(Connection c, Duration within) throws SQLException {
        String threshold = "verified, taken within " + within.toMinutes() + " min";
        // a backup holds the data as of its start (one snapshot), so its age counts from then
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT max(started_at) FROM ops.backups WHERE verified_at IS NOT NULL");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            Timestamp newest = rs.getTimestamp(1);
            if (newest == null) {
                return new Criterion("verified backup", "none (./townhall backup, then backup verify)", threshold, false);
            }
            Duration age = Duration.between(newest.toInstant(), Instant.now());
            return new Criterion("verified backup", "taken " + age.toMinutes() + " min ago", threshold,
                    age.compareTo(within) <= 0);
        }
    }

    private static Criterion deltaAfterFreeze(Connection c) throws SQLException {
        String name = "delta import after the freeze";
        String threshold = "a succeeded delta import started after the latest freeze";
        try (PreparedStatement ps = c.prepareStatement("""
                WITH f AS (SELECT max(frozen_at) AS at FROM ops.cutover_freezes)
                SELECT f.at,
                       (SELECT max(r.finished_at) FROM legacy.import_runs r
                        WHERE r.mode = 'delta' AND NOT r.dry_run AND r.status = 'succeeded' AND r.started_at >= f.at)
                FROM f""");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            Timestamp frozen = rs.getTimestamp(1);
            Timestamp delta = rs.getTimestamp(2);
            if (frozen == null) {
                return new Criterion(name, "no freeze recorded (./townhall cutover freeze)", threshold, false);
            }
            String frozenAt = "frozen " + frozen.toInstant().truncatedTo(ChronoUnit.SECONDS);
            return delta == null
                    ? new Criterion(name, frozenAt + ", no delta import since", threshold, false)
                    : new Criterion(name, frozenAt + ", delta import finished "
                            + delta.toInstant().truncatedTo(ChronoUnit.SECONDS), threshold, true);
        }
    }

    private Criterion schema() {
        Verifier.Report report = Verifier.as(db.owner()).run();
        return new Criterion("schema verify", "%d checks, %d failed".formatted(report.checks().size(),
                report.failures().size()), "0 failed", report.passed());
    }

    private Criterion sync(Function<Peer, Optional<Endpoint>> peerUrls) {
        List<String> converged = new ArrayList<>();
        List<String> diverged = new ArrayList<>();
        List<String> unchecked = new ArrayList<>();
        for (Peer peer : Peers.of(db).list()) {
            Optional<Endpoint> url = peerUrls.apply(peer);
            if (url.isEmpty()) {
                unchecked.add(peer.name());
                continue;
            }
            try {
                (Convergence.of(db).verify(peer, url.get()).converged() ? converged : diverged).add(peer.name());
            } catch (TownHallException e) {
                diverged.add(peer.name() + " (" + e.getMessage().lines().findFirst().orElse("") + ")");
            }
        }
        List<String> parts = new ArrayList<>();
        parts.add(converged.size() + " converged");
        if (!diverged.isEmpty()) {
            parts.add("not converged: " + String.join(", ", diverged));
        }
        if (!unchecked.isEmpty()) {
            parts.add("syncing by their own agent, not checked here: " + String.join(", ", unchecked));
        }
        return new Criterion("sync converged", String.join("; ", parts), "every peer reached converged",
                diverged.isEmpty());
    }
}
