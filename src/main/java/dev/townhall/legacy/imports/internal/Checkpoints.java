package dev.townhall.legacy.imports.internal;

/** How a checkpoint names the last row done: "ordinal:key", so keys may hold any character. */
public final class Checkpoints {
    private Checkpoints() {
    }

    public static String encode(String key, long ordinal) {
        return ordinal + ":" + key;
    }

    /** {key, ordinal} of an encoded checkpoint. */
    public static Object[] decode(String encoded) {
        int colon = encoded.indexOf(':');
        return new Object[] {encoded.substring(colon + 1), Long.parseLong(encoded.substring(0, colon))};
    }
}
