package dev.townhall.ops;

import dev.townhall.ErrorCode;
import dev.townhall.SettingValues;
import dev.townhall.TownHallException;
import dev.townhall.db.Database;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.testing.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.townhall.testing.OwnerSql.count;
import static dev.townhall.testing.OwnerSql.texts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Scheduled backups: each round is taken and verified by a restore, only the newest {@code keep} of the schedule's own
 * backups stay (files, manifests, rows), a backup taken elsewhere is left alone, and bad settings are one CONFIG line.
 */
@ExtendWith(PostgresExtension.class)
class BackupScheduleTest {
    private final TestCluster cluster;

    BackupScheduleTest(TestCluster cluster) {
        this.cluster = cluster;
    }

    @Test
    void eachRoundIsVerifiedAndOnlyTheNewestKeepOfTheSchedulesOwnStay(@TempDir Path scheduled, @TempDir Path elsewhere)
            throws SQLException {
        Database db = cluster.newDatabase("BackupSchedule");
        Backups.Taken byHand = Backups.of(db).backup(elsewhere.resolve("by-hand.dump"), Progress.NONE);
        BackupSchedule schedule = BackupSchedule.manual(db, scheduled, 2);

        List<BackupSchedule.Round> rounds = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            rounds.add(schedule.runOnce());
        }

        assertThat(rounds).allSatisfy(round -> assertThat(round.verified()).isTrue());
        assertThat(rounds.get(0).removed()).isEmpty();
        assertThat(rounds.get(2).removed()).containsExactly(rounds.get(0).file());
        assertThat(rounds.get(0).file()).doesNotExist();
        assertThat(Path.of(rounds.get(0).file() + ".manifest.json")).doesNotExist();
        assertThat(rounds.get(1).file()).exists();
        assertThat(rounds.get(2).file()).exists();
        assertThat(byHand.file()).exists();
        assertThat(texts(db, "SELECT file FROM ops.backups")).containsExactlyInAnyOrder(rounds.get(1).file().toString(), rounds.get(2).file().toString(),
                byHand.file().toAbsolutePath().normalize().toString());
        assertThat(count(db, "SELECT count(*) FROM ops.backups WHERE verified_at IS NOT NULL")).isEqualTo(2);
    }

    @Test
    void settingsAreReadAndBadOnesAreOneConfigLine() {
        BackupSchedule.Settings set = settings(Map.of("backup.every", "6h", "backup.keep", "3"));
        assertThat(set.every()).hasValue(Duration.ofHours(6));
        assertThat(set.keep()).isEqualTo(3);
        assertThat(settings(Map.of()).every()).isEmpty();
        assertThat(settings(Map.of()).keep()).isEqualTo(BackupSchedule.Settings.DEFAULT_KEEP);
        assertThat(BackupSchedule.start(null, Path.of("unused"), settings(Map.of()), line -> { })).isEmpty();
        for (Map<String, String> bad : List.of(Map.of("backup.every", "often"), Map.of("backup.every", "0h"),
                Map.of("backup.keep", "0"), Map.of("backup.keep", "all"))) {
            assertThatThrownBy(() -> settings(bad)).as(bad.toString()).isInstanceOf(TownHallException.class)
                    .satisfies(e -> assertThat(((TownHallException) e).code()).isEqualTo(ErrorCode.CONFIG))
                    .hasMessageContaining(bad.keySet().iterator().next()).hasMessageNotContaining("\n");
        }
    }

    private static BackupSchedule.Settings settings(Map<String, String> values) {
        return BackupSchedule.Settings.of(SettingValues.given(BackupSchedule.Key.class, values));
    }


}
