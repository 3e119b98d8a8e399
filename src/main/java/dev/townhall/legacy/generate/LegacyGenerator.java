package dev.townhall.legacy.generate;

import dev.townhall.db.Identifiers;
import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Database;
import dev.townhall.db.Endpoint;
import dev.townhall.legacy.generate.internal.Catalog;
import dev.townhall.legacy.generate.internal.CopyTable;
import dev.townhall.legacy.generate.internal.TableSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Builds the two demo legacy databases, {@code robbie} and {@code robbie_allan}: exactly the tables, columns and row
 * counts of {@code legacy-schemas.md}, filled with data that has the mess real legacy data has (duplicates across
 * sources, repeated ids, orphans, bad emails, mixed date formats, mojibake, invalid JSON, very long text).
 * <p>
 * The same seed gives the same bytes. Each database is loaded in one transaction with {@code COPY}, so a failed run
 * leaves no half-filled tables. Nothing about the mess is recorded anywhere: importers must discover it.
 * <pre>{@code
 * GenerateReport report = LegacyGenerator.inCluster(cluster.superuserEndpoint()).withSeed(7).generate();
 * }</pre>
 */
public final class LegacyGenerator {
    public static final long DEFAULT_SEED = 42L;
    public static final String ROBBIE_DATABASE = "legacy_robbie";
    public static final String ROBBIE_ALLAN_DATABASE = "legacy_robbie_allan";

    private static final Logger LOG = LoggerFactory.getLogger(LegacyGenerator.class);

    private final LegacyTarget robbie;
    private final LegacyTarget robbieAllan;
    private final long seed;
    private final boolean replace;
    private final Consumer<GenerateReport.Table> progress;

