package dev.townhall.cli;

import dev.townhall.ops.Progress;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * The progress of a backup, restore or verify on one self-rewriting line on a terminal (at most 5 times a second);
 * elsewhere one line per phase.
 */
final class BackupProgress implements Progress {
    private static final int BAR = 30;
    private static final long REDRAW_NANOS = 200_000_000L;
    private final PrintWriter out;
    private final boolean terminal = System.console() != null;
    private final long started = System.nanoTime();
    private String phase;
    private long lastDrawn;

    BackupProgress(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void at(String now, long done, long total) {
        long t = System.nanoTime();
        boolean newPhase = !now.equals(phase);
        if (!newPhase && (!terminal || t - lastDrawn < REDRAW_NANOS)) {
            return;
        }
        if (newPhase && phase != null && terminal) {
            out.println();
        }
        phase = now;
        lastDrawn = t;
        String amount = total < 0 ? String.format(Locale.ROOT, "%,d", done)
                : ProgressText.bar(done, total, BAR) + String.format(Locale.ROOT, " %,d/%,d", done, total);
        String line = String.format(Locale.ROOT, "  %s %s  %s", now, amount,
                ProgressText.clock(Duration.ofNanos(t - started)));
        out.print(terminal ? "\r" + line + "\u001B[K" : line + System.lineSeparator());
        out.flush();
    }

    /** Ends the rewritten line, so what follows starts on its own. */
    void finish() {
        if (terminal && phase != null) {
            out.println();
            out.flush();
        }
    }
}
