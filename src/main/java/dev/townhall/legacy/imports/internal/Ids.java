package dev.townhall.legacy.imports.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Name-based ids (RFC 4122 version 5, SHA-1) for imported rows: the same legacy row imported into the same town
 * always becomes the same UUID. A resumed run therefore writes exactly the ids an uninterrupted one would, and
 * two imports of one dataset can be compared row by row.
 */
public final class Ids {
    private Ids() {
    }

    /** The id of {@code parts} (joined with '/') in the namespace {@code town}. */
    public static UUID of(UUID town, String... parts) {
        MessageDigest sha1 = sha1();
        ByteBuffer ns = ByteBuffer.allocate(16);
        ns.putLong(town.getMostSignificantBits()).putLong(town.getLeastSignificantBits());
        sha1.update(ns.array());
        sha1.update(String.join("/", parts).getBytes(StandardCharsets.UTF_8));
        byte[] hash = sha1.digest();
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x50); // version 5
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80); // IETF variant
        ByteBuffer b = ByteBuffer.wrap(hash, 0, 16);
        return new UUID(b.getLong(), b.getLong());
    }

    /** An MD5 hex digest of the values, each marked null or given with its length (so no two rows collide by joining). */
    public static String rowHash(String[] values) {
        MessageDigest md5;
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (String v : values) {
            if (v == null) {
                md5.update((byte) 0);
            } else {
                byte[] bytes = v.getBytes(StandardCharsets.UTF_8);
                md5.update((byte) 1);
                md5.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
                md5.update(bytes);
            }
        }
        return HexFormat.of().formatHex(md5.digest());
    }

    /** The SHA-256 hex digest of {@code text}'s UTF-8 bytes. */
    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
