package dev.townhall.towns;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Database;
import dev.townhall.testing.PostgresExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;

import java.io.StringReader;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static dev.townhall.towns.Sql.AURORA;
import static dev.townhall.towns.Sql.COLLABORATION;
import static dev.townhall.towns.Sql.FLUENTI;
import static dev.townhall.towns.Sql.ORG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Ways out of a town that must stay shut, tried as the application role ({@code townhall_app}) the way a bug or
 * an attacker with SQL access would: changing the context variables, changing role, switching row security off,
 * SECURITY DEFINER functions, views, COPY, leaky functions in WHERE clauses, upserts onto other towns' rows,
 * SQL in town names, and the read-only analytics role. Aurora (the capital) holds private rows in every tenant
 * table; fred is a member of fluenti.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EscapeAttemptsTest {
    private static final String SECRET = "AuroraSecret";
    private static final String ALICE_HASH = "$argon2id$alice-only-" + "a".repeat(40);
    private static final String KEY_HASH = "k".repeat(64);
    private static final String TOKEN_HASH = "t".repeat(64);

    private final Database db;
    private List<String> tenantTables;
    /** table → id of its aurora-private row (and of the fluenti row). */
    private final Map<String, UUID> auroraRow = new LinkedHashMap<>();
    private final Map<String, UUID> fluentiRow = new LinkedHashMap<>();
    /** Ids of aurora's rows and the secret name: must never reach fred in fluenti. */
    private final Set<String> auroraRows = new HashSet<>();
    /** The above plus alice's credentials and ids (users are visible org-wide, but not through hostile calls). */
    private final Set<String> auroraSecrets = new HashSet<>();
    private UUID alice;
    private UUID fred;
    private UUID frank;
    private UUID nobody;
    private UUID inactive;
    private UUID secretContact;

    EscapeAttemptsTest(Database db) {
        this.db = db;
    }

    @BeforeAll
    void aurora_holds_private_rows_everywhere() throws SQLException {
        try (Connection owner = db.owner().connect()) {
            alice = Sql.one(owner, "INSERT INTO core.users (org_id, email, handle, password_hash) VALUES (?, 'alice@escape.test',"
                    + " 'alice', ?) RETURNING id", ORG, ALICE_HASH);
            fred = Fixtures.user(owner, ORG, "fred");
            frank = Fixtures.user(owner, ORG, "frank");
            nobody = Fixtures.user(owner, ORG, "nobody");
            inactive = Fixtures.user(owner, ORG, "inactive");
            Fixtures.member(owner, ORG, alice, AURORA, AccessModel.Role.OWNER, true);
            Fixtures.member(owner, ORG, fred, FLUENTI, AccessModel.Role.MEMBER, true);
            Fixtures.member(owner, ORG, frank, FLUENTI, AccessModel.Role.ADMIN, true);
            Fixtures.member(owner, ORG, nobody, COLLABORATION, AccessModel.Role.OWNER, true);
            Fixtures.member(owner, ORG, inactive, AURORA, AccessModel.Role.OWNER, false);
            UUID key = Sql.one(owner, "INSERT INTO core.api_keys (org_id, town_id, user_id, name, key_prefix, key_hash)"
                    + " VALUES (?, ?, ?, 'aurora key', 'aurora_key_1', ?) RETURNING id", ORG, AURORA, alice, KEY_HASH);
            UUID session = Sql.one(owner, "INSERT INTO core.sessions (org_id, user_id, town_id, token_hash, expires_at)"
                    + " VALUES (?, ?, ?, ?, now() + interval '1 day') RETURNING id", ORG, alice, AURORA, TOKEN_HASH);
            secretContact = Sql.one(owner, "INSERT INTO crm.contacts (org_id, town_id, first_name, last_name)"
                    + " VALUES (?, ?, ?, 'Private') RETURNING id", ORG, AURORA, SECRET);
            TenantRows rows = new TenantRows(owner);
            tenantTables = rows.tenantTables();
            for (String table : tenantTables) {
                auroraRow.put(table, rows.insert(table, ORG, AURORA, false, List.of()));
                fluentiRow.put(table, rows.insert(table, ORG, FLUENTI, false, List.of()));
            }
            // calendar entries for the heatmap and an open deal owned by alice, so the views have aurora rows to hide
            for (String table : tenantTables) {
                for (UUID id : Sql.<UUID>column(owner, "SELECT id FROM " + table + " WHERE town_id = ?", AURORA)) {
                    auroraRows.add(id.toString());
                }
            }
            Sql.update(owner, "UPDATE crm.deals SET owner_user_id = ? WHERE town_id = ?", alice, AURORA);
            auroraRows.add(SECRET);
            auroraSecrets.addAll(auroraRows);
            auroraSecrets.addAll(List.of(alice.toString(), ALICE_HASH, KEY_HASH, TOKEN_HASH, key.toString(),
                    session.toString()));
        }
    }

    // ---- the context variables ----------------------------------------------------------------------------

    @Test
    void noContextSeesNothingInAnyTenantTable() throws SQLException {
        for (Connection c : List.of(db.app().connect(), db.analytics().connect())) {
            try (c) {
                assertThat(visibleCounts(c)).as("no context at all").allSatisfy((t, n) -> assertThat(n).as(t).isZero());
                c.setAutoCommit(false);
                for (String[] garbage : new String[][] {{"", ""}, {"garbage", "garbage"}, {alice.toString(), ""},
                        {"", AURORA.toString()}, {alice.toString().toUpperCase() + " ", AURORA.toString()}}) {
                    Sql.rows(c, "SELECT set_config('townhall.user_id', ?, true), set_config('townhall.town_id', ?, true)",
                            garbage[0], garbage[1]);
                    assertThat(visibleCounts(c)).as("context %s", List.of(garbage))
                            .allSatisfy((t, n) -> assertThat(n).as(t).isZero());
                    c.rollback();
                }
            }
        }
    }

    @Test
    void settingTheTownToOneWithoutMembershipGrantsNothing() throws SQLException {
        try (Connection c = db.app().connect()) {
            c.setAutoCommit(false);
            Sql.enter(c, fred, FLUENTI);
            assertThat(Sql.count(c, "SELECT count(*) FROM crm.contacts WHERE id = ?", fluentiRow.get("crm.contacts")))
                    .as("fred sees fluenti first").isEqualTo(1);
            for (String how : List.of("SET LOCAL townhall.town_id = '" + AURORA + "'",
                    "SET townhall.town_id = '" + AURORA + "'",
                    "SELECT set_config('townhall.town_id', '" + AURORA + "', false)")) {
                Sql.exec(c, how);
                assertThat(Sql.<Object>one(c, "SELECT core.acting_town_id()")).as(how).isNull();
                assertThat(visibleCounts(c)).as("fred after %s", how).allSatisfy((t, n) -> assertThat(n).as(t).isZero());
                assertRefused(c, "INSERT INTO crm.contacts (org_id, town_id, first_name) VALUES ('" + ORG + "', '" + AURORA
                        + "', 'Sneaky')", "42501");
                assertThat(Sql.update(c, "UPDATE crm.contacts SET last_name = 'x' WHERE id = ?", secretContact)).isZero();
                assertThat(Sql.update(c, "DELETE FROM crm.contacts WHERE id = ?", secretContact)).isZero();
            }
            c.rollback();
        }
    }

    @Test
    void resettingTheContextMidTransactionSeesNothing() throws SQLException {
        try (Connection c = db.app().connect()) {
            c.setAutoCommit(false);
            Sql.enter(c, alice, AURORA);
            assertThat(Sql.count(c, "SELECT count(*) FROM crm.contacts WHERE id = ?", secretContact)).isEqualTo(1);
            Sql.exec(c, "RESET townhall.town_id");
            assertThat(visibleCounts(c)).as("after RESET townhall.town_id").allSatisfy((t, n) -> assertThat(n).as(t).isZero());
            Sql.enter(c, alice, AURORA);
            Sql.exec(c, "RESET townhall.user_id");
            assertThat(visibleCounts(c)).as("after RESET townhall.user_id").allSatisfy((t, n) -> assertThat(n).as(t).isZero());
            Sql.enter(c, alice, AURORA);
            Sql.exec(c, "RESET ALL");
            assertThat(visibleCounts(c)).as("after RESET ALL").allSatisfy((t, n) -> assertThat(n).as(t).isZero());
            // refused by the policy (town_id defaults to NULL) or by NOT NULL, whichever PostgreSQL checks first
            assertRefused(c, "INSERT INTO crm.contacts (first_name) VALUES ('No context')", "42501", "23502");
            c.rollback();
        }
    }

    @Test
    void forgedUserIdsGrantNothingBeyondMembership() throws SQLException {
        try (Connection c = db.app().connect()) {
            c.setAutoCommit(false);
            Map<String, UUID> forged = new LinkedHashMap<>();
            forged.put("a random uuid", UUID.randomUUID());
            forged.put("a user with no membership in aurora", nobody);
            forged.put("an inactive owner of aurora", inactive);
            forged.put("fred (member of fluenti only)", fred);
            forged.put("a town id used as a user id", AURORA);
            for (Map.Entry<String, UUID> e : forged.entrySet()) {
                Sql.enter(c, e.getValue(), AURORA);
                assertThat(visibleCounts(c)).as("%s acting in aurora", e.getKey())
                        .allSatisfy((t, n) -> assertThat(n).as(t).isZero());
                assertThat(Sql.count(c, "SELECT count(*) FROM core.acting_membership()")).as(e.getKey()).isZero();
                assertRefused(c, "INSERT INTO crm.contacts (org_id, town_id, first_name) VALUES ('" + ORG + "', '"
                        + AURORA + "', 'Forged')", "42501");
                c.rollback();
            }
        }
    }

    @Test
    void theContextEndsWithItsTransaction() throws SQLException {
        try (Connection c = db.app().connect()) {
            c.setAutoCommit(false);
            Sql.enter(c, alice, AURORA);
            assertThat(Sql.count(c, "SELECT count(*) FROM crm.contacts WHERE id = ?", secretContact)).isEqualTo(1);
            c.commit();
            assertThat(visibleCounts(c)).as("next transaction on the same connection")
                    .allSatisfy((t, n) -> assertThat(n).as(t).isZero());
            c.rollback();
        }
        try (Towns towns = Towns.open(db)) {
            // the pool hands the same few connections around: alice's context must not stay on them
            for (int i = 0; i < 20; i++) {
                long asAlice = towns.as(alice, AURORA).inTransaction(h -> h.createQuery(
                        "SELECT count(*) FROM crm.contacts WHERE id = :id").bind("id", secretContact).mapTo(Long.class).one());
                long asFred = towns.as(fred, FLUENTI).inTransaction(h -> h.createQuery(
                        "SELECT count(*) FROM crm.contacts WHERE id = :id").bind("id", secretContact).mapTo(Long.class).one());
                assertThat(asAlice).isEqualTo(1L);
                assertThat(asFred).isZero();
            }
        }
    }

    // ---- roles and row security ---------------------------------------------------------------------------

    @Test
    void theAppCannotBecomeTheOwner() throws SQLException {
        try (Connection c = db.app().connect()) {
            for (String attempt : List.of("SET ROLE townhall_owner", "SET SESSION AUTHORIZATION townhall_owner",
                    "SET ROLE townhall_analytics", "SET ROLE postgres", "SET LOCAL ROLE townhall_owner")) {
                c.setAutoCommit(false);
                assertThatThrownBy(() -> Sql.exec(c, attempt)).as(attempt).isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as(attempt).isIn("42501", "22023", "42704"));
                c.rollback();
                c.setAutoCommit(true);
            }
            assertThat(Sql.<String>one(c, "SELECT current_user::text")).isEqualTo(Database.APP_ROLE);
            List<Object[]> attrs = Sql.rows(c, "SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb, rolreplication"
                    + " FROM pg_roles WHERE rolname = current_user");
            assertThat(attrs.get(0)).as("superuser, bypassrls, createrole, createdb, replication")
                    .containsOnly(false);
            assertThat(Sql.column(c, "SELECT r.rolname::text FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid"
                    + " WHERE m.member = (SELECT oid FROM pg_roles WHERE rolname = current_user)"))
                    .as("roles the app is a member of").isEmpty();
        }
    }

    @Test
    void rowSecurityOffMakesQueriesFailInsteadOfBypassing() throws SQLException {
        try (Connection c = db.app().connect()) {
            c.setAutoCommit(false);
            Sql.enter(c, fred, FLUENTI);
            Sql.exec(c, "SET LOCAL row_security = off");
            for (String table : tenantTables) {
                Sql.exec(c, "SAVEPOINT s");
                assertThatThrownBy(() -> Sql.count(c, "SELECT count(*) FROM " + table))
                        .as(table).isInstanceOf(SQLException.class)
                        .hasMessageContaining("row-level security");
                Sql.exec(c, "ROLLBACK TO SAVEPOINT s");
            }
            c.rollback();
        }
    }

    @Test
    void theAppCannotChangeTheRulesOrTruncate() throws SQLException {
        try (Connection c = db.app().connect()) {
            c.setAutoCommit(false);
            Sql.enter(c, fred, FLUENTI);
            for (String attempt : List.of(
                    "ALTER TABLE crm.contacts DISABLE ROW LEVEL SECURITY",
                    "ALTER TABLE crm.contacts NO FORCE ROW LEVEL SECURITY",
                    "DROP POLICY tenant_select ON crm.contacts",
                    "CREATE POLICY open_door ON crm.contacts FOR SELECT USING (true)",
                    "ALTER POLICY tenant_select ON crm.contacts USING (true)",
                    "TRUNCATE crm.contacts",
                    "CREATE TABLE crm.backdoor (id uuid)",
                    "CREATE VIEW crm.backdoor AS SELECT * FROM crm.contacts",
                    "CREATE FUNCTION core.acting_town_id2() RETURNS uuid LANGUAGE sql AS 'SELECT NULL::uuid'",
                    "CREATE OR REPLACE FUNCTION core.readable_town_ids() RETURNS uuid[] LANGUAGE sql AS 'SELECT ARRAY[]::uuid[]'",
                    "GRANT townhall_owner TO townhall_app",
                    "ALTER ROLE townhall_app BYPASSRLS")) {
                Sql.exec(c, "SAVEPOINT s");
                assertThatThrownBy(() -> Sql.exec(c, attempt)).as(attempt).isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as(attempt).isEqualTo("42501"));
                Sql.exec(c, "ROLLBACK TO SAVEPOINT s");
            }
            c.rollback();
        }
        try (Connection owner = db.owner().connect()) {
            assertThat(Sql.column(owner, """
                    SELECT c.oid::regclass::text || ' ' || p.priv FROM pg_class c
                    JOIN pg_namespace n ON n.oid = c.relnamespace
                    CROSS JOIN unnest(ARRAY['TRUNCATE', 'REFERENCES', 'TRIGGER']) p(priv)
                    WHERE c.relkind IN ('r', 'p', 'v', 'm') AND n.nspowner = 'townhall_owner'::regrole
                      AND (has_table_privilege('townhall_app', c.oid, p.priv)
                           OR has_table_privilege('townhall_analytics', c.oid, p.priv))"""))
                    .as("TRUNCATE bypasses RLS; REFERENCES and TRIGGER open side doors").isEmpty();
            assertThat(Sql.column(owner, """
                    SELECT n.nspname::text FROM pg_namespace n
                    WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
                      AND (has_schema_privilege('townhall_app', n.oid, 'CREATE')
                           OR has_schema_privilege('townhall_analytics', n.oid, 'CREATE'))"""))
                    .as("schemas where the application roles may create objects").isEmpty();
        }
    }

    // ---- functions, views, COPY ---------------------------------------------------------------------------

    @Test
    void securityDefinerFunctionsAreLockedDown() throws SQLException {
        try (Connection owner = db.owner().connect()) {
            List<String> definers = Sql.column(owner, """
                    SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                    WHERE p.prosecdef AND n.nspowner = 'townhall_owner'::regrole ORDER BY 1""");
            assertThat(definers).as("the definer functions docs/schema.md names")
                    .contains("core.acting_membership()", "core.readable_town_ids()", "core.acting_can_admin(uuid)",
                            "core.find_login(text,text)", "core.find_api_key(text)", "core.find_session(text)");
            assertThat(Sql.column(owner, """
                    SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                    WHERE p.prosecdef AND n.nspowner = 'townhall_owner'::regrole
                      AND (p.proconfig IS NULL OR NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) s WHERE s LIKE 'search\\_path=%')
                           OR p.proacl IS NULL
                           OR EXISTS (SELECT 1 FROM aclexplode(p.proacl) a WHERE a.grantee = 0))
                    ORDER BY 1"""))
                    .as("SECURITY DEFINER functions without a pinned search_path, or executable by PUBLIC").isEmpty();
        }
    }

    @Test
    void securityDefinerFunctionsLeakNothingToHostileCalls() throws SQLException {
        List<Object[]> functions;
        try (Connection owner = db.owner().connect()) {
            functions = Sql.rows(owner, """
                    SELECT p.oid::regprocedure::text, n.nspname || '.' || p.proname,
                           coalesce((SELECT array_agg(format_type(t.oid, NULL) ORDER BY x.n)
                                     FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY x(typ, n) JOIN pg_type t ON t.oid = x.typ),
                                    '{}')
                    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                    WHERE p.prosecdef AND n.nspowner = 'townhall_owner'::regrole AND p.prokind = 'f'
                      AND has_function_privilege('townhall_app', p.oid, 'EXECUTE')
                    ORDER BY 1""");
        }
        assertThat(functions).isNotEmpty();
        Map<String, UUID[]> contexts = new LinkedHashMap<>();
        contexts.put("no context", null);
        contexts.put("garbage settings", new UUID[] {null, null});
        contexts.put("fred claiming aurora", new UUID[] {fred, AURORA});
        contexts.put("a random user claiming aurora", new UUID[] {UUID.randomUUID(), AURORA});
        contexts.put("an inactive owner of aurora", new UUID[] {inactive, AURORA});
        contexts.put("fred in fluenti", new UUID[] {fred, FLUENTI});
        int calls = 0;
        try (Connection c = db.app().connect()) {
            c.setAutoCommit(false);
            for (Object[] f : functions) {
                String signature = (String) f[0];
                String name = (String) f[1];
                List<String> types = List.of((String[]) f[2]).stream().map(String::valueOf).toList();
                for (List<String> args : combinations(types)) {
                    String call = "SELECT * FROM " + name + "(" + String.join(", ", args) + ")";
                    for (Map.Entry<String, UUID[]> ctx : contexts.entrySet()) {
                        if (ctx.getValue() == null) {
                            Sql.rows(c, "SELECT 1");
                        } else if (ctx.getValue()[0] == null) {
                            Sql.rows(c, "SELECT set_config('townhall.user_id', 'garbage', true),"
                                    + " set_config('townhall.town_id', 'x', true)");
                        } else {
                            Sql.enter(c, ctx.getValue()[0], ctx.getValue()[1]);
                        }
                        List<Object[]> out;
                        try {
                            out = Sql.rows(c, call);
                        } catch (SQLException e) {
                            c.rollback();
                            continue; // refusing is fine; nothing leaked
                        }
                        calls++;
                        String text = render(out);
                        for (String secret : auroraSecrets) {
                            assertThat(text).as("%s under %s returned %s", call, ctx.getKey(), text).doesNotContain(secret);
                        }
                        assertThat(text).as("%s under %s", call, ctx.getKey()).doesNotContain(AURORA.toString());
                        if (!ctx.getKey().equals("fred in fluenti")) {
                            assertThat(isEmpty(out)).as("%s (%s) under %s returned %s", call, signature, ctx.getKey(), text)
                                    .isTrue();
                        }
                        c.rollback();
                    }
                }
            }
        }
        assertThat(calls).isGreaterThan(50);
    }

    @Test
    void everyViewRunsAsTheInvokerAndShowsFluentiNothingOfAurora() throws SQLException {
        List<String> views;
        try (Connection owner = db.owner().connect()) {
            assertThat(Sql.column(owner, """
                    SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE c.relkind = 'v' AND n.nspowner = 'townhall_owner'::regrole
                      AND NOT coalesce('security_invoker=true' = ANY (c.reloptions), false)"""))
                    .as("views without security_invoker (they would read with the owner's rights)").isEmpty();
            assertThat(Sql.column(owner, """
                    SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE c.relkind = 'm' AND n.nspowner = 'townhall_owner'::regrole
                      AND (has_table_privilege('townhall_app', c.oid, 'SELECT')
                           OR has_table_privilege('townhall_analytics', c.oid, 'SELECT'))"""))
                    .as("materialized views readable by the application (RLS never applies to them)").isEmpty();
            views = Sql.column(owner, """
                    SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE c.relkind = 'v' AND n.nspowner = 'townhall_owner'::regrole
                      AND has_table_privilege('townhall_app', c.oid, 'SELECT') ORDER BY 1""");
        }
        assertThat(views).contains("intel.capacity_heatmap", "intel.deal_risk_analysis", "intel.revenue_metrics",
                "intel.team_workload", "intel.ai_costs", "comms.communication_fatigue");
        List<String> auroraVisibleToCapital = new ArrayList<>();
        for (String view : views) {
            boolean hasTown;
            try (Connection owner = db.owner().connect()) {
                hasTown = Sql.count(owner, "SELECT count(*) FROM pg_attribute WHERE attrelid = ?::regclass AND attname = 'town_id'",
                        view) > 0;
            }
            try (Connection c = db.app().connect()) {
                c.setAutoCommit(false);
                Sql.enter(c, fred, FLUENTI);
                List<Object[]> rows = Sql.rows(c, "SELECT * FROM " + view);
                String text = render(rows);
                for (String secret : auroraRows) {
                    assertThat(text).as("%s as fred@fluenti", view).doesNotContain(secret);
                }
                if (hasTown) {
                    assertThat(Sql.count(c, "SELECT count(*) FROM " + view + " WHERE town_id IS DISTINCT FROM ?", FLUENTI))
                            .as("%s rows of other towns as fred@fluenti", view).isZero();
                }
                c.rollback();
                Sql.enter(c, alice, AURORA);
                if (hasTown && Sql.count(c, "SELECT count(*) FROM " + view + " WHERE town_id = ?", AURORA) > 0) {
                    auroraVisibleToCapital.add(view);
                }
                c.rollback();
            }
        }
        assertThat(auroraVisibleToCapital).as("views that do show aurora rows to the capital (so the checks above bite)")
                .contains("intel.capacity_heatmap", "intel.deal_risk_analysis", "intel.team_workload",
                        "comms.communication_fatigue");
    }

    @Test
    void copyReturnsOnlyVisibleRowsAndCopyInIsRefused() throws Exception {
        Set<String> partitioned;
        try (Connection owner = db.owner().connect()) {
            partitioned = Set.copyOf(Sql.<String>column(owner,
                    "SELECT oid::regclass::text FROM pg_class WHERE relkind = 'p' AND relnamespace::regnamespace::text <> 'pg_catalog'"));
        }
        try (Connection c = db.app().connect()) {
            PGConnection pg = c.unwrap(PGConnection.class);
            c.setAutoCommit(false);
            Sql.enter(c, fred, FLUENTI);
            for (String table : tenantTables) {
                for (String copy : List.of("COPY (SELECT * FROM " + table + ") TO STDOUT", "COPY " + table + " TO STDOUT")) {
                    StringWriter out = new StringWriter();
                    try {
                        pg.getCopyAPI().copyOut(copy, out);
                    } catch (SQLException refused) {
                        c.rollback();
                        Sql.enter(c, fred, FLUENTI);
                        continue; // refusing is acceptable; returning other towns' rows is not
                    }
                    String text = out.toString();
                    assertThat(text).as(copy).doesNotContain(auroraRow.get(table).toString()).doesNotContain(SECRET);
                    // COPY of a partitioned table under RLS reads ONLY the parent, which holds no rows itself:
                    // empty, which leaks nothing; the COPY (SELECT …) form must still show fred his own row
                    boolean plainCopyOfPartitioned = copy.startsWith("COPY " + table) && partitioned.contains(table);
                    if (!plainCopyOfPartitioned) {
                        assertThat(text).as(copy + " still shows fred his own row").contains(fluentiRow.get(table).toString());
                    }
                    for (String line : text.split("\n")) {
                        assertThat(line).as(copy).doesNotContain(AURORA.toString()).doesNotContain(COLLABORATION.toString());
                    }
                }
            }
            c.rollback();
            StringWriter none = new StringWriter();
            pg.getCopyAPI().copyOut("COPY crm.contacts TO STDOUT", none);
            assertThat(none.toString()).as("COPY without a context").isEmpty();
            c.rollback();
            Sql.enter(c, fred, FLUENTI);
            assertThatThrownBy(() -> pg.getCopyAPI().copyIn("COPY crm.contacts (org_id, town_id, first_name) FROM STDIN",
                    new StringReader(ORG + "\t" + AURORA + "\tCopied\n")))
                    .isInstanceOf(SQLException.class);
            c.rollback();
            assertThatThrownBy(() -> Sql.exec(c, "COPY crm.contacts TO '/tmp/townhall-leak.csv'"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
            c.rollback();
        }
    }

    @Test
    void leakyFunctionsAndErrorsInWhereClausesSeeOnlyVisibleRows() throws SQLException {
        try (Connection c = db.app().connect()) {
            c.setAutoCommit(false);
            boolean temporaryFunctions = true;
            try {
                Sql.exec(c, "CREATE FUNCTION pg_temp.peek(text) RETURNS boolean LANGUAGE plpgsql COST 0.0000001 AS"
                        + " $$BEGIN RAISE NOTICE 'peek %', $1; RETURN true; END$$");
            } catch (SQLException e) {
                temporaryFunctions = false; // the app may not create temporary functions at all: nothing to leak through
                c.rollback();
            }
            Sql.enter(c, fred, FLUENTI);
            if (temporaryFunctions) {
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT count(*) FROM crm.contacts WHERE pg_temp.peek(first_name || ' ' || coalesce(last_name, ''))");
                    StringBuilder notices = new StringBuilder();
                    for (SQLWarning w = s.getWarnings(); w != null; w = w.getNextWarning()) {
                        notices.append(w.getMessage()).append('\n');
                    }
                    assertThat(notices.toString()).as("notices raised by a cheap, leaky function in WHERE")
                            .doesNotContain(SECRET);
                }
            }
            Sql.exec(c, "SAVEPOINT s");
            try {
                Sql.count(c, "SELECT count(*) FROM crm.contacts WHERE first_name::integer = 0");
            } catch (SQLException e) {
                assertThat(e.getMessage()).as("error raised by a cast in WHERE").doesNotContain(SECRET);
            }
            Sql.exec(c, "ROLLBACK TO SAVEPOINT s");
            c.rollback();
        }
    }

    @Test
    void upsertingOntoAnotherTownsRowIsRefused() throws SQLException {
        try (Connection c = db.app().connect()) {
            c.setAutoCommit(false);
            Sql.enter(c, fred, FLUENTI);
            String upsert = "INSERT INTO crm.contacts (id, org_id, town_id, first_name) VALUES ('" + secretContact + "', '"
                    + ORG + "', '" + FLUENTI + "', 'Hijack') ON CONFLICT (id) DO UPDATE SET first_name = 'Hijacked'"
                    + " RETURNING first_name, last_name";
            assertThatThrownBy(() -> Sql.rows(c, upsert)).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"))
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET));
            c.rollback();
            Sql.enter(c, fred, FLUENTI);
            assertThat(Sql.update(c, "INSERT INTO crm.contacts (id, org_id, town_id, first_name) VALUES (?, ?, ?, 'Hijack')"
                    + " ON CONFLICT (id) DO NOTHING", secretContact, ORG, FLUENTI)).isZero();
            c.commit();
        }
        try (Connection owner = db.owner().connect()) {
            assertThat(Sql.rows(owner, "SELECT town_id, first_name FROM crm.contacts WHERE id = ?", secretContact).get(0))
                    .containsExactly(AURORA, SECRET);
        }
    }

    /** The owner's switch for bulk loads that refresh engagement once at their end (crm-120) is not the app's. */
    @Test
    void theAppCannotDeferEngagementLikeABulkLoad() throws SQLException {
        UUID contact = fluentiRow.get("crm.contacts");
        try (Connection c = db.app().connect()) {
            c.setAutoCommit(false);
            Sql.enter(c, fred, FLUENTI);
            Sql.rows(c, "SELECT set_config('townhall.bulk', 'on', true), set_config('townhall.defer_engagement', 'on', true)");
            long before = Sql.count(c, "SELECT touch_count FROM crm.contacts WHERE id = ?", contact);
            Sql.update(c, "INSERT INTO crm.activities (org_id, town_id, activity_type, occurred_at, contact_id)"
                    + " VALUES (?, ?, 'note', now(), ?)", ORG, FLUENTI, contact);
            assertThat(Sql.count(c, "SELECT touch_count FROM crm.contacts WHERE id = ?", contact)).isEqualTo(before + 1);
            c.rollback();
        }
    }

    @Test
    void invokerFunctionsCannotTouchOtherTowns() throws SQLException {
        List<Object[]> functions;
        String before;
        try (Connection owner = db.owner().connect()) {
            before = auroraSnapshot(owner);
            functions = Sql.rows(owner, """
                    SELECT n.nspname || '.' || p.proname,
                           coalesce((SELECT array_agg(format_type(t.oid, NULL) ORDER BY x.n)
                                     FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY x(typ, n) JOIN pg_type t ON t.oid = x.typ),
                                    '{}')
                    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                    WHERE NOT p.prosecdef AND n.nspowner = 'townhall_owner'::regrole AND p.prokind = 'f'
                      AND p.prorettype <> 'trigger'::regtype
                      AND has_function_privilege('townhall_app', p.oid, 'EXECUTE')
                    ORDER BY 1""");
        }
        String auroraIds = "ARRAY['" + String.join("','", auroraRow.values().stream().map(UUID::toString).toList()) + "']::uuid[]";
        int called = 0;
        try (Connection c = db.app().connect()) {
            c.setAutoCommit(false);
            for (Object[] f : functions) {
                List<String> args = new ArrayList<>();
                for (Object type : (Object[]) f[1]) {
                    args.add(switch (String.valueOf(type)) {
                        case "uuid" -> "'" + AURORA + "'::uuid";
                        case "uuid[]" -> auroraIds;
                        case "text" -> "'x'";
                        case "integer", "smallint", "bigint", "numeric" -> "1";
                        default -> "NULL::" + type;
                    });
                }
                Sql.enter(c, fred, FLUENTI);
                Sql.exec(c, "SAVEPOINT s");
                try {
                    Sql.rows(c, "SELECT " + f[0] + "(" + String.join(", ", args) + ")");
                    called++;
                    Sql.exec(c, "RELEASE SAVEPOINT s");
                } catch (SQLException refused) {
                    Sql.exec(c, "ROLLBACK TO SAVEPOINT s");
                }
                c.commit();
            }
        }
        assertThat(called).as("functions called").isGreaterThan(0);
        try (Connection owner = db.owner().connect()) {
            assertThat(auroraSnapshot(owner)).as("aurora's rows after fred called every function with aurora's ids")
                    .isEqualTo(before);
        }
    }

    /**
     * Every town's sessions share the one application role, and pg_stat_statements shows a role the texts of its
     * own statements: what aurora's sessions ran must not reach fred through the statistics (constants of
     * planned statements are normalised to $n; utility statements such as COPY are another matter).
     */
    @Test
    void queryStatisticsCarryNoOtherTownsLiterals() throws Exception {
        try (Connection c = db.app().connect()) {
            c.setAutoCommit(false);
            Sql.enter(c, alice, AURORA);
            try (Statement s = c.createStatement()) {
                s.executeQuery("SELECT count(*) FROM crm.contacts WHERE first_name = 'AuroraStatSelect'").close();
            }
            c.unwrap(PGConnection.class).getCopyAPI().copyOut(
                    "COPY (SELECT id FROM crm.contacts WHERE first_name = 'AuroraStatCopy') TO STDOUT", new StringWriter());
            c.commit();
        }
        try (Connection c = db.app().connect()) {
            c.setAutoCommit(false);
            Sql.enter(c, fred, FLUENTI);
            List<String> texts;
            try {
                texts = Sql.column(c, "SELECT query FROM pg_stat_statements WHERE query LIKE '%AuroraStat%'");
            } catch (SQLException refused) {
                return; // statistics not readable by the application: nothing to leak
            }
            assertThat(texts).as("statement texts of aurora's sessions that fred@fluenti reads from pg_stat_statements")
                    .isEmpty();
        }
    }

    // ---- names, analytics, core tables -------------------------------------------------------------------

    @Test
    void sqlInTownAndUserNamesIsRejectedOrHarmless() throws SQLException {
        String evil = "x'); DROP TABLE crm.companies; --";
        try (Towns towns = Towns.open(db)) {
            assertThatThrownBy(() -> towns.create(evil, null, false)).isInstanceOf(TownHallException.class)
                    .satisfies(e -> assertThat(((TownHallException) e).code()).isEqualTo(ErrorCode.INVALID_INPUT));
            assertThatThrownBy(() -> towns.as("alice@" + evil)).isInstanceOf(TownHallException.class)
                    .satisfies(e -> assertThat(((TownHallException) e).code()).isEqualTo(ErrorCode.NOT_FOUND));
            assertThatThrownBy(() -> towns.as(evil + "@aurora")).isInstanceOf(TownHallException.class)
                    .satisfies(e -> assertThat(((TownHallException) e).code()).isEqualTo(ErrorCode.NOT_FOUND));
            assertThatThrownBy(() -> towns.addMember("fred", evil, Role.OWNER)).isInstanceOf(TownHallException.class);
            assertThatThrownBy(() -> towns.move("crm.companies", auroraRow.get("crm.companies"), evil))
                    .isInstanceOf(TownHallException.class);
            assertThatThrownBy(() -> towns.share("crm.companies; DROP TABLE crm.companies; --", auroraRow.get("crm.companies"),
                    List.of())).isInstanceOf(TownHallException.class)
                    .satisfies(e -> assertThat(((TownHallException) e).code()).isEqualTo(ErrorCode.INVALID_INPUT));
            assertThatThrownBy(() -> towns.share("crm.companies", auroraRow.get("crm.companies"), List.of(evil)))
                    .isInstanceOf(TownHallException.class);
            Town named = towns.create("evil-name", evil, false);
            assertThat(towns.town("evil-name").name()).isEqualTo(evil);
            towns.addUser("bobby@escape.test", "bobby", evil, "Tables");
            // arbitrary SQL through the support command still runs as the app role under the context
            assertThatThrownBy(() -> Towns.sql(towns.as(fred, FLUENTI), "DROP TABLE crm.companies"))
                    .isInstanceOf(TownHallException.class).hasMessageContaining("must be owner");
            assertThat(Towns.sql(towns.as(fred, FLUENTI), "SELECT count(*) FROM crm.contacts WHERE id = '" + secretContact + "'")
                    .rows()).containsExactly(List.of("0"));
            assertThat(named.slug()).isEqualTo("evil-name");
        }
        try (Connection owner = db.owner().connect()) {
            assertThat(Sql.<Object>one(owner, "SELECT to_regclass('crm.companies')")).isNotNull();
            assertThat(Sql.count(owner, "SELECT count(*) FROM crm.companies WHERE id = ?", auroraRow.get("crm.companies")))
                    .isEqualTo(1);
        }
    }

    @Test
    void theAnalyticsRoleReadsUnderAContextButCannotWrite() throws SQLException {
        try (Connection owner = db.owner().connect()) {
            assertThat(Sql.column(owner, """
                    SELECT c.oid::regclass::text || ' ' || p.priv FROM pg_class c
                    JOIN pg_namespace n ON n.oid = c.relnamespace
                    CROSS JOIN unnest(ARRAY['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) p(priv)
                    WHERE c.relkind IN ('r', 'p', 'v') AND has_table_privilege('townhall_analytics', c.oid, p.priv)
                      AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'"""))
                    .as("write privileges of townhall_analytics").isEmpty();
        }
        try (Connection c = db.analytics().connect()) {
            c.setAutoCommit(false);
            Sql.enter(c, alice, AURORA);
            assertThat(Sql.count(c, "SELECT count(*) FROM crm.contacts WHERE id = ?", fluentiRow.get("crm.contacts")))
                    .as("capital analytics reads fluenti").isEqualTo(1);
            for (String table : tenantTables) {
                for (String write : List.of("UPDATE " + table + " SET shared_with = shared_with",
                        "DELETE FROM " + table, "INSERT INTO " + table + " (org_id, town_id) VALUES ('" + ORG + "', '" + AURORA + "')")) {
                    Sql.exec(c, "SAVEPOINT s");
                    assertThatThrownBy(() -> Sql.exec(c, write)).as(write).isInstanceOf(SQLException.class)
                            .hasMessageContaining("permission denied");
                    Sql.exec(c, "ROLLBACK TO SAVEPOINT s");
                }
            }
            Sql.exec(c, "SAVEPOINT s");
            assertThatThrownBy(() -> Sql.rows(c, "SELECT * FROM core.find_login('testpilot', 'alice@escape.test')"))
                    .hasMessageContaining("permission denied");
            Sql.exec(c, "ROLLBACK TO SAVEPOINT s");
            c.rollback();
        }
    }

    @Test
    void coreTablesShowFluentiNothingOfAuroraCredentials() throws SQLException {
        try (Connection c = db.app().connect()) {
            c.setAutoCommit(false);
            for (UUID user : List.of(fred, frank)) {
                Sql.enter(c, user, FLUENTI);
                assertThat(Sql.count(c, "SELECT count(*) FROM core.api_keys")).as("api keys").isZero();
                assertThat(Sql.count(c, "SELECT count(*) FROM core.sessions")).as("sessions").isZero();
                assertThat(Sql.count(c, "SELECT count(*) FROM core.memberships WHERE town_id <> ?", FLUENTI))
                        .as("memberships of other towns").isZero();
                assertThat(Sql.count(c, "SELECT count(*) FROM core.audit_log WHERE town_id IS DISTINCT FROM ?", FLUENTI))
                        .as("audit rows of other towns").isZero();
                assertThat(Sql.update(c, "UPDATE core.api_keys SET revoked_at = now()")).isZero();
                assertThat(Sql.update(c, "DELETE FROM core.memberships WHERE town_id = ?", AURORA)).isZero();
                Sql.exec(c, "SAVEPOINT s");
                assertThatThrownBy(() -> Sql.exec(c, "INSERT INTO core.memberships (org_id, user_id, town_id, role)"
                        + " VALUES ('" + ORG + "', '" + user + "', '" + AURORA + "', 'owner')"))
                        .hasMessageContaining("row-level security");
                Sql.exec(c, "ROLLBACK TO SAVEPOINT s");
                c.rollback();
            }
        }
    }

    /**
     * The group of the old services' bound logins ({@code townhall_compat}; the logins themselves are tried in
     * compat.LoginsTest) reaches no credential: no authentication lookup, no table of keys, sessions or bindings,
     * nothing in legacy (the id map), and no role it could become.
     */
    @Test
    void theCompatGroupReachesNoCredentials() throws SQLException {
        try (Connection owner = db.owner().connect()) {
            String lookups = """
                    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                    WHERE n.nspname = 'core' AND (p.proname ~ '^find_' OR p.proname = 'touch_api_key')""";
            assertThat(Sql.count(owner, "SELECT count(*) " + lookups)).as("authentication lookups").isGreaterThanOrEqualTo(4);
            assertThat(Sql.column(owner, "SELECT p.oid::regprocedure::text " + lookups
                    + " AND has_function_privilege('townhall_compat', p.oid, 'EXECUTE') ORDER BY 1")).isEmpty();
            for (String table : List.of("core.api_keys", "core.sessions", "core.login_bindings")) {
                assertThat(Sql.<Boolean>one(owner, "SELECT has_table_privilege('townhall_compat', ?::regclass,"
                        + " 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')", table)).as(table).isFalse();
            }
            assertThat(Sql.<Boolean>one(owner, "SELECT has_schema_privilege('townhall_compat', 'legacy', 'USAGE')")).isFalse();
            assertThat(Sql.column(owner, "SELECT m.roleid::regrole::text FROM pg_auth_members m"
                    + " WHERE m.member = 'townhall_compat'::regrole")).as("roles the group is a member of").isEmpty();
        }
    }

    /**
     * A town admin manages users of their organisation (core.users_update lets any owner/admin update any user of
     * the organisation). Rewriting the capital owner's email or password hash would hand fluenti's admin the
     * capital; the database must not allow it.
     */
    @Test
    void aTownAdminCannotTakeOverACapitalUser() throws SQLException {
        try (Connection c = db.app().connect()) {
            c.setAutoCommit(false);
            Sql.enter(c, frank, FLUENTI);
            Sql.exec(c, "SAVEPOINT s");
            int changed;
            try {
                changed = Sql.update(c, "UPDATE core.users SET password_hash = 'frank-knows-this-hash', email = 'frank+alice@escape.test'"
                        + " WHERE id = ?", alice);
            } catch (SQLException refused) {
                changed = 0;
            }
            c.rollback();
            assertThat(changed).as("users rows of the capital's owner that fluenti's admin could rewrite"
                    + " (password_hash, email: an account takeover of the capital)").isZero();
        }
    }

    /** Who may update whose core.users row: oneself; town owners/admins only users entirely inside their town. */
    @Test
    void userRowsAreManagedOnlyByAdminsOfEveryTownTheUserBelongsTo() throws SQLException {
        UUID twoTowns;
        UUID unattached;
        try (Connection owner = db.owner().connect()) {
            twoTowns = Fixtures.user(owner, ORG, "two-towns");
            Fixtures.member(owner, ORG, twoTowns, FLUENTI, AccessModel.Role.MEMBER, true);
            Fixtures.member(owner, ORG, twoTowns, COLLABORATION, AccessModel.Role.MEMBER, true);
            unattached = Fixtures.user(owner, ORG, "unattached");
        }
        Map<String, Integer> changed = new LinkedHashMap<>();
        Object[][] cases = {
                {"frank (admin of fluenti) edits fred (fluenti only)", frank, FLUENTI, fred},
                {"frank edits alice (capital owner)", frank, FLUENTI, alice},
                {"frank edits a member of fluenti and collaboration", frank, FLUENTI, twoTowns},
                {"frank edits a user without memberships", frank, FLUENTI, unattached},
                {"fred (member) edits himself", fred, FLUENTI, fred},
                {"fred edits frank", fred, FLUENTI, frank},
                {"alice (capital owner) edits fred", alice, AURORA, fred},
                {"alice edits a member of two towns", alice, AURORA, twoTowns},
                {"alice edits a user without memberships", alice, AURORA, unattached}};
        try (Connection c = db.app().connect()) {
            c.setAutoCommit(false);
            for (Object[] k : cases) {
                Sql.enter(c, (UUID) k[1], (UUID) k[2]);
                changed.put((String) k[0], Sql.update(c, "UPDATE core.users SET job_title = 'Edited' WHERE id = ?", k[3]));
                c.rollback();
            }
        }
        assertThat(changed).containsExactly(
                Map.entry("frank (admin of fluenti) edits fred (fluenti only)", 1),
                Map.entry("frank edits alice (capital owner)", 0),
                Map.entry("frank edits a member of fluenti and collaboration", 0),
                Map.entry("frank edits a user without memberships", 0),
                Map.entry("fred (member) edits himself", 1),
                Map.entry("fred edits frank", 0),
                Map.entry("alice (capital owner) edits fred", 1),
                Map.entry("alice edits a member of two towns", 1),
                Map.entry("alice edits a user without memberships", 1));
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private Map<String, Long> visibleCounts(Connection c) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : tenantTables) {
            counts.put(table, Sql.count(c, "SELECT count(*) FROM " + table));
        }
        return counts;
    }

    private static void assertRefused(Connection c, String sql, String... sqlStates) throws SQLException {
        Sql.exec(c, "SAVEPOINT refused");
        assertThatThrownBy(() -> Sql.exec(c, sql)).as(sql).isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as(sql).isIn((Object[]) sqlStates));
        Sql.exec(c, "ROLLBACK TO SAVEPOINT refused");
    }

    /** Hostile arguments per parameter type: wildcards, injections, other towns' ids, NULL. */
    private List<List<String>> combinations(List<String> types) {
        List<List<String>> out = new ArrayList<>();
        out.add(new ArrayList<>());
        for (String type : types) {
            List<String> values = switch (type) {
                case "text", "citext", "character varying" -> List.of("NULL::text", "''", "'%'", "'.*'", "'testpilot'",
                        "'''' OR ''1''=''1'", Sql.literal("x'); DROP TABLE crm.companies; --"), "'aurora_key'",
                        "'alice%'");
                case "uuid" -> List.of("NULL::uuid", "'" + AURORA + "'::uuid", "'" + alice + "'::uuid",
                        "'" + UUID.randomUUID() + "'::uuid", "'" + secretContact + "'::uuid", "'" + COLLABORATION + "'::uuid");
                case "uuid[]" -> List.of("'{}'::uuid[]", "ARRAY['" + AURORA + "', '" + secretContact + "']::uuid[]");
                default -> List.of("NULL::" + type);
            };
            List<List<String>> next = new ArrayList<>();
            for (List<String> prefix : out) {
                for (String v : values) {
                    List<String> args = new ArrayList<>(prefix);
                    args.add(v);
                    next.add(args);
                }
            }
            out = next;
        }
        return out;
    }

    private static String render(List<Object[]> rows) {
        StringBuilder b = new StringBuilder();
        for (Object[] row : rows) {
            for (Object v : row) {
                b.append(v instanceof Object[] array ? List.of(array).toString() : String.valueOf(v)).append('|');
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** No rows, or rows whose every value is NULL, false or an empty array. */
    private static boolean isEmpty(List<Object[]> rows) {
        for (Object[] row : rows) {
            for (Object v : row) {
                boolean empty = v == null || Boolean.FALSE.equals(v) || (v instanceof Object[] a && a.length == 0);
                if (!empty) {
                    return false;
                }
            }
        }
        return true;
    }

    private String auroraSnapshot(Connection owner) throws SQLException {
        StringBuilder b = new StringBuilder();
        for (String table : tenantTables) {
            b.append(table).append('=').append(Sql.<Object>one(owner, "SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t.id), ''))"
                    + " FROM " + table + " t WHERE t.town_id = ?", AURORA)).append('\n');
        }
        return b.toString();
    }
}
