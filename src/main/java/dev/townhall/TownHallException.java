package dev.townhall;

/**
 * The one exception TownHall throws on purpose. Its message is written for an operator: what failed, where,
 * and what to do next. It never contains a password.
 */
public class TownHallException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final String field; // the input field at fault, or null

    public TownHallException(ErrorCode code, String message) {
        this(code, message, (Throwable) null);
    }

    public TownHallException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.field = null;
    }

    private TownHallException(ErrorCode code, String field, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.field = field;
    }

    /** A failure caused by one input field (a query parameter, a JSON property, a CLI option), named for the caller. */
    public static TownHallException forField(ErrorCode code, String field, String message) {
        return new TownHallException(code, field, message, null);
    }

    public static TownHallException forField(ErrorCode code, String field, String message, Throwable cause) {
        return new TownHallException(code, field, message, cause);
    }

    /** The input field at fault, when one is. */
    public java.util.Optional<String> field() {
        return java.util.Optional.ofNullable(field);
    }

    public ErrorCode code() {
        return code;
    }
}