    private LegacyGenerator(LegacyTarget robbie, LegacyTarget robbieAllan, long seed, boolean replace,
                            Consumer<GenerateReport.Table> progress) {
        this.robbie = Objects.requireNonNull(robbie, "robbie");
        this.robbieAllan = Objects.requireNonNull(robbieAllan, "robbieAllan");
        this.seed = seed;
        this.replace = replace;
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /** Writes {@code robbie}'s 13 tables and {@code robbie_allan}'s 5 to the given targets. */
    public static LegacyGenerator into(LegacyTarget robbie, LegacyTarget robbieAllan) {
        return new LegacyGenerator(robbie, robbieAllan, DEFAULT_SEED, false, table -> { });
    }

    /** The demo default: databases {@value #ROBBIE_DATABASE} and {@value #ROBBIE_ALLAN_DATABASE}, recreated by {@code admin}. */
    public static LegacyGenerator inCluster(Endpoint admin) {
        return into(LegacyTarget.freshDatabase(admin, ROBBIE_DATABASE),
                LegacyTarget.freshDatabase(admin, ROBBIE_ALLAN_DATABASE));
    }

    /** The same generator with another seed; equal seeds give identical data. */
    public LegacyGenerator withSeed(long newSeed) {
        return new LegacyGenerator(robbie, robbieAllan, newSeed, replace, progress);
    }

    /** With {@code true}, tables of an existing database that already hold rows are dropped and made again. */
    public LegacyGenerator replacingExistingTables(boolean replaceTables) {
        return new LegacyGenerator(robbie, robbieAllan, seed, replaceTables, progress);
    }

    /** Calls {@code listener} after each table is written (on the generating thread). */
    public LegacyGenerator onProgress(Consumer<GenerateReport.Table> listener) {
        return new LegacyGenerator(robbie, robbieAllan, seed, replace, listener);
    }

    public long seed() {
        return seed;
    }

    public LegacyTarget robbie() {
        return robbie;
    }

    public LegacyTarget robbieAllan() {
        return robbieAllan;
    }

    /**
     * Generates both databases. Every server is reached and every existing target checked before anything is
     * written; a target whose tables hold rows is refused with {@link ErrorCode#CONFLICT} unless replacing.
     */
    public GenerateReport generate() {
        long start = System.nanoTime();
        Catalog catalog = Catalog.of(seed);
        List<Load> loads = List.of(new Load(catalog.robbie(), robbie), new Load(catalog.robbieAllan(), robbieAllan));
        for (Load load : loads) {
            preflight(load);
        }
        List<GenerateReport.Table> written = new ArrayList<>();
        for (Load load : loads) {
            written.addAll(write(catalog, load));
        }
        GenerateReport report = new GenerateReport(seed, written, Duration.ofNanos(System.nanoTime() - start));
        LOG.info("generated {} legacy rows ({} MB) with seed {} in {} ms: robbie -> {}, robbie_allan -> {}",
                report.rows(), report.bytes() / 1_000_000, seed, report.elapsed().toMillis(), robbie.describe(),
                robbieAllan.describe());
        return report;
    }

    /** One legacy database and where it goes. */
    private record Load(Catalog.Source source, LegacyTarget target) {
    }

    // ---- checks before writing ---------------------------------------------------------------------------------

    private void preflight(Load load) {
        LegacyTarget target = load.target();
        if (target.recreates()) {
            Endpoint admin = target.admin();
            try (Connection c = admin.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT rolsuper OR rolcreatedb FROM pg_roles WHERE rolname = current_user")) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    throw new TownHallException(ErrorCode.FORBIDDEN, admin.user() + " may not create databases on "
                            + admin.host() + ":" + admin.port() + ", so it cannot make " + target.endpoint().database()
                            + "; grant it CREATEDB, or give the URL of an existing database for " + load.source().name());
                }
            } catch (SQLException e) {
                throw failure(admin, "checking the rights of " + admin.user(), e);
            }
            return;
        }
        Endpoint endpoint = target.endpoint();
        try (Connection c = endpoint.connect()) {
            String encoding = queryText(c, "SHOW server_encoding");
            if (!"UTF8".equalsIgnoreCase(encoding)) {
                throw new TownHallException(ErrorCode.CONFIG, "the database " + endpoint.describe() + " uses "
                        + encoding + "; legacy data needs a UTF8 database");
            }
            List<String> holdingRows = tablesHoldingRows(c, load.source().tableNames());
            if (!holdingRows.isEmpty() && !replace) {
                throw new TownHallException(ErrorCode.CONFLICT, "the database " + endpoint.describe()
                        + " already holds rows in " + String.join(", ", holdingRows) + "; pass --replace to drop and"
                        + " regenerate the " + load.source().name() + " tables there, or choose another database");
            }
        } catch (SQLException e) {
            throw failure(endpoint, "inspecting the tables of", e);
        }
    }

    private static List<String> tablesHoldingRows(Connection c, List<String> tables) throws SQLException {
        List<String> holding = new ArrayList<>();
        for (String table : tables) {
            boolean exists;
            try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(quote_ident(?)) IS NOT NULL")) {
                ps.setString(1, table);
                try (ResultSet rs = ps.executeQuery()) {
                    exists = rs.next() && rs.getBoolean(1);
                }
            }
            if (exists) {
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT EXISTS (SELECT 1 FROM " + Identifiers.quote(table) + ")")) {
                    if (rs.next() && rs.getBoolean(1)) {
                        holding.add(table);
                    }
                }
            }
        }
        return holding;
    }

    // ---- writing -----------------------------------------------------------------------------------------------

    private List<GenerateReport.Table> write(Catalog catalog, Load load) {
        LegacyTarget target = load.target();
        Catalog.Source source = load.source();
        if (target.recreates()) {
            recreateDatabase(target);
        }
        Endpoint endpoint = target.endpoint();
        List<GenerateReport.Table> written = new ArrayList<>();
        try (Connection c = endpoint.connect()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                if (!target.recreates()) {
                    for (String table : source.tableNames()) {
                        // only empty tables get here, or any with --replace: preflight refused the rest
                        s.execute("DROP TABLE IF EXISTS " + Identifiers.quote(table));
                    }
                }
                s.execute(source.ddl());
                for (TableSpec table : source.tables()) {
                    long started = System.nanoTime();
                    long rows = CopyTable.copy(c, table.name(), table.columns(), catalog.diceFor(source, table),
                            table.filler());
                    if (rows != table.rows()) {
                        throw new IllegalStateException("made " + rows + " rows for " + table.name() + ", the spec says "
                                + table.rows());
                    }
                    GenerateReport.Table done = new GenerateReport.Table(source.name(), endpoint.database(),
                            table.name(), rows, tableBytes(c, table.name()), Duration.ofNanos(System.nanoTime() - started));
                    written.add(done);
                    LOG.debug("{}.{}: {} rows in {} ms", source.name(), table.name(), rows, done.elapsed().toMillis());
                    progress.accept(done);
                }
                for (String table : source.serialTables()) {
                    // the ids were copied in, so the sequence has to be told where they end
                    s.execute("SELECT setval(pg_get_serial_sequence(" + literal(Identifiers.quote(table)) + ", 'id'), max(id)) FROM "
                            + Identifiers.quote(table));
                }
                if (target.recreates()) {
                    s.execute("DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = " + literal(Database.OWNER_ROLE)
                            + ") THEN GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + Identifiers.quote(Database.OWNER_ROLE)
                            + "; END IF; END $$");
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw failure(endpoint, "writing the " + source.name() + " tables into", e);
        }
        return written;
    }

    private static void recreateDatabase(LegacyTarget target) {
        Endpoint admin = target.admin();
        String name = Identifiers.quote(target.endpoint().database());
        try (Connection c = admin.connect(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + name + " TEMPLATE template0 ENCODING 'UTF8'");
        } catch (SQLException e) {
            throw failure(admin, "recreating the database " + target.endpoint().database() + " on", e);
        }
    }

    private static long tableBytes(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_total_relation_size(to_regclass(quote_ident(?)))")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static String queryText(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }


    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    /** Names what failed and where, keeps the SQLState and the cause, never the password. */
    private static TownHallException failure(Endpoint where, String doing, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String detail = firstLine(e.getMessage()) + (state.isEmpty() ? "" : " [SQLState " + state + "]");
        if (state.startsWith("08")) {
            return new TownHallException(ErrorCode.DB_UNREACHABLE, "lost the connection to " + where.host() + ":"
                    + where.port() + " while " + doing + " " + where.database() + " (" + detail + ")", e);
        }
        if (state.equals("42501")) {
            return new TownHallException(ErrorCode.FORBIDDEN, where.user() + " is not allowed to do this: " + doing
                    + " " + where.describe() + " (" + detail + ")", e);
        }
        if (state.equals("55006")) {
            return new TownHallException(ErrorCode.CONFLICT, doing + " " + where.describe()
                    + " failed because another session is using it (" + detail + "); close it and run again", e);
        }
        return new TownHallException(ErrorCode.INTERNAL, doing + " " + where.describe() + " failed: " + detail, e);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
