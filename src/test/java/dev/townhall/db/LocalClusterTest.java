package dev.townhall.db;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.testing.TestCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The embedded cluster's life cycle, each case on a cluster of its own in a temp directory. */
class LocalClusterTest {
    @TempDir
    Path tmp;

    private LocalCluster cluster;

    @BeforeEach
    void newCluster() throws IOException {
        TestCluster.openForServerAccount(tmp);
        // production settings: the kill -9 case needs synchronous commit to keep what was committed
        cluster = LocalCluster.at(tmp.resolve("pg"), PgBinaries.locate());
    }

    @AfterEach
    void destroy() {
        cluster.destroy();
    }

    @Test
    void startsStopsAndRestartsKeepingData() throws SQLException {
        LocalCluster.Started first = cluster.start(OptionalInt.empty());
        assertThat(first.initialized()).isTrue();
        assertThat(first.reused()).isFalse();
        execute("CREATE TABLE kept (x int); INSERT INTO kept VALUES (42)");

        assertThat(cluster.stop()).isTrue();
        assertThat(cluster.status().running()).isFalse();
        assertThat(cluster.stop()).as("stopping a stopped cluster is harmless").isFalse();

        LocalCluster.Started again = cluster.start(OptionalInt.empty());
        assertThat(again.initialized()).isFalse();
        assertThat(again.reused()).isFalse();
        assertThat(queryInt("SELECT x FROM kept")).isEqualTo(42);
    }

    @Test
    void reusesARunningCluster() {
        int port = cluster.start(OptionalInt.empty()).port();
        LocalCluster.Started second = LocalCluster.at(tmp.resolve("pg"), PgBinaries.locate()).start(OptionalInt.empty());
        assertThat(second.reused()).isTrue();
        assertThat(second.port()).isEqualTo(port);
    }

    @Test
    void appliesTheSettingsTownHallNeedsAndListensOnlyOnLoopback() throws SQLException {
        cluster.start(OptionalInt.empty());
        assertThat(queryText("SHOW wal_level")).isEqualTo("logical");
        assertThat(queryText("SHOW track_commit_timestamp")).isEqualTo("on");
        assertThat(queryText("SHOW shared_preload_libraries")).contains("pg_stat_statements");
        assertThat(queryText("SHOW listen_addresses")).isEqualTo("127.0.0.1");
        assertThat(cluster.serverLog()).startsWith(cluster.dataDir()).exists();
    }

    @Test
    void recoversFromAStalePostmasterPidAfterKill9() throws Exception {
        cluster.start(OptionalInt.empty());
        execute("CREATE TABLE survivor (x int); INSERT INTO survivor VALUES (7)");
        long pid = Long.parseLong(Files.readAllLines(cluster.dataDir().resolve("postmaster.pid")).get(0).strip());
        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
        assertThat(postmaster.destroyForcibly()).isTrue(); // SIGKILL: no shutdown, the pid file stays behind
        postmaster.onExit().get();
        assertThat(cluster.dataDir().resolve("postmaster.pid")).exists();

        LocalCluster.Started restarted = cluster.start(OptionalInt.empty());
        assertThat(restarted.reused()).isFalse();
        assertThat(queryInt("SELECT x FROM survivor")).isEqualTo(7);
    }

