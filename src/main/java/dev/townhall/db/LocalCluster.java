package dev.townhall.db;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.internal.Processes;
import dev.townhall.db.internal.ServiceAccount;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Properties;

/**
 * A PostgreSQL cluster that TownHall owns, in a directory of its own: {@code data/} (the data directory, with the
 * server log {@code data/server.log}), {@code run/} (the unix socket, closed to other OS users) and
 * {@code cluster.properties} (port and generated passwords, readable only by the invoking user).
 * <p>
 * The server listens on loopback and its socket only, with the settings TownHall needs
 * ({@link #REQUIRED_SETTINGS}). {@link #start} initialises on first use, reuses a running server, recovers from a
 * stale {@code postmaster.pid} and refuses to run two starts at once.
 */
public final class LocalCluster {
    public static final String SUPERUSER = "postgres";
    public static final Map<String, String> REQUIRED_SETTINGS = Map.of(
            "shared_preload_libraries", "'pg_stat_statements'",
            "wal_level", "logical",
            "track_commit_timestamp", "on");

    private static final Duration PG_CTL_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration QUICK_TIMEOUT = Duration.ofSeconds(15);
    private static final int START_ATTEMPTS = 5;
    private static final long START_RETRY_PAUSE_MS = 1_000;
    private static final int MAX_SOCKET_PATH_BYTES = 91; // sun_path holds 107 bytes, "/.s.PGSQL.NNNNN" takes 15 of them
    private static final String SETTINGS_FILE = "townhall.conf";

    private final Path root;
    private final Path dataDir;
    private final Path socketDir;
    private final Path propertiesFile;
    private final PgBinaries binaries;
    private final ServiceAccount account;
    private final Map<String, String> extraSettings;

    private LocalCluster(Path root, PgBinaries binaries, Map<String, String> extraSettings) {
        this.root = root.toAbsolutePath().normalize();
        this.dataDir = this.root.resolve("data");
        this.propertiesFile = this.root.resolve("cluster.properties");
        this.socketDir = chooseSocketDir(this.root);
        this.binaries = binaries;
        this.account = ServiceAccount.forCurrentProcess();
        this.extraSettings = Map.copyOf(extraSettings);
    }

    /**
     * The cluster kept under {@code root} (e.g. {@code .townhall/pg}). No file is touched until {@link #start}; as
     * root, the unprivileged account the server will run as is looked up (and created if missing).
     */
    public static LocalCluster at(Path root, PgBinaries binaries) {
        return new LocalCluster(root, binaries, Map.of());
    }

    /**
     * As {@link #at}, plus server settings written at initialisation, e.g. {@code fsync = off} for a throwaway test
     * cluster. They never replace {@link #REQUIRED_SETTINGS}.
     */
    public static LocalCluster at(Path root, PgBinaries binaries, Map<String, String> extraSettings) {
        return new LocalCluster(root, binaries, extraSettings);
    }

    private static Path chooseSocketDir(Path root) {
        Path preferred = root.resolve("run");
        if (preferred.toString().getBytes(StandardCharsets.UTF_8).length <= MAX_SOCKET_PATH_BYTES) {
            return preferred;
        }
        // a deep checkout would overflow the socket path; a short, stable name per cluster directory instead
        return Path.of("/tmp", "townhall-" + Integer.toHexString(root.toString().hashCode()));
    }

    /** What {@link #status()} reports. */
    public record Status(boolean initialized, boolean running, int port, Path dataDir, Path socketDir) {
    }

    /** What {@link #start} did. */
    public record Started(boolean initialized, boolean reused, int port, String portNote) {
    }

    public Status status() {
        boolean initialized = isInitialized();
        return new Status(initialized, initialized && isRunning(), initialized ? storedPort() : -1, dataDir, socketDir);
    }

