package dev.townhall.legacy.generate.internal;

import dev.townhall.legacy.charsets.SingleByteCharsets;

import java.nio.charset.StandardCharsets;

/**
 * Double-encoded text as legacy systems produce it: a string's UTF-8 bytes read back as a single-byte character set.
 * The tables are spelled out here rather than taken from the JDK so the output never depends on which optional
 * charsets a runtime ships.
 */
public final class Mojibake {
    private Mojibake() {
    }

    /** "Café" becomes "CafÃ©", "don’t" becomes "donâ€™t": UTF-8 read as Windows-1252. */
    public static String windows1252(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            int u = b & 0xFF;
            out.append(u >= 0x80 && u <= 0x9F ? SingleByteCharsets.CP1252_80_9F.charAt(u - 0x80) : (char) u);
        }
        return out.toString();
    }

    /** "🎯" becomes "\uF8FFüéØ", "é" becomes "√©": UTF-8 read as Mac OS Roman, the seeds' own mojibake. */
    public static String macRoman(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            int u = b & 0xFF;
            out.append(u >= 0x80 ? SingleByteCharsets.MAC_ROMAN_80_FF.charAt(u - 0x80) : (char) u);
        }
        return out.toString();
    }

    /** True when the text holds a character outside ASCII, i.e. something mojibake can damage. */
    public static boolean damageable(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0x7F) {
                return true;
            }
        }
        return false;
    }
}
