package dev.townhall.ops;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Database;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.testing.TestCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Backups against real PostgreSQL: a restore reproduces the manifest, damaged files and occupied targets are refused
 * before anything is written, verify records itself, and a town export holds no other town's private row.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackupsTest {
    private final Database db;
    private final TestCluster cluster;
    @TempDir
    Path dir;
    private Backups.Taken full;
    private final UUID auroraPrivate = UUID.randomUUID();
    private final UUID auroraShared = UUID.randomUUID();
    private final UUID fluentiPrivate = UUID.randomUUID();

    BackupsTest(Database db, TestCluster cluster) {
        this.db = db;
        this.cluster = cluster;
    }

    @BeforeAll
    void backUp(@TempDir Path backups) throws SQLException {
        contact(auroraPrivate, "aurora", "Aura", "private");
        contact(auroraShared, "aurora", "Shay", "shared");
        contact(fluentiPrivate, "fluenti", "Fia", "private");
        full = Backups.of(db).backup(backups.resolve("full.dump"), Progress.NONE);
    }

    @Test
    void aRestoreIntoAnEmptyDatabaseReproducesTheManifest() throws SQLException {
        Database target = cluster.newEmptyDatabase("BackupsRestore");

        Backups.Restored restored = Backups.restore(full.file(), target.owner(), false, Progress.NONE);

        assertThat(restored.differences()).isEmpty();
        assertThat(full.manifest().tables().get("crm.contacts").towns()).containsKeys("aurora", "fluenti");
        assertThat(full.manifest().tables().get("crm.contacts").rows()).isEqualTo(count(db, "crm.contacts"));
        assertThat(names(target, "SELECT first_name FROM crm.contacts")).contains("Aura", "Shay", "Fia");
        assertThat(names(db, "SELECT kind || ' ' || (manifest -> 'dump' ->> 'sha256') FROM ops.backups"))
                .contains("full " + full.manifest().dump().sha256());
    }

    @Test
    void aTruncatedOrByteFlippedFileIsRefusedAndNothingIsRestored() throws IOException, SQLException {
        Database target = cluster.newEmptyDatabase("BackupsDamaged");
        byte[] bytes = Files.readAllBytes(full.file());
        Path truncated = copyWithManifest("truncated.dump", Arrays.copyOf(bytes, bytes.length / 2));
        byte[] flipped = bytes.clone();
        flipped[bytes.length / 2] ^= 0x01;
        Path corrupted = copyWithManifest("flipped.dump", flipped);

        for (Path damaged : List.of(truncated, corrupted)) {
            assertThatThrownBy(() -> Backups.restore(damaged, target.owner(), false, Progress.NONE))
                    .isInstanceOf(TownHallException.class)
                    .hasMessageContaining("does not match its manifest")
                    .hasMessageContaining("nothing restored")
                    .hasMessageNotContaining("\n")
                    .extracting(e -> ((TownHallException) e).code()).isEqualTo(ErrorCode.INVALID_INPUT);
        }
        assertThat(townHallTables(target)).isZero();
    }

    @Test
    void aTargetHoldingTownHallTablesIsRefusedUnlessForced() throws SQLException {
        Database occupied = cluster.newDatabase("BackupsOccupied");
        contact(occupied, UUID.randomUUID(), "fluenti", "Stale", "private");

        assertThatThrownBy(() -> Backups.restore(full.file(), occupied.owner(), false, Progress.NONE))
                .isInstanceOf(TownHallException.class).hasMessageContaining("is not empty")
                .extracting(e -> ((TownHallException) e).code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(names(occupied, "SELECT first_name FROM crm.contacts")).contains("Stale").doesNotContain("Aura");

        Backups.Restored forced = Backups.restore(full.file(), occupied.owner(), true, Progress.NONE);

        assertThat(forced.differences()).isEmpty();
        assertThat(names(occupied, "SELECT first_name FROM crm.contacts")).contains("Aura").doesNotContain("Stale");
    }

    @Test
    void verifyRestoresIntoAScratchDatabaseAndRecordsWhenItMatched() throws SQLException {
        assertThat(names(db, "SELECT verified_at::text FROM ops.backups WHERE file = '"
                + full.file().toAbsolutePath() + "'")).containsOnlyNulls();

        Backups.Restored verified = Backups.of(db).verify(full.file(), Progress.NONE);

        assertThat(verified.matches()).isTrue();
        assertThat(names(db, "SELECT verified_at::text FROM ops.backups WHERE file = '"
                + full.file().toAbsolutePath() + "'")).hasSize(1).doesNotContainNull();
    }

    @Test
    void aTownExportHoldsTheTownsRowsAndSharedOnesButNoOtherTownsPrivateRow() throws SQLException {
        Backups.Taken export = Backups.of(db).backupTown("fluenti", dir.resolve("fluenti.dump"), Progress.NONE);
        Database target = cluster.newEmptyDatabase("BackupsTownExport");

        Backups.Restored restored = Backups.restore(export.file(), target.owner(), false, Progress.NONE);

        assertThat(restored.differences()).isEmpty();
        List<String> ids = names(target, "SELECT id::text FROM crm.contacts");
        assertThat(ids).contains(fluentiPrivate.toString(), auroraShared.toString())
                .doesNotContain(auroraPrivate.toString());
        assertThat(names(target, """
                SELECT DISTINCT t.slug FROM crm.contacts c JOIN core.towns t ON t.id = c.town_id
                WHERE c.visibility = 'private'""")).containsOnly("fluenti");
        assertThat(names(target, "SELECT slug FROM core.towns")).contains("aurora", "fluenti");
        assertThat(names(db, "SELECT name FROM sync.peers")).as("the scratch peer is gone").isEmpty();
        assertThat(names(db, "SELECT kind FROM ops.backups WHERE town_id IS NOT NULL")).containsExactly("town");
        assertThat(export.manifest().town()).isEqualTo("fluenti");
    }

    @Test
    void aManifestDifferenceIsReportedTableByTable() {
        Manifest want = full.manifest();
        var tables = new java.util.TreeMap<>(want.tables());
        Manifest.Table contacts = tables.get("crm.contacts");
        tables.put("crm.contacts", new Manifest.Table(contacts.rows() - 1, "x", contacts.towns()));
        tables.remove("crm.deals");
        Manifest got = new Manifest(want.format(), want.kind(), want.town(), want.townhallVersion(), want.takenAt(),
                want.database(), want.migration(), want.dump(), tables);

        assertThat(want.differencesFrom(got)).containsExactly(
                "crm.contacts: " + contacts.rows() + " rows in the backup, " + (contacts.rows() - 1) + " restored",
                "crm.deals: missing after the restore");
        assertThat(want.differencesFrom(want)).isEmpty();
    }

    // ------------------------------------------------------------------ helpers

    private Path copyWithManifest(String name, byte[] content) throws IOException {
        Path copy = dir.resolve(name);
        Files.write(copy, content);
        Files.copy(full.manifestFile(), copy.resolveSibling(name + ".manifest.json"));
        return copy;
    }

    private void contact(UUID id, String town, String firstName, String visibility) throws SQLException {
        contact(db, id, town, firstName, visibility);
    }

    private static void contact(Database in, UUID id, String town, String firstName, String visibility)
            throws SQLException {
        try (Connection c = in.owner().connect(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO crm.contacts (id, org_id, town_id, first_name, last_name, visibility)
                SELECT ?, t.org_id, t.id, ?, 'Backup', ?::core.visibility FROM core.towns t WHERE t.slug = ?""")) {
            ps.setObject(1, id);
            ps.setString(2, firstName);
            ps.setString(3, visibility);
            ps.setString(4, town);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }

    private static long count(Database in, String table) throws SQLException {
        return Long.parseLong(names(in, "SELECT count(*) FROM " + table).get(0));
    }

    private static long townHallTables(Database in) throws SQLException {
        return Long.parseLong(names(in, """
                SELECT count(*) FROM pg_tables WHERE schemaname IN ('core', 'crm', 'work', 'sync', 'ops')""").get(0));
    }

    private static List<String> names(Database in, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = in.owner().connect(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