    /**
     * Starts the server (initialising it first if needed) and waits until it accepts connections; reuses it if
     * it is already running. {@code requestedPort}, when given, must be free (or already this cluster's port).
     */
    public Started start(OptionalInt requestedPort) {
        requestedPort.ifPresent(LocalCluster::checkPortRange);
        prepareRoot();
        if (isInitialized()) {
            checkMajorVersion();
            if (isRunning()) {
                // the common case, and safe for many commands at once: nothing to start, so no lock to take
                return reuse(requestedPort);
            }
        }
        try (StartLock ignored = StartLock.acquire(root.resolve("cluster.lock"), "starting")) {
            boolean initializedNow = false;
            if (!isInitialized()) {
                initialize(requestedPort.orElseGet(LocalCluster::freePort));
                initializedNow = true;
            } else {
                checkMajorVersion();
            }
            int port = storedPort();
            if (isRunning()) {
                return reuse(requestedPort);
            }
            String note = null;
            if (requestedPort.isPresent()) {
                int wanted = requestedPort.getAsInt();
                if (!portIsFree(wanted)) {
                    throw new TownHallException(ErrorCode.PORT_IN_USE, "port " + wanted
                            + " on 127.0.0.1 is already in use; choose another with --port or leave it out");
                }
                if (wanted != port) {
                    writeSettings(wanted);
                    port = wanted;
                }
            } else if (!portIsFree(port)) {
                int moved = freePort();
                note = "port " + port + " was taken by another program; the cluster now uses " + moved;
                writeSettings(moved);
                port = moved;
            }
            startServer();
            return new Started(initializedNow, false, port, note);
        }
    }

    private Started reuse(OptionalInt requestedPort) {
        int port = storedPort();
        if (requestedPort.isPresent() && requestedPort.getAsInt() != port) {
            throw new TownHallException(ErrorCode.PORT_IN_USE, "the TownHall cluster in " + dataDir
                    + " is already running on port " + port + "; run ./townhall down first to move it to port "
                    + requestedPort.getAsInt());
        }
        return new Started(false, true, port, null);
    }

    /** Stops the server if it runs (fast shutdown: sessions are ended, data is safe). Returns whether it ran. */
    public boolean stop() {
        if (!isInitialized()) {
            return false;
        }
        try (StartLock ignored = StartLock.acquire(root.resolve("cluster.lock"), "stopping")) {
            return stopServer();
        }
    }

    private boolean stopServer() {
        if (!isRunning()) {
            return false;
        }
        Processes.Result r = pgCtl(List.of("stop", "-D", dataDir.toString(), "-m", "fast", "-w",
                "-t", Long.toString(PG_CTL_TIMEOUT.toSeconds())), PG_CTL_TIMEOUT.plusSeconds(5));
        if (!r.ok()) {
            throw new TownHallException(ErrorCode.SERVER_START, "pg_ctl stop failed for " + dataDir + ": " + r.lastLine()
                    + " (server log: " + serverLog() + ")");
        }
        return true;
    }

    /** Stops the server and deletes the whole cluster directory. For throwaway clusters only. */
    public void destroy() {
        try {
            stop();
        } finally {
            deleteRecursively(root);
            if (!socketDir.startsWith(root)) {
                deleteRecursively(socketDir);
            }
        }
    }

    /** The superuser over TCP loopback, in database {@code postgres}. */
    public Endpoint superuserEndpoint() {
        return new Endpoint("127.0.0.1", storedPort(), "postgres", SUPERUSER, secret("superuser.password"));
    }

    /** A password generated for {@code role} when the cluster was initialised, so every run uses the same one. */
    public String rolePassword(String role) {
        return secret("role." + role + ".password");
    }

