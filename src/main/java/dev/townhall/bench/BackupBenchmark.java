package dev.townhall.bench;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Database;
import dev.townhall.db.Endpoint;
import dev.townhall.db.LocalCluster;
import dev.townhall.db.ScratchDatabase;
import dev.townhall.db.internal.Processes;
import dev.townhall.ops.Backups;
import dev.townhall.ops.Progress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * What TownHall's backup and restore cost beside plain pg_dump and pg_restore of the same database in the same run:
 * the manifest's sums and sha256 on the way out, the file and target checks and the comparison on the way back.
 * Restores go into scratch databases of the local cluster, dropped afterwards; the backups are not recorded in
 * {@code ops.backups}.
 */
public final class BackupBenchmark {
    private static final String SCRATCH = "townhall_bench_backup";
    private static final Duration TOOL_TIMEOUT = Duration.ofHours(2);

    private final Database db;
    private final LocalCluster cluster;

    private BackupBenchmark(Database db, LocalCluster cluster) {
        this.db = db;
        this.cluster = cluster;
    }

    public static BackupBenchmark on(Database db) {
        return new BackupBenchmark(db, ScratchDatabase.clusterOf(db, "bench backup"));
    }

    /** One way of backing up or restoring: its median time over the runs, and the file's size. */
    public record Line(String label, String key, Duration median, long bytes) {
    }

    public record Report(String database, long databaseBytes, int runs, List<Line> lines) {
        public Line line(String key) {
            return lines.stream().filter(l -> l.key().equals(key)).findFirst().orElseThrow();
        }

        public Figures figures() {
            Figures figures = Figures.of("backup", Map.of("runs", runs, "database_bytes", databaseBytes));
            for (Line l : lines) {
                figures.add(l.key() + "_median", "s", l.median().toNanos() / 1e9);
                figures.add(l.key() + "_file", "bytes", l.bytes());
            }
            return figures;
        }
    }

    public Report run(int runs, Consumer<String> progress) {
        if (runs < 1) {
            throw new TownHallException(ErrorCode.INVALID_INPUT, "--runs must be at least 1, got " + runs);
        }
        Path dir;
        try {
            dir = Files.createTempDirectory("townhall-bench-backup-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Duration> plainDump = new ArrayList<>();
        List<Duration> backup = new ArrayList<>();
        List<Duration> plainRestore = new ArrayList<>();
        List<Duration> restore = new ArrayList<>();
        Path plainFile = dir.resolve("plain.dump");
        Path ownFile = dir.resolve("townhall.dump");
        try {
            for (int i = 1; i <= runs; i++) {
                progress.accept("run " + i + "/" + runs + ": pg_dump -Fc");
                deleteAll(dir);
                plainDump.add(timed(() -> tool("pg_dump", db.owner(), List.of("--format=custom", "--file=" + plainFile))));
                progress.accept("run " + i + "/" + runs + ": townhall backup");
                backup.add(timed(() -> Backups.of(db).write(ownFile, Progress.NONE)));
                progress.accept("run " + i + "/" + runs + ": pg_restore");
                Database plainTarget = ScratchDatabase.fresh(cluster, SCRATCH);
                // as an operator restores by hand: the superuser, so the extensions' entries need no special care
                Endpoint superuser = cluster.superuserEndpoint().withDatabase(plainTarget.databaseName());
                plainRestore.add(timed(() -> tool("pg_restore", superuser, List.of("--single-transaction",
                        "--exit-on-error", plainFile.toString()))));
                progress.accept("run " + i + "/" + runs + ": townhall restore");
                Database ownTarget = ScratchDatabase.fresh(cluster, SCRATCH);
                restore.add(timed(() -> {
                    Backups.Restored r = Backups.restore(ownFile, ownTarget.owner(), false, Progress.NONE);
                    if (!r.matches()) {
                        throw new TownHallException(ErrorCode.VERIFY_FAILED, "the benchmark's restore differs from"
                                + " its manifest: " + r.differences().get(0));
                    }
                }));
            }
            long plainBytes = size(plainFile);
            long ownBytes = size(ownFile);
            return new Report(db.databaseName(), databaseBytes(), runs, List.of(
                    new Line("pg_dump -Fc", "plain_dump", median(plainDump), plainBytes),
                    new Line("townhall backup", "backup", median(backup), ownBytes),
                    new Line("pg_restore", "plain_restore", median(plainRestore), plainBytes),
                    new Line("townhall restore", "restore", median(restore), ownBytes)));
        } finally {
            ScratchDatabase.drop(cluster, SCRATCH);
            deleteAll(dir);
            dir.toFile().delete();
        }
    }

    private void tool(String program, Endpoint at, List<String> args) {
        List<String> command = new ArrayList<>(List.of(cluster.binaries().program(program).toString(), "--host=" + at.host(),
                "--port=" + at.port(), "--username=" + at.user(), "--dbname=" + at.database(), "--no-password"));
        command.addAll(args);
        Processes.Result r = Processes.run(command, TOOL_TIMEOUT, Map.of("PGPASSWORD", at.password()));
        if (!r.ok()) {
            throw new TownHallException(ErrorCode.INTERNAL, program + " failed in the benchmark: " + r.lastLine());
        }
    }

    private long databaseBytes() {
        try (Connection c = db.owner().connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_database_size(current_database())")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "cannot read the database's size: " + e.getMessage(), e);
        }
    }

    private static Duration timed(Runnable work) {
        long start = System.nanoTime();
        work.run();
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static Duration median(List<Duration> runs) {
        List<Duration> sorted = new ArrayList<>(runs);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : sorted.get(n / 2 - 1).plus(sorted.get(n / 2)).dividedBy(2);
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteAll(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
