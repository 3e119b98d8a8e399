package dev.townhall;

/**
 * Every way a TownHall operation can fail, with the exit status the CLI uses and the HTTP status the API uses.
 * Codes a user can cause ({@link #userError()}) print as one line; the rest are bugs and keep their stack trace.
 */
public enum ErrorCode {
    INVALID_INPUT(2, 400, true),
    CONFIG(3, 400, true),
    NOT_FOUND(4, 404, true),
    FORBIDDEN(5, 403, true),
    CONFLICT(6, 409, true),
    DB_UNREACHABLE(10, 503, true),
    DB_AUTH(11, 503, true),
    PORT_IN_USE(12, 409, true),
    DATA_DIR(13, 500, true),
    BINARIES_MISSING(14, 500, true),
    CLUSTER_BUSY(15, 409, true),
    SERVER_START(19, 503, true),
    CHECKSUM_MISMATCH(16, 409, true),
    MIGRATION_FAILED(17, 500, true),
    VERIFY_FAILED(18, 500, true),
    /** The embedding provider was unreachable, kept failing, or answered with something other than valid vectors. */
    EMBEDDING_FAILED(20, 502, true),
    /** No credential, or one that is unknown, revoked or expired. */
    UNAUTHENTICATED(21, 401, true),
    /** The request needs a version precondition ({@code If-Match}) and carried none. */
    PRECONDITION_REQUIRED(22, 428, true),
    /** The version the caller based its change on is no longer the row's version. */
    PRECONDITION_FAILED(23, 412, true),
    /** Well-formed input whose values the database refuses (a constraint, a type, a reference). */
    UNPROCESSABLE(24, 422, true),
    PAYLOAD_TOO_LARGE(25, 413, true),
    UNSUPPORTED_MEDIA_TYPE(26, 415, true),
    RATE_LIMITED(27, 429, true),
    /** A statement or request ran longer than its limit and was cancelled. */
    TIMEOUT(28, 503, true),
    INTERNAL(70, 500, false);

    private final int exitStatus;
    private final int httpStatus;
    private final boolean userError;

    ErrorCode(int exitStatus, int httpStatus, boolean userError) {
        this.exitStatus = exitStatus;
        this.httpStatus = httpStatus;
        this.userError = userError;
    }

    public int exitStatus() {
        return exitStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** True when the failure is the caller's or the environment's, not a defect of TownHall. */
    public boolean userError() {
        return userError;
    }
}
