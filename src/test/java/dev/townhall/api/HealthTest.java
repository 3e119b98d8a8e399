package dev.townhall.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.townhall.db.Database;
import dev.townhall.db.Endpoint;
import dev.townhall.records.Records;
import dev.townhall.search.Search;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.towns.Towns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /health} answers 200 only while the database answers and holds exactly this build's changesets: 503 with
 * the counts when a changeset is pending, 503 with {@code db_unreachable} when the database cannot be reached.
 */
@ExtendWith(PostgresExtension.class)
class HealthTest {
    private final Database db;

    HealthTest(Database db) {
        this.db = db;
    }

    @Test
    void healthTurns503WhenAChangesetIsPending() {
        try (ServedTowns served = ServedTowns.start(db)) {
            assertThat(served.get("/health", null).statusCode()).isEqualTo(200);
            served.owner("DELETE FROM databasechangelog WHERE id = 'intel-104-ai-costs-view'");
            HttpResponse<String> pending = served.get("/health", null);
            assertThat(pending.statusCode()).isEqualTo(503);
            JsonNode body = ServedTowns.json(pending);
            assertThat(body.path("status").asText()).isEqualTo("migrations_pending");
            assertThat(body.path("database").asText()).isEqualTo("up");
            assertThat(body.path("migrations").path("pending").asInt()).isEqualTo(1);
            JsonNode migrations = ServedTowns.json(served.get("/api/v1/migrations", served.keyOf.get("allan")));
            assertThat(migrations.path("current").asBoolean()).isFalse();
            assertThat(migrations.path("pending").findValuesAsText("id")).containsExactly("intel-104-ai-costs-view");
        }
    }

    @Test
    void healthTurns503WhenTheDatabaseCannotBeReached() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Endpoint owner = db.owner();
        Database unreachable = Database.external(new Endpoint("127.0.0.1", closedPort, owner.database(), owner.user(),
                owner.password()));
        try (Towns towns = Towns.open(db);
             ApiServer server = ApiServer.start(unreachable, towns, ApiKeys.on(towns), Records.load(towns),
                     Search.keywordOnly(), ServerSettings.defaults().withPort(0))) {
            HttpResponse<String> health = ServedTowns.sendTo(server, "GET", "/health");
            assertThat(health.statusCode()).isEqualTo(503);
            JsonNode body = ServedTowns.json(health);
            assertThat(body.path("status").asText()).isEqualTo("database_unavailable");
            assertThat(body.path("error").path("code").asText()).isEqualTo("db_unreachable");
            assertThat(health.body()).doesNotContain(owner.password()).doesNotContain(String.valueOf(closedPort));
        }
    }
}
