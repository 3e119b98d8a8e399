package dev.townhall.schema;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.schema.Changesets.Changeset;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Freezes the changesets no release holds yet as release {@code VERSION}, in a source tree: adds the changeset that
 * tags the database {@code vVERSION} at the end of the changelog, then appends every unreleased changeset (the tag
 * included) to the release lock. The one way the lock is written.
 */
public final class Release {
    private static final String MASTER = "db/changelog/changelog-master.yaml";
    private static final String TAG_CHANGESET = """
            databaseChangeLog:
              - changeSet:
                  id: release-%1$s
                  author: townhall
                  comment: the schema of release %1$s ends here (./townhall migrate rollback --to v%1$s returns to it)
                  changes:
                    - tagDatabase:
                        tag: v%1$s
                        keepTagOnRollback: true
            """;

    private final Path resourceRoot;

    private Release(Path resourceRoot) {
        this.resourceRoot = resourceRoot;
    }

    /** A release of the changelog under {@code resourceRoot} (normally {@code src/main/resources}). */
    public static Release inSourceTree(Path resourceRoot) {
        return new Release(resourceRoot);
    }

    /** What {@link #freeze} added to the lock. */
    public record Report(String version, List<Changeset> released, Path lock) {
    }

    /** Freezes every unreleased changeset as {@code version}; refuses when the tree already breaks the lock. */
    public Report freeze(String version) {
        if (!ReleaseLock.isVersion(version)) {
            throw new TownHallException(ErrorCode.INVALID_INPUT, "a release version is MAJOR.MINOR.PATCH, got '" + version + "'");
        }
        ReleaseLock lock = ReleaseLock.inSourceTree(resourceRoot);
        if (lock.entries().stream().anyMatch(e -> e.release().equals(version))) {
            throw new TownHallException(ErrorCode.CONFLICT, "release " + version + " is already in the lock; releases are never redone");
        }
        List<Changeset> code = Changesets.inSourceTree(resourceRoot);
        List<ReleaseLock.Difference> broken = lock.check(code);
        if (!broken.isEmpty()) {
            throw new TownHallException(ErrorCode.CHECKSUM_MISMATCH, "refusing to release " + version + ": "
                    + broken.size() + " released changesets changed; first: " + broken.get(0).describe());
        }
        if (lock.unreleased(code).isEmpty()) {
            throw new TownHallException(ErrorCode.NOT_FOUND, "nothing to release: every changeset is in the lock already");
        }
        addTagChangeset(version);
        List<Changeset> released = lock.unreleased(Changesets.inSourceTree(resourceRoot));
        Path lockFile = resourceRoot.resolve(ReleaseLock.RESOURCE);
        write(lockFile, lock.withRelease(version, released), false);
        return new Report(version, released, lockFile);
    }

    private void addTagChangeset(String version) {
        String relative = "release/" + version + ".yaml";
        Path master = resourceRoot.resolve(MASTER);
        write(master.resolveSibling(relative), TAG_CHANGESET.formatted(version), false);
        write(master, "  - include: {file: " + relative + ", relativeToChangelogFile: true}\n", true);
    }

    private static void write(Path file, String text, boolean append) {
        try {
            Files.createDirectories(file.getParent());
            if (append) {
                Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            } else {
                Files.writeString(file, text, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new TownHallException(ErrorCode.CONFIG, "cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
