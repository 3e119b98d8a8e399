package dev.townhall.bench;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Database;
import dev.townhall.db.LocalCluster;
import dev.townhall.schema.Migrator;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * The cost of row-level security: the same realistic queries on ~100k rows across three towns, run as the owner
 * (RLS bypassed, town filter written by hand) and as the application role under a town context, both with the
 * hand-written town filter (what the application sends) and with RLS as the only filter.
 */
public final class RlsBenchmark {
    private static final String SCRATCH = "townhall_bench_rls";
    private static final String TOWN_FLUENTI = "00000000-0000-4000-8000-00000000000f";
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
    }

    private final LocalCluster cluster;

    private RlsBenchmark(LocalCluster cluster) {
        this.cluster = cluster;
    }

    public static RlsBenchmark on(Database db) {
        return new RlsBenchmark(db.cluster().orElseThrow(() -> new TownHallException(ErrorCode.CONFIG,
                "bench rls creates a scratch database, so it runs on the local cluster only")));
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

    private Report measure(Database scratch, int rowsTotal, int iterations) {
        try (Connection owner = scratch.owner().connect(); Connection app = scratch.app().connect()) {
            long rows = load(owner, rowsTotal);
            UUID member = memberOfFluenti(owner);
            try (Statement s = app.createStatement()) {
                // session-wide context: the benchmark measures the policies, not the SET per transaction
                s.execute("SELECT set_config('townhall.user_id', '" + member + "', false),"
                        + " set_config('townhall.town_id', '" + TOWN_FLUENTI + "', false)");
            }
            UUID someContact = someContactOfFluenti(owner);
            List<Result> results = new ArrayList<>();
            for (Query q : QUERIES) {
                String filtered = q.sql().formatted("town_id = '" + TOWN_FLUENTI + "'").replace("WHERE town_id",
                        "WHERE " + alias(q) + "town_id");
                String rlsOnly = q.sql().formatted("true");
                Timing ownerTiming = time(owner, filtered, someContact, iterations);
                Timing appFiltered = time(app, filtered, someContact, iterations);
                Timing appRlsOnly = time(app, rlsOnly, someContact, iterations);
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

    private static Timing time(Connection c, String sql, UUID contact, int iterations) throws SQLException {
        long[] nanos = new long[iterations];
        long rows = 0;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (sql.contains("?")) {
                ps.setObject(1, contact);
            }
            for (int i = -WARMUP; i < iterations; i++) {
                long start = System.nanoTime();
                long n = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        n++;
                    }
                }
                if (i >= 0) {
                    nanos[i] = System.nanoTime() - start;
                    rows = n;
                }
            }
        }
        Arrays.sort(nanos);
        return new Timing(nanos[iterations / 2] / 1e6, rows);
    }

    /** Loads companies, contacts, deals and activities (1 : 4 : 1 : 4), 60/30/10 % over aurora/fluenti/collaboration. */
    private static long load(Connection owner, int rowsTotal) throws SQLException {
        int unit = Math.max(1, rowsTotal / 10);
        try (Statement s = owner.createStatement()) {
            s.execute("""
                    CREATE TEMP TABLE bench_towns AS
                    SELECT id, org_id, slug, CASE slug WHEN 'aurora' THEN 0.0 WHEN 'fluenti' THEN 0.6 ELSE 0.9 END AS lo
                    FROM core.towns;
                    CREATE FUNCTION pg_temp.town_for(i int, n int) RETURNS uuid LANGUAGE sql AS
                      $$ SELECT id FROM bench_towns WHERE lo <= (i::numeric / n) ORDER BY lo DESC LIMIT 1 $$;
                    """);
            s.execute("""
                    INSERT INTO crm.companies (org_id, town_id, name, domain)
                    SELECT '00000000-0000-4000-8000-000000000001', pg_temp.town_for(i, %1$d), 'Company ' || i, 'c' || i || '.example'
                    FROM generate_series(0, %1$d - 1) i""".formatted(unit));
            s.execute("""
                    INSERT INTO crm.contacts (org_id, town_id, first_name, last_name, email, company_id)
                    SELECT co.org_id, co.town_id, 'First' || g, 'Last' || g, 'p' || g || '@' || co.domain, co.id
                    FROM crm.companies co CROSS JOIN generate_series(1, 4) g""");
            s.execute("""
                    INSERT INTO crm.deals (org_id, town_id, name, company_id, amount_cents)
                    SELECT org_id, town_id, 'Deal of ' || name, id, (random() * 1000000)::bigint FROM crm.companies""");
            s.execute("""
                    INSERT INTO crm.activities (org_id, town_id, activity_type, subject, occurred_at, contact_id, company_id)
                    SELECT c.org_id, c.town_id, (ARRAY['email','call','meeting','note'])[1 + (abs(hashtext(c.id::text)) %% 4)],
                           'Touch', now() - (random() * interval '365 days'), c.id, c.company_id
                    FROM crm.contacts c""".formatted());
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
        try (Statement s = owner.createStatement(); ResultSet rs = s.executeQuery("""
                WITH u AS (INSERT INTO core.users (org_id, email, handle)
                           VALUES ('00000000-0000-4000-8000-000000000001', 'bench@rls.invalid', 'bench-rls') RETURNING id)
                INSERT INTO core.memberships (org_id, user_id, town_id, role)
                SELECT '00000000-0000-4000-8000-000000000001', id, '%s', 'member' FROM u RETURNING user_id
                """.formatted(TOWN_FLUENTI))) {
            rs.next();
            return rs.getObject(1, UUID.class);
        }
    }

    private static UUID someContactOfFluenti(Connection owner) throws SQLException {
        try (Statement s = owner.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT id FROM crm.contacts WHERE town_id = '" + TOWN_FLUENTI + "' ORDER BY id LIMIT 1")) {
            rs.next();
            return rs.getObject(1, UUID.class);
        }
    }
}
