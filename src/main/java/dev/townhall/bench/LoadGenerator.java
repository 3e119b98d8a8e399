package dev.townhall.bench;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * A closed-loop load generator: N workers, each with its own {@link Client} (its own connection), each sending its
 * next request as soon as the last one answered. A warm-up phase on the same clients comes first and is discarded;
 * then every successful request's latency is kept in nanoseconds, so percentiles are exact, and throughput is the
 * requests completed over the wall time of the measured phase.
 */
public final class LoadGenerator {
    /** One worker's connection: {@link #request()} sends one request and returns when it is answered. */
    public interface Client extends AutoCloseable {
        /** Sends one request and waits for its whole answer; throws when the answer is an error. */
        void request() throws Exception;

        @Override
        default void close() throws Exception {
        }
    }

    /** How long to run: a fixed number of requests (shared by all workers) or a fixed duration, each after a warm-up. */
    public sealed interface Plan {
        /** {@code warmUp} then {@code measured} requests in all, shared by the workers (whoever is free takes the next). */
        static Plan requests(int warmUp, int measured) {
            if (warmUp < 0 || measured < 1) {
                throw new TownHallException(ErrorCode.INVALID_INPUT, "requests must be at least 1 (warm-up at least 0),"
                        + " got " + measured + " (warm-up " + warmUp + ")");
            }
            return new Requests(warmUp, measured);
        }

        /** Every worker sends requests for {@code warmUp}, then for {@code measured}. */
        static Plan duration(Duration warmUp, Duration measured) {
            if (warmUp.isNegative() || measured.isNegative() || measured.isZero()) {
                throw new TownHallException(ErrorCode.INVALID_INPUT, "a measured duration must be positive (warm-up at"
                        + " least 0), got " + measured + " (warm-up " + warmUp + ")");
            }
            return new Timed(warmUp, measured);
        }

        /** The plan in words, for a report's header. */
        String describe();

        /** The plan as a figure's parameters. */
        Map<String, Object> parameters();
    }

    record Requests(int warmUp, int measured) implements Plan {
        @Override
        public String describe() {
            return String.format("%,d requests per measurement after %,d to warm up", measured, warmUp);
        }

        @Override
        public Map<String, Object> parameters() {
            return Map.of("requests", measured, "warm_up_requests", warmUp);
        }
    }

    record Timed(Duration warmUp, Duration measured) implements Plan {
        @Override
        public String describe() {
            return String.format("%.1f s per measurement after %.1f s to warm up", measured.toMillis() / 1e3,
                    warmUp.toMillis() / 1e3);
        }

        @Override
        public Map<String, Object> parameters() {
            return Map.of("seconds", measured.toMillis() / 1e3, "warm_up_seconds", warmUp.toMillis() / 1e3);
        }
    }

    /** What one measured phase did: requests answered, errors, wall time, and every success's latency (sorted). */
    public record Result(int connections, long requests, long errors, long wallNanos, long[] sortedLatencyNanos,
                         String firstError) {
        /** Successful requests per second of wall time. */
        public double requestsPerSecond() {
            return (requests - errors) / Math.max(1e-9, wallNanos / 1e9);
        }

        public double p50Ms() {
            return percentileMs(0.50);
        }

        public double p99Ms() {
            return percentileMs(0.99);
        }

        /** The nearest-rank percentile {@code p} (0 < p ≤ 1) of successful requests' latencies; NaN when none succeeded. */
        public double percentileMs(double p) {
            if (sortedLatencyNanos.length == 0) {
                return Double.NaN;
            }
            int rank = (int) Math.ceil(p * sortedLatencyNanos.length);
            return sortedLatencyNanos[Math.max(0, rank - 1)] / 1e6;
        }
    }

    private LoadGenerator() {
    }

