package dev.townhall.towns;

import dev.townhall.db.Database;
import dev.townhall.testing.TestCluster;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static dev.townhall.towns.Sql.AURORA;
import static dev.townhall.towns.Sql.COLLABORATION;
import static dev.townhall.towns.Sql.FLUENTI;
import static dev.townhall.towns.Sql.ORG;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random worlds against the rules: each try makes extra towns (in testpilot and in a second organisation, some
 * archived), users of either organisation (some inactive), random memberships (random roles, some inactive) and
 * rows in four representative tenant tables with random visibility and allow-lists (naming towns of either
 * organisation or no town at all). Then 400 random queries run as {@code townhall_app}, each in its own committed
 * transaction under a random context (mostly real memberships, also non-members, strangers and no context):
 * select by id, list, update (touch, re-share, move to a town, bulk), delete, insert into a random town (or with
 * the context's defaults). Every answer is compared with {@link AccessModel}, which also tracks what the
 * successful writes changed: no actor may see or change a row it should not, and each must see every row it should.
 * Runs on its own throwaway cluster (jqwik does not run JUnit Jupiter extensions).
 */
class IsolationPropertyTest {
    static final int QUERIES_PER_TRY = 400;
    static final int TRIES = 30;
    static final UUID RIVAL_ORG = UUID.fromString("00000000-0000-4000-8000-0000000000e1");
    static final UUID RIVAL_CAPITAL = UUID.fromString("00000000-0000-4000-8000-0000000000e2");
    static final List<String> TABLES = List.of("crm.companies", "crm.contacts", "memory.knowledge_base", "work.tasks");

    enum Op { SELECT, LIST, UPDATE, DELETE, INSERT }

    record TownSpec(boolean rival, boolean archived) {
    }

    record UserSpec(boolean rival, boolean active) {
    }

    record MemberSpec(int user, int town, AccessModel.Role role, boolean active) {
    }

    /** Visibility of a row: shared or not, and allow-list entries (index into the towns; 99 = a uuid of no town). */
    record Shape(boolean shared, List<Integer> with) {
    }

    record RowSpec(int table, int town, Shape shape, int company) {
    }

    record QuerySpec(int actor, int user, int town, Op op, int table, int target, int variant, Shape shape) {
    }

    record World(List<TownSpec> extraTowns, boolean rivalActive, List<UserSpec> users, List<MemberSpec> members,
                 List<RowSpec> rows, List<QuerySpec> queries) {
        @Override
        public String toString() {
            return "World[extra towns " + extraTowns + ", rival org active " + rivalActive + ", users " + users
                    + ", members " + members + ", " + rows.size() + " rows, " + queries.size() + " queries]";
        }
    }

    private static TestCluster cluster;
    private static Database db;
    private static final AtomicLong QUERIES = new AtomicLong();
    private static final AtomicLong TRIES_RUN = new AtomicLong();
    private static final Map<Op, AtomicLong> BY_OP = new EnumMap<>(Op.class);
    private static final AtomicLong ALLOWED_WRITES = new AtomicLong();
    private static final AtomicLong VISIBLE_ANSWERS = new AtomicLong();
    private static long started;

    @BeforeContainer
    static void startCluster() {
        started = System.nanoTime();
        cluster = TestCluster.start();
        db = cluster.newDatabase("IsolationPropertyTest");
        for (Op op : Op.values()) {
            BY_OP.put(op, new AtomicLong());
        }
    }

    @AfterContainer
    static void stopCluster() {
        try {
            String summary = "isolation property: " + TRIES_RUN.get() + " tries, " + QUERIES.get() + " queries " + BY_OP
                    + ", " + ALLOWED_WRITES.get() + " writes allowed, " + VISIBLE_ANSWERS.get() + " select/list answers"
                    + " with rows, in " + (System.nanoTime() - started) / 1_000_000 + " ms";
            System.out.println(summary);
            assertThat(QUERIES.get()).as(summary).isGreaterThanOrEqualTo(10_000);
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    @Property(tries = TRIES, shrinking = ShrinkingMode.BOUNDED)
    void noActorSeesOrChangesARowItShouldNotAndEachSeesAllItShould(@ForAll("worlds") World world) throws SQLException {
        TRIES_RUN.incrementAndGet();
        try (Connection owner = db.owner().connect(); Connection app = db.app().connect()) {
            Run run = new Run(owner, app, world);
            run.setUp();
            run.queries();
            assertThat(run.executed).as("queries run in this try").isEqualTo(world.queries().size());
        }
    }

    // ---- generators ---------------------------------------------------------------------------------------

    @Provide
    Arbitrary<World> worlds() {
        Arbitrary<Boolean> mostlyTrue = Arbitraries.of(true, true, true, true, true, true, false);
        Arbitrary<Boolean> sometimes = Arbitraries.of(false, false, false, false, true);
        Arbitrary<TownSpec> town = Combinators.combine(Arbitraries.of(false, false, true), sometimes).as(TownSpec::new);
        Arbitrary<UserSpec> user = Combinators.combine(Arbitraries.of(false, false, false, true), mostlyTrue).as(UserSpec::new);
        Arbitrary<MemberSpec> member = Combinators.combine(Arbitraries.integers().between(0, 99),
                Arbitraries.integers().between(0, 99), Arbitraries.of(AccessModel.Role.class), mostlyTrue).as(MemberSpec::new);
        Arbitrary<Shape> shape = Combinators.combine(Arbitraries.of(false, true),
                Arbitraries.integers().between(0, 99).list().ofMaxSize(3)).as(Shape::new);
        Arbitrary<RowSpec> row = Combinators.combine(Arbitraries.integers().between(0, TABLES.size() - 1),
                Arbitraries.integers().between(0, 99), shape, Arbitraries.integers().between(0, 99)).as(RowSpec::new);
        Arbitrary<Op> op = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(30, Arbitraries.just(Op.SELECT)), net.jqwik.api.Tuple.of(12, Arbitraries.just(Op.LIST)),
                net.jqwik.api.Tuple.of(25, Arbitraries.just(Op.UPDATE)), net.jqwik.api.Tuple.of(8, Arbitraries.just(Op.DELETE)),
                net.jqwik.api.Tuple.of(25, Arbitraries.just(Op.INSERT)));
        Arbitrary<QuerySpec> query = Combinators.combine(Arbitraries.integers().between(0, 99),
                Arbitraries.integers().between(0, 99), Arbitraries.integers().between(0, 99), op,
                Arbitraries.integers().between(0, TABLES.size() - 1), Arbitraries.integers().between(0, 999),
                Arbitraries.integers().between(0, 9), shape).as(QuerySpec::new);
        return Combinators.combine(town.list().ofMinSize(1).ofMaxSize(3), mostlyTrue, user.list().ofMinSize(3).ofMaxSize(8),
                member.list().ofMinSize(2).ofMaxSize(20), row.list().ofMinSize(4).ofMaxSize(30),
                query.list().ofSize(QUERIES_PER_TRY)).as(World::new);
    }

    // ---- one try ------------------------------------------------------------------------------------------

    /** One world made real: the database as the owner made it, and the model tracking it through every query. */
    private static final class Run {
        private final Connection owner;
        private final Connection app;
        private final World world;
        private final List<UUID> towns = new ArrayList<>();
        private final Map<UUID, UUID> orgOf = new LinkedHashMap<>();
        private final List<UUID> users = new ArrayList<>();
        private final List<UUID[]> members = new ArrayList<>();
        private final Map<String, Map<UUID, AccessModel.Row>> rows = new LinkedHashMap<>();
        private final Set<UUID> gone = new HashSet<>();
        private AccessModel model;
        int executed;

        Run(Connection owner, Connection app, World world) {
            this.owner = owner;
            this.app = app;
            this.world = world;
        }

        void setUp() throws SQLException {
            Sql.exec(owner, "TRUNCATE " + String.join(", ", TABLES) + " CASCADE");
            Sql.exec(owner, "DELETE FROM core.memberships");
            Sql.exec(owner, "DELETE FROM core.users");
            Sql.update(owner, "DELETE FROM core.towns WHERE id NOT IN (?, ?, ?)", AURORA, FLUENTI, COLLABORATION);
            // after the deletes, which are audited too: audit rows keep their organisation from being deleted
            Sql.exec(owner, "TRUNCATE core.audit_log");
            Sql.update(owner, "DELETE FROM core.organizations WHERE id <> ?", ORG);
            Sql.update(owner, "INSERT INTO core.organizations (id, slug, name, status) VALUES (?, 'rival', 'Rival', ?)",
                    RIVAL_ORG, world.rivalActive() ? "active" : "suspended");
            Sql.update(owner, "INSERT INTO core.towns (id, org_id, slug, name, is_capital) VALUES (?, ?, 'rival-capital', 'R', true)",
                    RIVAL_CAPITAL, RIVAL_ORG);
            for (UUID t : List.of(AURORA, FLUENTI, COLLABORATION)) {
                towns.add(t);
                orgOf.put(t, ORG);
            }
            towns.add(RIVAL_CAPITAL);
            orgOf.put(RIVAL_CAPITAL, RIVAL_ORG);
            int n = 0;
            for (TownSpec spec : world.extraTowns()) {
                UUID org = spec.rival() ? RIVAL_ORG : ORG;
                UUID id = Sql.one(owner, "INSERT INTO core.towns (org_id, slug, name, status) VALUES (?, ?, 'Extra', ?) RETURNING id",
                        org, "extra-" + n++, spec.archived() ? "archived" : "active");
                towns.add(id);
                orgOf.put(id, org);
            }
            n = 0;
            for (UserSpec spec : world.users()) {
                users.add(Sql.one(owner, "INSERT INTO core.users (org_id, email, handle, is_active) VALUES (?, ?, ?, ?) RETURNING id",
                        spec.rival() ? RIVAL_ORG : ORG, "p" + n + "@prop.test", "p" + n, spec.active()));
                n++;
            }
            Set<String> seen = new HashSet<>();
            for (MemberSpec m : world.members()) {
                UUID user = users.get(m.user() % users.size());
                UUID town = towns.get(m.town() % towns.size());
                UUID org = orgOf.get(town);
                boolean sameOrg = (world.users().get(m.user() % users.size()).rival() ? RIVAL_ORG : ORG).equals(org);
                if (!sameOrg || !seen.add(user + "/" + town)) {
                    continue;
                }
                Sql.update(owner, "INSERT INTO core.memberships (org_id, user_id, town_id, role, is_active)"
                        + " VALUES (?, ?, ?, CAST(? AS core.member_role), ?)", org, user, town, m.role().sql(), m.active());
                members.add(new UUID[] {user, town});
            }
            for (String table : TABLES) {
                rows.put(table, new LinkedHashMap<>());
            }
            for (RowSpec spec : world.rows()) {
                String table = TABLES.get(spec.table());
                UUID town = towns.get(spec.town() % towns.size());
                List<UUID> with = allowList(spec.shape());
                UUID company = null;
                if (table.equals("crm.contacts") && spec.company() % 3 != 0) {
                    List<UUID> sameTown = rows.get("crm.companies").values().stream().filter(r -> r.town().equals(town))
                            .map(AccessModel.Row::id).toList();
                    company = sameTown.isEmpty() ? null : sameTown.get(spec.company() % sameTown.size());
                }
                UUID id = Sql.one(owner, "INSERT INTO " + table + " (org_id, town_id, visibility, shared_with" + requiredColumns(table)
                        + (company != null ? ", company_id" : "") + ") VALUES (?, ?, CAST(? AS core.visibility), CAST(? AS uuid[])"
                        + requiredValues(table) + (company != null ? ", '" + company + "'" : "") + ") RETURNING id",
                        orgOf.get(town), town, spec.shape().shared() ? "shared" : "private", Sql.uuids(owner, with));
                rows.get(table).put(id, new AccessModel.Row(id, orgOf.get(town), town, spec.shape().shared(), Set.copyOf(with)));
            }
            model = AccessModel.load(owner);
        }

        void queries() throws SQLException {
            app.setAutoCommit(false);
            for (QuerySpec q : world.queries()) {
                UUID[] actor = actor(q);
                Optional<AccessModel.Acting> acting = model.acting(actor[0], actor[1]);
                String table = TABLES.get(q.table());
                String who = describeActor(actor, acting);
                if (actor[0] != null) {
                    Sql.enter(app, actor[0], actor[1]);
                }
                try {
                    switch (q.op()) {
                        case SELECT -> select(q, table, acting, who);
                        case LIST -> list(table, acting, who);
                        case UPDATE -> update(q, table, acting, who);
                        case DELETE -> delete(q, table, acting, who);
                        case INSERT -> insert(q, table, acting, who);
                        default -> throw new IllegalStateException();
                    }
                    app.commit();
                } finally {
                    app.rollback();
                }
                executed++;
                QUERIES.incrementAndGet();
                BY_OP.get(q.op()).incrementAndGet();
            }
        }

        private void select(QuerySpec q, String table, Optional<AccessModel.Acting> acting, String who) throws SQLException {
            UUID id = target(q, table);
            AccessModel.Row row = rows.get(table).get(id);
            long expected = row != null && model.canRead(acting, row) ? 1 : 0;
            long actual = Sql.count(app, "SELECT count(*) FROM " + table + " WHERE id = ?", id);
            assertThat(actual).as("%s: SELECT %s %s", who, table, describe(row, id)).isEqualTo(expected);
            VISIBLE_ANSWERS.addAndGet(actual);
        }

        private void list(String table, Optional<AccessModel.Acting> acting, String who) throws SQLException {
            Set<UUID> expected = rows.get(table).values().stream().filter(r -> model.canRead(acting, r))
                    .map(AccessModel.Row::id).collect(Collectors.toSet());
            Set<UUID> actual = new HashSet<>(Sql.column(app, "SELECT id FROM " + table));
            if (!actual.equals(expected)) {
                Set<String> extra = new TreeSet<>();
                Set<String> missing = new TreeSet<>();
                actual.stream().filter(id -> !expected.contains(id)).forEach(id -> extra.add(describe(rows.get(table).get(id), id)));
                expected.stream().filter(id -> !actual.contains(id)).forEach(id -> missing.add(describe(rows.get(table).get(id), id)));
                assertThat(actual).as("%s: SELECT id FROM %s sees rows it should not %s and misses %s", who, table, extra, missing)
                        .isEqualTo(expected);
            }
            VISIBLE_ANSWERS.addAndGet(actual.isEmpty() ? 0 : 1);
        }

        private void update(QuerySpec q, String table, Optional<AccessModel.Acting> acting, String who) throws SQLException {
            if (q.variant() == 9) {
                long expected = rows.get(table).values().stream().filter(r -> model.canWrite(acting, r)).count();
                int actual = Sql.update(app, "UPDATE " + table + " SET updated_at = now()");
                assertThat((long) actual).as("%s: UPDATE every row of %s", who, table).isEqualTo(expected);
                ALLOWED_WRITES.addAndGet(actual);
                return;
            }
            UUID id = target(q, table);
            AccessModel.Row row = rows.get(table).get(id);
            boolean allowed = row != null && model.canWrite(acting, row);
            if (q.variant() < 4) {
                int actual = Sql.update(app, "UPDATE " + table + " SET updated_at = now() WHERE id = ?", id);
                assertThat(actual).as("%s: UPDATE %s %s", who, table, describe(row, id)).isEqualTo(allowed ? 1 : 0);
            } else if (q.variant() < 7) {
                List<UUID> with = q.shape().shared() ? allowList(q.shape()) : List.of();
                int actual = Sql.update(app, "UPDATE " + table + " SET visibility = CAST(? AS core.visibility),"
                        + " shared_with = CAST(? AS uuid[]) WHERE id = ?", q.shape().shared() ? "shared" : "private",
                        Sql.uuids(app, with), id);
                assertThat(actual).as("%s: re-share %s %s as %s", who, table, describe(row, id), with)
                        .isEqualTo(allowed ? 1 : 0);
                if (actual == 1) {
                    rows.get(table).put(id, new AccessModel.Row(id, row.org(), row.town(), q.shape().shared(), Set.copyOf(with)));
                }
            } else {
                UUID to = towns.get(q.target() % towns.size());
                String expected = !allowed ? "0 rows" : to.equals(row.town()) ? "1 row" : "refused";
                String actual = attempt("UPDATE " + table + " SET town_id = ? WHERE id = ?", to, id);
                assertThat(actual).as("%s: move %s %s to %s", who, table, describe(row, id), to).isEqualTo(expected);
            }
            if (allowed) {
                ALLOWED_WRITES.incrementAndGet();
            }
        }

        private void delete(QuerySpec q, String table, Optional<AccessModel.Acting> acting, String who) throws SQLException {
            UUID id = target(q, table);
            AccessModel.Row row = rows.get(table).get(id);
            boolean allowed = row != null && model.canWrite(acting, row);
            int actual = Sql.update(app, "DELETE FROM " + table + " WHERE id = ?", id);
            assertThat(actual).as("%s: DELETE %s %s", who, table, describe(row, id)).isEqualTo(allowed ? 1 : 0);
            if (actual == 1) {
                rows.get(table).remove(id);
                gone.add(id);
                ALLOWED_WRITES.incrementAndGet();
            }
        }

        private void insert(QuerySpec q, String table, Optional<AccessModel.Acting> acting, String who) throws SQLException {
            boolean defaults = q.variant() < 2;
            UUID town = defaults ? acting.map(AccessModel.Acting::town).orElse(null) : towns.get(q.target() % towns.size());
            boolean allowed = defaults ? acting.isPresent() && acting.get().role().writes() : model.canInsert(acting, town);
            List<UUID> with = q.shape().shared() ? allowList(q.shape()) : List.of();
            String sql = defaults
                    ? "INSERT INTO " + table + " (visibility, shared_with" + requiredColumns(table)
                      + ") VALUES (CAST(? AS core.visibility), CAST(? AS uuid[])" + requiredValues(table) + ") RETURNING id, town_id"
                    : "INSERT INTO " + table + " (org_id, town_id, visibility, shared_with" + requiredColumns(table)
                      + ") VALUES ('" + orgOf.get(town) + "', '" + town + "', CAST(? AS core.visibility), CAST(? AS uuid[])"
                      + requiredValues(table) + ") RETURNING id, town_id";
            Sql.exec(app, "SAVEPOINT ins");
            Object[] made = null;
            String refusal = null;
            try {
                made = Sql.rows(app, sql, q.shape().shared() ? "shared" : "private", Sql.uuids(app, with)).get(0);
            } catch (SQLException e) {
                Sql.exec(app, "ROLLBACK TO SAVEPOINT ins");
                refusal = e.getSQLState() + " " + e.getMessage().split("\n")[0];
            }
            String target = defaults ? "the acting town (defaults)" : "town " + town;
            assertThat(made != null).as("%s: INSERT into %s in %s (%s)", who, table, target, refusal).isEqualTo(allowed);
            if (made != null) {
                UUID id = (UUID) made[0];
                assertThat(made[1]).as("town of the new row").isEqualTo(town);
                rows.get(table).put(id, new AccessModel.Row(id, orgOf.get(town), town, q.shape().shared(), Set.copyOf(with)));
                ALLOWED_WRITES.incrementAndGet();
            } else if (!defaults || acting.isPresent()) {
                assertThat(refusal).as("%s: INSERT into %s refused by the policy", who, table).startsWith("42501");
            }
        }

        private String attempt(String sql, Object... params) throws SQLException {
            Sql.exec(app, "SAVEPOINT w");
            try {
                int n = Sql.update(app, sql, params);
                return n == 1 ? "1 row" : n + " rows";
            } catch (SQLException e) {
                Sql.exec(app, "ROLLBACK TO SAVEPOINT w");
                return "42501".equals(e.getSQLState()) && e.getMessage().contains("row-level security") ? "refused"
                        : "error " + e.getSQLState() + " " + e.getMessage().split("\n")[0];
            }
        }

        /** (user, town) of the query: mostly a real membership, also any pair, no context, or a stranger. */
        private UUID[] actor(QuerySpec q) {
            UUID town = towns.get(q.town() % towns.size());
            if (q.actor() < 70 && !members.isEmpty()) {
                return members.get(q.user() % members.size());
            } else if (q.actor() < 90) {
                return new UUID[] {users.get(q.user() % users.size()), town};
            } else if (q.actor() < 95) {
                return new UUID[] {null, null};
            }
            return new UUID[] {UUID.nameUUIDFromBytes(("stranger" + q.user()).getBytes(java.nio.charset.StandardCharsets.UTF_8)), town};
        }

        /** A row id of the table (current or deleted), or a uuid of no row when there is none. */
        private UUID target(QuerySpec q, String table) {
            List<UUID> ids = new ArrayList<>(rows.get(table).keySet());
            ids.addAll(gone);
            if (ids.isEmpty()) {
                return UUID.nameUUIDFromBytes(("none" + q.target()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            return ids.get(q.target() % ids.size());
        }

        private List<UUID> allowList(Shape shape) {
            if (!shape.shared()) {
                return List.of();
            }
            Set<UUID> with = new java.util.LinkedHashSet<>();
            for (int k : shape.with()) {
                with.add(k == 99 ? UUID.fromString("00000000-0000-4000-8000-0000000000ff") : towns.get(k % towns.size()));
            }
            return List.copyOf(with);
        }

        private String describeActor(UUID[] actor, Optional<AccessModel.Acting> acting) {
            if (actor[0] == null) {
                return "no context";
            }
            return "user " + actor[0] + " in town " + Fixtures.townName(actor[1]) + acting.map(a -> " (" + a.role() + (a.capital() ? ", capital" : "")
                    + ")").orElse(" (no valid membership)");
        }

        private static String describe(AccessModel.Row row, UUID id) {
            if (row == null) {
                return id + " (deleted or never existed)";
            }
            return id + " (town " + Fixtures.townName(row.town()) + ", org " + row.org() + (row.shared()
                    ? ", shared with " + row.sharedWith().stream().map(Fixtures::townName).sorted().toList() : ", private") + ")";
        }
    }

    private static String requiredColumns(String table) {
        return switch (table) {
            case "crm.companies" -> ", name";
            case "crm.contacts" -> ", first_name";
            case "memory.knowledge_base" -> ", title, content";
            case "work.tasks" -> ", title";
            default -> throw new IllegalArgumentException(table);
        };
    }

    private static String requiredValues(String table) {
        return switch (table) {
            case "crm.companies" -> ", 'Prop Co'";
            case "crm.contacts" -> ", 'Pat'";
            case "memory.knowledge_base" -> ", 'Prop', 'Body'";
            case "work.tasks" -> ", 'Prop task'";
            default -> throw new IllegalArgumentException(table);
        };
    }
}
