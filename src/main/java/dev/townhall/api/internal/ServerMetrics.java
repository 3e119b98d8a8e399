package dev.townhall.api.internal;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.time.Duration;

/**
 * What {@code /metrics} shows, in Prometheus text: every request by route template (never the raw path, which
 * would make one series per id), method and status; the database time of each API request by route; the request
 * threads; the JVM; and the HikariCP pools, which {@code db.Pools} reports to Micrometer's global registry — this
 * registry joins it while the server runs, and sees the pools opened before it too.
 */
public final class ServerMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Meter.MeterProvider<Timer> requests;
    private final Meter.MeterProvider<Timer> databaseTime;

    public ServerMetrics(QueuedThreadPool threads) {
        requests = Timer.builder("http.server.requests")
                .description("HTTP requests by route template, method and status")
                .withRegistry(registry);
        databaseTime = Timer.builder("townhall.request.database")
                .description("time an API request spent in its database transaction, by route template")
                .withRegistry(registry);
        Gauge.builder("townhall.http.threads.busy", threads, QueuedThreadPool::getBusyThreads)
                .description("request threads at work").register(registry);
        Gauge.builder("townhall.http.threads.max", threads, QueuedThreadPool::getMaxThreads)
                .description("request threads at most").register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        Metrics.addRegistry(registry);
    }

    public void request(String route, String method, int status, Duration elapsed) {
        requests.withTags("route", route, "method", method, "status", Integer.toString(status)).record(elapsed);
    }

    public void databaseTime(String route, long nanos) {
        databaseTime.withTags("route", route).record(Duration.ofNanos(nanos));
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        Metrics.removeRegistry(registry);
        registry.close();
    }
}
