package dev.townhall.api.internal;

import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One token bucket per API key: {@code burst} tokens, refilled at {@code perSecond}; a request takes one. In memory
 * and per server process (one {@code serve} per database is the deployment this serves); a bucket per key ever seen,
 * which the number of keys bounds. Small enough that a library (Bucket4j) would add more than it saves.
 */
public final class TokenBuckets {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final double tokensPerNano;
    private final double capacity;
    private final LongSupplier clock;
    private final ConcurrentHashMap<UUID, Bucket> buckets = new ConcurrentHashMap<>();

    TokenBuckets(int perSecond, int burst, LongSupplier nanoClock) {
        this.tokensPerNano = (double) perSecond / NANOS_PER_SECOND;
        this.capacity = burst;
        this.clock = nanoClock;
    }

    public static TokenBuckets of(int perSecond, int burst) {
        return new TokenBuckets(perSecond, burst, System::nanoTime);
    }

    /**
     * Takes a token from {@code key}'s bucket: 0 when there was one, otherwise the nanoseconds until the next one
     * (the caller's {@code Retry-After}).
     */
    public long take(UUID key) {
        return buckets.computeIfAbsent(key, k -> new Bucket(capacity, clock.getAsLong())).take(clock.getAsLong());
    }

    /** Whole seconds to wait, at least one, for {@code Retry-After}. */
    public static long retryAfterSeconds(long waitNanos) {
        return Math.max(1, (waitNanos + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND);
    }

    private final class Bucket {
        private double tokens;
        private long refilledAt;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.refilledAt = now;
        }

        synchronized long take(long now) {
            tokens = Math.min(capacity, tokens + (now - refilledAt) * tokensPerNano);
            refilledAt = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - tokens) / tokensPerNano);
        }
    }
}
