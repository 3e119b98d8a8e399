package dev.townhall.bench;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.api.Caller;
import dev.townhall.db.Database;
import dev.townhall.db.LocalCluster;
import dev.townhall.db.Pools;
import dev.townhall.db.ScratchDatabase;
import dev.townhall.schema.Migrator;
import dev.townhall.search.EmbeddingProvider;
import dev.townhall.search.EmbeddingProviders;
import dev.townhall.search.EmbeddingSettings;
import dev.townhall.search.Search;
import dev.townhall.search.SearchMode;
import dev.townhall.search.SearchRequest;
import dev.townhall.search.SearchType;
import dev.townhall.towns.TownContext;
import dev.townhall.towns.Towns;
import com.zaxxer.hikari.HikariDataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * The REST API under load, beside the same queries over JDBC in the same run: a point read, a page of 50 contacts
 * (the first, and a later one by cursor) and a hybrid search, each at 1, 16 and 64 concurrent connections on
 * loopback. Three paths: HTTP (the server in this process, a key, a town context per request, JSON), the app role
 * in a {@link TownContext} transaction (the same SQL through a pool, no HTTP; for search, {@link Search} in
 * process), and direct JDBC as the owner with the town filter written by hand. So the table shows what the town
 * context adds to plain SQL, and what HTTP, the key and JSON add on top. Client and server share the machine's
 * cores.
 */
public final class ApiBenchmark {
    private static final String SCRATCH = "townhall_bench_api";
    static final int MIN_CONTACTS = 400;
    static final int MAX_CONTACTS = 1_000_000;
    public static final List<Integer> CONNECTIONS = List.of(1, 16, 64);
    public static final int PAGE_SIZE = 50;
    /** The page read by cursor: far enough that a cursor is followed, not so far that a small run lacks it. */
    public static final int LATER_PAGE = 20;
    public static final int SEARCH_LIMIT = 10;
    /** Connections of the warm-up round that runs every query and path once before anything is measured. */
    static final int WARM_UP_CONNECTIONS = 16;
    /** The aim: HTTP, the key and the town context add at most this to a point read's p50 (1 connection) … */
    public static final double AIM_OVERHEAD_MS = 1.0;
    /** … and the API answers at least this many point reads per second at {@link #AIM_CONNECTIONS} connections. */
    public static final double AIM_POINT_READS_PER_SECOND = 3_000;
    public static final int AIM_CONNECTIONS = 16;
    /** Connections of each JDBC path's pool: the size of the application pool the server's {@link Towns} opens. */
    private static final int JDBC_POOL_SIZE = 8;
    /** What the hybrid searches ask, in turn (bench mcp asks the same). */
    static final List<String> SEARCHES = List.of("discount on the renewal contract",
            "overdue invoice still outstanding", "worried about the timeline of the data migration",
            "security questionnaire from their legal team", "met at the trade fair, interested in a pilot",
            "send the revised pricing proposal");

    /** What is asked. */
    public enum Query {
        POINT_READ("point_read", "point read", "GET /api/v1/contacts/{id}"),
        LIST_PAGE("list_page", "list: first page of 50", "GET /api/v1/contacts?sort=id&limit=50"),
        LIST_LATER_PAGE("list_later_page", "list: page " + LATER_PAGE + " of 50, by cursor",
                "GET /api/v1/contacts?sort=id&limit=50&cursor=…"),
        HYBRID_SEARCH("hybrid_search", "hybrid search", "GET /api/v1/search?q=…&mode=hybrid&limit=" + SEARCH_LIMIT);

        private final String key;
        private final String label;
        private final String route;

        Query(String key, String label, String route) {
            this.key = key;
            this.label = label;
            this.route = route;
        }

        public String key() {
            return key;
        }

        public String label() {
            return label;
        }

        public String route() {
            return route;
        }
    }

    /** How it is asked. */
    public enum Path {
        HTTP("http", "HTTP API (key, town context, JSON)"),
        APP_JDBC("app_jdbc", "app role in town context (JDBC)"),
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

        /** Whether {@code query} is asked this way: search's SQL needs the town context, so it has no owner path. */
        public boolean asks(Query query) {
            return !(this == DIRECT_JDBC && query == Query.HYBRID_SEARCH);
        }
    }

