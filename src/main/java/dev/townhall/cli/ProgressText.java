package dev.townhall.cli;

import java.time.Duration;
import java.util.Locale;

/** The pieces of a self-rewriting progress line: a bar and a clock. Plain text; no progress-bar library. */
final class ProgressText {
    private ProgressText() {
    }

    /** {@code [######......]}: {@code width} cells, filled in proportion to done/total (full when total is 0). */
    static String bar(long done, long total, int width) {
        int filled = total <= 0 ? width : (int) Math.min(width, width * done / total);
        return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "]";
    }

    /** {@code m:ss}. */
    static String clock(Duration d) {
        long s = d.toSeconds();
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
