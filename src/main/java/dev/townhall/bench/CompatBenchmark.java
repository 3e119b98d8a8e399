package dev.townhall.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.compat.Logins;
import dev.townhall.db.Database;
import dev.townhall.db.Endpoint;
import dev.townhall.db.Identifiers;
import dev.townhall.db.LocalCluster;
import dev.townhall.db.Pools;
import dev.townhall.db.ScratchDatabase;
import dev.townhall.schema.Migrator;
import dev.townhall.towns.Role;
import dev.townhall.towns.TownContext;
import dev.townhall.towns.Towns;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * What the compatibility schemas cost an old service: each old statement sent as an old app sends it (one autocommit
 * statement on its own connection, as a bound login whose search_path is its compatibility schema, so the view and
 * its INSTEAD OF trigger do the mapping), beside the same question asked of the unified tables as the application
 * role in a {@link TownContext} (what the new code pays) and direct JDBC as the owner with the town filter written by
 * hand (the reference), at 1 and 8 clients, on messages over conversations in three towns.
 */
public final class CompatBenchmark {
    private static final String SCRATCH = "townhall_bench_compat";
    public static final List<Integer> CLIENTS = List.of(1, 8);
    public static final int MIN_MESSAGES = 1_000;
    public static final int MAX_MESSAGES = 2_000_000;
    /** The user every path acts as, and the town of the bound logins: the biggest town. */
    private static final String USER = "allan";
    private static final String TOWN = "aurora";
    private static final int MESSAGES_PER_CONVERSATION = 50;
    private static final int JDBC_POOL_SIZE = 8;
    private static final String WRITTEN = "Written by bench compat: the old app's message, unchanged";

    /** How a question is asked. */
    public enum Path {
        COMPAT_VIEW("compat_view", "old SQL, compat view, bound login"),
        UNIFIED("unified", "unified tables, town context"),
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
    }

    /**
     * An old app's question: its statement on its compatibility schema, the same on the unified tables (RLS does the
     * town, as under the view) and with the town filter by hand for the owner (its first parameter is the town).
     */
    public enum Query {
        AURORA_MESSAGES("aurora_messages", "aurora: messages of a conversation", "aurora_compat",
                "SELECT id, role, content, created_at FROM messages WHERE conversation_id = ? ORDER BY created_at",
                "SELECT id, role, content, created_at FROM comms.messages WHERE conversation_id = ? ORDER BY created_at",
                """
                        SELECT id, role, content, created_at FROM comms.messages WHERE town_id = ? AND conversation_id = ?
                        ORDER BY created_at"""),
        AURORA_DEALS("aurora_deals", "aurora: deals of a company", "aurora_compat",
                "SELECT id, name, amount_cents, stage FROM deals WHERE company_id = ?",
                "SELECT id, name, amount_cents, stage FROM crm.deals WHERE company_id = ?",
                "SELECT id, name, amount_cents, stage FROM crm.deals WHERE town_id = ? AND company_id = ?"),
        EXTENSION_CODE_MESSAGES("extension_code_messages", "extension: a user's 50 newest code messages",
                "extension_compat", """
                SELECT id, conversation_id, role, content, created_at FROM code_messages WHERE user_id = ?
                ORDER BY created_at DESC LIMIT 50""", """
                SELECT id, conversation_id, role, content, created_at FROM code.messages WHERE user_id = ?
                ORDER BY created_at DESC LIMIT 50""", """
                SELECT id, conversation_id, role, content, created_at FROM code.messages WHERE town_id = ? AND user_id = ?
                ORDER BY created_at DESC LIMIT 50"""),
        BACKEND_CURRENT_MOOD("backend_current_mood", "backend: current mood", "backend_compat",
                "SELECT mood, attraction_level, gandhi_genghis_level FROM current_mood",
                """
                        SELECT current_mood, flirt_level::integer, gandhi_genghis::integer FROM ai.personality_instances
                        WHERE user_id = ? AND is_active""",
                """
                        SELECT current_mood, flirt_level::integer, gandhi_genghis::integer FROM ai.personality_instances
                        WHERE town_id = ? AND user_id = ? AND is_active"""),
        AURORA_INSERT_MESSAGE("aurora_insert_message", "aurora: insert a message (write)", "aurora_compat",
                "INSERT INTO messages (conversation_id, role, content) VALUES (?, 'user', ?) RETURNING id",
                "INSERT INTO comms.messages (conversation_id, role, content) VALUES (?, 'user', ?) RETURNING id",
                """
                        INSERT INTO comms.messages (town_id, org_id, conversation_id, role, content)
                        VALUES (?, ?, ?, 'user', ?) RETURNING id""");

