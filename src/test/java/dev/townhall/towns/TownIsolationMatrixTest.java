package dev.townhall.towns;

import dev.townhall.db.Database;
import dev.townhall.testing.PostgresExtension;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.townhall.towns.Sql.AURORA;
import static dev.townhall.towns.Sql.COLLABORATION;
import static dev.townhall.towns.Sql.FLUENTI;
import static dev.townhall.towns.Sql.ORG;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The isolation matrix of issue 4, generated from the catalog: every tenant table in {@code core.tenant_tables}
 * × every membership role acting from the capital (aurora) and from a plain town (fluenti), plus a non-member, an
 * inactive member and no context at all × rows of the own town, another town (private, shared with the whole
 * organisation, shared with the actor's town, shared with a third town), a third town and another organisation ×
 * SELECT / UPDATE / DELETE / INSERT / UPDATE of town_id. The expected outcome of each cell comes from
 * {@link AccessModel} (the rules of DESIGN.md §4); the actual one from PostgreSQL as {@code townhall_app} under
 * the actor's context. Each actor runs in one transaction, every write inside a savepoint that is rolled back.
 * A table added later is covered without editing this class ({@link TenantRows} builds its rows).
 */
@ExtendWith(PostgresExtension.class)
class TownIsolationMatrixTest {
    static final UUID RIVAL_ORG = UUID.fromString("00000000-0000-4000-8000-0000000000e1");
    static final UUID RIVAL_HQ = UUID.fromString("00000000-0000-4000-8000-0000000000e2");

    /** A row as seen from the actor's town X; O is the other one of aurora/fluenti, C is collaboration. */
    enum Kind {
        OWN_PRIVATE("own town, private"),
        OWN_SHARED("own town, shared org-wide"),
        OWN_SHARED_WITH_OTHER("own town, shared with the other town"),
        OTHER_PRIVATE("other town, private"),
        OTHER_SHARED("other town, shared org-wide"),
        OTHER_SHARED_WITH_ME("other town, shared with my town"),
        OTHER_SHARED_WITH_THIRD("other town, shared with a third town"),
        THIRD_PRIVATE("third town, private"),
        RIVAL_SHARED("other organisation, shared org-wide"),
        RIVAL_SHARED_WITH_ME("other organisation, shared with my town's id");

        final String label;

        Kind(String label) {
            this.label = label;
        }

        String key(UUID x) {
            UUID o = x.equals(AURORA) ? FLUENTI : AURORA;
            return switch (this) {
                case OWN_PRIVATE -> key(x, "private");
                case OWN_SHARED -> key(x, "shared");
                case OWN_SHARED_WITH_OTHER -> key(x, "shared-with:" + o);
                case OTHER_PRIVATE -> key(o, "private");
                case OTHER_SHARED -> key(o, "shared");
                case OTHER_SHARED_WITH_ME -> key(o, "shared-with:" + x);
                case OTHER_SHARED_WITH_THIRD -> key(o, "shared-with:" + COLLABORATION);
                case THIRD_PRIVATE -> key(COLLABORATION, "private");
                case RIVAL_SHARED -> key(RIVAL_HQ, "shared");
                case RIVAL_SHARED_WITH_ME -> key(RIVAL_HQ, "shared-with:ours");
            };
        }

        static String key(UUID town, String variant) {
            return town + "/" + variant;
        }
    }

    enum Op { SELECT, UPDATE, DELETE, INSERT, RETOWN }

    /** Who acts: a user in a town (town null: no context at all). {@code home} is the town kinds are relative to. */
    record Actor(String label, UUID user, UUID town, UUID home) {
    }

    /** How one fixture row was made: everything the insert cell needs to make another like it. */
    record Spec(UUID org, UUID town, boolean shared, List<UUID> sharedWith) {
    }

    record Cell(String table, Actor actor, String name, String expected, String actual) {
    }

    private final Database db;

    TownIsolationMatrixTest(Database db) {
        this.db = db;
    }

    @TestFactory
    Stream<DynamicNode> everyTenantTableRoleTownRowAndOperation() throws Exception {
        long started = System.nanoTime();
        List<Actor> actors;
        Map<String, Spec> specs = specs();
        Map<String, Map<String, UUID>> ids = new LinkedHashMap<>();
        Map<String, Map<UUID, Map<String, String>>> templates = new LinkedHashMap<>();
        Map<String, RuntimeException> unbuildable = new LinkedHashMap<>();
        Map<String, List<AccessModel.Row>> allRows = new LinkedHashMap<>();
        List<String> tables;
        List<String> catalogProblems;
        AccessModel model;
        try (Connection owner = db.owner().connect()) {
            actors = people(owner);
            TenantRows rows = new TenantRows(owner);
            tables = rows.tenantTables();
            catalogProblems = catalogProblems(owner);
            for (String table : tables) {
                try {
                    Map<String, UUID> byKey = new LinkedHashMap<>();
                    for (Map.Entry<String, Spec> e : specs.entrySet()) {
                        Spec s = e.getValue();
                        byKey.put(e.getKey(), rows.insert(table, s.org(), s.town(), s.shared(), s.sharedWith()));
                    }
                    Map<UUID, Map<String, String>> perTown = new LinkedHashMap<>();
                    for (Spec s : specs.values()) {
                        if (!perTown.containsKey(s.town())) {
                            perTown.put(s.town(), rows.template(table, s.org(), s.town()));
                        }
                    }
                    ids.put(table, byKey);
                    templates.put(table, perTown);
                } catch (TenantRows.CannotBuild e) {
                    unbuildable.put(table, e);
                }
            }
            model = AccessModel.load(owner);
            for (String table : ids.keySet()) {
                allRows.put(table, AccessModel.rows(owner, table));
            }
        }

        Map<Actor, List<Cell>> results = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(8, actors.size()));
        try {
            List<Future<?>> done = new ArrayList<>();
            for (Actor actor : actors) {
                done.add(pool.submit(() -> {
                    results.put(actor, run(actor, model, specs, ids, templates, allRows));
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        long cells = results.values().stream().mapToLong(List::size).sum();
        long millis = (System.nanoTime() - started) / 1_000_000;
        String summary = "isolation matrix: " + tables.size() + " tenant tables × " + actors.size() + " actors × "
                + Kind.values().length + " rows × " + Op.values().length + " operations + one list per table and actor = "
                + cells + " cells in " + millis + " ms";
        System.out.println(summary);

        List<DynamicNode> nodes = new ArrayList<>();
        nodes.add(DynamicTest.dynamicTest("the catalog names the tenant tables and nothing tenant-like is left out", () -> {
            assertThat(tables).as("core.tenant_tables").hasSizeGreaterThanOrEqualTo(40)
                    .contains("crm.companies", "crm.contacts", "memory.knowledge_base", "memory.embeddings");
            assertThat(catalogProblems).as("tables readable by the app that carry town_id but not the tenant policies,"
                    + " or tenant tables without forced RLS / all four tenant policies").isEmpty();
        }));
        nodes.add(DynamicTest.dynamicTest(summary, () -> assertThat(cells).isGreaterThan(0)));
        for (String table : tables) {
            List<DynamicNode> perTable = new ArrayList<>();
            perTable.add(DynamicTest.dynamicTest("rows of " + table + " can be built from the catalog", () -> {
                if (unbuildable.containsKey(table)) {
                    throw unbuildable.get(table);
                }
            }));
            for (Actor actor : actors) {
                List<DynamicNode> tests = results.get(actor).stream()
                        .filter(cell -> cell.table().equals(table))
                        .map(cell -> (DynamicNode) DynamicTest.dynamicTest(cell.name() + " → " + cell.expected(),
                                () -> assertThat(cell.actual())
                                        .as("%s as %s: %s", table, actor.label(), cell.name())
                                        .isEqualTo(cell.expected())))
                        .toList();
                if (!tests.isEmpty()) {
                    perTable.add(DynamicContainer.dynamicContainer(actor.label(), tests));
                }
            }
            nodes.add(DynamicContainer.dynamicContainer(table, perTable));
        }
        return nodes.stream();
    }

    /** Fixture rows made in every table: four per town of testpilot, three in a town of another organisation. */
    private static Map<String, Spec> specs() {
        Map<String, Spec> specs = new LinkedHashMap<>();
        List<UUID> ours = List.of(AURORA, FLUENTI, COLLABORATION);
        for (UUID town : ours) {
            specs.put(Kind.key(town, "private"), new Spec(ORG, town, false, List.of()));
            specs.put(Kind.key(town, "shared"), new Spec(ORG, town, true, List.of()));
            for (UUID other : ours) {
                if (!other.equals(town)) {
                    specs.put(Kind.key(town, "shared-with:" + other), new Spec(ORG, town, true, List.of(other)));
                }
            }
        }
        specs.put(Kind.key(RIVAL_HQ, "private"), new Spec(RIVAL_ORG, RIVAL_HQ, false, List.of()));
        specs.put(Kind.key(RIVAL_HQ, "shared"), new Spec(RIVAL_ORG, RIVAL_HQ, true, List.of()));
        specs.put(Kind.key(RIVAL_HQ, "shared-with:ours"), new Spec(RIVAL_ORG, RIVAL_HQ, true, List.of(AURORA, FLUENTI)));
        return specs;
    }

    /** Users with each role in aurora and fluenti, a non-member, an inactive owner, a rival capital owner. */
    private static List<Actor> people(Connection owner) throws SQLException {
        Sql.update(owner, "INSERT INTO core.organizations (id, slug, name) VALUES (?, 'rival', 'Rival Corp')", RIVAL_ORG);
        Sql.update(owner, "INSERT INTO core.towns (id, org_id, slug, name, is_capital) VALUES (?, ?, 'rival-hq', 'Rival HQ', true)",
                RIVAL_HQ, RIVAL_ORG);
        List<Actor> actors = new ArrayList<>();
        for (UUID town : List.of(AURORA, FLUENTI)) {
            String slug = town.equals(AURORA) ? "aurora" : "fluenti";
            for (AccessModel.Role role : AccessModel.Role.values()) {
                UUID user = Fixtures.user(owner, ORG, role.sql() + "-" + slug);
                Fixtures.member(owner, ORG, user, town, role, true);
                actors.add(new Actor(role.sql() + "@" + slug + (town.equals(AURORA) ? " (capital)" : ""), user, town, town));
            }
        }
        UUID nobody = Fixtures.user(owner, ORG, "nobody");
        Fixtures.member(owner, ORG, nobody, COLLABORATION, AccessModel.Role.OWNER, true);
        actors.add(new Actor("non-member acting in fluenti (owner of collaboration)", nobody, FLUENTI, FLUENTI));
        UUID inactive = Fixtures.user(owner, ORG, "inactive");
        Fixtures.member(owner, ORG, inactive, FLUENTI, AccessModel.Role.OWNER, false);
        actors.add(new Actor("inactive owner of fluenti", inactive, FLUENTI, FLUENTI));
        actors.add(new Actor("no context", null, null, FLUENTI));
        for (int i = 1; i <= 20; i++) {
            // people to reference from the rival organisation's rows (one active personality instance per user and town)
            Fixtures.user(owner, RIVAL_ORG, "rival-" + i);
        }
        UUID rival = Fixtures.user(owner, RIVAL_ORG, "rival-owner");
        Fixtures.member(owner, RIVAL_ORG, rival, RIVAL_HQ, AccessModel.Role.OWNER, true);
        actors.add(new Actor("owner of another organisation's capital", rival, RIVAL_HQ, null));
        return actors;
    }

    /** Runs every cell of one actor in one transaction as the application role; writes are rolled back. */
    private List<Cell> run(Actor actor, AccessModel model, Map<String, Spec> specs, Map<String, Map<String, UUID>> ids,
                           Map<String, Map<UUID, Map<String, String>>> templates,
                           Map<String, List<AccessModel.Row>> allRows) throws SQLException {
        Optional<AccessModel.Acting> acting = model.acting(actor.user(), actor.town());
        List<Cell> cells = new ArrayList<>();
        try (Connection c = db.app().connect()) {
            c.setAutoCommit(false);
            if (actor.user() != null) {
                Sql.enter(c, actor.user(), actor.town());
            }
            for (String table : ids.keySet()) {
                Map<UUID, AccessModel.Row> byId = allRows.get(table).stream()
                        .collect(Collectors.toMap(AccessModel.Row::id, r -> r));
                Set<UUID> expectedList = allRows.get(table).stream().filter(r -> model.canRead(acting, r))
                        .map(AccessModel.Row::id).collect(Collectors.toSet());
                String listed = attempt(c, () -> {
                    Set<UUID> seen = new HashSet<>(Sql.column(c, "SELECT id FROM " + table));
                    return describeList(seen, expectedList, byId);
                });
                cells.add(new Cell(table, actor, "LIST every row", describeList(expectedList, expectedList, byId), listed));
                if (actor.home() == null) {
                    continue;
                }
                for (Kind kind : Kind.values()) {
                    String key = kind.key(actor.home());
                    UUID id = ids.get(table).get(key);
                    AccessModel.Row row = byId.get(id);
                    Spec spec = specs.get(key);
                    for (Op op : Op.values()) {
                        String name = kind.label + ": " + op;
                        String expected;
                        String actual;
                        switch (op) {
                            case SELECT -> {
                                expected = model.canRead(acting, row) ? "visible" : "hidden";
                                actual = attempt(c, () -> Sql.count(c, "SELECT count(*) FROM " + table + " WHERE id = ?", id) == 1
                                        ? "visible" : "hidden");
                            }
                            case UPDATE -> {
                                expected = model.canWrite(acting, row) ? "1 row" : "0 rows";
                                actual = write(c, "UPDATE " + table + " SET shared_with = shared_with WHERE id = ?", id);
                            }
                            case DELETE -> {
                                expected = model.canWrite(acting, row) ? "1 row" : "0 rows";
                                actual = write(c, "DELETE FROM " + table + " WHERE id = ?", id);
                            }
                            case INSERT -> {
                                expected = model.canInsert(acting, spec.town()) ? "1 row" : "refused by RLS";
                                actual = write(c, TenantRows.insertSql(table, spec.org(), spec.town(), spec.shared(),
                                        spec.sharedWith(), templates.get(table).get(spec.town())));
                            }
                            case RETOWN -> {
                                UUID target = row.town().equals(actor.home())
                                        ? (actor.home().equals(AURORA) ? FLUENTI : AURORA) : actor.home();
                                name = kind.label + ": UPDATE town_id to " + (row.town().equals(actor.home())
                                        ? "another town (push out)" : "my town (pull in)");
                                expected = model.canWrite(acting, row) ? "refused by RLS" : "0 rows";
                                actual = write(c, "UPDATE " + table + " SET town_id = ? WHERE id = ?", target, id);
                            }
                            default -> throw new IllegalStateException();
                        }
                        cells.add(new Cell(table, actor, name, expected, actual));
                    }
                }
            }
            c.rollback();
        }
        return cells;
    }

    private static String describeList(Set<UUID> seen, Set<UUID> expected, Map<UUID, AccessModel.Row> byId) {
        Set<String> extra = new TreeSet<>();
        Set<String> missing = new TreeSet<>();
        seen.stream().filter(id -> !expected.contains(id)).forEach(id -> extra.add(describe(byId.get(id), id)));
        expected.stream().filter(id -> !seen.contains(id)).forEach(id -> missing.add(describe(byId.get(id), id)));
        if (extra.isEmpty() && missing.isEmpty()) {
            return "exactly the " + expected.size() + " readable rows";
        }
        return "sees " + seen.size() + " rows; should not see " + extra + "; misses " + missing;
    }

    private static String describe(AccessModel.Row row, UUID id) {
        if (row == null) {
            return id + " (not in the owner's view)";
        }
        return id + " (" + Fixtures.townName(row.town()) + (row.shared() ? ", shared with "
                + row.sharedWith().stream().map(Fixtures::townName).sorted().toList() : ", private") + ")";
    }

    interface SqlWork {
        String run() throws SQLException;
    }

    /** Runs a read inside a savepoint so an unexpected error becomes the cell's outcome, not the actor's end. */
    private static String attempt(Connection c, SqlWork work) throws SQLException {
        Sql.exec(c, "SAVEPOINT cell");
        try {
            String out = work.run();
            Sql.exec(c, "RELEASE SAVEPOINT cell");
            return out;
        } catch (SQLException e) {
            Sql.exec(c, "ROLLBACK TO SAVEPOINT cell");
            return outcome(e);
        }
    }

    /** Runs one write inside a savepoint that is always rolled back; the outcome is a row count or the refusal. */
    private static String write(Connection c, String sql, Object... params) throws SQLException {
        Sql.exec(c, "SAVEPOINT cell");
        try {
            int n = Sql.update(c, sql, params);
            return n == 1 ? "1 row" : n + " rows";
        } catch (SQLException e) {
            return outcome(e);
        } finally {
            Sql.exec(c, "ROLLBACK TO SAVEPOINT cell");
        }
    }

    static String outcome(SQLException e) {
        String message = e.getMessage() == null ? "" : e.getMessage().split("\n")[0];
        if ("42501".equals(e.getSQLState()) && message.contains("row-level security")) {
            return "refused by RLS";
        }
        return "error " + e.getSQLState() + ": " + message;
    }

    /**
     * Catalog guards that keep the matrix honest: a table the application can read that carries town_id must be a
     * tenant table (or an RLS-enabled core table, or an RLS-enabled legacy table: the import bookkeeping shown to the
     * run town's admins, covered by RecordsIsolationTest), and every tenant table has RLS forced and all four policies.
     */
    private static List<String> catalogProblems(Connection owner) throws SQLException {
        List<String> problems = new ArrayList<>(Sql.column(owner, """
                SELECT c.oid::regclass::text || ' has town_id and is readable by townhall_app but has no tenant policies'
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
                  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                  AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'town_id' AND NOT a.attisdropped)
                  AND has_table_privilege('townhall_app', c.oid, 'SELECT')
                  AND c.oid NOT IN (SELECT table_name FROM core.tenant_tables)
                  AND NOT (n.nspname IN ('core', 'legacy') AND c.relkind = 'r' AND c.relrowsecurity)
                  AND NOT (c.relkind = 'v' AND coalesce('security_invoker=true' = ANY (c.reloptions), false))
                ORDER BY 1"""));
        problems.addAll(Sql.column(owner, """
                SELECT table_name::text || ' (rls enabled ' || rls_enabled || ', forced ' || rls_forced
                       || ', tenant policies ' || tenant_policies || ')'
                FROM core.tenant_tables WHERE NOT rls_enabled OR NOT rls_forced OR tenant_policies <> 4 ORDER BY 1"""));
        return problems;
    }
}
