package dev.townhall.ops;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Database;
import dev.townhall.db.Endpoint;
import dev.townhall.db.LocalCluster;
import dev.townhall.db.ScratchDatabase;
import dev.townhall.ops.internal.ContentSnapshot;
import dev.townhall.ops.internal.ManifestFile;
import dev.townhall.ops.internal.PgTool;
import dev.townhall.ops.internal.RestoreTarget;
import dev.townhall.schema.Migrator;
import dev.townhall.sync.Peers;
import dev.townhall.sync.SyncAgent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Backups of a TownHall database: {@code pg_dump -Fc} plus a manifest of row counts and checksums read in the
 * dump's own snapshot; restores that check the file before touching the target and the content after; verification
 * by a restore into a scratch database; town-only exports. Every backup taken is recorded in {@code ops.backups}.
 */
public final class Backups {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final Database db;

    private Backups(Database db) {
        this.db = db;
    }

    public static Backups of(Database db) {
        return new Backups(db);
    }

    /** A backup written: the dump, its manifest beside it, and how long it took. */
    public record Taken(Path file, Path manifestFile, Manifest manifest, Duration elapsed) {
    }

    /** A restore done: the manifest the file promised and how the restored database differs from it (empty: equal). */
    public record Restored(Manifest expected, List<String> differences, Duration elapsed) {
        public boolean matches() {
            return differences.isEmpty();
        }
    }

    /** {@code <dir>/townhall-<UTC timestamp>.dump}, or {@code townhall-<town>-…} for a town export. */
    public static Path defaultFile(Path dir, Optional<String> town, Instant at) {
        return dir.resolve("townhall-" + town.map(t -> t + "-").orElse("") + STAMP.format(at) + ".dump");
    }

    /** The whole database, dumped and summed in one snapshot, and recorded in {@code ops.backups}. */
    public Taken backup(Path file, Progress progress) {
        Instant started = Instant.now();
        Taken taken = write(file, progress);
        record(taken, Optional.empty(), started);
        return taken;
    }

    /** As {@link #backup} without recording it: for measuring what a backup costs ({@code bench backup}). */
    public Taken write(Path file, Progress progress) {
        return dumpAndSum(db.owner(), file, "full", null, progress);
    }

    /**
     * One town and what it needs to stand alone: its rows, the rows shared with it or with every town, and the
     * organisation's directory; no other town's private row. The town replica sync already sends exactly that
     * (decisions 45, 46), so a freshly migrated scratch database is made a push-only town replica, synced once, and
     * dumped. Needs the local cluster for the scratch database.
     */
    public Taken backupTown(String slug, Path file, Progress progress) {
        Instant started = Instant.now();
        UUID townId = townId(slug);
        LocalCluster cluster = ScratchDatabase.clusterOf(db, "backup --town");
        // the scratch database's name doubles as its peer name here: unique, and telling in sync.peers meanwhile
        String scratchName = "townhall_export_" + UUID.randomUUID().toString().substring(0, 8);
        Database scratch = ScratchDatabase.fresh(cluster, scratchName);
        try {
            progress.at("migrating a scratch database", 0, 1);
            Migrator.as(scratch.owner()).migrate(null);
            renewNode(scratch.owner());
            progress.at("syncing " + slug + " into it", 0, 1);
            Peers peers = Peers.of(db);
            try {
                peers.add(scratchName, scratch.owner(), Optional.of(slug), "push");
                SyncAgent.of(db).runOnce(peers.get(scratchName), scratch.owner());
            } finally {
                if (peers.find(scratchName).isPresent()) {
                    peers.remove(scratchName);
                }
            }
            Taken dumped = dumpAndSum(scratch.owner(), file, "town", slug, progress);
            Taken taken = new Taken(dumped.file(), dumped.manifestFile(), dumped.manifest(),
                    Duration.between(started, Instant.now()));
            record(taken, Optional.of(townId), started);
            return taken;
        } finally {
            ScratchDatabase.drop(cluster, scratchName);
        }
    }

    /**
     * Restores {@code file} into {@code target} (its user must be able to own what it creates): the file is checked
     * against its manifest and read as an archive first, a target holding TownHall tables is refused unless
     * {@code force} (then its objects are replaced), and the restored content is compared with the manifest.
     */
    public static Restored restore(Path file, Endpoint target, boolean force, Progress progress) {
        Instant started = Instant.now();
        PgTool tool = PgTool.locate();
        Manifest expected = checkedManifest(file, tool, progress);
        RestoreTarget into = RestoreTarget.check(target, force);
        progress.at("restoring", 0, 1);
        into.restore(tool, file, force);
        progress.at("restoring", 1, 1);
        return new Restored(expected, compare(expected, target, progress), Duration.between(started, Instant.now()));
    }

    /**
     * Restores {@code file} into a scratch database of the local cluster and compares it with its manifest; when
     * they match, the file's row in {@code ops.backups} (if this database took it) gets {@code verified_at}.
     */
    public Restored verify(Path file, Progress progress) {
        LocalCluster cluster = ScratchDatabase.clusterOf(db, "backup verify");
        String scratchName = "townhall_verify_" + UUID.randomUUID().toString().substring(0, 8);
        Database scratch = ScratchDatabase.fresh(cluster, scratchName);
        try {
            Restored restored = restore(file, scratch.owner(), false, progress);
            if (restored.matches()) {
                markVerified(file);
            }
            return restored;
        } finally {
            ScratchDatabase.drop(cluster, scratchName);
        }
    }

