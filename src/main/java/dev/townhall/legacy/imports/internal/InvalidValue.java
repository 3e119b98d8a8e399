package dev.townhall.legacy.imports.internal;

/**
 * A value a normaliser refuses, with a machine reason ({@code invalid_email}, {@code unparseable_date} ...) and a
 * sentence for the reviewer. Control flow for rare values, so it carries no stack trace.
 */
public final class InvalidValue extends Exception {
    private static final long serialVersionUID = 1L;

    private final String reasonCode;

    public InvalidValue(String reasonCode, String reason) {
        super(reason, null, false, false);
        this.reasonCode = reasonCode;
    }

    public String reasonCode() {
        return reasonCode;
    }

    public String reason() {
        return getMessage();
    }
}
