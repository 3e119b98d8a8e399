package dev.townhall.api;

import dev.townhall.db.Database;
import dev.townhall.ops.Doctor;
import dev.townhall.ops.DoctorGauges;
import dev.townhall.ops.DoctorSettings;
import dev.townhall.testing.PostgresExtension;
import io.micrometer.core.instrument.Metrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /metrics} shows the doctor's figures and verdicts, read as the owner, beside the server's own meters. */
@ExtendWith(PostgresExtension.class)
class DoctorMetricsTest {
    @Test
    void metricsExposeTheDoctorsFiguresAndVerdicts(Database db) throws SQLException {
        try (Connection owner = db.owner().connect(); Statement s = owner.createStatement()) {
            s.execute("""
                    INSERT INTO sync.parked_changes (source_node, change_id, origin_node, hlc, table_name, row_id,
                                                     operation, change, reason, last_error)
                    SELECT gen_random_uuid(), n, gen_random_uuid(), n, 'crm.companies', gen_random_uuid(), 'update',
                           '{}', 'apply_error', 'test' FROM generate_series(1, 2) n""");
        }
        DoctorSettings settings = DoctorSettings.of(Map.of("doctor.parked_changes.fail", "1"));
        try (ServedTowns served = ServedTowns.start(db);
             DoctorGauges gauges = DoctorGauges.register(Doctor.as(db.owner(), settings), Duration.ofMinutes(10),
                     Metrics.globalRegistry)) {
            String metrics = served.get("/metrics", null).body();
            assertThat(metrics)
                    .contains("townhall_doctor_value{check=\"parked_changes\"} 2.0")
                    .contains("townhall_doctor_status{check=\"parked_changes\"} 2.0")
                    .contains("townhall_doctor_status{check=\"connections\"} 0.0")
                    .containsPattern("townhall_doctor_value\\{check=\"database_size\"} [1-9]");
            assertThat(metrics.lines().filter(l -> l.startsWith("townhall_doctor_status{"))).hasSize(12);
            try (Connection owner = db.owner().connect(); Statement s = owner.createStatement()) {
                s.execute("DELETE FROM sync.parked_changes");
            }
            assertThat(served.get("/metrics", null).body()).as("the figures of the last run, not one run per scrape")
                    .contains("townhall_doctor_value{check=\"parked_changes\"} 2.0");
        }
        try (ServedTowns served = ServedTowns.start(db)) {
            assertThat(served.get("/metrics", null).body()).as("closed gauges leave the registry")
                    .doesNotContain("townhall_doctor_");
        }
    }
}
