package dev.townhall.ops;

import dev.townhall.ErrorCode;
import dev.townhall.Intervals;
import dev.townhall.SettingValues;
import dev.townhall.TownHallConfig;
import dev.townhall.TownHallException;
import dev.townhall.db.Database;
import dev.townhall.ops.internal.ManifestFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Backups while serving: every {@code backup.every} a full backup into the schedule's directory, verified by a restore
 * into a scratch database when the database lives on the local cluster, and only the newest {@code backup.keep} of the
 * schedule's backups kept (their files, manifests and {@code ops.backups} rows); backups taken by hand or elsewhere are
 * left alone. A round that fails is logged and the next one runs on time.
 */
public final class BackupSchedule implements AutoCloseable {
    /** The schedule's settings: a flag-less {@code townhall.conf} key and its environment variable each. */
    public enum Key implements SettingValues.Key {
        EVERY("backup.every", "TOWNHALL_BACKUP_EVERY"),
        KEEP("backup.keep", "TOWNHALL_BACKUP_KEEP");

        private final String confKey;
        private final String variable;

        Key(String confKey, String variable) {
            this.confKey = confKey;
            this.variable = variable;
        }

        public String confKey() {
            return confKey;
        }

        public String variable() {
            return variable;
        }
    }

    /** How often (empty: no schedule) and how many of the schedule's backups to keep (7 by default). */
    public record Settings(Optional<Duration> every, int keep) {
        public static final int DEFAULT_KEEP = 7;

        /** From the environment, then {@code townhall.conf} in the working directory; a bad value is one CONFIG line. */
        public static Settings resolve() {
            return of(SettingValues.resolve(Key.class, Map.of(), System.getenv(), Path.of(TownHallConfig.CONFIG_FILE)));
        }

        public static Settings of(SettingValues<Key> values) {
            Optional<Duration> every;
            try {
                every = values.text(Key.EVERY).map(text -> Intervals.parse(text, Key.EVERY.confKey()));
            } catch (TownHallException e) {
                throw new TownHallException(ErrorCode.CONFIG, e.getMessage());
            }
            return new Settings(every, values.whole(Key.KEEP, 1, 1_000, DEFAULT_KEEP));
        }
    }

    /** One round: the backup taken, whether a restore verified it, and the schedule's backups removed to keep N. */
    public record Round(Path file, boolean verified, List<Path> removed) {
        public Round {
            removed = List.copyOf(removed);
        }
    }

    private final Database db;
    private final Path dir;
    private final int keep;
    private final ScheduledExecutorService executor;

    private BackupSchedule(Database db, Path dir, int keep, ScheduledExecutorService executor) {
        this.db = db;
        this.dir = dir.toAbsolutePath().normalize();
        this.keep = keep;
        this.executor = executor;
    }

    /** A schedule that only runs when asked ({@link #runOnce}): for tests and a one-off from the CLI. */
    public static BackupSchedule manual(Database db, Path dir, int keep) {
        return new BackupSchedule(db, dir, keep, null);
    }

    /** Starts the schedule when {@code settings} has one; the first round runs one interval from now. */
    public static Optional<BackupSchedule> start(Database db, Path dir, Settings settings, Consumer<String> log) {
        if (settings.every().isEmpty()) {
            return Optional.empty();
        }
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "townhall-backup-schedule");
            thread.setDaemon(true);
            return thread;
        });
        BackupSchedule schedule = new BackupSchedule(db, dir, settings.keep(), executor);
        long every = settings.every().get().toMillis();
        executor.scheduleAtFixedRate(() -> {
            try {
                Round round = schedule.runOnce();
                log.accept("backup " + round.file() + (round.verified() ? " verified" : " taken (not verified: no local"
                        + " cluster to restore into)") + (round.removed().isEmpty() ? ""
                        : "; removed " + round.removed().size() + " older"));
            } catch (RuntimeException e) {
                log.accept("scheduled backup failed: " + e.getMessage().lines().findFirst().orElse(""));
            }
        }, every, every, TimeUnit.MILLISECONDS);
        return Optional.of(schedule);
    }

    /** Backs up, verifies when a local cluster can restore it, then keeps the newest {@code keep} of this schedule's. */
    public Round runOnce() {
        Backups backups = Backups.of(db);
        Backups.Taken taken = backups.backup(Backups.defaultFile(dir, Optional.empty(), Instant.now()), Progress.NONE);
        boolean verified = db.cluster().isPresent() && backups.verify(taken.file(), Progress.NONE).matches();
        return new Round(taken.file(), verified, keepNewest());
    }

    /** Deletes this schedule's full backups beyond the newest {@code keep}: file, manifest, row. */
    private List<Path> keepNewest() {
        List<Path> removed = new ArrayList<>();
        try (Connection c = db.owner().connect()) {
            List<UUID> ids = new ArrayList<>();
            List<Path> files = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT id, file FROM ops.backups
                    WHERE kind = 'full' AND starts_with(file, ?)
                    ORDER BY started_at DESC, finished_at DESC OFFSET ?""")) {
                ps.setString(1, dir + "/");
                ps.setInt(2, keep);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getObject(1, UUID.class));
                        files.add(Path.of(rs.getString(2)));
                    }
                }
            }
            for (int i = 0; i < ids.size(); i++) {
                Files.deleteIfExists(files.get(i));
                Files.deleteIfExists(ManifestFile.beside(files.get(i)));
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM ops.backups WHERE id = ?")) {
                    ps.setObject(1, ids.get(i));
                    ps.executeUpdate();
                }
                removed.add(files.get(i));
            }
            return removed;
        } catch (SQLException | IOException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "cannot remove old scheduled backups in " + dir + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (executor == null) {
            return;
        }
        executor.shutdownNow();
        try {
            executor.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
