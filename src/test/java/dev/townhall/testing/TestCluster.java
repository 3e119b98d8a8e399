package dev.townhall.testing;

import dev.townhall.db.Bootstrap;
import dev.townhall.db.Database;
import dev.townhall.db.Endpoint;
import dev.townhall.db.Identifiers;
import dev.townhall.db.LocalCluster;
import dev.townhall.db.PgBinaries;
import dev.townhall.db.internal.Processes;
import dev.townhall.schema.Migrator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one throwaway PostgreSQL cluster of a test run: a temp directory, a free port, the same {@link LocalCluster}
 * code as production, durability switched off for speed. It holds a migrated template database from which every
 * test class gets a fresh copy in milliseconds.
 */
public final class TestCluster implements AutoCloseable {
    public static final String TEMPLATE = "townhall_template";
    /** Settings that trade crash safety for speed; a test cluster is thrown away anyway. */
    public static final Map<String, String> FAST_SETTINGS = Map.of(
            "fsync", "off",
            "synchronous_commit", "off",
            "full_page_writes", "off",
            "max_connections", "200");

    private static TestCluster shared;
    private static TestCluster sharedPeer;

    private final LocalCluster cluster;
    private final AtomicInteger databases = new AtomicInteger();

    private TestCluster(LocalCluster cluster) {
        this.cluster = cluster;
    }

    /**
     * The run's one cluster, started on first use and stopped when the test JVM exits: shared by JUnit classes
     * (through {@link PostgresExtension}) and jqwik properties (which do not run JUnit extensions) alike.
     */
    public static synchronized TestCluster shared() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    /**
     * A second cluster of the run, for tests of two servers talking over loopback (sync): its own directory, port,
     * passwords and processes, with a template copied from {@link #shared()}'s, so both are at the same migration
     * version. Started on first use, stopped when the test JVM exits. Never stop it for a test: others use it.
     */
    public static synchronized TestCluster sharedPeer() {
        if (sharedPeer == null) {
            sharedPeer = startCopyOf(shared());
        }
        return sharedPeer;
    }

    /** Initialises and starts a cluster in a new temp directory and builds the migrated template database. */
    public static TestCluster start() {
        TestCluster testCluster = startEmpty();
        Database template = Database.local(testCluster.cluster, TEMPLATE);
        Bootstrap.ensure(template);
        Migrator.as(template.owner()).migrate(null);
        return testCluster;
    }

    /**
     * Starts another cluster whose template is a copy of {@code source}'s (pg_dump and pg_restore, seconds instead of
     * running every migration again); triggers come after the data in a dump, so the copy logs no sync changes.
     */
    public static TestCluster startCopyOf(TestCluster source) {
        TestCluster testCluster = startEmpty();
        LocalCluster copy = testCluster.cluster;
        Bootstrap.ensure(Database.local(copy, TEMPLATE));
        Path dump = copy.root().resolve("template.dump");
        Endpoint from = source.cluster.superuserEndpoint().withDatabase(TEMPLATE);
        Endpoint to = copy.superuserEndpoint().withDatabase(TEMPLATE);
        tool(copy, from, List.of("pg_dump", "--format=custom", "--file=" + dump));
        tool(copy, to, List.of("pg_restore", "--exit-on-error", dump.toString()));
        return testCluster;
    }

    private static void tool(LocalCluster cluster, Endpoint at, List<String> command) {
        List<String> full = new ArrayList<>(command);
        full.set(0, cluster.binaries().program(command.get(0)).toString());
        full.addAll(List.of("--host=" + at.host(), "--port=" + at.port(), "--username=" + at.user(),
                "--dbname=" + at.database()));
        Processes.Result r = Processes.run(full, Duration.ofMinutes(2), Map.of("PGPASSWORD", at.password()));
        if (!r.ok()) {
            throw new IllegalStateException(command.get(0) + " failed copying the test template: " + r.output());
        }
    }

    private static TestCluster startEmpty() {
        Path dir;
        try {
            dir = Files.createTempDirectory("townhall-test-");
            openForServerAccount(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LocalCluster cluster = LocalCluster.at(dir.resolve("pg"), PgBinaries.locate(), FAST_SETTINGS);
        TestCluster testCluster = new TestCluster(cluster);
        Runtime.getRuntime().addShutdownHook(new Thread(testCluster::close, "test-cluster-stop"));
        cluster.start(OptionalInt.empty());
        return testCluster;
    }

    /**
     * Temp directories are private (0700); when tests run as root the server runs as another account, which must
     * be able to pass through to its data directory.
     */
    public static void openForServerAccount(Path dir) throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
    }

    /** A new database copied from the migrated template, with the roles' grants in place. */
    public Database newDatabase(String hint) {
        String name = uniqueName(hint);
        try (Connection c = cluster.superuserEndpoint().connect(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + Identifiers.quote(name) + " TEMPLATE " + Identifiers.quote(TEMPLATE) + " OWNER "
                    + Identifiers.quote(Database.OWNER_ROLE));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name, e);
        }
        Database db = Database.local(cluster, name);
        Bootstrap.ensure(db);
        return db;
    }

    /** A new database with roles, grants and extensions but no schema, for tests of the migrations themselves. */
    public Database newEmptyDatabase(String hint) {
        Database db = Database.local(cluster, uniqueName(hint));
        Bootstrap.ensure(db);
        return db;
    }

    private String uniqueName(String hint) {
        String name = "t_" + hint.toLowerCase().replaceAll("[^a-z0-9]+", "_") + "_" + databases.incrementAndGet();
        return name.length() > 60 ? name.substring(name.length() - 60) : name;
    }

    public LocalCluster cluster() {
        return cluster;
    }

    /** Stops the server and deletes its directory; safe to call more than once. */
    @Override
    public synchronized void close() {
        if (Files.exists(cluster.root())) {
            cluster.destroy();
            try {
                Files.deleteIfExists(cluster.root().getParent());
            } catch (IOException ignored) {
                // the temp directory's parent is only a container; a leftover empty dir harms nobody
            }
        }
    }
}
