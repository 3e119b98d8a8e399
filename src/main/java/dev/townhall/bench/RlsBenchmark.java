package dev.townhall.bench;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Database;
import dev.townhall.db.LocalCluster;
import dev.townhall.db.Pools;
import dev.townhall.db.ScratchDatabase;
import dev.townhall.schema.Migrator;
import dev.townhall.towns.TownContext;
import dev.townhall.towns.Towns;
import com.zaxxer.hikari.HikariDataSource;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The cost of row-level security: the same realistic queries on ~100k rows across three towns, run as the owner
 * (RLS bypassed, town filter written by hand) and as the application role under a town context, both with the
 * hand-written town filter (what the application sends) and with RLS as the only filter.
 */
public final class RlsBenchmark {
    private static final String SCRATCH = "townhall_bench_rls";
    /** The organisation and the town the migrations seed (fixed ids). */
    private static final UUID ORG = UUID.fromString("00000000-0000-4000-8000-000000000001");
    private static final UUID TOWN_FLUENTI = UUID.fromString("00000000-0000-4000-8000-00000000000f");
    private static final int WARMUP = 50;
    /** Below this the smallest town holds no contact to look up. */
    private static final int MIN_ROWS = 1_000;

    /** A query with a {@code %s} where the explicit town predicate goes (or {@code true} for RLS only). */
    public record Query(String name, String sql) {
    }

    public static final List<Query> QUERIES = List.of(
            new Query("list: 50 newest contacts", """
                    SELECT id, full_name, email FROM crm.contacts WHERE %s
                    ORDER BY created_at DESC LIMIT 50"""),
            new Query("point lookup by id", """
                    SELECT id, full_name FROM crm.contacts WHERE %s AND id = ?"""),
            new Query("join contacts>companies>deals", """
                    SELECT co.name, count(d.id), sum(d.amount_cents) FROM crm.companies co
                    JOIN crm.contacts c ON c.company_id = co.id AND c.town_id = co.town_id
                    JOIN crm.deals d ON d.company_id = co.id AND d.town_id = co.town_id
                    WHERE %s AND co.name LIKE 'Company 7%%' GROUP BY co.name"""),
            new Query("aggregate activities by type", """
                    SELECT activity_type, count(*), max(occurred_at) FROM crm.activities WHERE %s
                    GROUP BY activity_type"""));

    /** Median milliseconds per query in each mode, and the row counts the modes agreed on. */
    public record Result(String query, double ownerMs, double appFilteredMs, double appRlsOnlyMs, long rows) {
        public double overheadFiltered() {
            return appFilteredMs / ownerMs - 1;
        }

        public double overheadRlsOnly() {
            return appRlsOnlyMs / ownerMs - 1;
        }
    }

    public record Report(long totalRows, int iterations, List<Result> results) {
        /** Each query's median milliseconds per mode, measured with {@code rows} and {@code iterations}. */
        public Figures figures() {
            Figures figures = Figures.of("rls", Map.of("rows", totalRows, "iterations", iterations));
            for (Result r : results) {
                Map<String, Object> query = Map.of("query", r.query(), "result_rows", r.rows());
                figures.add("owner", "ms", r.ownerMs(), query);
                figures.add("app_filtered", "ms", r.appFilteredMs(), query);
                figures.add("app_rls_only", "ms", r.appRlsOnlyMs(), query);
            }
            return figures;
        }
    }

    private final LocalCluster cluster;

    private RlsBenchmark(LocalCluster cluster) {
        this.cluster = cluster;
    }

    public static RlsBenchmark on(Database db) {
        return new RlsBenchmark(ScratchDatabase.clusterOf(db, "bench rls"));
    }

