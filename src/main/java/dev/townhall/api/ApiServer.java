package dev.townhall.api;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.api.internal.JsonErrorHandler;
import dev.townhall.api.internal.McpRoutes;
import dev.townhall.api.internal.Pipeline;
import dev.townhall.api.internal.RecordRoutes;
import dev.townhall.api.internal.RouteTable;
import dev.townhall.api.internal.SchemaFacts;
import dev.townhall.api.internal.ServerMetrics;
import dev.townhall.api.internal.ServiceRoutes;
import dev.townhall.api.internal.SystemRoutes;
import dev.townhall.api.internal.TokenBuckets;
import dev.townhall.db.Database;
import dev.townhall.mcp.McpHttpEndpoint;
import dev.townhall.mcp.McpServices;
import dev.townhall.records.Records;
import dev.townhall.search.Search;
import dev.townhall.towns.Towns;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.net.BindException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * TownHall's HTTP service: the JSON API under {@code /api/v1} (docs/api.md), the console at {@code /}, the OpenAPI
 * contract ({@code /openapi.json}, {@code /api-docs}), {@code /health}, {@code /metrics} and the MCP tools over
 * streamable HTTP at {@code /mcp} ({@link McpHttpEndpoint}), on Javalin (Jetty 12).
 * The server uses the services it is given and closes none of them; {@link #close()} stops only the server.
 */
public final class ApiServer implements AutoCloseable {
    /** The classpath folder the console is served from, at {@code /}. */
    public static final String CONSOLE_RESOURCES = "/console";
    /** Threads kept even when idle: enough for a burst without starting threads per request. */
    private static final int MIN_IDLE_THREADS = 8;
    private static final int IDLE_THREAD_TIMEOUT_MS = 60_000;

    /** One registered route: its method, its path template ({@code /api/v1/companies/{id}}) and whether it needs a key. */
    public record Route(String method, String path, boolean needsKey) {
    }

    private final Javalin app;
    private final ServerMetrics metrics;
    private final McpHttpEndpoint mcp;
    private final List<Route> routes;
    private final String host;

    private ApiServer(Javalin app, ServerMetrics metrics, McpHttpEndpoint mcp, List<Route> routes, String host) {
        this.app = app;
        this.metrics = metrics;
        this.mcp = mcp;
        this.routes = List.copyOf(routes);
        this.host = host;
    }

    /**
     * Starts the server on {@code settings}' address and port (port 0: any free one). {@code db} is the database
     * {@code towns} works in; {@code /health} and {@code /migrations} read its schema history.
     */
    public static ApiServer start(Database db, Towns towns, ApiKeys keys, Records records, Search search,
                                  ServerSettings settings) {
        QueuedThreadPool threads = new QueuedThreadPool(settings.threads(), Math.min(MIN_IDLE_THREADS,
                settings.threads()), IDLE_THREAD_TIMEOUT_MS);
        threads.setName("townhall-http");
        ServerMetrics metrics = new ServerMetrics(threads);
        McpHttpEndpoint mcp = McpHttpEndpoint.create(new McpServices(towns, records, search,
                settings.statementTimeout()), settings);
        try {
            SchemaFacts schema = SchemaFacts.of(db);
            Pipeline pipeline = new Pipeline(keys, TokenBuckets.of(settings.ratePerSecond(), settings.rateBurst()),
                    settings.statementTimeout(), metrics);
            List<Route> routes = new ArrayList<>();
            Javalin app = Javalin.create(config -> {
                config.startup.showJavalinBanner = false;
                config.startup.showOldJavalinVersionWarning = false;
                config.jetty.host = settings.bind();
                config.jetty.port = settings.port();
                config.jetty.threadPool = threads;
                config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
                // Jetty caches header fields per connection and, by default, matches their values ignoring case: a
                // key that differs from an earlier one on the same connection only in case would be read as that one
                config.jetty.modifyHttpConfiguration(http -> http.setHeaderCacheCaseSensitive(true));
                config.http.maxRequestSize = ServerSettings.MAX_BODY_BYTES;
                config.staticFiles.add(files -> {
                    files.hostedPath = "/";
                    files.directory = CONSOLE_RESOURCES;
                    files.location = Location.CLASSPATH;
                    files.headers = Map.of("X-Content-Type-Options", "nosniff");
                });
                config.routes.exception(Exception.class, pipeline::onException);
                errorStatuses().forEach(status -> config.routes.error(status, pipeline::onErrorStatus));
                config.requestLogger.http(pipeline::onRequestDone);
                RouteTable table = new RouteTable(config.routes, pipeline);
                SystemRoutes.register(table, schema, metrics);
                ServiceRoutes.register(table, towns, search, schema);
                RecordRoutes.register(table, records);
                McpRoutes.register(table, mcp);
                routes.addAll(table.routes());
            });
            app.start();
            return new ApiServer(app, metrics, mcp, routes, settings.bind());
        } catch (RuntimeException e) {
            mcp.close();
            metrics.close();
            if (hasCause(e, BindException.class)) {
                throw new TownHallException(ErrorCode.PORT_IN_USE, "cannot listen on " + settings.bind() + ":"
                        + settings.port() + " (" + rootMessage(e) + "); choose another with --port", e);
            }
            throw e;
        }
    }

    /** The port the server listens on (the one chosen when the settings said 0). */
    public int port() {
        return app.port();
    }

    /** The server's base URL, {@code http://host:port/} (the console). */
    public String url() {
        String shown = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host.contains(":") ? "[" + host + "]"
                : host;
        return "http://" + shown + ":" + port() + "/";
    }

    /** Every route the server registered, in registration order (static console files are not routes). */
    public List<Route> routes() {
        return routes;
    }

    /** Stops accepting requests, lets running ones finish, and stops the server. Safe to call twice. */
    @Override
    public void close() {
        mcp.close();
        app.stop();
        metrics.close();
    }

    /** Every status of the error model, and 405: the statuses Javalin may answer with on its own. */
    private static Set<Integer> errorStatuses() {
        Set<Integer> statuses = new TreeSet<>(List.of(405));
        for (ErrorCode code : ErrorCode.values()) {
            statuses.add(code.httpStatus());
        }
        return statuses;
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage());
    }
}
