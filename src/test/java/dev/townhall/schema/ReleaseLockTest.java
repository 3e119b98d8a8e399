package dev.townhall.schema;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Database;
import dev.townhall.schema.Changesets.Changeset;
import dev.townhall.testing.CliRun;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.testing.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The release lock is the law: every released changeset keeps its checksum, its presence and its place. The first
 * test is the guard every later change runs into; the others show it failing on edited copies of the changelog.
 */
@ExtendWith(PostgresExtension.class)
class ReleaseLockTest {
    private static final Path SOURCE = Path.of("src/main/resources");
    /** A version above any this project will ship while the test lives, so it never meets a real release. */
    private static final String NEXT_RELEASE = "98.0.0";

    @Test
    void everyReleasedChangesetIsUnchanged() {
        List<ReleaseLock.Difference> differences = ReleaseLock.inSourceTree(SOURCE).check(Changesets.inSourceTree(SOURCE));
        assertThat(differences).as("released changesets that changed (fix with a new changeset, never an edit)")
                .extracting(ReleaseLock.Difference::describe).isEmpty();
    }

    @Test
    void version010IsReleasedAndTheBuildShipsTheLockOfItsSources() {
        ReleaseLock lock = ReleaseLock.shipped();
        assertThat(lock.entries()).extracting(ReleaseLock.Entry::release).contains("0.1.0");
        assertThat(lock.entries()).extracting(ReleaseLock.Entry::id).contains("core-011-towns", "release-0.1.0");
        assertThat(lock.entries()).isEqualTo(ReleaseLock.inSourceTree(SOURCE).entries());
    }

    @Test
    void theLockHoldsTheChecksumsLiquibaseStoresWhenItApplies(TestCluster cluster) throws SQLException {
        Database db = cluster.newEmptyDatabase("lockchecksums");
        Migrator.as(db.owner()).migrate(null);
        Map<String, String> stored = new HashMap<>();
        try (Connection c = db.owner().connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT filename, id, author, md5sum FROM databasechangelog")) {
            while (rs.next()) {
                stored.put(rs.getString(1) + "::" + rs.getString(2) + "::" + rs.getString(3), rs.getString(4));
            }
        }
        for (ReleaseLock.Entry e : ReleaseLock.shipped().entries()) {
            assertThat(stored.get(e.file() + "::" + e.id() + "::" + e.author())).as(e.id()).isEqualTo(e.checksum());
        }
        Migrator.StatusReport status = Migrator.as(db.owner()).status();
        assertThat(status.historyDifferences()).isEmpty();
        assertThat(status.applied()).extracting(Migrator.Change::id).contains("release-0.1.0");
    }

    @Test
    void anEditedCopyOfAReleasedChangesetFailsTheLockNamingIt(@TempDir Path tree) throws IOException {
        copySources(tree);
        Path towns = tree.resolve("db/changelog/core/011-towns.sql");
        Files.writeString(towns, Files.readString(towns).replaceFirst("CREATE TABLE core.towns \\(",
                "CREATE TABLE core.towns (\n    motto text,"));

        List<ReleaseLock.Difference> differences = ReleaseLock.inSourceTree(tree).check(Changesets.inSourceTree(tree));

        assertThat(differences).hasSize(1);
        assertThat(differences.get(0).kind()).isEqualTo(ReleaseLock.Difference.Kind.EDITED);
        assertThat(differences.get(0).describe()).contains("core-011-towns", "was edited", "0.1.0", "new changeset");
    }

