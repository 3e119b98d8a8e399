package dev.townhall.api.internal;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import io.javalin.http.NotFoundResponse;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

import java.sql.SQLTransientConnectionException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every failure maps onto the one error body; what is not the caller's fault tells the caller nothing internal. */
class ApiErrorTest {
    @Test
    void aCallersMistakeKeepsItsMessageAndField() {
        ApiError error = ApiError.from(TownHallException.forField(ErrorCode.INVALID_INPUT, "sort", "unknown sort column"),
                "GET /x");
        assertThat(error.status()).isEqualTo(400);
        assertThat(error.body()).isEqualTo(Map.of("error", new java.util.LinkedHashMap<>(Map.of("code", "invalid_input",
                "message", "unknown sort column", "field", "sort"))));
    }

    @Test
    void aCancelledStatementIsATimeoutAndALostConnectionIsUnreachable() {
        ApiError timeout = ApiError.from(new RuntimeException(new PSQLException("canceling statement due to statement"
                + " timeout on host db.internal", PSQLState.QUERY_CANCELED)), "GET /x");
        assertThat(timeout.status()).isEqualTo(503);
        assertThat(timeout.codeName()).isEqualTo("timeout");
        assertThat(timeout.message()).doesNotContain("db.internal");
        ApiError down = ApiError.from(new SQLTransientConnectionException("townhall-app - Connection is not available"),
                "GET /x");
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.codeName()).isEqualTo("db_unreachable");
        assertThat(down.message()).doesNotContain("townhall-app");
    }

    @Test
    void aBugIsA500ThatSaysNothingOfItself() {
        ApiError bug = ApiError.from(new IllegalStateException("password=hunter2 in /srv/townhall"), "GET /x");
        assertThat(bug.status()).isEqualTo(500);
        assertThat(bug.codeName()).isEqualTo("internal");
        assertThat(bug.message()).doesNotContain("hunter2").doesNotContain("/srv");
        ApiError unreachable = ApiError.from(new TownHallException(ErrorCode.DB_UNREACHABLE,
                "cannot reach PostgreSQL at db.internal:5432"), "GET /x");
        assertThat(unreachable.message()).doesNotContain("db.internal");
    }

    @Test
    void javalinsOwnAnswersUseTheErrorCodes() {
        assertThat(ApiError.from(new NotFoundResponse("Endpoint GET /x not found"), "GET /x").codeName())
                .isEqualTo("not_found");
        assertThat(ApiError.fromStatus(413, null).codeName()).isEqualTo("payload_too_large");
        assertThat(ApiError.fromStatus(431, "Request Header Fields Too Large").status()).isEqualTo(400);
    }
}