    /**
     * Opens {@code connections} clients with {@code clients} (given the worker's number, 0 to connections − 1), runs
     * {@code plan}'s warm-up and then its measured phase on them, closes them and returns the measured phase.
     */
    public static Result run(int connections, IntFunction<Client> clients, Plan plan) {
        if (connections < 1) {
            throw new TownHallException(ErrorCode.INVALID_INPUT, "connections must be at least 1, got " + connections);
        }
        List<Client> open = new ArrayList<>(connections);
        ExecutorService workers = Executors.newFixedThreadPool(connections);
        try {
            for (int i = 0; i < connections; i++) {
                open.add(clients.apply(i));
            }
            if (plan instanceof Requests r) {
                if (r.warmUp() > 0) {
                    phase(workers, open, new AtomicLong(r.warmUp()), Long.MAX_VALUE);
                }
                return phase(workers, open, new AtomicLong(r.measured()), Long.MAX_VALUE);
            }
            Timed t = (Timed) plan;
            if (!t.warmUp().isZero()) {
                phase(workers, open, null, System.nanoTime() + t.warmUp().toNanos());
            }
            return phase(workers, open, null, System.nanoTime() + t.measured().toNanos());
        } finally {
            workers.shutdownNow();
            for (Client c : open) {
                try {
                    c.close();
                } catch (Exception e) {
                    // closing a finished client cannot change the figures; the next one is still closed
                }
            }
        }
    }

    /** One phase: every worker sends requests until the shared {@code tickets} run out or the deadline passes. */
    private static Result phase(ExecutorService workers, List<Client> clients, AtomicLong tickets, long deadline) {
        long start = System.nanoTime();
        List<Future<Worker>> running = new ArrayList<>(clients.size());
        for (Client client : clients) {
            running.add(workers.submit(new Worker(client, tickets, deadline)));
        }
        List<Worker> done = new ArrayList<>(clients.size());
        try {
            for (Future<Worker> f : running) {
                done.add(f.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TownHallException(ErrorCode.INTERNAL, "the load generator was interrupted", e);
        } catch (ExecutionException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "a load generator worker failed: " + e.getCause(), e);
        }
        long wall = System.nanoTime() - start;
        long requests = 0;
        long errors = 0;
        int successes = 0;
        String firstError = null;
        for (Worker w : done) {
            requests += w.requests;
            errors += w.errors;
            successes += w.latencies.size();
            if (firstError == null) {
                firstError = w.firstError;
            }
        }
        long[] all = new long[successes];
        int at = 0;
        for (Worker w : done) {
            at = w.latencies.copyInto(all, at);
        }
        Arrays.sort(all);
        return new Result(clients.size(), requests, errors, wall, all, firstError);
    }

    /** One worker's closed loop over its client, counting errors apart from latencies. */
    private static final class Worker implements Callable<Worker> {
        private final Client client;
        private final AtomicLong tickets;
        private final long deadline;
        private final Latencies latencies = new Latencies();
        private long requests;
        private long errors;
        private String firstError;

        Worker(Client client, AtomicLong tickets, long deadline) {
            this.client = client;
            this.tickets = tickets;
            this.deadline = deadline;
        }

        @Override
        public Worker call() {
            while (tickets == null ? System.nanoTime() < deadline : tickets.getAndDecrement() > 0) {
                long start = System.nanoTime();
                try {
                    client.request();
                    latencies.add(System.nanoTime() - start);
                } catch (Exception e) {
                    errors++;
                    if (firstError == null) {
                        firstError = e.getClass().getSimpleName() + ": " + e.getMessage();
                    }
                }
                requests++;
            }
            return this;
        }
    }

    /** A growing array of longs: a measured phase of fixed duration does not know its count in advance. */
    private static final class Latencies {
        private long[] values = new long[1024];
        private int size;

        void add(long value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        int size() {
            return size;
        }

        int copyInto(long[] target, int at) {
            System.arraycopy(values, 0, target, at, size);
            return at + size;
        }
    }
}
