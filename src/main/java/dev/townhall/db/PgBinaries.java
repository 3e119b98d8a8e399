package dev.townhall.db;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.internal.Processes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The PostgreSQL server programs TownHall drives. Found, in order, from {@code TOWNHALL_PG_BIN}, the newest
 * {@code /usr/lib/postgresql/NN/bin} (Debian/Ubuntu layout) with NN at least {@value #MIN_MAJOR}, or
 * {@code pg_config --bindir} on the PATH.
 */
public final class PgBinaries {
    public static final int MIN_MAJOR = 15;
    private static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");
    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\) (\\d+)(?:\\.(\\d+))?");
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(20);

    private final Path binDir;
    private final int major;
    private final String version;

    private PgBinaries(Path binDir, int major, String version) {
        this.binDir = binDir;
        this.major = major;
        this.version = version;
    }

    public static PgBinaries locate() {
        String explicit = System.getenv("TOWNHALL_PG_BIN");
        if (explicit != null && !explicit.isBlank()) {
            return at(Path.of(explicit));
        }
        Optional<Path> debian = newestDebianBinDir();
        if (debian.isPresent()) {
            return at(debian.get());
        }
        Processes.Result pgConfig;
        try {
            pgConfig = Processes.run(List.of("pg_config", "--bindir"), PROBE_TIMEOUT);
        } catch (TownHallException notOnPath) {
            throw missing();
        }
        if (!pgConfig.ok()) {
            throw missing();
        }
        return at(Path.of(pgConfig.output().strip()));
    }

    /** The binaries in {@code binDir}, refused when they are missing or older than {@value #MIN_MAJOR}. */
    public static PgBinaries at(Path binDir) {
        Path postgres = binDir.resolve("postgres");
        if (!Files.isExecutable(postgres) || !Files.isExecutable(binDir.resolve("initdb"))) {
            throw new TownHallException(ErrorCode.BINARIES_MISSING, "no PostgreSQL server programs in " + binDir
                    + " (postgres, initdb); run scripts/install-deps or set TOWNHALL_PG_BIN");
        }
        Processes.Result result = Processes.run(List.of(postgres.toString(), "--version"), PROBE_TIMEOUT);
        Matcher m = VERSION.matcher(result.output());
        if (!result.ok() || !m.find()) {
            throw new TownHallException(ErrorCode.BINARIES_MISSING,
                    postgres + " --version did not answer: " + result.lastLine());
        }
        int major = Integer.parseInt(m.group(1));
        if (major < MIN_MAJOR) {
            throw new TownHallException(ErrorCode.BINARIES_MISSING, "PostgreSQL " + major + " in " + binDir
                    + " is too old; TownHall needs " + MIN_MAJOR + " or newer (run scripts/install-deps)");
        }
        return new PgBinaries(binDir, major, m.group(0).substring("(PostgreSQL) ".length()));
    }

    private static Optional<Path> newestDebianBinDir() {
        if (!Files.isDirectory(DEBIAN_ROOT)) {
            return Optional.empty();
        }
        try (Stream<Path> majors = Files.list(DEBIAN_ROOT)) {
            return majors
                    .filter(p -> p.getFileName().toString().matches("\\d+"))
                    .filter(p -> Integer.parseInt(p.getFileName().toString()) >= MIN_MAJOR)
                    .filter(p -> Files.isExecutable(p.resolve("bin/postgres")))
                    .max(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString())))
                    .map(p -> p.resolve("bin"));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static TownHallException missing() {
        return new TownHallException(ErrorCode.BINARIES_MISSING, "PostgreSQL " + MIN_MAJOR
                + "+ server programs not found; run scripts/install-deps or set TOWNHALL_PG_BIN to their directory");
    }

    public Path program(String name) {
        return binDir.resolve(name);
    }

    public Path binDir() {
        return binDir;
    }

    public int major() {
        return major;
    }

    public String version() {
        return version;
    }
}
