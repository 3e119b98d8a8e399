package dev.townhall.api.internal;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The one error body of the API, {@code {"error": {"code", "message", "field"}}}, and how every failure maps onto it:
 * a {@link TownHallException} by its {@link ErrorCode}, Javalin's own answers (no such route, a body over Jetty's
 * limit) by their status, a database failure by its SQLState. A caller's mistake (4xx) is explained in one sentence;
 * anything else answers with a fixed sentence for its code, and its detail (with the stack trace for a bug) goes to
 * the log only.
 */
public record ApiError(int status, ErrorCode code, String message, String field) {
    private static final Logger LOG = LoggerFactory.getLogger(ApiError.class);
    private static final String SQLSTATE_QUERY_CANCELED = "57014";
    private static final String SQLSTATE_TOO_MANY_CONNECTIONS = "53300";
    private static final String SQLSTATE_CONNECTION_CLASS = "08";

    public static ApiError of(ErrorCode code, String message) {
        return new ApiError(code.httpStatus(), code, message, null);
    }

    /** The lower-case code name the body carries ({@code invalid_input}). */
    public String codeName() {
        return code.name().toLowerCase(Locale.ROOT);
    }

    /** The JSON body, as a map for the one JSON writer. */
    public Map<String, Object> body() {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", codeName());
        error.put("message", message);
        error.put("field", field);
        return Map.of("error", error);
    }

    /** The error that answers {@code failure}, logging what the caller does not see. */
    public static ApiError from(Throwable failure, String where) {
        TownHallException ours = find(failure, TownHallException.class);
        if (ours != null) {
            return fromCode(ours.code(), ours.getMessage(), ours.field().orElse(null), failure, where);
        }
        if (failure instanceof HttpResponseException http) {
            return fromStatus(http.getStatus(), http.getMessage());
        }
        SQLException sql = find(failure, SQLException.class);
        if (sql != null) {
            String state = sql.getSQLState() == null ? "" : sql.getSQLState();
            if (state.equals(SQLSTATE_QUERY_CANCELED)) {
                return fromCode(ErrorCode.TIMEOUT, sql.getMessage(), null, failure, where);
            }
            if (sql instanceof SQLTransientConnectionException || state.startsWith(SQLSTATE_CONNECTION_CLASS)
                    || state.equals(SQLSTATE_TOO_MANY_CONNECTIONS)) {
                return fromCode(ErrorCode.DB_UNREACHABLE, sql.getMessage(), null, failure, where);
            }
        }
        return fromCode(ErrorCode.INTERNAL, String.valueOf(failure.getMessage()), null, failure, where);
    }

    private static ApiError fromCode(ErrorCode code, String message, String field, Throwable failure, String where) {
        if (code.httpStatus() < 500) {
            return new ApiError(code.httpStatus(), code, message, field);
        }
        if (code.userError()) {
            LOG.warn("{}: {} ({})", where, message, code);
        } else {
            LOG.error("{}: internal error", where, failure);
        }
        return new ApiError(code.httpStatus(), code.userError() ? code : ErrorCode.INTERNAL, publicMessage(code), null);
    }

    /** What a caller is told of a failure that is not theirs: no host names, no SQL, no stack. */
    private static String publicMessage(ErrorCode code) {
        return switch (code) {
            case TIMEOUT -> "the request ran longer than its time limit and was cancelled; narrow it and try again";
            case DB_UNREACHABLE, DB_AUTH, SERVER_START -> "the database is unavailable; try again later";
            case EMBEDDING_FAILED -> "the embedding provider failed; try again later, or search with mode=keyword";
            default -> "internal error; the server logged the details";
        };
    }

    /** Javalin's and Jetty's own answers (no route, a body too large…) in the error model. */
    public static ApiError fromStatus(int status, String message) {
        ErrorCode code = switch (status) {
            case 400 -> ErrorCode.INVALID_INPUT;
            case 401 -> ErrorCode.UNAUTHENTICATED;
            case 403 -> ErrorCode.FORBIDDEN;
            case 404, 405 -> ErrorCode.NOT_FOUND;
            case 409 -> ErrorCode.CONFLICT;
            case 412 -> ErrorCode.PRECONDITION_FAILED;
            case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
            case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            case 422 -> ErrorCode.UNPROCESSABLE;
            case 428 -> ErrorCode.PRECONDITION_REQUIRED;
            case 429 -> ErrorCode.RATE_LIMITED;
            case 503 -> ErrorCode.DB_UNREACHABLE;
            default -> status >= 400 && status < 500 ? ErrorCode.INVALID_INPUT : ErrorCode.INTERNAL;
        };
        String text = status == 413 ? "the request body is larger than the limit of 1 MiB"
                : status >= 500 ? publicMessage(code)
                : message == null || message.isBlank() ? "the request was refused (HTTP " + status + ")" : message;
        return new ApiError(code.httpStatus(), code, text, null);
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
