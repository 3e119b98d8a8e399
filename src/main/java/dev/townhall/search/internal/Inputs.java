package dev.townhall.search.internal;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;

import java.util.List;

/** What every provider refuses before spending time on a batch. */
final class Inputs {
    private Inputs() {
    }

    /** Refuses a null or blank text: there is nothing to embed, and a caller that sends one has lost a text. */
    static void requireNonBlank(List<String> texts) {
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i) == null || texts.get(i).isBlank()) {
                throw new TownHallException(ErrorCode.INVALID_INPUT, "text " + i + " of " + texts.size()
                        + " is blank; there is nothing to embed");
            }
        }
    }
}
