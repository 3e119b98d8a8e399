package dev.townhall.bench;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.api.Caller;
import dev.townhall.db.Database;
import dev.townhall.db.LocalCluster;
import dev.townhall.db.Pools;
import dev.townhall.db.ScratchDatabase;
import dev.townhall.mcp.McpServices;
import dev.townhall.mcp.McpStdioServer;
import dev.townhall.mcp.StreamClientTransport;
import dev.townhall.schema.Migrator;
import dev.townhall.search.EmbeddingProvider;
import dev.townhall.search.EmbeddingProviders;
import dev.townhall.search.EmbeddingSettings;
import dev.townhall.search.Search;
import dev.townhall.search.SearchMode;
import dev.townhall.search.SearchRequest;
import dev.townhall.search.SearchType;
import dev.townhall.towns.Towns;
import com.zaxxer.hikari.HikariDataSource;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import org.jdbi.v3.core.Jdbi;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Tool-call latency of the MCP server: {@code search_memory} (hybrid, 10 hits) and {@code get_record} (a contact by
 * id), each asked by the SDK's own client over stdio and over streamable HTTP, beside what the tool does without MCP
 * (the service call in the key's context) and, for the point read, direct JDBC as the owner with the town filter
 * written by hand, at 1 and 8 concurrent clients, in one run on the {@code bench api} corpus.
 *
 * <p>The stdio server runs in this process on OS pipes, one server per client as an assistant starts one
 * {@code ./townhall mcp} each: the framing, JSON and SDK are the real ones, the process boundary is not measured.
 * Every MCP call also appends its audit row (a write transaction of its own), which the service path does not.
 */
public final class McpBenchmark {
    private static final String SCRATCH = "townhall_bench_mcp";
    public static final List<Integer> CLIENTS = List.of(1, 8);
    public static final int SEARCH_LIMIT = 10;
    private static final int JDBC_POOL_SIZE = 8;
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(60);

    /** What is asked. */
    public enum Tool {
        SEARCH_MEMORY("search_memory", "search_memory (hybrid, " + SEARCH_LIMIT + " hits)"),
        GET_RECORD("get_record", "get_record (a contact)");

        private final String key;
        private final String label;

        Tool(String key, String label) {
            this.key = key;
            this.label = label;
        }

        public String key() {
            return key;
        }

        public String label() {
            return label;
        }
    }

    /** How it is asked. */
    public enum Path {
        MCP_STDIO("mcp_stdio", "MCP over stdio (SDK client, pipes)"),
        MCP_HTTP("mcp_http", "MCP over streamable HTTP (SDK client, key per request)"),
        SERVICE("service", "the service in the key's context, no MCP"),
        DIRECT_JDBC("direct_jdbc", "direct JDBC (owner, town filter)");

        private final String key;
        private final String label;

        Path(String key, String label) {
            this.key = key;
            this.label = label;
        }

        public String key() {
            return key;
        }

        public String label() {
            return label;
        }

        /** Search's SQL needs the town context, so it has no owner path. */
        public boolean asks(Tool tool) {
            return !(this == DIRECT_JDBC && tool == Tool.SEARCH_MEMORY);
        }
    }

    /** One measurement: a tool asked one way by this many concurrent clients. */
    public record Line(Tool tool, Path path, int clients, LoadGenerator.Result result) {
    }

    /** Everything one run measured. */
    public record Report(long contacts, int notes, int cores, String plan, Map<String, Object> planParameters,
                         List<Line> lines) {
        public Optional<Line> line(Tool tool, Path path, int clients) {
            return lines.stream().filter(l -> l.tool() == tool && l.path() == path && l.clients() == clients)
                    .findFirst();
        }

        /** What {@code path} adds to {@code tool}'s p50 over the service call, at 1 client. */
        public double overheadMs(Tool tool, Path path) {
            return p50(tool, path) - p50(tool, Path.SERVICE);
        }

        private double p50(Tool tool, Path path) {
            return line(tool, path, 1).map(l -> l.result().p50Ms()).orElse(Double.NaN);
        }

        /** Failed calls over the whole run; a run with any is not a valid measurement. */
        public long errors() {
            return lines.stream().mapToLong(l -> l.result().errors()).sum();
        }

        public Figures figures() {
            Map<String, Object> parameters = new LinkedHashMap<>(planParameters);
            parameters.put("contacts", contacts);
            parameters.put("notes", notes);
            parameters.put("cores", cores);
            Figures f = Figures.of("mcp", parameters);
            for (Line l : lines) {
                Map<String, Object> where = Map.of("tool", l.tool().key(), "path", l.path().key(), "clients", l.clients());
                LoadGenerator.Result r = l.result();
                f.add("calls_per_second", "calls/s", r.requestsPerSecond(), where);
                f.add("latency_p50", "ms", r.p50Ms(), where);
                f.add("latency_p99", "ms", r.p99Ms(), where);
                f.add("calls", "calls", r.requests(), where);
                f.add("errors", "calls", r.errors(), where);
            }
            for (Tool tool : Tool.values()) {
                for (Path path : List.of(Path.MCP_STDIO, Path.MCP_HTTP)) {
                    f.add("p50_overhead_over_service", "ms", overheadMs(tool, path),
                            Map.of("tool", tool.key(), "path", path.key(), "clients", 1));
                }
            }
            return f;
        }
    }

    private final LocalCluster cluster;

    private McpBenchmark(LocalCluster cluster) {
        this.cluster = cluster;
    }

    public static McpBenchmark on(Database db) {
        return new McpBenchmark(ScratchDatabase.clusterOf(db, "bench mcp"));
    }

    /** Loads about {@code contacts} contacts, starts the server and measures every tool, path and client count. */
    public Report run(int contacts, LoadGenerator.Plan plan, Consumer<String> log) {
        if (contacts < ApiBenchmark.MIN_CONTACTS || contacts > ApiBenchmark.MAX_CONTACTS) {
            throw new TownHallException(ErrorCode.INVALID_INPUT, String.format("--contacts must be between %,d and %,d,"
                    + " got %,d", ApiBenchmark.MIN_CONTACTS, ApiBenchmark.MAX_CONTACTS, contacts));
        }
        Database scratch = ScratchDatabase.fresh(cluster, SCRATCH);
        try {
            log.accept("migrating the scratch database " + SCRATCH);
            Migrator.as(scratch.owner()).migrate(null);
            try (EmbeddingProvider provider = EmbeddingProviders.create(EmbeddingSettings.of(Map.of()));
                 Towns towns = Towns.open(scratch);
                 HikariDataSource ownerPool = Pools.open(scratch.owner(), JDBC_POOL_SIZE)) {
                ApiCorpus.Loaded loaded = ApiCorpus.load(scratch, towns, provider, contacts, log);
                Search search = Search.with(provider);
                try (ServerLog serverLog = new ServerLog(); ApiTarget target = ApiTarget.start(scratch, towns, search)) {
                    Callers callers = new Callers(target, towns, search, Jdbi.create(ownerPool), loaded);
                    callers.checkAgreement();
                    log.accept("warming up: every tool and path once at " + CLIENTS.get(CLIENTS.size() - 1)
                            + " clients, not reported");
                    for (Tool tool : Tool.values()) {
                        for (Path path : Path.values()) {
                            if (path.asks(tool)) {
                                LoadGenerator.run(CLIENTS.get(CLIENTS.size() - 1), callers.clients(tool, path), plan);
                            }
                        }
                    }
                    List<Line> lines = new ArrayList<>();
                    for (Tool tool : Tool.values()) {
                        for (int clients : CLIENTS) {
                            for (Path path : Path.values()) {
                                if (path.asks(tool)) {
                                    log.accept(String.format("%s, %s, %d client%s", tool.label(), path.label(), clients,
                                            clients == 1 ? "" : "s"));
                                    lines.add(new Line(tool, path, clients,
                                            LoadGenerator.run(clients, callers.clients(tool, path), plan)));
                                }
                            }
                        }
                    }
                    return new Report(loaded.contacts(), loaded.notes(), Runtime.getRuntime().availableProcessors(),
                            plan.describe(), plan.parameters(), lines);
                }
            }
        } catch (SQLException | IOException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "bench mcp failed: " + e.getMessage(), e);
        } finally {
            ScratchDatabase.drop(cluster, SCRATCH);
        }
    }

    /** The clients of every tool and path, and what they share: the key's caller, the contacts, the searches. */
    private static final class Callers {
        private final ApiTarget target;
        private final Towns towns;
        private final Search search;
        private final Jdbi owner;
        private final UUID town;
        private final List<UUID> ids;
        private final Caller caller;

        Callers(ApiTarget target, Towns towns, Search search, Jdbi owner, ApiCorpus.Loaded loaded) {
            this.target = target;
            this.towns = towns;
            this.search = search;
            this.owner = owner;
            this.town = loaded.town().id();
            this.ids = loaded.contactIds();
            this.caller = target.authenticate();
        }

        /** Every path answers the same contact, or the comparison would be meaningless. */
        void checkAgreement() throws SQLException {
            UUID id = ids.get(0);
            for (Path path : List.of(Path.MCP_STDIO, Path.MCP_HTTP)) {
                try (McpConnection c = connect(path)) {
                    McpSchema.CallToolResult result = c.call(Tool.GET_RECORD.key(),
                            Map.of("type", "contact", "id", id.toString()));
                    String text = ((McpSchema.TextContent) result.content().get(0)).text();
                    if (!text.contains(id.toString())) {
                        throw new TownHallException(ErrorCode.INTERNAL, "bench mcp: get_record over " + path.label()
                                + " did not answer contact " + id + ": " + text);
                    }
                }
            }
            int direct = owner.inTransaction(h -> ApiBenchmark.readAll(h, target.pointSql(true), List.of(town, id)));
            if (direct != 1) {
                throw new TownHallException(ErrorCode.INTERNAL, "bench mcp: direct JDBC found " + direct
                        + " rows for contact " + id);
            }
        }

        IntFunction<LoadGenerator.Client> clients(Tool tool, Path path) {
            return worker -> {
                Rotation rotation = new Rotation(worker);
                return switch (path) {
                    case MCP_STDIO, MCP_HTTP -> {
                        McpConnection c = connect(path);
                        yield new LoadGenerator.Client() {
                            @Override
                            public void request() {
                                c.call(tool.key(), arguments(tool, rotation));
                            }

                            @Override
                            public void close() {
                                c.close();
                            }
                        };
                    }
                    case SERVICE -> tool == Tool.GET_RECORD
                            ? () -> target.read(caller, rotation.next(ids))
                            : () -> search.search(caller.context(), new SearchRequest(
                                    rotation.next(ApiBenchmark.SEARCHES), SearchType.parseList(null), SearchMode.HYBRID,
                                    SEARCH_LIMIT));
                    case DIRECT_JDBC -> {
                        String sql = target.pointSql(true);
                        yield () -> owner.inTransaction(h ->
                                ApiBenchmark.readAll(h, sql, List.of(town, rotation.next(ids))));
                    }
                };
            };
        }

        private Map<String, Object> arguments(Tool tool, Rotation rotation) {
            return switch (tool) {
                case GET_RECORD -> Map.of("type", "contact", "id", rotation.next(ids).toString());
                case SEARCH_MEMORY -> Map.of("query", rotation.next(ApiBenchmark.SEARCHES), "mode", "hybrid",
                        "limit", SEARCH_LIMIT);
            };
        }

        private McpConnection connect(Path path) {
            return path == Path.MCP_STDIO ? McpConnection.stdio(caller, target.mcpServices(towns, search))
                    : McpConnection.http(target.url(), target.key());
        }
    }

    /** One client of the SDK, initialised, and the stdio server it talks to (none over HTTP). */
    private record McpConnection(McpSyncClient client, Optional<McpStdioServer> server) implements AutoCloseable {
        static McpConnection stdio(Caller caller, McpServices services) {
            try {
                Pipe toServer = Pipe.open();
                Pipe fromServer = Pipe.open();
                McpStdioServer server = McpStdioServer.start(caller, services, Channels.newInputStream(toServer.source()),
                        Channels.newOutputStream(fromServer.sink()));
                return open(new StreamClientTransport(Channels.newInputStream(fromServer.source()),
                        Channels.newOutputStream(toServer.sink()), line -> { }), Optional.of(server));
            } catch (IOException e) {
                throw new TownHallException(ErrorCode.INTERNAL, "bench mcp: no pipe for a stdio server: " + e.getMessage(), e);
            }
        }

        static McpConnection http(String url, String key) {
            return open(HttpClientStreamableHttpTransport.builder(url).endpoint("/mcp")
                    .httpRequestCustomizer((request, method, uri, body, context) ->
                            request.header("Authorization", "Bearer " + key))
                    .build(), Optional.empty());
        }

        private static McpConnection open(McpClientTransport transport, Optional<McpStdioServer> server) {
            McpSyncClient client = McpClient.sync(transport).requestTimeout(CLIENT_TIMEOUT).build();
            client.initialize();
            return new McpConnection(client, server);
        }

        /** Calls {@code tool}; a tool error is a failed call. */
        McpSchema.CallToolResult call(String tool, Map<String, Object> arguments) {
            McpSchema.CallToolResult result = client.callTool(McpSchema.CallToolRequest.builder(tool)
                    .arguments(arguments).build());
            if (Boolean.TRUE.equals(result.isError())) {
                throw new IllegalStateException(tool + " answered a tool error: " + result.content());
            }
            return result;
        }

        @Override
        public void close() {
            client.closeGracefully();
            server.ifPresent(McpStdioServer::close);
        }
    }
}
