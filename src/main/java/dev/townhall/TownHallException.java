package dev.townhall;

/**
 * The one exception TownHall throws on purpose. Its message is written for an operator: what failed, where,
 * and what to do next. It never contains a password.
 */
public class TownHallException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public TownHallException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public TownHallException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