    @Test
    void aRequestedPortThatIsTakenIsRefusedWithOneLine() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> cluster.start(OptionalInt.of(taken.getLocalPort())))
                    .isInstanceOf(TownHallException.class)
                    .hasMessageContaining("port " + taken.getLocalPort() + " on 127.0.0.1 is already in use")
                    .matches(e -> ((TownHallException) e).code() == ErrorCode.PORT_IN_USE)
                    .matches(e -> !e.getMessage().contains("\n"));
        }
    }

    @Test
    void movesToAFreePortWhenItsOwnPortWasTakenMeanwhile() throws IOException {
        int port = cluster.start(OptionalInt.empty()).port();
        cluster.stop();
        try (ServerSocket squatter = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(squatter.isBound()).isTrue();
            LocalCluster.Started moved = cluster.start(OptionalInt.empty());
            assertThat(moved.port()).isNotEqualTo(port);
            assertThat(moved.portNote()).contains("port " + port + " was taken");
        }
    }

    @Test
    void refusesADataDirectoryOfAnotherMajorVersion() throws IOException {
        cluster.start(OptionalInt.empty());
        cluster.stop();
        Files.writeString(cluster.dataDir().resolve("PG_VERSION"), "14\n");
        assertThatThrownBy(() -> cluster.start(OptionalInt.empty()))
                .isInstanceOf(TownHallException.class)
                .hasMessageContaining("was made by PostgreSQL 14")
                .hasMessageContaining("pg_upgrade")
                .matches(e -> ((TownHallException) e).code() == ErrorCode.DATA_DIR);
        Files.writeString(cluster.dataDir().resolve("PG_VERSION"), cluster.binaries().major() + "\n");
    }

    @Test
    void refusesADataDirectoryItCannotWrite() throws IOException {
        Path locked = Files.createDirectory(tmp.resolve("locked"));
        Files.setPosixFilePermissions(locked, java.nio.file.attribute.PosixFilePermissions.fromString("r-x------"));
        LocalCluster unwritable = LocalCluster.at(locked.resolve("deeper").resolve("pg"), PgBinaries.locate());
        try {
            assertThatThrownBy(() -> unwritable.start(OptionalInt.empty()))
                    .isInstanceOf(TownHallException.class)
                    .matches(e -> ((TownHallException) e).code() == ErrorCode.DATA_DIR)
                    .hasMessageContaining(locked.toString());
        } finally {
            Files.setPosixFilePermissions(locked, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void refusesASecondStartWhileOneIsInProgress() throws IOException {
        Files.createDirectories(cluster.root());
        try (FileChannel channel = FileChannel.open(cluster.root().resolve("cluster.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock held = channel.lock()) {
            assertThat(held.isValid()).isTrue();
            assertThatThrownBy(() -> cluster.start(OptionalInt.empty()))
                    .isInstanceOf(TownHallException.class)
                    .hasMessageContaining("another TownHall command is starting or stopping the cluster")
                    .matches(e -> ((TownHallException) e).code() == ErrorCode.CLUSTER_BUSY);
        }
        assertThat(cluster.status().initialized()).as("nothing was created while the lock was held").isFalse();
    }

    @Test
    void aRunningClusterIsReusedEvenWhileAnotherCommandHoldsTheLock() throws IOException {
        int port = cluster.start(OptionalInt.empty()).port();
        try (FileChannel channel = FileChannel.open(cluster.root().resolve("cluster.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock held = channel.lock()) {
            assertThat(held.isValid()).isTrue();
            LocalCluster.Started again = cluster.start(OptionalInt.empty());
            assertThat(again.reused()).isTrue();
            assertThat(again.port()).isEqualTo(port);
            assertThatThrownBy(cluster::stop).as("stopping waits for no one: it says the cluster is busy")
                    .isInstanceOf(TownHallException.class)
                    .matches(e -> ((TownHallException) e).code() == ErrorCode.CLUSTER_BUSY);
        }
    }

    @Test
    void aDeepCheckoutGetsAShortSocketDirectoryThatSurvivesATmpCleanup() throws IOException {
        Path deep = tmp.resolve("a-directory-name-long-enough-to-push-the-socket-path-over-the-unix-limit")
                .resolve("and-one-more-level-of-it").resolve("pg");
        LocalCluster far = LocalCluster.at(deep, PgBinaries.locate());
        try {
            far.start(OptionalInt.empty());
            assertThat(far.socketDir().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                    .isLessThanOrEqualTo(91);
            far.stop();
            Files.walk(far.socketDir()).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            assertThat(far.socketDir()).doesNotExist();
            assertThat(far.start(OptionalInt.empty()).reused()).isFalse();
            assertThat(far.status().running()).isTrue();
        } finally {
            far.destroy();
        }
    }

    @Test
    void missingBinariesAreNamedWithTheFix() {
        assertThatThrownBy(() -> PgBinaries.at(tmp.resolve("no-such-bin")))
                .isInstanceOf(TownHallException.class)
                .hasMessageContaining("run scripts/install-deps")
                .matches(e -> ((TownHallException) e).code() == ErrorCode.BINARIES_MISSING);
    }

    @Test
    void pgvectorIsInstalledAndAnHnswIndexIsUsed() throws SQLException {
        cluster.start(OptionalInt.empty());
        execute("""
                CREATE EXTENSION vector;
                CREATE TABLE items (id int PRIMARY KEY, embedding vector(3));
                INSERT INTO items SELECT i, ARRAY[i, i * 2, i % 7]::real[]::vector FROM generate_series(1, 2000) i;
                CREATE INDEX items_embedding_idx ON items USING hnsw (embedding vector_l2_ops);
                ANALYZE items;
                """);
        String version = queryText("SELECT extversion FROM pg_extension WHERE extname = 'vector'");
        assertThat(version).matches("0\\.(8|9)\\..*|[1-9]\\..*");
        try (Connection c = cluster.superuserEndpoint().connect(); Statement s = c.createStatement()) {
            s.execute("SET enable_seqscan = off");
            StringBuilder plan = new StringBuilder();
            try (ResultSet rs = s.executeQuery("EXPLAIN SELECT id FROM items ORDER BY embedding <-> '[10,20,3]' LIMIT 5")) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
            assertThat(plan.toString()).contains("items_embedding_idx");
            try (ResultSet rs = s.executeQuery("SELECT id FROM items ORDER BY embedding <-> '[10,20,3]' LIMIT 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(10);
            }
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = cluster.superuserEndpoint().connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private int queryInt(String sql) throws SQLException {
        return Integer.parseInt(queryText(sql));
    }

    private String queryText(String sql) throws SQLException {
        try (Connection c = cluster.superuserEndpoint().connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }
}
