package dev.townhall.api;

import dev.townhall.ErrorCode;
import dev.townhall.SettingValues;
import dev.townhall.TownHallConfig;
import dev.townhall.TownHallException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How the HTTP service runs: where it listens, how long one request's statements may take, each key's rate limit and
 * the size of the request thread pool. Resolved flags first, then environment ({@code TOWNHALL_API_*}), then
 * {@code townhall.conf}, then defaults. Immutable; the {@code with…} methods return a changed copy.
 */
public final class ServerSettings {
    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_PORT = 7070;
    public static final long DEFAULT_STATEMENT_TIMEOUT_MS = 5_000;
    public static final int DEFAULT_RATE_PER_SECOND = 100;
    public static final int DEFAULT_RATE_BURST = 200;
    /**
     * Request threads. A request holds its thread while it waits for one of the application pool's connections
     * (8 by default), so a few times that keeps the pool busy without thousands of parked threads (Java 17 has no
     * virtual threads).
     */
    public static final int DEFAULT_THREADS = 32;
    /** Jetty keeps a few threads for accepting and selecting; fewer than this leaves none for requests. */
    private static final int MIN_THREADS = 8;
    /** Bind addresses that stand for every interface: no one name to allow for {@code /mcp}. */
    private static final Set<String> WILDCARD_BINDS = Set.of("0.0.0.0", "::", "[::]");
    /** The largest request body (1 MiB); a larger one is refused with 413 before it is read. */
    public static final int MAX_BODY_BYTES = 1 << 20;

    /** A setting: its {@code townhall.conf} key (also the flag's key) and its environment variable. */
    public enum Key implements SettingValues.Key {
        BIND("api.bind", "TOWNHALL_API_BIND"),
        PORT("api.port", "TOWNHALL_API_PORT"),
        STATEMENT_TIMEOUT_MS("api.statement_timeout_ms", "TOWNHALL_API_STATEMENT_TIMEOUT_MS"),
        RATE_PER_SECOND("api.rate_per_second", "TOWNHALL_API_RATE_PER_SECOND"),
        RATE_BURST("api.rate_burst", "TOWNHALL_API_RATE_BURST"),
        THREADS("api.threads", "TOWNHALL_API_THREADS"),
        MCP_ALLOWED_ORIGINS("api.mcp_allowed_origins", "TOWNHALL_API_MCP_ALLOWED_ORIGINS"),
        MCP_ALLOWED_HOSTS("api.mcp_allowed_hosts", "TOWNHALL_API_MCP_ALLOWED_HOSTS");

        private final String confKey;
        private final String variable;

        Key(String confKey, String variable) {
            this.confKey = confKey;
            this.variable = variable;
        }

        public String confKey() {
            return confKey;
        }

        public String variable() {
            return variable;
        }
    }

    private final String bind;
    private final int port;
    private final Duration statementTimeout;
    private final int ratePerSecond;
    private final int rateBurst;
    private final int threads;
    /** Empty: the loopback names at the served port. */
    private final List<String> mcpAllowedOrigins;
    private final List<String> mcpAllowedHosts;

    private ServerSettings(String bind, int port, Duration statementTimeout, int ratePerSecond, int rateBurst,
                           int threads, List<String> mcpAllowedOrigins, List<String> mcpAllowedHosts) {
        this.bind = bind;
        this.port = port;
        this.statementTimeout = statementTimeout;
        this.ratePerSecond = ratePerSecond;
        this.rateBurst = rateBurst;
        this.threads = threads;
        this.mcpAllowedOrigins = List.copyOf(mcpAllowedOrigins);
        this.mcpAllowedHosts = List.copyOf(mcpAllowedHosts);
    }

    /** The defaults: 127.0.0.1:7070, 5 s per statement, 100 requests per second per key (bursts of 200). */
    public static ServerSettings defaults() {
        return of(Map.of());
    }

    /** Resolves settings from flags (keyed by {@code townhall.conf} key), the environment and townhall.conf. */
    public static ServerSettings resolve(Map<String, String> flags) {
        return resolve(flags, System.getenv(), Path.of(TownHallConfig.CONFIG_FILE));
    }

    static ServerSettings resolve(Map<String, String> flags, Map<String, String> env, Path configFile) {
        return from(SettingValues.resolve(Key.class, flags, env, configFile));
    }

    private static ServerSettings from(SettingValues<Key> values) {
        return new ServerSettings(values.text(Key.BIND).orElse(DEFAULT_BIND),
                values.whole(Key.PORT, 0, 65_535, DEFAULT_PORT),
                values.millis(Key.STATEMENT_TIMEOUT_MS, DEFAULT_STATEMENT_TIMEOUT_MS),
                values.whole(Key.RATE_PER_SECOND, 1, 1_000_000, DEFAULT_RATE_PER_SECOND),
                values.whole(Key.RATE_BURST, 1, 1_000_000, DEFAULT_RATE_BURST),
                values.whole(Key.THREADS, MIN_THREADS, 1_000, DEFAULT_THREADS),
                commaList(values.text(Key.MCP_ALLOWED_ORIGINS)), commaList(values.text(Key.MCP_ALLOWED_HOSTS)));
    }

