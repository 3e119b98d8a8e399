package dev.townhall.bench;

import dev.townhall.db.Identifiers;
import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Bootstrap;
import dev.townhall.db.Database;
import dev.townhall.db.Endpoint;
import dev.townhall.db.LocalCluster;
import dev.townhall.legacy.generate.LegacyGenerator;
import dev.townhall.legacy.imports.ImportPlan;
import dev.townhall.legacy.imports.ImportReport;
import dev.townhall.legacy.imports.Importer;
import dev.townhall.schema.Migrator;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code ./townhall bench import}: the full import of the generated inventory into a fresh database, beside the
 * physical limit of this machine: COPY of the very rows the import wrote, into the same tables of another fresh
 * database, straight from files. Both run as the owner role with row auditing off, so the difference is the
 * importer's own work (reading the sources, validation, normalisation, merging, id mapping, bookkeeping).
 */
public final class ImportBenchmark {
    static final String IMPORT_DATABASE = "townhall_bench_import";
    static final String COPY_DATABASE = "townhall_bench_copy";

    /** One target table: rows written and the raw COPY's time for them. */
    public record TableLine(String table, long rows, Duration copy) {
    }

    /** The result: the import's wall time and rows, the raw COPY's, and the ratio of their speeds. */
    public record Result(Duration importTime, long rowsRead, long rowsWritten, Duration copyTime, long rowsCopied,
                         List<TableLine> tables, ImportReport report) {
        public double importRowsPerSecond() {
            return rowsWritten / seconds(importTime);
        }

        public double copyRowsPerSecond() {
            return rowsCopied / seconds(copyTime);
        }

        /** Import speed as a share of raw COPY speed (1.0 = as fast as COPY). */
        public double ratio() {
            return importRowsPerSecond() / copyRowsPerSecond();
        }

        private static double seconds(Duration d) {
            return Math.max(1e-9, d.toNanos() / 1e9);
        }
    }

    private final Database server;
    private final Consumer<String> log;

    private ImportBenchmark(Database server, Consumer<String> log) {
        this.server = server;
        this.log = log;
    }

    /** A benchmark on {@code server}'s local cluster (it creates and drops two databases of its own there). */
    public static ImportBenchmark on(Database server, Consumer<String> log) {
        if (server.cluster().isEmpty()) {
            throw new TownHallException(ErrorCode.CONFIG, "bench import creates and drops databases of its own; run it"
                    + " against the local cluster (without --database-url)");
        }
        return new ImportBenchmark(server, log);
    }

    public Result run() {
        LocalCluster cluster = server.cluster().orElseThrow();
        ensureLegacyData();
        Database importDb = fresh(cluster, IMPORT_DATABASE);
        Database copyDb = fresh(cluster, COPY_DATABASE);
        Path dir = null;
        try {
            log.accept("importing the generated inventory into " + IMPORT_DATABASE);
            long start = System.nanoTime();
            ImportReport report = Importer.into(importDb).sources(Importer.demoSources(server)).run();
            Duration importTime = Duration.ofNanos(System.nanoTime() - start);
            List<String> tables = targetTables();
            dir = Files.createTempDirectory("townhall-bench-import-");
            log.accept("writing the imported rows to files and COPYing them into " + COPY_DATABASE);
            Map<String, Path> files = export(importDb.owner(), tables, dir);
            List<TableLine> lines = load(copyDb.owner(), tables, files, report.rowsWritten());
            Duration copyTime = lines.stream().map(TableLine::copy).reduce(Duration.ZERO, Duration::plus);
            long copied = lines.stream().mapToLong(TableLine::rows).sum();
            return new Result(importTime, report.read(), report.rowsWrittenTotal(), copyTime, copied, lines, report);
        } catch (IOException e) {
            throw new TownHallException(ErrorCode.DATA_DIR, "bench import cannot use a temporary directory: "
                    + e.getMessage(), e);
        } catch (SQLException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "bench import failed: " + e.getMessage(), e);
        } finally {
            drop(cluster, IMPORT_DATABASE);
            drop(cluster, COPY_DATABASE);
            deleteQuietly(dir);
        }
    }

    private void ensureLegacyData() {
        Endpoint admin = server.admin();
        for (String name : List.of(LegacyGenerator.ROBBIE_DATABASE, LegacyGenerator.ROBBIE_ALLAN_DATABASE)) {
            try (Connection c = admin.withDatabase(name).connect(); Statement s = c.createStatement();
                 var rs = s.executeQuery("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    continue;
                }
            } catch (TownHallException | SQLException e) {
                // missing: generated below
            }
            log.accept("generating the demo legacy databases");
            LegacyGenerator.inCluster(admin).generate();
            return;
        }
    }

    /** The target tables of the shipped plan, parents before children (the order the import writes them). */
    private static List<String> targetTables() {
        Set<String> tables = new LinkedHashSet<>();
        tables.add("core.users");
        tables.addAll(ImportPlan.builtin().targetTables());
        return new ArrayList<>(tables);
    }

    private static Map<String, Path> export(Endpoint owner, List<String> tables, Path dir)
            throws SQLException, IOException {
        Map<String, Path> files = new LinkedHashMap<>();
        try (Connection c = owner.connect()) {
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            for (String table : tables) {
                String columns = writableColumns(c, table);
                Path file = dir.resolve(table + ".copy");
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
                    copy.copyOut("COPY (SELECT " + columns + " FROM " + Identifiers.quoteQualified(table)
                            + (table.equals("core.users") ? " WHERE handle <> 'legacy-import-check'" : "")
                            + ") TO STDOUT", out);
                }
                files.put(table, file);
            }
        }
        return files;
    }

    private static List<TableLine> load(Endpoint owner, List<String> tables, Map<String, Path> files,
                                        Map<String, Long> written) throws SQLException, IOException {
        List<TableLine> lines = new ArrayList<>();
        try (Connection c = owner.connect()) {
            try (Statement s = c.createStatement()) {
                s.execute("SELECT set_config('townhall.bulk', 'on', false)");
            }
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            for (String table : tables) {
                String columns = writableColumns(c, table);
                long start = System.nanoTime();
                long rows;
                try (InputStream in = new BufferedInputStream(Files.newInputStream(files.get(table)), 1 << 20)) {
                    rows = copy.copyIn("COPY " + Identifiers.quoteQualified(table) + " (" + columns + ") FROM STDIN", in);
                }
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                if (!table.equals("core.users") || written.containsKey(table)) {
                    lines.add(new TableLine(table, rows, took));
                }
            }
        }
        return lines;
    }

    /** The columns COPY can write (not generated), quoted, in table order. */
    private static String writableColumns(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute
                WHERE attrelid = CAST(? AS regclass) AND attnum > 0 AND NOT attisdropped AND attgenerated = ''""")) {
            ps.setString(1, Identifiers.quoteQualified(table));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static Database fresh(LocalCluster cluster, String name) {
        drop(cluster, name);
        Database db = Database.local(cluster, name);
        Bootstrap.ensure(db);
        Migrator.as(db.owner()).migrate(null);
        return db;
    }

    private static void drop(LocalCluster cluster, String name) {
        try (Connection c = cluster.superuserEndpoint().connect(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + Identifiers.quote(name) + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "cannot drop the benchmark database " + name + ": "
                    + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // a leftover temp file is harmless
        }
    }
}