        private final String key;
        private final String label;
        private final String schema;
        private final String viewSql;
        private final String unifiedSql;
        private final String directSql;

        Query(String key, String label, String schema, String viewSql, String unifiedSql, String directSql) {
            this.key = key;
            this.label = label;
            this.schema = schema;
            this.viewSql = viewSql;
            this.unifiedSql = unifiedSql;
            this.directSql = directSql;
        }

        public String key() {
            return key;
        }

        public String label() {
            return label;
        }

        public String sql(Path path) {
            return switch (path) {
                case COMPAT_VIEW -> viewSql;
                case UNIFIED -> unifiedSql;
                case DIRECT_JDBC -> directSql;
            };
        }

        public boolean writes() {
            return this == AURORA_INSERT_MESSAGE;
        }
    }

    /** One measurement: a question asked one way by this many concurrent clients. */
    public record Line(Query query, Path path, int clients, LoadGenerator.Result result) {
    }

    /** Everything one run measured, and what it was measured on. */
    public record Report(long messages, long conversations, long codeMessages, long deals, int cores, String plan,
                         Map<String, Object> planParameters, List<Line> lines) {
        public Optional<Line> line(Query query, Path path, int clients) {
            return lines.stream().filter(l -> l.query() == query && l.path() == path && l.clients() == clients)
                    .findFirst();
        }

        /** What {@code path} adds to {@code query}'s p50 over {@code reference}, at 1 client. */
        public double overheadMs(Query query, Path path, Path reference) {
            return p50(query, path) - p50(query, reference);
        }

        private double p50(Query query, Path path) {
            return line(query, path, 1).map(l -> l.result().p50Ms()).orElse(Double.NaN);
        }

        /** Failed requests over the whole run; a run with any is not a valid measurement. */
        public long errors() {
            return lines.stream().mapToLong(l -> l.result().errors()).sum();
        }

        public Figures figures() {
            Map<String, Object> parameters = new LinkedHashMap<>(planParameters);
            parameters.put("messages", messages);
            parameters.put("conversations", conversations);
            parameters.put("code_messages", codeMessages);
            parameters.put("deals", deals);
            parameters.put("cores", cores);
            Figures f = Figures.of("compat", parameters);
            for (Line l : lines) {
                Map<String, Object> where = Map.of("query", l.query().key(), "path", l.path().key(),
                        "clients", l.clients());
                LoadGenerator.Result r = l.result();
                f.add("calls_per_second", "calls/s", r.requestsPerSecond(), where);
                f.add("latency_p50", "ms", r.p50Ms(), where);
                f.add("latency_p99", "ms", r.p99Ms(), where);
                f.add("calls", "calls", r.requests(), where);
                f.add("errors", "calls", r.errors(), where);
            }
            for (Query q : Query.values()) {
                Map<String, Object> where = Map.of("query", q.key(), "clients", 1);
                f.add("p50_view_over_unified", "ms", overheadMs(q, Path.COMPAT_VIEW, Path.UNIFIED), where);
                f.add("p50_unified_over_direct", "ms", overheadMs(q, Path.UNIFIED, Path.DIRECT_JDBC), where);
            }
            return f;
        }
    }

    private final LocalCluster cluster;

    private CompatBenchmark(LocalCluster cluster) {
        this.cluster = cluster;
    }

    public static CompatBenchmark on(Database db) {
        return new CompatBenchmark(ScratchDatabase.clusterOf(db, "bench compat"));
    }

