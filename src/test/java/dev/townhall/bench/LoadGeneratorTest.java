package dev.townhall.bench;

import dev.townhall.TownHallException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The load generator's bookkeeping: how requests are shared, counted, timed and summarised; never its speed. */
class LoadGeneratorTest {
    @Test
    void percentilesAreNearestRankOverTheSuccessfulRequests() {
        long[] millis = LongStream.rangeClosed(1, 100).map(ms -> ms * 1_000_000).toArray();
        LoadGenerator.Result r = new LoadGenerator.Result(4, 110, 10, 2_000_000_000L, millis, "boom");
        assertThat(r.p50Ms()).isEqualTo(50.0);
        assertThat(r.p99Ms()).isEqualTo(99.0);
        assertThat(r.percentileMs(1.0)).isEqualTo(100.0);
        assertThat(r.percentileMs(0.001)).isEqualTo(1.0);
        assertThat(r.requestsPerSecond()).as("successes over wall seconds").isEqualTo(50.0);

        LoadGenerator.Result none = new LoadGenerator.Result(1, 3, 3, 1_000_000L, new long[0], "boom");
        assertThat(none.p50Ms()).isNaN();
        assertThat(none.requestsPerSecond()).isZero();
    }

    @Test
    void aFixedNumberOfRequestsIsSharedByTheWorkersAfterAnUncountedWarmUp() {
        AtomicInteger calls = new AtomicInteger();
        Set<Integer> workers = ConcurrentHashMap.newKeySet();
        AtomicInteger closed = new AtomicInteger();
        LoadGenerator.Result r = LoadGenerator.run(4, worker -> {
            workers.add(worker);
            return new LoadGenerator.Client() {
                @Override
                public void request() {
                    calls.incrementAndGet();
                }

                @Override
                public void close() {
                    closed.incrementAndGet();
                }
            };
        }, LoadGenerator.Plan.requests(30, 500));

        assertThat(workers).containsExactlyInAnyOrder(0, 1, 2, 3);
        assertThat(closed).as("every client is closed").hasValue(4);
        assertThat(calls).as("warm-up plus measured").hasValue(530);
        assertThat(r.connections()).isEqualTo(4);
        assertThat(r.requests()).isEqualTo(500);
        assertThat(r.errors()).isZero();
        assertThat(r.firstError()).isNull();
        assertThat(r.sortedLatencyNanos()).hasSize(500).isSorted();
        assertThat(r.wallNanos()).isPositive();
        assertThat(r.requestsPerSecond()).isPositive();
    }

    @Test
    void failedRequestsAreCountedApartAndTheFirstIsKept() {
        AtomicInteger calls = new AtomicInteger();
        LoadGenerator.Result r = LoadGenerator.run(2, worker -> () -> {
            if (calls.incrementAndGet() % 3 == 0) {
                throw new IllegalStateException("HTTP 429 rate_limited");
            }
        }, LoadGenerator.Plan.requests(0, 300));

        assertThat(r.requests()).isEqualTo(300);
        assertThat(r.errors()).isEqualTo(100);
        assertThat(r.sortedLatencyNanos()).as("only successes are timed").hasSize(200);
        assertThat(r.firstError()).isEqualTo("IllegalStateException: HTTP 429 rate_limited");
    }

    @Test
    void aFixedDurationRunsEveryWorkerUntilItEnds() {
        Duration measured = Duration.ofMillis(200);
        LoadGenerator.Result r = LoadGenerator.run(3, worker -> () -> Thread.sleep(1),
                LoadGenerator.Plan.duration(Duration.ofMillis(20), measured));

        assertThat(r.wallNanos()).isGreaterThanOrEqualTo(measured.toNanos());
        assertThat(r.requests()).isGreaterThan(3).isEqualTo(r.sortedLatencyNanos().length);
        assertThat(r.p50Ms()).isGreaterThanOrEqualTo(1.0);
        assertThat(r.requestsPerSecond()).isCloseTo(r.requests() / (r.wallNanos() / 1e9), within(1e-6));
    }

    @Test
    void nonsensicalPlansAreRefusedInOneSentence() {
        assertThatThrownBy(() -> LoadGenerator.run(0, worker -> () -> { }, LoadGenerator.Plan.requests(0, 1)))
                .isInstanceOf(TownHallException.class).hasMessageContaining("connections must be at least 1");
        assertThatThrownBy(() -> LoadGenerator.Plan.requests(0, 0))
                .isInstanceOf(TownHallException.class).hasMessageContaining("requests must be at least 1");
        assertThatThrownBy(() -> LoadGenerator.Plan.duration(Duration.ZERO, Duration.ZERO))
                .isInstanceOf(TownHallException.class).hasMessageContaining("duration must be positive");
    }
}
