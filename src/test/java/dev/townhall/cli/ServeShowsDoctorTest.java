package dev.townhall.cli;

import dev.townhall.db.Database;
import dev.townhall.testing.CliProcess;
import dev.townhall.testing.PostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./townhall serve} shows the doctor's gauges on {@code /metrics}, judged by thresholds from its env. */
@ExtendWith(PostgresExtension.class)
class ServeShowsDoctorTest {
    private static final Pattern METRICS_URL = Pattern.compile("metrics (http://\\S+/metrics)");

    @Test
    void serveShowsTheDoctorOnMetrics(Database db, @TempDir Path home) throws Exception {
        try (CliProcess serve = CliProcess.start(home, db, Map.of("TOWNHALL_DOCTOR_DATABASE_SIZE_FAIL", "1"),
                "serve", "--port", "0")) {
            assertThat(serve.awaitUntil(p -> p.lines().stream().anyMatch(l -> METRICS_URL.matcher(l).find()),
                    Duration.ofSeconds(60))).as(String.join("\n", serve.lines())).isTrue();
            Matcher url = serve.lines().stream().map(METRICS_URL::matcher).filter(Matcher::find).findFirst()
                    .orElseThrow();
            HttpResponse<String> metrics = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(url.group(1))).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body())
                    .as("the fail threshold of 1 MB from TOWNHALL_DOCTOR_DATABASE_SIZE_FAIL")
                    .contains("townhall_doctor_status{check=\"database_size\"} 2.0")
                    .contains("townhall_doctor_status{check=\"connections\"} 0.0");
        }
    }
}
