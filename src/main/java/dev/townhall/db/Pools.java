package dev.townhall.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import com.zaxxer.hikari.pool.HikariPool;
import io.micrometer.core.instrument.Metrics;

/**
 * Connection pools (HikariCP) for a login; the pool name says which role it serves, never its password. Every pool
 * reports its usage to Micrometer's global registry, which costs nothing until a registry joins it (the HTTP
 * server's {@code /metrics} does).
 */
public final class Pools {
    private static final int DEFAULT_MAX_POOL_SIZE = 8;
    private static final long CONNECT_TIMEOUT_MS = 10_000;

    private Pools() {
    }

    /** A pool of up to {@code maxSize} connections to {@code endpoint}; fails fast with a one-line error. */
    public static HikariDataSource open(Endpoint endpoint, int maxSize) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("townhall-" + endpoint.user());
        config.setJdbcUrl(endpoint.jdbcUrl());
        config.setUsername(endpoint.user());
        config.setPassword(endpoint.password());
        config.setMaximumPoolSize(maxSize);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(CONNECT_TIMEOUT_MS);
        config.addDataSourceProperty("ApplicationName", "townhall");
        config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(Metrics.globalRegistry));
        try {
            return new HikariDataSource(config);
        } catch (HikariPool.PoolInitializationException e) {
            if (e.getCause() instanceof java.sql.SQLException sql) {
                throw endpoint.connectFailure(sql);
            }
            throw e;
        }
    }

    public static HikariDataSource open(Endpoint endpoint) {
        return open(endpoint, DEFAULT_MAX_POOL_SIZE);
    }
}