    public Path root() {
        return root;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path socketDir() {
        return socketDir;
    }

    public Path serverLog() {
        return dataDir.resolve("server.log");
    }

    public PgBinaries binaries() {
        return binaries;
    }

    public ServiceAccount account() {
        return account;
    }

    public int port() {
        return storedPort();
    }

    // ---- initialisation -------------------------------------------------------------------------------------

    private void prepareRoot() {
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new TownHallException(ErrorCode.DATA_DIR, "cannot create the cluster directory " + root + " ("
                    + e.getClass().getSimpleName() + "); choose another with TOWNHALL_HOME", e);
        }
        if (account.isSeparate()) {
            try {
                // the server's account must pass through this directory to reach data/ and run/
                Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx--x--x"));
            } catch (IOException e) {
                throw new TownHallException(ErrorCode.DATA_DIR, "cannot set permissions on " + root, e);
            }
        }
        if (!Files.isWritable(root)) {
            throw new TownHallException(ErrorCode.DATA_DIR, "the cluster directory " + root
                    + " is not writable; fix its permissions or choose another with TOWNHALL_HOME");
        }
    }

    private boolean isInitialized() {
        return Files.exists(dataDir.resolve("PG_VERSION")) && Files.exists(propertiesFile);
    }

    private void initialize(int port) {
        if (Files.isDirectory(dataDir) && !isEmptyDir(dataDir)) {
            if (Files.exists(dataDir.resolve("PG_VERSION"))) {
                checkMajorVersion();
                throw new TownHallException(ErrorCode.DATA_DIR, dataDir + " holds a PostgreSQL cluster that TownHall"
                        + " did not make (no " + propertiesFile.getFileName() + "); move it away or set TOWNHALL_HOME");
            }
            throw new TownHallException(ErrorCode.DATA_DIR, dataDir
                    + " is not empty and is not a PostgreSQL data directory; move it away or set TOWNHALL_HOME");
        }
        createOwnedDir(dataDir);
        createOwnedDir(socketDir);
        if (!account.canWrite(dataDir)) {
            throw new TownHallException(ErrorCode.DATA_DIR, "the PostgreSQL account '" + account.displayName()
                    + "' cannot write " + dataDir + " (a parent directory is closed to it); set TOWNHALL_HOME to a"
                    + " directory it can reach, e.g. /var/lib/townhall");
        }
        Properties secrets = new Properties();
        secrets.setProperty("superuser.password", newPassword());
        for (String role : List.of("townhall_owner", "townhall_app", "townhall_analytics")) {
            secrets.setProperty("role." + role + ".password", newPassword());
        }
        Path pwFile = root.resolve("initdb.pw");
        try {
            Files.deleteIfExists(pwFile);
            // private from the first byte: the cluster directory is passable (0711) for the server's account
            Files.createFile(pwFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(pwFile, secrets.getProperty("superuser.password") + "\n");
            account.own(pwFile);
            Processes.Result r = Processes.run(account.command(List.of(binaries.program("initdb").toString(),
                    "-D", dataDir.toString(), "-U", SUPERUSER, "--pwfile=" + pwFile,
                    "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8")),
                    PG_CTL_TIMEOUT);
            if (!r.ok()) {
                throw new TownHallException(ErrorCode.DATA_DIR, "initdb failed in " + dataDir + ": " + r.lastLine());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(pwFile);
        }
        try {
            Files.writeString(dataDir.resolve("postgresql.conf"),
                    "\n# TownHall's settings (port, sockets, required features) live in " + SETTINGS_FILE + "\n"
                            + "include '" + SETTINGS_FILE + "'\n",
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        writeProperties(secrets, port);
        writeSettings(port);
    }

    private void writeSettings(int port) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("port", Integer.toString(port));
        settings.put("listen_addresses", "'127.0.0.1'");
        settings.put("unix_socket_directories", "'" + socketDir + "'");
        settings.put("unix_socket_permissions", "0700");
        settings.putAll(extraSettings);
        settings.putAll(REQUIRED_SETTINGS);
        StringBuilder text = new StringBuilder("# Written by TownHall (LocalCluster); ./townhall up --port N rewrites it.\n");
        settings.forEach((k, v) -> text.append(k).append(" = ").append(v).append('\n'));
        Path file = dataDir.resolve(SETTINGS_FILE);
        try {
            Files.writeString(file, text);
            account.own(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Properties props = readProperties();
        props.setProperty("port", Integer.toString(port));
        writeProperties(props, port);
    }

    private void checkMajorVersion() {
        String onDisk;
        try {
            onDisk = Files.readString(dataDir.resolve("PG_VERSION")).strip();
        } catch (IOException e) {
            throw new TownHallException(ErrorCode.DATA_DIR, "cannot read " + dataDir.resolve("PG_VERSION"), e);
        }
        if (!onDisk.equals(Integer.toString(binaries.major()))) {
            throw new TownHallException(ErrorCode.DATA_DIR, "the data directory " + dataDir + " was made by PostgreSQL "
                    + onDisk + " but this machine runs PostgreSQL " + binaries.major()
                    + "; upgrade it with pg_upgrade, or move it away to start a fresh cluster");
        }
    }

    // ---- running ------------------------------------------------------------------------------------------

    private boolean isRunning() {
        Processes.Result r = pgCtl(List.of("status", "-D", dataDir.toString()), QUICK_TIMEOUT);
        if (!r.ok()) {
            return false;
        }
        if (acceptsConnections()) {
            return true;
        }
        // pg_ctl only checks that the PID in postmaster.pid is alive; after a kill -9 that PID may now belong
        // to an unrelated process. Only a postmaster that is still starting up deserves the benefit of the doubt.
        return pidIsOurPostmaster();
    }

    private boolean acceptsConnections() {
        if (!Files.exists(propertiesFile)) {
            return false;
        }
        return Processes.run(List.of(binaries.program("pg_isready").toString(), "-q", "-h", "127.0.0.1",
                "-p", Integer.toString(storedPort()), "-t", "3"), QUICK_TIMEOUT).ok();
    }

    private boolean pidIsOurPostmaster() {
        Path pidFile = dataDir.resolve("postmaster.pid");
        try {
            List<String> lines = Files.readAllLines(pidFile);
            if (lines.size() < 2) {
                return false;
            }
            Path cmdline = Path.of("/proc", lines.get(0).strip(), "cmdline");
            if (!Files.exists(cmdline)) {
                return false;
            }
            String command = new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).replace('\0', ' ');
            return command.contains("postgres") && lines.get(1).strip().equals(dataDir.toString());
        } catch (IOException e) {
            return false;
        }
    }

    private void startServer() {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (Files.exists(pidFile) && !pidIsOurPostmaster()) {
            deleteQuietly(pidFile); // left by a server that was killed; PostgreSQL would refuse to start otherwise
        }
        createOwnedDir(socketDir); // a socket directory under /tmp may have been cleaned since the last start
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            Processes.Result started = pgCtl(List.of("start", "-D", dataDir.toString(), "-l", serverLog().toString(),
                    "-w", "-t", Long.toString(PG_CTL_TIMEOUT.toSeconds())), PG_CTL_TIMEOUT.plusSeconds(5));
            if (started.ok()) {
                return;
            }
            String reason = lastServerLogLine();
            // Backends orphaned by a kill -9 of the postmaster hold its shared memory for a moment: worth waiting
            // out. Any other failure will fail the same way again.
            if (!reason.contains("shared memory") || attempt == START_ATTEMPTS) {
                throw new TownHallException(ErrorCode.SERVER_START, "PostgreSQL did not start in " + dataDir + ": "
                        + reason + " (server log: " + serverLog() + ")");
            }
            pause();
        }
    }

    private String lastServerLogLine() {
        try {
            List<String> lines = Files.readAllLines(serverLog(), StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (lines.get(i).contains("FATAL") || lines.get(i).contains("ERROR")) {
                    return lines.get(i).strip();
                }
            }
            return lines.isEmpty() ? "no log output" : lines.get(lines.size() - 1).strip();
        } catch (IOException e) {
            return "no server log";
        }
    }

    private Processes.Result pgCtl(List<String> args, Duration timeout) {
        List<String> command = new ArrayList<>();
        command.add(binaries.program("pg_ctl").toString());
        command.addAll(args);
        return Processes.run(account.command(command), timeout);
    }

    private static void pause() {
        try {
            Thread.sleep(START_RETRY_PAUSE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TownHallException(ErrorCode.INTERNAL, "interrupted while starting PostgreSQL", e);
        }
    }

    // ---- ports ---------------------------------------------------------------------------------------------

    private static void checkPortRange(int port) {
        if (port < 1024 || port > 65535) {
            throw new TownHallException(ErrorCode.INVALID_INPUT, "--port must be between 1024 and 65535, got " + port);
        }
    }

    static boolean portIsFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new TownHallException(ErrorCode.PORT_IN_USE, "no free TCP port on 127.0.0.1", e);
        }
    }

    // ---- files ---------------------------------------------------------------------------------------------

    private int storedPort() {
        String port = readProperties().getProperty("port");
        if (port == null) {
            throw new TownHallException(ErrorCode.DATA_DIR, propertiesFile + " has no port; the cluster in " + root
                    + " is damaged (move it away to start afresh)");
        }
        return Integer.parseInt(port.strip());
    }

    private String secret(String key) {
        String value = readProperties().getProperty(key);
        if (value == null) {
            throw new TownHallException(ErrorCode.DATA_DIR, propertiesFile + " lacks '" + key + "'; the cluster in "
                    + root + " is damaged (move it away to start afresh)");
        }
        return value;
    }

    private Properties readProperties() {
        Properties props = new Properties();
        if (Files.exists(propertiesFile)) {
            try (InputStream in = Files.newInputStream(propertiesFile)) {
                props.load(in);
            } catch (IOException e) {
                throw new TownHallException(ErrorCode.DATA_DIR, "cannot read " + propertiesFile, e);
            }
        }
        return props;
    }

    private void writeProperties(Properties props, int port) {
        props.setProperty("port", Integer.toString(port));
        Path tmp = propertiesFile.resolveSibling(propertiesFile.getFileName() + ".tmp");
        try {
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (OutputStream out = Files.newOutputStream(tmp)) {
                props.store(out, "TownHall local cluster: port and generated passwords. Keep private.");
            }
            Files.move(tmp, propertiesFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new TownHallException(ErrorCode.DATA_DIR, "cannot write " + propertiesFile, e);
        }
    }

    private void createOwnedDir(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new TownHallException(ErrorCode.DATA_DIR, "cannot create " + dir + " (" + e.getClass().getSimpleName()
                    + "); fix its permissions or choose another place with TOWNHALL_HOME", e);
        }
        account.own(dir);
    }

    private static boolean isEmptyDir(Path dir) {
        try (var entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    private static String newPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(LocalCluster::deleteQuietly);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An exclusive lock on the cluster directory held while a start is in progress. */
    private static final class StartLock implements AutoCloseable {
        private final FileChannel channel;
        private final FileLock lock;

        private StartLock(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }

        static StartLock acquire(Path file, String activity) {
            FileChannel channel;
            try {
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw new TownHallException(ErrorCode.DATA_DIR, "cannot open the lock file " + file, e);
            }
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (IOException | OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                closeQuietly(channel);
                throw new TownHallException(ErrorCode.CLUSTER_BUSY, "another TownHall command is starting or stopping"
                        + " the cluster in " + file.getParent() + " (this one was " + activity + " it); wait for it to"
                        + " finish and run the command again");
            }
            return new StartLock(channel, lock);
        }

        @Override
        public void close() {
            try {
                if (lock.isValid()) {
                    lock.release();
                }
            } catch (IOException ignored) {
                // closing the channel below releases the lock as well
            }
            closeQuietly(channel);
        }

        private static void closeQuietly(FileChannel channel) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing was written through this channel; there is nothing to lose
            }
        }
    }
}
