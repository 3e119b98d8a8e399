package dev.townhall.ops;

import dev.townhall.db.Database;
import dev.townhall.testing.CliRun;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.testing.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./townhall backup} and {@code restore}: what they print, and one line and a non-zero exit when refused. */
@ExtendWith(PostgresExtension.class)
class BackupCliTest {
    @Test
    void backupThenRestorePrintsTheSummaryAndRefusalsAreOneLine(Database db, TestCluster cluster, @TempDir Path dir)
            throws IOException {
        CliRun backup = CliRun.against(db, "backup", "--to", dir.toString());
        assertThat(backup.status()).as(backup.err()).isZero();
        assertThat(backup.out()).contains("backup full: ", "manifest: ", "crm");
        Path dump;
        try (Stream<Path> files = Files.list(dir)) {
            dump = files.filter(f -> f.getFileName().toString().matches("townhall-\\d{8}T\\d{6}Z\\.dump"))
                    .findFirst().orElseThrow();
        }
        assertThat(dump.resolveSibling(dump.getFileName() + ".manifest.json")).exists();

        Database empty = cluster.newEmptyDatabase("BackupCliRestore");
        CliRun restore = CliRun.of("restore", dump.toString(), "--into", CliRun.databaseUrl(empty.owner()));
        assertThat(restore.status()).as(restore.err()).isZero();
        assertThat(restore.out()).contains("matches its manifest");

        CliRun again = CliRun.of("restore", dump.toString(), "--into", CliRun.databaseUrl(empty.owner()));
        assertThat(again.status()).isNotZero();
        assertThat(again.err().strip().lines().toList()).hasSize(1).first().asString()
                .contains("is not empty", "--force");

        Files.write(dump, List.of("not a dump"));
        CliRun damaged = CliRun.of("restore", dump.toString(), "--into", CliRun.databaseUrl(empty.owner()), "--force");
        assertThat(damaged.status()).isEqualTo(2);
        assertThat(damaged.err().strip().lines().toList()).hasSize(1).first().asString()
                .contains("does not match its manifest", "nothing restored");
    }
}
