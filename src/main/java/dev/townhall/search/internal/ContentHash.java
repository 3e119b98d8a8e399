package dev.townhall.search.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The one definition of {@code memory.embeddings.content_hash}: SHA-256, in lower-case hex, of the model name, a
 * newline and the embedded text, in UTF-8. The model is part of it so vectors of two models never look current for
 * each other. {@link #sql} computes the same value in PostgreSQL, for set-based checks.
 */
public final class ContentHash {
    private ContentHash() {
    }

    /** The same hash as an SQL expression of the bind parameter {@code :model} and the text column {@code body}. */
    public static String sql(String body) {
        return "encode(sha256(convert_to(:model || E'\\n' || " + body + ", 'UTF8')), 'hex')";
    }

    public static String of(String model, String body) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest((model + "\n" + body).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
