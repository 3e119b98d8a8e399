package dev.townhall.search;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;

import java.util.Arrays;
import java.util.Locale;

/** How a query is matched: by meaning (vectors), by words (PostgreSQL full text), or both fused by rank. */
public enum SearchMode {
    SEMANTIC, KEYWORD, HYBRID;

    /** The mode named {@code name} (any case), or a one-line INVALID_INPUT error listing the modes. */
    public static SearchMode parse(String name) {
        return Arrays.stream(values()).filter(m -> m.name().equalsIgnoreCase(name.strip())).findFirst()
                .orElseThrow(() -> new TownHallException(ErrorCode.INVALID_INPUT, "unknown search mode '" + name
                        + "'; modes: semantic, keyword, hybrid"));
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
