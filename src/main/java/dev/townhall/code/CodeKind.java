package dev.townhall.code;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;

import java.util.Arrays;

/** What code memory holds: the extension's chat messages, its saved code blocks and the patterns it learned. */
public enum CodeKind {
    MESSAGES("messages", "message"),
    BLOCKS("blocks", "block"),
    PATTERNS("patterns", "pattern");

    private final String label;
    private final String hitKind;

    CodeKind(String label, String hitKind) {
        this.label = label;
        this.hitKind = hitKind;
    }

    /** How a caller names the kind to search in (plural). */
    public String label() {
        return label;
    }

    /** How a hit of this kind names itself (singular). */
    public String hitKind() {
        return hitKind;
    }

    /** The kind labelled {@code label}, or INVALID_INPUT on {@code field} listing the labels. */
    public static CodeKind parse(String field, String label) {
        return Arrays.stream(values()).filter(k -> k.label.equals(label)).findFirst()
                .orElseThrow(() -> TownHallException.forField(ErrorCode.INVALID_INPUT, field, field + " must name "
                        + String.join(", ", Arrays.stream(values()).map(CodeKind::label).toList()) + ", got '" + label + "'"));
    }

    /** The kind whose hits name themselves {@code hitKind}. */
    public static CodeKind ofHitKind(String hitKind) {
        return Arrays.stream(values()).filter(k -> k.hitKind.equals(hitKind)).findFirst()
                .orElseThrow(() -> new IllegalStateException("unknown code hit kind " + hitKind));
    }
}
