package dev.townhall.legacy.generate.internal;

import org.junit.jupiter.api.Test;

import java.nio.charset.Charset;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The double encodings are the ones real systems produce, including the seeds' own "üéØ". */
class MojibakeTest {
    @Test
    void utf8ReadAsWindows1252() {
        assertThat(Mojibake.windows1252("Café")).isEqualTo("CafÃ©");
        assertThat(Mojibake.windows1252("don’t")).isEqualTo("donâ€™t");
        assertThat(Mojibake.windows1252("Müller")).isEqualTo("MÃ¼ller");
        assertThat(Mojibake.windows1252("plain ASCII")).isEqualTo("plain ASCII");
    }

    @Test
    void utf8ReadAsMacRomanGivesTheSeedsMojibake() {
        assertThat(Mojibake.macRoman("🎯")).isEqualTo("\uF8FFüéØ");
        assertThat(Mojibake.macRoman("\u2011")).isEqualTo("‚Äë"); // the seeds' "cross‚Äëcity"
    }

    @Test
    void everyByteMapsAsTheJdksCharsetsDo() {
        Charset cp1252 = Charset.forName("windows-1252");
        for (int b = 0x80; b <= 0xF4; b++) {
            char expected = new String(new byte[] {(byte) b}, cp1252).charAt(0);
            if (expected != '\uFFFD' && b != 0xC0 && b != 0xC1) { // undefined in cp1252, or never in UTF-8
                assertThat(decoded(b, Mojibake::windows1252)).as("cp1252 byte 0x%02X", b).isEqualTo(expected);
            }
        }
        assumeTrue(Charset.isSupported("x-MacRoman"), "this JDK ships no Mac Roman charset");
        Charset macRoman = Charset.forName("x-MacRoman");
        for (int b = 0x80; b <= 0xF4; b++) {
            char expected = new String(new byte[] {(byte) b}, macRoman).charAt(0);
            // 0xDB was ¤ before Apple made it € in 1998, and JDKs differ on it
            if (b != 0xC0 && b != 0xC1 && b != 0xDB) {
                assertThat(decoded(b, Mojibake::macRoman)).as("Mac Roman byte 0x%02X", b).isEqualTo(expected);
            }
        }
    }

    /** The character a mojibake function makes of byte {@code b}, fed a code point whose UTF-8 holds that byte. */
    private static char decoded(int b, UnaryOperator<String> mojibake) {
        if (b <= 0xBF) {
            return mojibake.apply(String.valueOf((char) b)).charAt(1); // U+0080-U+00BF is C2 b
        }
        int codePoint = b <= 0xDF ? (b - 0xC0) << 6          // 2-byte lead: b 80
                : b == 0xE0 ? 0x800 : b <= 0xEF ? (b - 0xE0) << 12  // 3-byte lead: b .. ..
                : b == 0xF0 ? 0x10000 : (b - 0xF0) << 18;           // 4-byte lead: b .. .. ..
        return mojibake.apply(new String(Character.toChars(codePoint))).charAt(0);
    }
}
