package dev.townhall.api;

/**
 * A key just made: its description and the key itself ({@code th_<prefix>_<secret>}). The secret is shown to the
 * operator once and stored nowhere; only its hash is kept.
 */
public record CreatedKey(ApiKeyInfo info, String secret) {
    /** Never prints the secret (a record's default would). */
    @Override
    public String toString() {
        return "CreatedKey[" + info + ", secret=th_" + info.prefix() + "_…]";
    }
}