    public Report run(int rowsTotal, int iterations) {
        if (rowsTotal < MIN_ROWS) {
            throw new TownHallException(ErrorCode.INVALID_INPUT, "--rows must be at least " + MIN_ROWS + ", got " + rowsTotal);
        }
        if (iterations < 1) {
            throw new TownHallException(ErrorCode.INVALID_INPUT, "--iterations must be at least 1, got " + iterations);
        }
        Database scratch = ScratchDatabase.fresh(cluster, SCRATCH);
        try {
            Migrator.as(scratch.owner()).migrate(null);
            return measure(scratch, rowsTotal, iterations);
        } finally {
            ScratchDatabase.drop(cluster, SCRATCH);
        }
    }

    /**
     * What is timed, per query and mode: one whole transaction, as an application pays it: take a pooled
     * connection, begin, (for the application role: set the acting user and town with {@code SET LOCAL} semantics
     * through {@link TownContext}), run the statement and read every row, commit. The owner runs the same
     * transaction without a context, so the overhead columns are what row-level security plus the per-transaction
     * context cost a real request.
     */
    private Report measure(Database scratch, int rowsTotal, int iterations) {
        try (HikariDataSource ownerPool = Pools.open(scratch.owner(), 1); Towns towns = Towns.open(scratch)) {
            Jdbi owner = Jdbi.create(ownerPool);
            long rows = owner.withHandle(h -> load(h.getConnection(), rowsTotal));
            UUID member = owner.withHandle(h -> memberOfFluenti(h.getConnection()));
            UUID someContact = owner.withHandle(h -> someContactOfFluenti(h.getConnection()));
            TownContext fluenti = towns.as(member, TOWN_FLUENTI);
            List<Result> results = new ArrayList<>();
            for (Query q : QUERIES) {
                String filtered = q.sql().formatted(alias(q) + "town_id = ?");
                String rlsOnly = q.sql().formatted("true");
                List<Object> filteredValues = List.of(TOWN_FLUENTI, someContact);
                List<Object> rlsOnlyValues = List.of(someContact);
                Timing ownerTiming = time(owner::inTransaction, filtered, filteredValues, iterations);
                Timing appFiltered = time(fluenti::inTransaction, filtered, filteredValues, iterations);
                Timing appRlsOnly = time(fluenti::inTransaction, rlsOnly, rlsOnlyValues, iterations);
                if (ownerTiming.rows != appFiltered.rows || ownerTiming.rows != appRlsOnly.rows) {
                    throw new TownHallException(ErrorCode.INTERNAL, "bench rls: '" + q.name() + "' returned "
                            + ownerTiming.rows + " rows as owner but " + appFiltered.rows + "/" + appRlsOnly.rows
                            + " as the app; the comparison would be meaningless");
                }
                results.add(new Result(q.name(), ownerTiming.medianMs, appFiltered.medianMs, appRlsOnly.medianMs,
                        ownerTiming.rows));
            }
            return new Report(rows, iterations, results);
        } catch (SQLException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "bench rls failed: " + e.getMessage(), e);
        }
    }

    private static String alias(Query q) {
        return q.sql().contains("crm.companies co") ? "co." : "";
    }

    private record Timing(double medianMs, long rows) {
    }

    /** A way to run one transaction: the owner's plain one, or one under a {@link TownContext}. */
    @FunctionalInterface
    private interface Transactions {
        Long inTransaction(HandleCallback<Long, SQLException> work) throws SQLException;
    }

    /**
     * Runs {@code sql} in {@code iterations} timed transactions (after {@value #WARMUP} untimed ones), binding the
     * first {@code values} to its parameters in order.
     */
    private static Timing time(Transactions transactions, String sql, List<Object> values, int iterations)
            throws SQLException {
        long parameters = sql.chars().filter(ch -> ch == '?').count();
        long[] nanos = new long[iterations];
        long rows = 0;
        for (int i = -WARMUP; i < iterations; i++) {
            long start = System.nanoTime();
            long n = transactions.inTransaction(h -> {
                try (PreparedStatement ps = h.getConnection().prepareStatement(sql)) {
                    for (int p = 0; p < parameters; p++) {
                        ps.setObject(p + 1, values.get(p));
                    }
                    long count = 0;
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            count++;
                        }
                    }
                    return count;
                }
            });
            if (i >= 0) {
                nanos[i] = System.nanoTime() - start;
                rows = n;
            }
        }
        Arrays.sort(nanos);
        return new Timing(nanos[iterations / 2] / 1e6, rows);
    }

    /** Loads companies, contacts, deals and activities (1 : 4 : 1 : 4), 60/30/10 % over aurora/fluenti/collaboration. */
    static long load(Connection owner, int rowsTotal) throws SQLException {
        int unit = Math.max(1, rowsTotal / 10);
        try (Statement s = owner.createStatement()) {
            s.execute("""
                    CREATE TEMP TABLE bench_towns AS
                    SELECT id, org_id, slug, CASE slug WHEN 'aurora' THEN 0.0 WHEN 'fluenti' THEN 0.6 ELSE 0.9 END AS lo
                    FROM core.towns;
                    CREATE FUNCTION pg_temp.town_for(i int, n int) RETURNS uuid LANGUAGE sql AS
                      $$ SELECT id FROM bench_towns WHERE lo <= (i::numeric / n) ORDER BY lo DESC LIMIT 1 $$;
                    """);
            try (PreparedStatement companies = owner.prepareStatement("""
                    INSERT INTO crm.companies (org_id, town_id, name, domain)
                    SELECT ?, pg_temp.town_for(i, ?), 'Company ' || i, 'c' || i || '.example'
                    FROM generate_series(0, ? - 1) i""")) {
                companies.setObject(1, ORG);
                companies.setInt(2, unit);
                companies.setInt(3, unit);
                companies.executeUpdate();
            }
            s.execute("""
                    INSERT INTO crm.contacts (org_id, town_id, first_name, last_name, email, company_id)
                    SELECT co.org_id, co.town_id, 'First' || g, 'Last' || g, 'p' || g || '@' || co.domain, co.id
                    FROM crm.companies co CROSS JOIN generate_series(1, 4) g""");
            s.execute("""
                    INSERT INTO crm.deals (org_id, town_id, name, company_id, amount_cents)
                    SELECT org_id, town_id, 'Deal of ' || name, id, (random() * 1000000)::bigint FROM crm.companies""");
            s.execute("""
                    INSERT INTO crm.activities (org_id, town_id, activity_type, subject, occurred_at, contact_id, company_id)
                    SELECT c.org_id, c.town_id, (ARRAY['email','call','meeting','note'])[1 + (abs(hashtext(c.id::text)) % 4)],
                           'Touch', now() - (random() * interval '365 days'), c.id, c.company_id
                    FROM crm.contacts c""");
            s.execute("ANALYZE crm.companies, crm.contacts, crm.deals, crm.activities");
            try (ResultSet rs = s.executeQuery("""
                    SELECT (SELECT count(*) FROM crm.companies) + (SELECT count(*) FROM crm.contacts)
                         + (SELECT count(*) FROM crm.deals) + (SELECT count(*) FROM crm.activities)""")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static UUID memberOfFluenti(Connection owner) throws SQLException {
        return firstUuid(owner, """
                WITH u AS (INSERT INTO core.users (org_id, email, handle)
                           VALUES (?, 'bench@rls.invalid', 'bench-rls') RETURNING id)
                INSERT INTO core.memberships (org_id, user_id, town_id, role)
                SELECT ?, id, ?, 'member' FROM u RETURNING user_id
                """, ORG, ORG, TOWN_FLUENTI);
    }

    private static UUID someContactOfFluenti(Connection owner) throws SQLException {
        return firstUuid(owner, "SELECT id FROM crm.contacts WHERE town_id = ? ORDER BY id LIMIT 1", TOWN_FLUENTI);
    }

    private static UUID firstUuid(Connection c, String sql, Object... values) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                ps.setObject(i + 1, values[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getObject(1, UUID.class);
            }
        }
    }
}
