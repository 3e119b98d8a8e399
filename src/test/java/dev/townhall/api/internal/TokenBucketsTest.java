package dev.townhall.api.internal;

import org.junit.jupiter.api.Test;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** A bucket per key: a burst, then one request per refill interval, and the wait until the next token. */
class TokenBucketsTest {
    @Test
    void aBurstThenTheRefillRate() {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        TokenBuckets buckets = new TokenBuckets(2, 3, now::get);
        UUID key = UUID.randomUUID();
        assertThat(buckets.take(key)).isZero();
        assertThat(buckets.take(key)).isZero();
        assertThat(buckets.take(key)).isZero();
        long wait = buckets.take(key);
        assertThat(wait).isEqualTo(500_000_000L);
        assertThat(TokenBuckets.retryAfterSeconds(wait)).isEqualTo(1);
        assertThat(buckets.take(UUID.randomUUID())).as("another key").isZero();
        now.addAndGet(500_000_000L);
        assertThat(buckets.take(key)).isZero();
        assertThat(buckets.take(key)).isPositive();
        now.addAndGet(60_000_000_000L);
        for (int i = 0; i < 3; i++) {
            assertThat(buckets.take(key)).as("refilled to the burst, no more").isZero();
        }
        assertThat(buckets.take(key)).isPositive();
    }
}
