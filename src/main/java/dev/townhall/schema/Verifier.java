package dev.townhall.schema;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Endpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Post-migration checks (seed 004's verification list, adapted): extensions, schemas, tables, vector storage,
 * row-level security on every tenant table, indexed foreign keys, migration history, and a smoke write+read per
 * domain inside a transaction that is rolled back. Each check is one PASS/FAIL line.
 */
public final class Verifier {
    /** The domain schemas of DESIGN.md §3. */
    public static final List<String> SCHEMAS =
            List.of("core", "crm", "work", "comms", "memory", "ai", "code", "intel", "sync", "legacy", "ops");
    /** Schemas whose tables hold town rows: each table has town_id and RLS, unless commented "global: why". */
    public static final List<String> TENANT_SCHEMAS = List.of("crm", "work", "comms", "memory", "ai", "code", "sync");
    static final String SMOKE_RESOURCE = "db/verify/smoke.sql";
    private static final String MIN_VECTOR_VERSION = "0.8";

    private final Endpoint owner;

    private Verifier(Endpoint owner) {
        this.owner = owner;
    }

    public static Verifier as(Endpoint owner) {
        return new Verifier(owner);
    }

    /** One check's outcome; {@code detail} names what is wrong, or what was seen. */
    public record Check(String name, boolean passed, String detail) {
        public String line() {
            return (passed ? "PASS " : "FAIL ") + name + (detail.isEmpty() ? "" : " — " + detail);
        }
    }

    /** All checks, in order. */
    public record Report(List<Check> checks) {
        public boolean passed() {
            return checks.stream().allMatch(Check::passed);
        }

        public List<Check> failures() {
            return checks.stream().filter(c -> !c.passed()).toList();
        }
    }

    public Report run() {
        List<Check> checks = new ArrayList<>();
        try (Connection c = owner.connect()) {
            checks.add(extensions(c));
            checks.add(schemas(c));
            checks.add(tablesPerSchema(c));
            checks.add(vectorStorage(c));
            checks.add(violations(c, "tenant tables carry town_id", TABLES_WITHOUT_TOWN_ID));
            checks.add(violations(c, "row-level security enabled and forced on every tenant table", TABLES_WITHOUT_RLS));
            checks.add(violations(c, "select/insert/update/delete policies on every tenant table", TABLES_WITHOUT_POLICIES));
            checks.add(violations(c, "row-level security enabled on every core table", CORE_TABLES_WITHOUT_RLS));
            checks.add(violations(c, "every tenant table audits its writes (core.enable_audit)", TABLES_WITHOUT_AUDIT));
            checks.add(violations(c, "town_id indexed on every tenant table", TOWN_ID_NOT_INDEXED));
            checks.add(violations(c, "every foreign key has an index", UNINDEXED_FOREIGN_KEYS));
            checks.add(violations(c, "views run with the caller's rights (security_invoker)", VIEWS_WITHOUT_INVOKER));
            checks.add(migrationHistory());
            checks.addAll(smoke(c));
        } catch (SQLException e) {
            throw new TownHallException(ErrorCode.VERIFY_FAILED, "verification could not read the catalog: "
                    + e.getMessage(), e);
        }
        return new Report(List.copyOf(checks));
    }

    private static Check extensions(Connection c) throws SQLException {
        List<String> rows = strings(c, "SELECT extname || ' ' || extversion FROM pg_extension"
                + " WHERE extname IN ('vector', 'pgcrypto', 'pg_stat_statements') ORDER BY 1");
        boolean vectorOk = rows.stream().anyMatch(r -> r.startsWith("vector ")
                && compareVersions(r.substring("vector ".length()), MIN_VECTOR_VERSION) >= 0);
        return new Check("extensions vector (>= " + MIN_VECTOR_VERSION + "), pgcrypto, pg_stat_statements",
                rows.size() == 3 && vectorOk, String.join(", ", rows));
    }

    private static Check schemas(Connection c) throws SQLException {
        List<String> present = strings(c, "SELECT nspname FROM pg_namespace");
        List<String> missing = SCHEMAS.stream().filter(s -> !present.contains(s)).toList();
        return new Check("schemas " + String.join(", ", SCHEMAS), missing.isEmpty(),
                missing.isEmpty() ? "" : "missing: " + String.join(", ", missing));
    }

    private static Check tablesPerSchema(Connection c) throws SQLException {
        List<String> counts = strings(c, """
                SELECT s.name || ' ' || count(t.tablename) || CASE WHEN count(v.viewname) > 0
                       THEN '+' || count(v.viewname) || 'v' ELSE '' END
                FROM unnest(%s) AS s(name)
                LEFT JOIN pg_tables t ON t.schemaname = s.name
                LEFT JOIN pg_views v ON v.schemaname = s.name AND t.tablename IS NULL
                GROUP BY s.name ORDER BY s.name
                """.formatted(sqlArray(SCHEMAS)));
        List<String> empty = counts.stream().filter(r -> r.endsWith(" 0")).toList();
        return new Check("every schema holds tables or views", empty.isEmpty(),
                empty.isEmpty() ? String.join(", ", counts) : "empty: " + String.join(", ", empty));
    }

    private static Check vectorStorage(Connection c) throws SQLException {
        List<String> columns = strings(c, """
                SELECT a.attrelid::regclass || '.' || a.attname FROM pg_attribute a
                JOIN pg_type t ON t.oid = a.atttypid JOIN pg_class c ON c.oid = a.attrelid
                WHERE t.typname = 'vector' AND a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p')
                """);
        List<String> hnsw = strings(c, """
                SELECT indexrelid::regclass::text FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
                JOIN pg_am am ON am.oid = ic.relam WHERE am.amname = 'hnsw'
                """);
        return new Check("vector columns with HNSW indexes", !columns.isEmpty() && !hnsw.isEmpty(),
                String.join(", ", columns) + "; " + hnsw.size() + " HNSW index(es)");
    }

    private Check migrationHistory() {
        Migrator.StatusReport status = Migrator.as(owner).status();
        boolean same = status.pending().isEmpty() && status.historyDifferences().isEmpty();
        return new Check("migration history complete, checksums valid", same,
                status.applied().size() + " applied" + (status.pending().isEmpty() ? ""
                        : ", pending: " + status.pending().stream().map(Migrator.Change::id).toList())
                        + (status.historyDifferences().isEmpty() ? "" : ", " + String.join("; ", status.historyDifferences())));
    }

    private static Check violations(Connection c, String name, String query) throws SQLException {
        List<String> offenders = strings(c, query.formatted(sqlArray(TENANT_SCHEMAS)));
        return new Check(name, offenders.isEmpty(), offenders.isEmpty() ? "" : String.join(", ", offenders));
    }

    /** Tables of tenant schemas without a town_id column, unless their comment starts with "global:". */
    static final String TABLES_WITHOUT_TOWN_ID = """
            SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY (%s) AND NOT c.relispartition
              AND coalesce(obj_description(c.oid, 'pg_class'), '') NOT LIKE 'global:%%'
              AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'town_id'
                              AND NOT a.attisdropped)
            ORDER BY 1
            """;

    /** Tenant-schema tables with a town_id column whose RLS is not both enabled and forced. */
    static final String TABLES_WITHOUT_RLS = """
            SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY (%s) AND NOT c.relispartition
              AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'town_id'
                          AND NOT a.attisdropped)
              AND NOT (c.relrowsecurity AND c.relforcerowsecurity)
            ORDER BY 1
            """;

    /**
     * Core tables (organisations, towns, users, memberships, keys, audit) with RLS off. They are ENABLEd but not
     * FORCEd: the SECURITY DEFINER context functions read them as the owner.
     */
    static final String CORE_TABLES_WITHOUT_RLS = """
            SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p') AND n.nspname = 'core' AND NOT c.relrowsecurity
            ORDER BY 1
            """;

    /** Tables with RLS that lack a policy for one of the four commands. */
    static final String TABLES_WITHOUT_POLICIES = """
            SELECT c.oid::regclass::text || ' (' || string_agg(cmd.name, '/') || ')'
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            CROSS JOIN (VALUES ('r', 'select'), ('a', 'insert'), ('w', 'update'), ('d', 'delete')) AS cmd(code, name)
            WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY (%s) AND NOT c.relispartition
              AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'town_id'
                          AND NOT a.attisdropped)
              AND NOT EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid AND p.polcmd IN (cmd.code, '*'))
            GROUP BY c.oid ORDER BY 1
            """;

    /**
     * Tenant tables (those with tenant policies) missing one of the three audit triggers, unless their comment starts
     * with "derived:" (vectors and work lists computed from audited rows).
     */
    static final String TABLES_WITHOUT_AUDIT = """
            SELECT t.table_name::text FROM core.tenant_tables t
            WHERE coalesce(obj_description(t.table_name, 'pg_class'), '') NOT LIKE 'derived:%%'
              AND (SELECT count(*) FROM pg_trigger tg WHERE tg.tgrelid = t.table_name
                   AND tg.tgfoid = 'core.audit_statement()'::regprocedure) < 3
            ORDER BY 1
            """;

    /** Tables with town_id where no index starts with town_id. */
    static final String TOWN_ID_NOT_INDEXED = """
            SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'town_id' AND NOT a.attisdropped
            WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY (%s) AND NOT c.relispartition
              AND NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indkey[0] = a.attnum)
            ORDER BY 1
            """;

    /** Foreign keys whose columns are not the leading columns (in any order) of some index of their table. */
    static final String UNINDEXED_FOREIGN_KEYS = """
            SELECT con.conrelid::regclass::text || '.' || con.conname
            FROM pg_constraint con JOIN pg_namespace n ON n.oid = con.connamespace
            WHERE con.contype = 'f' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
              AND NOT EXISTS (
                SELECT 1 FROM pg_index i
                WHERE i.indrelid = con.conrelid
                  AND (SELECT array_agg(k ORDER BY k) FROM unnest((i.indkey::int2[])[0:cardinality(con.conkey) - 1]) k)
                      = (SELECT array_agg(k ORDER BY k) FROM unnest(con.conkey) k))
            ORDER BY 1
            """;

    /** Views in TownHall schemas and the old apps' *_compat schemas that would run with their owner's rights (no RLS). */
    static final String VIEWS_WITHOUT_INVOKER = """
            SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind = 'v' AND (n.nspname = ANY (%s) OR n.nspname IN ('core', 'intel') OR n.nspname LIKE '%%\\_compat')
              AND NOT coalesce(c.reloptions @> ARRAY['security_invoker=true'], false)
              AND NOT coalesce(c.reloptions @> ARRAY['security_invoker=on'], false)
            ORDER BY 1
            """;

    /**
     * Runs each statement of {@value #SMOKE_RESOURCE} (one block per domain, headed {@code -- domain: name}) inside
     * one transaction that is always rolled back. A block passes when its last statement returns a row.
     */
    private static List<Check> smoke(Connection c) throws SQLException {
        List<Check> checks = new ArrayList<>();
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            for (SmokeBlock block : SmokeBlock.parse(readResource(SMOKE_RESOURCE))) {
                checks.add(block.run(c));
            }
        } finally {
            c.rollback();
            c.setAutoCommit(autoCommit);
        }
        return checks;
    }

    /** One domain's smoke statements. */
    private record SmokeBlock(String domain, List<String> statements) {
        static List<SmokeBlock> parse(String text) {
            List<SmokeBlock> blocks = new ArrayList<>();
            String domain = null;
            StringBuilder sql = new StringBuilder();
            for (String line : text.split("\n")) {
                if (line.startsWith("-- domain:")) {
                    if (domain != null) {
                        blocks.add(new SmokeBlock(domain, splitStatements(sql.toString())));
                    }
                    domain = line.substring("-- domain:".length()).strip();
                    sql.setLength(0);
                } else if (domain != null) {
                    sql.append(line).append('\n');
                }
            }
            if (domain != null) {
                blocks.add(new SmokeBlock(domain, splitStatements(sql.toString())));
            }
            return blocks;
        }

        private static List<String> splitStatements(String sql) {
            List<String> statements = new ArrayList<>();
            for (String s : sql.split(";\\s*\n")) {
                String stripped = s.replaceAll("(?m)^--.*$", "").strip();
                if (!stripped.isEmpty()) {
                    statements.add(stripped);
                }
            }
            return statements;
        }

        Check run(Connection c) throws SQLException {
            String name = "smoke write+read in " + domain + " (rolled back)";
            try (Statement s = c.createStatement()) {
                s.execute("SAVEPOINT smoke");
                boolean sawRow = false;
                for (String statement : statements) {
                    if (s.execute(statement)) {
                        try (ResultSet rs = s.getResultSet()) {
                            sawRow = rs.next();
                        }
                    }
                }
                s.execute("ROLLBACK TO SAVEPOINT smoke");
                return new Check(name, sawRow, sawRow ? "" : "the read-back returned no row");
            } catch (SQLException e) {
                try (Statement s = c.createStatement()) {
                    s.execute("ROLLBACK TO SAVEPOINT smoke");
                }
                return new Check(name, false, Objects.requireNonNullElse(e.getMessage(), "").split("\n")[0]);
            }
        }
    }

    private static String readResource(String name) {
        try (InputStream in = Verifier.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new TownHallException(ErrorCode.INTERNAL, "resource " + name + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "cannot read resource " + name, e);
        }
    }

    private static List<String> strings(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static String sqlArray(List<String> names) {
        return "ARRAY[" + String.join(", ", names.stream().map(n -> "'" + n + "'").toList()) + "]";
    }

    static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int xi = i < x.length ? Integer.parseInt(x[i].replaceAll("\\D.*", "")) : 0;
            int yi = i < y.length ? Integer.parseInt(y[i].replaceAll("\\D.*", "")) : 0;
            if (xi != yi) {
                return Integer.compare(xi, yi);
            }
        }
        return 0;
    }
}