    @Test
    void aRemovedOrReorderedReleasedChangesetFailsTheLock(@TempDir Path tree) throws IOException {
        copySources(tree);
        Path master = tree.resolve("db/changelog/changelog-master.yaml");
        String original = Files.readString(master);
        String settings = "  - include: {file: core/043-settings.sql, relativeToChangelogFile: true}\n";
        assertThat(original).contains(settings);

        Files.writeString(master, original.replace(settings, ""));
        assertThat(ReleaseLock.inSourceTree(tree).check(Changesets.inSourceTree(tree)))
                .anySatisfy(d -> {
                    assertThat(d.kind()).isEqualTo(ReleaseLock.Difference.Kind.MISSING);
                    assertThat(d.describe()).contains("core/043-settings.sql", "missing");
                });

        Files.writeString(master, original.replace(settings, "") + settings);
        assertThat(ReleaseLock.inSourceTree(tree).check(Changesets.inSourceTree(tree)))
                .anySatisfy(d -> {
                    assertThat(d.kind()).isEqualTo(ReleaseLock.Difference.Kind.REORDERED);
                    assertThat(d.describe()).contains("core/043-settings.sql", "moved");
                });
    }

    @Test
    void theReleaseCommandFreezesNewChangesetsAndOnlyThem(@TempDir Path tree) throws IOException {
        copySources(tree);
        Path master = tree.resolve("db/changelog/changelog-master.yaml");
        Files.writeString(tree.resolve("db/changelog/core/900-mottos.sql"), """
                --liquibase formatted sql

                --changeset townhall:core-900-town-motto
                ALTER TABLE core.towns ADD COLUMN motto text;
                --rollback ALTER TABLE core.towns DROP COLUMN motto;
                """);
        Files.writeString(master, Files.readString(master)
                + "  - include: {file: core/900-mottos.sql, relativeToChangelogFile: true}\n");
        ReleaseLock before = ReleaseLock.inSourceTree(tree);
        assertThat(before.check(Changesets.inSourceTree(tree))).as("a new changeset breaks no promise").isEmpty();
        assertThat(before.unreleased(Changesets.inSourceTree(tree))).extracting(Changeset::id).endsWith("core-900-town-motto");

        CliRun run = CliRun.of("release", NEXT_RELEASE, "--source", tree.toString());

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("core-900-town-motto", "release-" + NEXT_RELEASE, "git tag v" + NEXT_RELEASE);
        ReleaseLock after = ReleaseLock.inSourceTree(tree);
        assertThat(after.entries().subList(0, before.entries().size())).isEqualTo(before.entries());
        List<ReleaseLock.Entry> added = after.entries().subList(before.entries().size(), after.entries().size());
        assertThat(added).extracting(ReleaseLock.Entry::release).containsOnly(NEXT_RELEASE);
        assertThat(added).extracting(ReleaseLock.Entry::id).endsWith("core-900-town-motto", "release-" + NEXT_RELEASE)
                .hasSize(before.unreleased(Changesets.inSourceTree(tree)).size());
        assertThat(after.check(Changesets.inSourceTree(tree))).isEmpty();
        assertThat(after.unreleased(Changesets.inSourceTree(tree))).isEmpty();

        CliRun again = CliRun.of("release", "99.0.0", "--source", tree.toString());
        assertThat(again.status()).isEqualTo(ErrorCode.NOT_FOUND.exitStatus());
        assertThat(again.err()).contains("nothing to release").doesNotContain("Exception");
    }

    @Test
    void aReleaseIsRefusedWhileAReleasedChangesetIsEdited(@TempDir Path tree) throws IOException {
        copySources(tree);
        Path towns = tree.resolve("db/changelog/core/011-towns.sql");
        Files.writeString(towns, Files.readString(towns).replaceFirst("CREATE TABLE core.towns \\(",
                "CREATE TABLE core.towns (\n    motto text,"));
        assertThatThrownBy(() -> Release.inSourceTree(tree).freeze(NEXT_RELEASE))
                .isInstanceOf(TownHallException.class)
                .hasMessageContaining("core-011-towns")
                .matches(e -> ((TownHallException) e).code() == ErrorCode.CHECKSUM_MISMATCH);
        assertThatThrownBy(() -> Release.inSourceTree(tree).freeze("latest"))
                .hasMessageContaining("MAJOR.MINOR.PATCH");
    }

    private static void copySources(Path tree) throws IOException {
        Path from = SOURCE.resolve("db");
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path to = tree.resolve("db").resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(file, to);
                }
            }
        }
    }
}
