package dev.townhall.compat;

/**
 * A login just made: its description and its connection URL {@code postgresql://NAME:PASSWORD@host:port/db}. The
 * password is shown to the operator once; the server keeps only its SCRAM verifier.
 */
public record CreatedLogin(LoginInfo login, String url) {
    /** Never prints the URL (a record's default would, password included). */
    @Override
    public String toString() {
        return "CreatedLogin[" + login + ", url=postgresql://" + login.name() + ":…]";
    }
}
