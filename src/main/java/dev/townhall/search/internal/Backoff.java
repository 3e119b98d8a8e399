package dev.townhall.search.internal;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;

/**
 * Waits between attempts: exponential backoff with full jitter (a random wait between 0 and
 * {@code base * 2^(attempt-1)}, capped), or what the server asked for in {@code Retry-After}, capped too.
 */
public final class Backoff {
    static final Duration BASE_DELAY = Duration.ofMillis(500);

    /** Sleeps; tests pass one that records instead of waiting. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final Duration cap;
    private final Sleeper sleeper;
    private final LongUnaryOperator jitter; // bound (exclusive, ms) -> a wait in [0, bound)

    public Backoff(Duration cap, Sleeper sleeper, LongUnaryOperator jitter) {
        this.cap = cap;
        this.sleeper = sleeper;
        this.jitter = jitter;
    }

    /** Real sleeping with random full jitter. */
    public static Backoff sleeping(Duration cap) {
        return new Backoff(cap, duration -> Thread.sleep(duration.toMillis()),
                bound -> ThreadLocalRandom.current().nextLong(bound));
    }

    /** The wait after failed attempt {@code attempt} (1-based). */
    Duration delay(int attempt, Optional<Duration> retryAfter) {
        if (retryAfter.isPresent()) {
            return retryAfter.get().compareTo(cap) > 0 ? cap : retryAfter.get();
        }
        long ceiling = Math.min(cap.toMillis(), BASE_DELAY.toMillis() << Math.min(attempt - 1, 20));
        return Duration.ofMillis(jitter.applyAsLong(ceiling + 1));
    }

    void pause(int attempt, Optional<Duration> retryAfter) throws InterruptedException {
        sleeper.sleep(delay(attempt, retryAfter));
    }
}
