package dev.townhall.legacy.imports.internal;

/** Thrown while a row is mapped or matched when the row must be quarantined: the reason code and sentence. */
final class RowQuarantine extends Exception {
    private static final long serialVersionUID = 1L;
    final String code;

    RowQuarantine(String code, String reason) {
        super(reason, null, false, false);
        this.code = code;
    }
}