    /**
     * The parts of a point read over HTTP, each timed alone at 1 connection, to show where its time goes: the key
     * lookup every request starts with, and the records service's read in the key's context without HTTP.
     */
    public enum Step {
        KEY_LOOKUP("key_lookup", "key lookup (ApiKeys.authenticate: one query, hash check)"),
        SERVICE_READ("service_read", "Records.get in the key's context (role cap, statement timeout), no HTTP");

        private final String key;
        private final String label;

        Step(String key, String label) {
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

    /** One measurement: a query asked one way at one concurrency. */
    public record Line(Query query, Path path, int connections, LoadGenerator.Result result) {
    }

    /** Everything one run measured. */
    public record Report(long contacts, int notes, int cores, String plan, Map<String, Object> planParameters,
                         List<Line> lines, Map<Step, LoadGenerator.Result> steps) {
        public Optional<Line> line(Query query, Path path, int connections) {
            return lines.stream().filter(l -> l.query() == query && l.path() == path && l.connections() == connections)
                    .findFirst();
        }

        /** What HTTP, the key and the town context add to a point read's p50 over direct JDBC, at 1 connection. */
        public double pointReadOverheadMs() {
            return p50(Path.HTTP) - p50(Path.DIRECT_JDBC);
        }

        /** What HTTP, the key and JSON add to a point read's p50 over the same read in a town context, at 1 connection. */
        public double pointReadHttpOverheadMs() {
            return p50(Path.HTTP) - p50(Path.APP_JDBC);
        }

        /** A point read's HTTP p50 less its key lookup and service read, each timed alone: what HTTP itself costs. */
        public double restOfHttpMs() {
            return p50(Path.HTTP) - steps.get(Step.KEY_LOOKUP).p50Ms() - steps.get(Step.SERVICE_READ).p50Ms();
        }

        private double p50(Path path) {
            return line(Query.POINT_READ, path, 1).map(l -> l.result().p50Ms()).orElse(Double.NaN);
        }

        /** Point reads per second over HTTP at {@link #AIM_CONNECTIONS} connections. */
        public double pointReadsPerSecond() {
            return line(Query.POINT_READ, Path.HTTP, AIM_CONNECTIONS).map(l -> l.result().requestsPerSecond())
                    .orElse(Double.NaN);
        }

        public boolean overheadAimMet() {
            return pointReadOverheadMs() <= AIM_OVERHEAD_MS;
        }

        public boolean throughputAimMet() {
            return pointReadsPerSecond() >= AIM_POINT_READS_PER_SECOND;
        }

        /** Failed requests over the whole run, steps included; a run with any is not a valid measurement. */
        public long errors() {
            return lines.stream().mapToLong(l -> l.result().errors()).sum()
                    + steps.values().stream().mapToLong(LoadGenerator.Result::errors).sum();
        }

        public Figures figures() {
            Map<String, Object> parameters = new LinkedHashMap<>(planParameters);
            parameters.put("contacts", contacts);
            parameters.put("notes", notes);
            parameters.put("cores", cores);
            Figures f = Figures.of("api", parameters);
            for (Line l : lines) {
                Map<String, Object> where = Map.of("query", l.query().key(), "path", l.path().key(),
                        "connections", l.connections());
                LoadGenerator.Result r = l.result();
                f.add("requests_per_second", "requests/s", r.requestsPerSecond(), where);
                f.add("latency_p50", "ms", r.p50Ms(), where);
                f.add("latency_p99", "ms", r.p99Ms(), where);
                f.add("requests", "requests", r.requests(), where);
                f.add("errors", "requests", r.errors(), where);
            }
            steps.forEach((step, r) -> {
                Map<String, Object> where = Map.of("step", step.key(), "connections", 1);
                f.add("point_read_step_p50", "ms", r.p50Ms(), where);
                f.add("errors", "requests", r.errors(), where);
            });
            f.add("point_read_p50_overhead", "ms", pointReadOverheadMs(), Map.of("connections", 1,
                    "over", Path.DIRECT_JDBC.key()));
            f.add("point_read_p50_overhead", "ms", pointReadHttpOverheadMs(), Map.of("connections", 1,
                    "over", Path.APP_JDBC.key()));
            f.add("point_read_p50_http_itself", "ms", restOfHttpMs(), Map.of("connections", 1));
            return f;
        }
    }

    private final LocalCluster cluster;

    private ApiBenchmark(LocalCluster cluster) {
        this.cluster = cluster;
    }

    public static ApiBenchmark on(Database db) {
        return new ApiBenchmark(ScratchDatabase.clusterOf(db, "bench api"));
    }

    /**
     * Loads about {@code contacts} contacts, starts the server on a free loopback port and measures every query, path
     * and concurrency with {@code plan}, interleaving the paths at each concurrency so they see the same machine.
     */
    public Report run(int contacts, LoadGenerator.Plan plan, Consumer<String> log) {
        if (contacts < MIN_CONTACTS || contacts > MAX_CONTACTS) {
            throw new TownHallException(ErrorCode.INVALID_INPUT, String.format(
                    "--contacts must be between %,d and %,d, got %,d", MIN_CONTACTS, MAX_CONTACTS, contacts));
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
                    Askers askers = new Askers(target, towns.as(loaded.user(), loaded.town().id()), search,
                            Jdbi.create(ownerPool), loaded);
                    askers.checkAgreement();
                    // the JIT compiles the server's and the drivers' hot paths over several seconds; measured cold,
                    // the first lines would report the compiler, not the request path
                    log.accept("warming up: every query and path once at " + WARM_UP_CONNECTIONS
                            + " connections, not reported");
                    for (Query query : Query.values()) {
                        for (Path path : Path.values()) {
                            if (path.asks(query)) {
                                LoadGenerator.run(WARM_UP_CONNECTIONS, askers.clients(query, path), plan);
                            }
                        }
                    }
                    List<Line> lines = new ArrayList<>();
                    for (Query query : Query.values()) {
                        for (int connections : CONNECTIONS) {
                            for (Path path : Path.values()) {
                                if (path.asks(query)) {
                                    log.accept(String.format("%s, %s, %d connection%s", query.label(), path.label(),
                                            connections, connections == 1 ? "" : "s"));
                                    lines.add(new Line(query, path, connections, LoadGenerator.run(connections,
                                            askers.clients(query, path), plan)));
                                }
                            }
                        }
                    }
                    Map<Step, LoadGenerator.Result> steps = new LinkedHashMap<>();
                    for (Step step : Step.values()) {
                        log.accept("point read, 1 connection, alone: " + step.label());
                        steps.put(step, LoadGenerator.run(1, askers.step(step), plan));
                    }
                    return new Report(loaded.contacts(), loaded.notes(), Runtime.getRuntime().availableProcessors(),
                            plan.describe(), plan.parameters(), lines, steps);
                }
            }
        } catch (SQLException | IOException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "bench api failed: " + e.getMessage(), e);
        } finally {
            ScratchDatabase.drop(cluster, SCRATCH);
        }
    }

    /**
     * The clients of every query and path, and what they share: the contacts to read by id, the cursor of the later
     * page and where its SQL continues, the search texts.
     */
    private static final class Askers {
        private final ApiTarget target;
        private final TownContext context;
        private final Search search;
        private final Jdbi owner;
        private final UUID town;
        private final List<UUID> ids;
        private final String cursor;
        /** The last contact before the later page: where its SQL continues. */
        private final UUID afterId;

        Askers(ApiTarget target, TownContext context, Search search, Jdbi owner, ApiCorpus.Loaded loaded)
                throws IOException {
            this.target = target;
            this.context = context;
            this.search = search;
            this.owner = owner;
            this.town = loaded.town().id();
            this.ids = loaded.contactIds();
            try (ApiConnection c = target.connect()) {
                ApiTarget.Page page = null;
                for (int p = 1; p < LATER_PAGE; p++) {
                    ApiTarget.Page next = target.page(c, page == null ? null : page.cursor(), PAGE_SIZE);
                    if (next.cursor() == null) {
                        break;
                    }
                    page = next;
                }
                if (page == null) {
                    throw new TownHallException(ErrorCode.INTERNAL, "bench api: the acting town has a single page of"
                            + " contacts; load more with --contacts");
                }
                this.cursor = page.cursor();
                this.afterId = page.ids().get(page.ids().size() - 1);
            }
        }

        /** The same rows both ways, or the comparison would be meaningless. */
        void checkAgreement() throws IOException, SQLException {
            try (ApiConnection c = target.connect()) {
                compare("the first page", target.page(c, null, PAGE_SIZE).ids(),
                        context.inTransaction(h -> ids(h, target.listSql(false), List.of())));
                compare("page " + LATER_PAGE, target.page(c, cursor, PAGE_SIZE).ids(),
                        owner.inTransaction(h -> ids(h, target.laterPageSql(true), List.of(town, afterId))));
                compare("a point read", List.of(target.row(c, ids.get(0))),
                        context.inTransaction(h -> ids(h, target.pointSql(false), List.of(ids.get(0)))));
            }
        }

        /** The API's rows against the SQL's, which reads one row more to know whether a next page exists. */
        private static void compare(String what, List<UUID> http, List<UUID> jdbc) {
            if (!http.equals(jdbc.subList(0, Math.min(jdbc.size(), PAGE_SIZE)))) {
                throw new TownHallException(ErrorCode.INTERNAL, "bench api: " + what + " over HTTP (" + http.size()
                        + " rows) differs from the same query over JDBC (" + jdbc.size() + " rows); the comparison"
                        + " would be meaningless");
            }
        }

        IntFunction<LoadGenerator.Client> clients(Query query, Path path) {
            return worker -> switch (path) {
                case HTTP -> http(query, worker);
                case APP_JDBC -> jdbc(query, worker, false);
                case DIRECT_JDBC -> jdbc(query, worker, true);
            };
        }

        IntFunction<LoadGenerator.Client> step(Step step) {
            Caller caller = target.authenticate();
            return worker -> {
                Rotation rotation = new Rotation(worker);
                return switch (step) {
                    case KEY_LOOKUP -> target::authenticate;
                    case SERVICE_READ -> () -> target.read(caller, rotation.next(ids));
                };
            };
        }

        private LoadGenerator.Client http(Query query, int worker) {
            ApiConnection c = target.connect();
            Rotation rotation = new Rotation(worker);
            String later = "/api/v1/contacts?sort=id&limit=" + PAGE_SIZE + "&cursor=" + encode(cursor);
            String first = "/api/v1/contacts?sort=id&limit=" + PAGE_SIZE;
            return new LoadGenerator.Client() {
                @Override
                public void request() throws IOException {
                    switch (query) {
                        case POINT_READ -> c.getOk("/api/v1/contacts/" + rotation.next(ids));
                        case LIST_PAGE -> c.getOk(first);
                        case LIST_LATER_PAGE -> c.getOk(later);
                        case HYBRID_SEARCH -> c.getOk("/api/v1/search?mode=hybrid&limit=" + SEARCH_LIMIT + "&q="
                                + encode(rotation.next(SEARCHES)));
                    }
                }

                @Override
                public void close() {
                    c.close();
                }
            };
        }

        /** A client on the app role's pool in the town context, or on the owner's with the town filter. */
        private LoadGenerator.Client jdbc(Query query, int worker, boolean direct) {
            Rotation rotation = new Rotation(worker);
            return switch (query) {
                case POINT_READ -> {
                    String sql = target.pointSql(direct);
                    yield () -> read(direct, sql, direct ? List.of(town, rotation.next(ids)) : List.of(rotation.next(ids)));
                }
                case LIST_PAGE -> {
                    String sql = target.listSql(direct);
                    List<Object> args = direct ? List.of(town) : List.of();
                    yield () -> read(direct, sql, args);
                }
                case LIST_LATER_PAGE -> {
                    String sql = target.laterPageSql(direct);
                    List<Object> args = direct ? List.of(town, afterId) : List.of(afterId);
                    yield () -> read(direct, sql, args);
                }
                case HYBRID_SEARCH -> () -> search.search(context, new SearchRequest(rotation.next(SEARCHES),
                        SearchType.parseList(null), SearchMode.HYBRID, SEARCH_LIMIT));
            };
        }

        private void read(boolean direct, String sql, List<Object> args) throws SQLException {
            if (direct) {
                owner.inTransaction(h -> readAll(h, sql, args));
            } else {
                context.inTransaction(h -> readAll(h, sql, args));
            }
        }
    }

    /** Runs {@code sql} with {@code args} and reads every column of every row, as a server must; returns the rows. */
    static int readAll(Handle h, String sql, List<Object> args) throws SQLException {
        try (PreparedStatement ps = h.getConnection().prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            int rows = 0;
            try (ResultSet rs = ps.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    for (int c = 1; c <= columns; c++) {
                        rs.getObject(c);
                    }
                    rows++;
                }
            }
            return rows;
        }
    }

    /** The ids {@code sql} returns, in order (its first column). */
    static List<UUID> ids(Handle h, String sql, List<Object> args) throws SQLException {
        try (PreparedStatement ps = h.getConnection().prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            List<UUID> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getObject("id", UUID.class));
                }
            }
            return ids;
        }
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
