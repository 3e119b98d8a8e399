package dev.townhall.bench;

import dev.townhall.db.Database;
import dev.townhall.testing.PostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code bench backup} once on the test database: all four lines measured, nothing recorded. Never asserts speed. */
@ExtendWith(PostgresExtension.class)
class BackupBenchmarkTest {
    @Test
    void measuresBackupAndRestoreBesidePlainPgDumpAndPgRestore(Database db) throws SQLException {
        BackupBenchmark.Report report = BackupBenchmark.on(db).run(1, line -> { });

        assertThat(report.lines()).extracting(BackupBenchmark.Line::key)
                .containsExactly("plain_dump", "backup", "plain_restore", "restore");
        assertThat(report.lines()).allSatisfy(l -> {
            assertThat(l.median()).isPositive();
            assertThat(l.bytes()).isPositive();
        });
        assertThat(report.figures()).isNotNull();
        try (Connection c = db.owner().connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM ops.backups")) {
            rs.next();
            assertThat(rs.getLong(1)).as("a benchmark records no backup").isZero();
        }
    }
}