    /** Loads about {@code messages} messages, makes the bound logins and measures every question, path and client count. */
    public Report run(int messages, LoadGenerator.Plan plan, Consumer<String> log) {
        if (messages < MIN_MESSAGES || messages > MAX_MESSAGES) {
            throw new TownHallException(ErrorCode.INVALID_INPUT, String.format("--rows must be between %,d and %,d,"
                    + " got %,d", MIN_MESSAGES, MAX_MESSAGES, messages));
        }
        Database scratch = ScratchDatabase.fresh(cluster, SCRATCH);
        dropLogins();
        try {
            log.accept("migrating the scratch database " + SCRATCH);
            Migrator.as(scratch.owner()).migrate(null);
            try (Towns towns = Towns.open(scratch); HikariDataSource ownerPool = Pools.open(scratch.owner(), JDBC_POOL_SIZE)) {
                log.accept(String.format("loading %,d messages over 3 towns (60/30/10 %%)", messages));
                Corpus corpus = Corpus.load(towns, Jdbi.create(ownerPool), messages);
                Callers callers = new Callers(scratch, corpus, towns, Jdbi.create(ownerPool));
                callers.checkAgreement();
                log.accept("warming up: every question and path once at " + CLIENTS.get(CLIENTS.size() - 1)
                        + " clients, not reported");
                for (Query q : Query.values()) {
                    for (Path path : Path.values()) {
                        LoadGenerator.run(CLIENTS.get(CLIENTS.size() - 1), callers.clients(q, path), plan);
                    }
                }
                List<Line> lines = new ArrayList<>();
                for (Query q : Query.values()) {
                    for (int clients : CLIENTS) {
                        for (Path path : Path.values()) {
                            log.accept(String.format("%s, %s, %d client%s", q.label(), path.label(), clients,
                                    clients == 1 ? "" : "s"));
                            lines.add(new Line(q, path, clients, LoadGenerator.run(clients, callers.clients(q, path), plan)));
                        }
                    }
                }
                return new Report(corpus.messages, corpus.conversationCount, corpus.codeMessages, corpus.deals,
                        Runtime.getRuntime().availableProcessors(), plan.describe(), plan.parameters(), lines);
            }
        } catch (SQLException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "bench compat failed: " + e.getMessage(), e);
        } finally {
            ScratchDatabase.drop(cluster, SCRATCH);
            dropLogins();
        }
    }

    private static String loginName(Query q) {
        return "bench_" + q.schema;
    }

    /**
     * Logins are roles of the whole cluster: they outlive the scratch database unless dropped, and one left by an
     * interrupted run would refuse the next run's name.
     */
    private void dropLogins() {
        try (Connection c = cluster.superuserEndpoint().connect(); Statement s = c.createStatement()) {
            for (String schema : Logins.SCHEMAS) {
                s.execute("DROP ROLE IF EXISTS " + Identifiers.quote("bench_" + schema));
            }
        } catch (SQLException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "bench compat: cannot drop its logins: " + e.getMessage(), e);
        }
    }

    /** The scratch data and the ids the questions ask about. */
    private static final class Corpus {
        UUID org;
        UUID town;
        UUID user;
        List<UUID> conversations;
        List<UUID> companies;
        /** One conversation per client for the writes, so writers do not queue on one conversation's statistics row. */
        List<UUID> writeConversations;
        long messages;
        long codeMessages;
        long deals;
        long conversationCount;

        /**
         * Messages in conversations of 50 (60/30/10 % over aurora/fluenti/collaboration, two users per town), code
         * messages (a tenth as many) for four users, a company per hundred messages with four deals each, and a
         * personality instance per user. Every timestamp is distinct, so "newest 50" has one answer.
         */
        static Corpus load(Towns towns, Jdbi owner, int messageCount) throws SQLException {
            Corpus c = new Corpus();
            String[][] people = {{"allan", "aurora"}, {"ava", "aurora"}, {"fiona", "fluenti"}, {"fred", "fluenti"},
                    {"colin", "collaboration"}, {"cleo", "collaboration"}};
            for (String[] p : people) {
                towns.addUser(p[0] + "@bench-compat.invalid", p[0], p[0], "Bench");
                towns.addMember(p[0], p[1], Role.MEMBER);
            }
            c.org = towns.orgId();
            c.town = towns.town(TOWN).id();
            c.user = towns.userId(USER);
            int conversations = Math.max(1, messageCount / MESSAGES_PER_CONVERSATION);
            owner.useHandle(h -> {
                Connection con = h.getConnection();
                try (Statement s = con.createStatement()) {
                    s.execute("""
                            CREATE TEMP TABLE bench_people AS
                            SELECT t.id AS town_id, t.org_id, u.id AS user_id,
                                   row_number() OVER (PARTITION BY t.id ORDER BY u.handle) - 1 AS nth,
                                   CASE t.slug WHEN 'aurora' THEN 0.0 WHEN 'fluenti' THEN 0.6 ELSE 0.9 END AS lo
                            FROM core.users u
                            JOIN core.memberships m ON m.user_id = u.id
                            JOIN core.towns t ON t.id = m.town_id
                            WHERE u.email::text LIKE '%@bench-compat.invalid'""");
                }
                try (PreparedStatement ps = con.prepareStatement("""
                        INSERT INTO comms.conversations (org_id, town_id, user_id, title, session_type, created_at)
                        SELECT p.org_id, p.town_id, p.user_id, 'Conversation ' || i, 'chat',
                               timestamptz '2024-01-01' + i * interval '1 minute'
                        FROM generate_series(0, ? - 1) i
                        CROSS JOIN LATERAL (SELECT * FROM bench_people b
                                            WHERE b.lo <= i::numeric / ? AND b.nth = i % 2
                                            ORDER BY b.lo DESC LIMIT 1) p""")) {
                    ps.setInt(1, conversations);
                    ps.setInt(2, conversations);
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = con.prepareStatement("""
                        INSERT INTO comms.messages (org_id, town_id, conversation_id, user_id, role, content, created_at)
                        SELECT c.org_id, c.town_id, c.id, CASE WHEN g % 2 = 0 THEN c.user_id END,
                               CASE WHEN g % 2 = 0 THEN 'user' ELSE 'assistant' END,
                               'Message ' || g || ' of ' || c.title || ': about the plan, the numbers and the next call',
                               c.created_at + g * interval '1 second'
                        FROM comms.conversations c CROSS JOIN generate_series(0, ? - 1) g""")) {
                    ps.setInt(1, MESSAGES_PER_CONVERSATION);
                    ps.executeUpdate();
                }
                try (Statement s = con.createStatement()) {
                    // code: four users (two of aurora, one each elsewhere), a tenth as many messages, 50 per conversation
                    s.execute("""
                            INSERT INTO code.conversations (org_id, town_id, user_id, title)
                            SELECT b.org_id, b.town_id, b.user_id, 'Code session ' || i
                            FROM bench_people b CROSS JOIN generate_series(1, greatest(1, %d / 4 / 50)) i
                            WHERE b.nth = 0 OR b.lo = 0.0""".formatted(messageCount / 10));
                    s.execute("""
                            INSERT INTO code.messages (org_id, town_id, conversation_id, user_id, role, content, created_at)
                            SELECT c.org_id, c.town_id, c.id, c.user_id, 'user', 'Refactor step ' || g || ' of ' || c.title,
                                   timestamptz '2024-01-01' + (row_number() OVER ()) * interval '1 second'
                            FROM code.conversations c CROSS JOIN generate_series(1, 50) g""");
                    s.execute("""
                            INSERT INTO crm.companies (org_id, town_id, name, domain)
                            SELECT p.org_id, p.town_id, 'Company ' || i, 'c' || i || '.example'
                            FROM generate_series(0, %1$d - 1) i
                            CROSS JOIN LATERAL (SELECT * FROM bench_people b WHERE b.lo <= i::numeric / %1$d AND b.nth = 0
                                                ORDER BY b.lo DESC LIMIT 1) p"""
                            .formatted(Math.max(1, messageCount / 100)));
                    s.execute("""
                            INSERT INTO crm.deals (org_id, town_id, name, company_id, amount_cents, stage)
                            SELECT co.org_id, co.town_id, 'Deal ' || g || ' of ' || co.name, co.id, 100000 * g,
                                   (ARRAY['interest', 'qualified', 'proposal', 'negotiation'])[g]
                            FROM crm.companies co CROSS JOIN generate_series(1, 4) g""");
                    s.execute("""
                            INSERT INTO ai.personality_instances (org_id, town_id, user_id, personality_id, current_mood)
                            SELECT b.org_id, b.town_id, b.user_id, p.id, 'focused'
                            FROM bench_people b CROSS JOIN ai.personalities p WHERE p.slug = 'robbie-f'""");
                    s.execute("ANALYZE comms.conversations, comms.messages, code.conversations, code.messages,"
                            + " crm.companies, crm.deals, ai.personality_instances");
                }
            });
            c.conversations = ids(owner, "SELECT id FROM comms.conversations WHERE town_id = ? AND user_id = ? ORDER BY id",
                    c.town, c.user);
            c.companies = ids(owner, "SELECT id FROM crm.companies WHERE town_id = ? ORDER BY id", c.town);
            if (c.conversations.isEmpty() || c.companies.isEmpty()) {
                throw new TownHallException(ErrorCode.INTERNAL, "bench compat: the load left " + USER + " no conversation"
                        + " or " + TOWN + " no company");
            }
            c.writeConversations = new ArrayList<>();
            for (int i = 0; i < CLIENTS.get(CLIENTS.size() - 1); i++) {
                c.writeConversations.add(owner.withHandle(h -> h.createQuery("""
                                INSERT INTO comms.conversations (org_id, town_id, user_id, title, session_type)
                                SELECT org_id, id, :user, 'Bench compat writes here', 'chat' FROM core.towns WHERE id = :town
                                RETURNING id""")
                        .bind("user", c.user).bind("town", c.town).mapTo(UUID.class).one()));
            }
            owner.useHandle(h -> {
                c.messages = h.createQuery("SELECT count(*) FROM comms.messages").mapTo(Long.class).one();
                c.conversationCount = h.createQuery("SELECT count(*) FROM comms.conversations").mapTo(Long.class).one();
                c.codeMessages = h.createQuery("SELECT count(*) FROM code.messages").mapTo(Long.class).one();
                c.deals = h.createQuery("SELECT count(*) FROM crm.deals").mapTo(Long.class).one();
            });
            return c;
        }

        private static List<UUID> ids(Jdbi owner, String sql, Object... values) {
            return owner.withHandle(h -> h.select(sql, values).mapTo(UUID.class).list());
        }
    }

    /** The clients of every question and path, and what they share: the logins, the context, the owner's pool. */
    private static final class Callers {
        private final Corpus corpus;
        private final Jdbi owner;
        private final TownContext context;
        private final Map<String, String> loginUrls = new LinkedHashMap<>();

        Callers(Database scratch, Corpus corpus, Towns towns, Jdbi owner) {
            this.corpus = corpus;
            this.owner = owner;
            this.context = towns.as(corpus.user, corpus.town);
            for (Query q : Query.values()) {
                loginUrls.computeIfAbsent(q.schema, schema -> Logins.on(scratch, towns)
                        .create(loginName(q), USER, TOWN, Optional.of(schema), false).url());
            }
        }

        /**
         * The three paths answer the same rows to the same question (a write: each writes the same row), or the
         * comparison would be meaningless.
         */
        void checkAgreement() throws SQLException {
            for (Query q : Query.values()) {
                List<List<String>> answers = new ArrayList<>();
                for (Path path : Path.values()) {
                    List<Object> args = arguments(q, path, 0, new Rotation(0));
                    List<String> rows = switch (path) {
                        case COMPAT_VIEW -> {
                            try (Connection c = Endpoint.parse(loginUrls.get(q.schema)).connect()) {
                                yield rows(c, q.sql(path), args);
                            }
                        }
                        case UNIFIED -> context.inTransaction(h -> rows(h.getConnection(), q.sql(path), args));
                        case DIRECT_JDBC -> owner.inTransaction(h -> rows(h.getConnection(), q.sql(path), args));
                    };
                    answers.add(q.writes() ? written(rows) : rows);
                }
                if (answers.get(0).isEmpty() || !answers.stream().allMatch(answers.get(0)::equals)) {
                    throw new TownHallException(ErrorCode.INTERNAL, "bench compat: '" + q.label() + "' answered "
                            + answers.stream().map(a -> a.size() + " rows").toList() + " (view, unified, direct)"
                            + (answers.get(0).isEmpty() ? "; nothing to compare" : " that differ")
                            + "; the comparison would be meaningless");
                }
            }
        }

        /** The rows written, read back as the owner without their ids: town, conversation, author, role, content. */
        private List<String> written(List<String> ids) throws SQLException {
            List<String> rows = new ArrayList<>();
            for (String id : ids) {
                rows.addAll(owner.inTransaction(h -> rows(h.getConnection(), """
                        SELECT town_id, conversation_id, user_id, role, content FROM comms.messages WHERE id = ?""",
                        List.of(UUID.fromString(id)))));
            }
            return rows;
        }

        IntFunction<LoadGenerator.Client> clients(Query q, Path path) {
            return worker -> {
                Rotation rotation = new Rotation(worker);
                String sql = q.sql(path);
                return switch (path) {
                    case COMPAT_VIEW -> {
                        // the old app's own connection in autocommit: each statement is its own transaction
                        Connection connection = Endpoint.parse(loginUrls.get(q.schema)).connect();
                        Handle login = Jdbi.open(connection);
                        yield new LoadGenerator.Client() {
                            @Override
                            public void request() throws SQLException {
                                ApiBenchmark.readAll(login, sql, arguments(q, path, worker, rotation));
                            }

                            @Override
                            public void close() throws SQLException {
                                login.close();
                                connection.close();
                            }
                        };
                    }
                    case UNIFIED -> () -> context.inTransaction(h ->
                            ApiBenchmark.readAll(h, sql, arguments(q, path, worker, rotation)));
                    case DIRECT_JDBC -> () -> owner.inTransaction(h ->
                            ApiBenchmark.readAll(h, sql, arguments(q, path, worker, rotation)));
                };
            };
        }

        /** The parameters of {@code q} asked by {@code worker}: the next id of its walk, or its own write conversation. */
        private List<Object> arguments(Query q, Path path, int worker, Rotation rotation) {
            return switch (q) {
                case AURORA_MESSAGES -> arguments(path, rotation.next(corpus.conversations));
                case AURORA_DEALS -> arguments(path, rotation.next(corpus.companies));
                case EXTENSION_CODE_MESSAGES -> arguments(path, path == Path.COMPAT_VIEW ? USER : corpus.user);
                case BACKEND_CURRENT_MOOD -> path == Path.COMPAT_VIEW ? List.of() : arguments(path, corpus.user);
                case AURORA_INSERT_MESSAGE -> {
                    UUID conversation = corpus.writeConversations.get(worker % corpus.writeConversations.size());
                    yield path == Path.DIRECT_JDBC ? List.of(corpus.town, corpus.org, conversation, WRITTEN)
                            : List.of(conversation, WRITTEN);
                }
            };
        }

        /** One parameter, after the town for the owner's hand-written filter. */
        private List<Object> arguments(Path path, Object value) {
            return path == Path.DIRECT_JDBC ? List.of(corpus.town, value) : List.of(value);
        }
    }

    /** The answer as text, one line per row, sorted: "the same rows" whatever order a statement without ORDER BY gives. */
    private static List<String> rows(Connection c, String sql, List<Object> args) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(i == 1 ? "" : " | ").append(rs.getString(i));
                }
                rows.add(row.toString());
            }
        }
        rows.sort(null);
        return rows;
    }

    private static PreparedStatement prepare(Connection c, String sql, List<Object> args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < args.size(); i++) {
            ps.setObject(i + 1, args.get(i));
        }
        return ps;
    }
}
