package dev.townhall.legacy.imports.internal;

import dev.townhall.legacy.charsets.SingleByteCharsets;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Repairs double-encoded UTF-8 ("mojibake"): text whose UTF-8 bytes were once read as Windows-1252 ("CafÃ©",
 * "donâ€™t", "ðŸŽ¯") or as Mac OS Roman (the seeds' own "üéØ" for 🎯, "√©" for é).
 * <p>
 * A UTF-8 multi-byte character consists of bytes 0x80-0xFF only, and both charsets map every such byte to a
 * non-ASCII character, so damage shows as a run of non-ASCII characters. A run is replaced only when mapping its
 * characters back to bytes gives well-formed UTF-8 (checked strictly, lead and continuation bytes alike); a
 * genuine "é" or "Müller" maps to bytes that are not UTF-8 and is left alone. Text damaged twice is repaired in
 * up to {@value #MAX_PASSES} passes.
 */
public final class TextRepair {
    private static final int MAX_PASSES = 3;

    /** char -> byte (0x80-0xFF), -1 when the charset has no byte for it. */
    private static final short[] CP1252 = new short[0x10000];
    private static final short[] MAC_ROMAN = new short[0x10000];

    static {
        java.util.Arrays.fill(CP1252, (short) -1);
        java.util.Arrays.fill(MAC_ROMAN, (short) -1);
        for (int b = 0x80; b <= 0xFF; b++) {
            // latin1 reading: every byte is the code point of the same number
            CP1252[b] = (short) b;
        }
        for (int i = 0; i < SingleByteCharsets.CP1252_80_9F.length(); i++) {
            CP1252[SingleByteCharsets.CP1252_80_9F.charAt(i)] = (short) (0x80 + i);
        }
        for (int i = 0; i < SingleByteCharsets.MAC_ROMAN_80_FF.length(); i++) {
            MAC_ROMAN[SingleByteCharsets.MAC_ROMAN_80_FF.charAt(i)] = (short) (0x80 + i);
        }
    }

    private TextRepair() {
    }

    /** The text with every double-encoded run decoded; the same instance when nothing needed repair. */
    public static String repair(String text) {
        if (text == null || isAscii(text)) {
            return text;
        }
        String current = text;
        for (int pass = 0; pass < MAX_PASSES; pass++) {
            String next = repairOnce(current);
            if (next == current) {
                break;
            }
            current = next;
        }
        return current;
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static String repairOnce(String text) {
        StringBuilder out = null;
        int n = text.length();
        int i = 0;
        while (i < n) {
            if (text.charAt(i) < 0x80) {
                if (out != null) {
                    out.append(text.charAt(i));
                }
                i++;
                continue;
            }
            int j = i;
            while (j < n && text.charAt(j) >= 0x80) {
                j++;
            }
            String fixed = decodeRun(text, i, j);
            if (fixed != null) {
                if (out == null) {
                    out = new StringBuilder(n).append(text, 0, i);
                }
                out.append(fixed);
            } else if (out != null) {
                out.append(text, i, j);
            }
            i = j;
        }
        return out == null ? text : out.toString();
    }

    /** The run decoded, or null when it is not double-encoded UTF-8 under either charset. */
    private static String decodeRun(String text, int from, int to) {
        String whole = decodeWhole(text, from, to, CP1252);
        if (whole == null) {
            whole = decodeWhole(text, from, to, MAC_ROMAN);
        }
        if (whole != null) {
            return whole;
        }
        return decodeSequences(text, from, to);
    }

    private static String decodeWhole(String text, int from, int to, short[] table) {
        byte[] bytes = new byte[to - from];
        for (int k = from; k < to; k++) {
            short b = table[text.charAt(k)];
            if (b < 0) {
                return null;
            }
            bytes[k - from] = (byte) b;
        }
        return strictUtf8(bytes, 0, bytes.length);
    }

    /**
     * A run that mixes damaged sequences with genuine characters: decode each Windows-1252 sequence that forms one
     * well-formed UTF-8 character, keep everything else as it is.
     */
    private static String decodeSequences(String text, int from, int to) {
        StringBuilder out = null;
        int k = from;
        while (k < to) {
            int lead = CP1252[text.charAt(k)];
            int length = lead >= 0xC2 && lead <= 0xDF ? 2 : lead >= 0xE0 && lead <= 0xEF ? 3
                    : lead >= 0xF0 && lead <= 0xF4 ? 4 : 0;
            String decoded = null;
            if (length > 0 && k + length <= to) {
                byte[] bytes = new byte[length];
                boolean mapped = true;
                for (int m = 0; m < length; m++) {
                    short b = CP1252[text.charAt(k + m)];
                    if (b < 0) {
                        mapped = false;
                        break;
                    }
                    bytes[m] = (byte) b;
                }
                decoded = mapped ? strictUtf8(bytes, 0, length) : null;
            }
            if (decoded != null) {
                if (out == null) {
                    out = new StringBuilder(to - from).append(text, from, k);
                }
                out.append(decoded);
                k += length;
            } else {
                if (out != null) {
                    out.append(text.charAt(k));
                }
                k++;
            }
        }
        return out == null ? null : out.toString();
    }

    private static String strictUtf8(byte[] bytes, int offset, int length) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer chars = decoder.decode(ByteBuffer.wrap(bytes, offset, length));
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
