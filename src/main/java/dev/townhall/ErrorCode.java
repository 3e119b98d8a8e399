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