    private static List<String> commaList(Optional<String> text) {
        return text.stream().flatMap(t -> Arrays.stream(t.split(","))).map(String::strip).filter(s -> !s.isEmpty())
                .toList();
    }

    /** Settings from {@code values} alone (keyed by {@code townhall.conf} key), for embedders and tests. */
    public static ServerSettings of(Map<String, String> values) {
        return from(SettingValues.given(Key.class, values));
    }

    /** The address to listen on. */
    public String bind() {
        return bind;
    }

    /** The port to listen on; 0 picks a free one ({@link ApiServer#port()} says which). */
    public int port() {
        return port;
    }

    /** How long one statement of a request may run before PostgreSQL cancels it (503 {@code timeout}). */
    public Duration statementTimeout() {
        return statementTimeout;
    }

    /** Requests per second each key may make on average (the token bucket's refill rate). */
    public int ratePerSecond() {
        return ratePerSecond;
    }

    /** Requests a key may make at once after a quiet spell (the token bucket's size). */
    public int rateBurst() {
        return rateBurst;
    }

    /** The most request threads. */
    public int threads() {
        return threads;
    }

    /**
     * The {@code Origin} values a browser page may call {@code /mcp} from when the server listens on {@code servedPort}
     * ({@code api.mcp_allowed_origins}; {@code http://example.com:*} allows any port). By default the loopback names
     * at that port, and the bind address when it is a single other address. A request without {@code Origin} (not
     * from a browser page) is not refused for it.
     */
    public List<String> mcpAllowedOrigins(int servedPort) {
        return mcpAllowedOrigins.isEmpty()
                ? defaultMcpHosts(servedPort).stream().map(host -> "http://" + host).toList() : mcpAllowedOrigins;
    }

    /**
     * The {@code Host} values {@code /mcp} answers when the server listens on {@code servedPort}
     * ({@code api.mcp_allowed_hosts}; {@code example.com:*} allows any port), so a DNS name rebound to this machine
     * cannot reach it. By default the loopback names at that port, and the bind address when it is a single other
     * address; a server on {@code 0.0.0.0} reached by its own names needs them listed here.
     */
    public List<String> mcpAllowedHosts(int servedPort) {
        return mcpAllowedHosts.isEmpty() ? defaultMcpHosts(servedPort) : mcpAllowedHosts;
    }

    private List<String> defaultMcpHosts(int servedPort) {
        Set<String> hosts = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "[::1]"));
        if (!WILDCARD_BINDS.contains(bind)) {
            hosts.add(bind.contains(":") && !bind.startsWith("[") ? "[" + bind + "]" : bind);
        }
        return hosts.stream().map(host -> host + ":" + servedPort).toList();
    }

    public ServerSettings withBind(String address) {
        return new ServerSettings(address, port, statementTimeout, ratePerSecond, rateBurst, threads, mcpAllowedOrigins,
                mcpAllowedHosts);
    }

    public ServerSettings withPort(int newPort) {
        if (newPort < 0 || newPort > 65_535) {
            throw new TownHallException(ErrorCode.CONFIG, "--port must be 0 to 65535, got " + newPort);
        }
        return new ServerSettings(bind, newPort, statementTimeout, ratePerSecond, rateBurst, threads, mcpAllowedOrigins,
                mcpAllowedHosts);
    }

    public ServerSettings withStatementTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new TownHallException(ErrorCode.CONFIG, Key.STATEMENT_TIMEOUT_MS.confKey
                    + " must be positive, got " + timeout.toMillis() + " ms");
        }
        return new ServerSettings(bind, port, timeout, ratePerSecond, rateBurst, threads, mcpAllowedOrigins,
                mcpAllowedHosts);
    }

    public ServerSettings withRateLimit(int perSecond, int burst) {
        if (perSecond < 1 || burst < 1) {
            throw new TownHallException(ErrorCode.CONFIG, Key.RATE_PER_SECOND.confKey + " and " + Key.RATE_BURST.confKey
                    + " must be at least 1, got " + perSecond + " and " + burst);
        }
        return new ServerSettings(bind, port, statementTimeout, perSecond, burst, threads, mcpAllowedOrigins,
                mcpAllowedHosts);
    }

    @Override
    public String toString() {
        return "ServerSettings[" + bind + ":" + port + ", statement timeout " + statementTimeout.toMillis() + " ms, "
                + ratePerSecond + "/s per key (burst " + rateBurst + "), " + threads + " threads]";
    }
}
