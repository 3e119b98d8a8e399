package dev.townhall.api.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The text of an API key, {@code th_<prefix>_<secret>}: a 12-character prefix that finds the key's row and a
 * 40-character secret, both {@code [A-Za-z0-9]} from {@link SecureRandom} (about 238 random bits in the secret).
 * The database keeps the prefix and the SHA-256 of the whole text, never the text. A fast hash is right here:
 * the key is random, not a password, so there is nothing to guess word by word and no need for a slow hash.
 */
public final class ApiKeyToken {
    public static final int PREFIX_LENGTH = 12;
    public static final int SECRET_LENGTH = 40;
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final Pattern FORMAT = Pattern.compile(
            "th_([A-Za-z0-9]{" + PREFIX_LENGTH + "})_[A-Za-z0-9]{" + SECRET_LENGTH + "}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String prefix;
    private final String text;

    private ApiKeyToken(String prefix, String text) {
        this.prefix = prefix;
        this.text = text;
    }

    /** A new random key. */
    public static ApiKeyToken generate() {
        String prefix = random(PREFIX_LENGTH);
        return new ApiKeyToken(prefix, "th_" + prefix + "_" + random(SECRET_LENGTH));
    }

    /** The key in {@code text} when it has the key's exact shape; empty for anything else. */
    public static Optional<ApiKeyToken> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        var matcher = FORMAT.matcher(text);
        return matcher.matches() ? Optional.of(new ApiKeyToken(matcher.group(1), text)) : Optional.empty();
    }

    public String prefix() {
        return prefix;
    }

    /** The whole key: shown once to the operator who made it, never stored or logged. */
    public String text() {
        return text;
    }

    /** SHA-256 of the whole key, lower-case hex: what {@code core.api_keys.key_hash} holds. */
    public String hash() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Whether {@code storedHash} is this key's hash, compared in constant time. */
    public boolean matches(String storedHash) {
        return storedHash != null && MessageDigest.isEqual(hash().getBytes(StandardCharsets.US_ASCII),
                storedHash.getBytes(StandardCharsets.US_ASCII));
    }

    private static String random(int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return out.toString();
    }

    /** Never the secret. */
    @Override
    public String toString() {
        return "th_" + prefix + "_…";
    }
}