    private static Taken dumpAndSum(Endpoint source, Path file, String kind, String town, Progress progress) {
        Instant started = Instant.now();
        PgTool tool = PgTool.locate();
        createParent(file);
        Manifest manifest;
        try (ContentSnapshot snapshot = ContentSnapshot.open(source)) {
            // pg_dump works in its own process and session: the sums run meanwhile, in the snapshot both share
            CompletableFuture<Void> dump = CompletableFuture.runAsync(() ->
                    tool.dump(source, snapshot.exported(), file));
            manifest = snapshot.manifest(kind, town, version(), progress);
            progress.at("dumping", 0, 1);
            join(dump);
            progress.at("dumping", 1, 1);
        }
        long bytes;
        try {
            bytes = Files.size(file);
        } catch (IOException e) {
            throw new TownHallException(ErrorCode.DATA_DIR, "cannot read " + file + ": " + e.getMessage(), e);
        }
        manifest = manifest.withDump(new Manifest.Dump(file.getFileName().toString(), bytes, ManifestFile.sha256(file)));
        ManifestFile.write(file, manifest);
        return new Taken(file, ManifestFile.beside(file), manifest, Duration.between(started, Instant.now()));
    }

    private static void join(CompletableFuture<Void> work) {
        try {
            work.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static Manifest checkedManifest(Path file, PgTool tool, Progress progress) {
        if (!Files.isRegularFile(file)) {
            throw TownHallException.forField(ErrorCode.NOT_FOUND, "file", "no backup file " + file);
        }
        Manifest expected = ManifestFile.read(file);
        progress.at("checking the file", 0, 1);
        String sha = ManifestFile.sha256(file);
        if (!sha.equals(expected.dump().sha256())) {
            long size = sizeOf(file);
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, "file", file + " does not match its manifest ("
                    + (size != expected.dump().bytes() ? size + " bytes, the manifest says " + expected.dump().bytes()
                    : "same size, different sha256") + "): truncated or corrupted; nothing restored");
        }
        try {
            tool.list(file);
        } catch (TownHallException e) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, "file", file + " is not a readable pg_dump"
                    + " archive (" + e.getMessage() + "); nothing restored");
        }
        progress.at("checking the file", 1, 1);
        return expected;
    }

    private static List<String> compare(Manifest expected, Endpoint target, Progress progress) {
        try (ContentSnapshot restored = ContentSnapshot.open(target)) {
            return expected.differencesFrom(restored.manifest(expected.kind(), expected.town(), version(), progress));
        }
    }

    /** The version in the jar's manifest; "dev" when run from classes (tests, mvn exec). */
    private static String version() {
        String v = Backups.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    private UUID townId(String slug) {
        try (Connection c = db.owner().connect();
             PreparedStatement ps = c.prepareStatement("SELECT id FROM core.towns WHERE slug = ?")) {
            ps.setString(1, slug);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw TownHallException.forField(ErrorCode.NOT_FOUND, "town", "no town " + slug);
                }
                return rs.getObject(1, UUID.class);
            }
        } catch (SQLException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "cannot read core.towns: " + e.getMessage(), e);
        }
    }

    private static void renewNode(Endpoint owner) {
        try (Connection c = owner.connect(); PreparedStatement ps = c.prepareStatement("SELECT sync.renew_local_node()")) {
            ps.execute();
        } catch (SQLException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "cannot give the scratch database a node id: "
                    + e.getMessage(), e);
        }
    }

    private void record(Taken taken, Optional<UUID> town, Instant started) {
        try (Connection c = db.owner().connect(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO ops.backups (kind, town_id, file, bytes, manifest, started_at)
                VALUES (?, ?, ?, ?, ?::jsonb, ?)""")) {
            ps.setString(1, taken.manifest().kind());
            ps.setObject(2, town.orElse(null));
            ps.setString(3, taken.file().toAbsolutePath().normalize().toString());
            ps.setLong(4, taken.manifest().dump().bytes());
            ps.setString(5, ManifestFile.json(taken.manifest()));
            ps.setTimestamp(6, Timestamp.from(started));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "the backup is written but cannot be recorded in"
                    + " ops.backups: " + e.getMessage(), e);
        }
    }

    private void markVerified(Path file) {
        try (Connection c = db.owner().connect(); PreparedStatement ps = c.prepareStatement("""
                UPDATE ops.backups SET verified_at = now()
                WHERE file = ? AND manifest -> 'dump' ->> 'sha256' = ?""")) {
            ps.setString(1, file.toAbsolutePath().normalize().toString());
            ps.setString(2, ManifestFile.read(file).dump().sha256());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "cannot record the verification in ops.backups: "
                    + e.getMessage(), e);
        }
    }

    private static void createParent(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new TownHallException(ErrorCode.DATA_DIR, "cannot create the directory of " + file + ": "
                    + e.getMessage(), e);
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }
}
