package dev.townhall.search;

import java.time.Duration;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * What one {@link EmbeddingWorker} run did: rows queued by the backfill, then per town and entity type the rows
 * embedded, left unchanged (their vectors were current), removed (the row is gone or has no text), failed (the
 * provider failed; retried later) and parked (out of attempts; {@code memory.embedding_queue.last_error} says
 * why), with the vectors written and the seconds spent.
 */
public record EmbedReport(String provider, String model, long enqueued, List<Line> lines, Duration elapsed,
                          boolean limitReached) {
    public EmbedReport {
        lines = List.copyOf(lines);
    }

    /** One town and entity type. {@code seconds}: its share of the batches' time, by rows. */
    public record Line(String town, String entityType, long embedded, long unchanged, long removed, long failed,
                       long parked, long chunks, double seconds) {
        /** Queue rows this run took off the queue or failed on. */
        public long handled() {
            return embedded + unchanged + removed + failed;
        }
    }

    public long embedded() {
        return sum(Line::embedded);
    }

    public long unchanged() {
        return sum(Line::unchanged);
    }

    public long removed() {
        return sum(Line::removed);
    }

    public long failed() {
        return sum(Line::failed);
    }

    public long parked() {
        return sum(Line::parked);
    }

    public long chunks() {
        return sum(Line::chunks);
    }

    public long handled() {
        return sum(Line::handled);
    }

    private long sum(ToLongFunction<Line> column) {
        return lines.stream().mapToLong(column).sum();
    }

    /** This run and {@code later} as one report: their lines, their queued rows and time added up. */
    public EmbedReport plus(EmbedReport later) {
        List<Line> both = new java.util.ArrayList<>(lines);
        both.addAll(later.lines);
        return new EmbedReport(provider, model, enqueued + later.enqueued, both, elapsed.plus(later.elapsed),
                limitReached || later.limitReached);
    }

    /** Queue rows handled per second of the whole run. */
    public double rowsPerSecond() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds <= 0 ? 0 : handled() / seconds;
    }
}
