package dev.townhall.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Points the CLI's state directory (the {@code townhall.home} system property, where the local cluster lives) at a
 * directory for one test, and restores what was there after it. Register with {@code @RegisterExtension}.
 */
public final class CliHome implements BeforeEachCallback, AfterEachCallback {
    private static final String PROPERTY = "townhall.home";

    private final boolean isolated;
    private Path scratch;
    private boolean changed;
    private String previous;

    private CliHome(boolean isolated) {
        this.isolated = isolated;
    }

    /** A home each test sets itself with {@link #set}. */
    public static CliHome settable() {
        return new CliHome(false);
    }

    /** Before each test, a home of its own: {@link #state()} in a fresh temp directory, deleted afterwards. */
    public static CliHome isolated() {
        return new CliHome(true);
    }

    /** The isolated home (which the CLI creates only when it needs to). */
    public Path state() {
        return scratch.resolve("state");
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        if (isolated) {
            scratch = Files.createTempDirectory("townhall-cli-home-");
            set(state());
        }
    }

    /** From now until the test ends, the CLI's local cluster is the one under {@code home/pg}. */
    public void set(Path home) {
        if (!changed) {
            previous = System.getProperty(PROPERTY);
            changed = true;
        }
        System.setProperty(PROPERTY, home.toString());
    }

    /** From now until the test ends, the CLI's local cluster is the run's test cluster. */
    public void set(TestCluster cluster) {
        set(cluster.cluster().root().getParent());
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        if (changed) {
            if (previous == null) {
                System.clearProperty(PROPERTY);
            } else {
                System.setProperty(PROPERTY, previous);
            }
            changed = false;
        }
        if (scratch != null) {
            try (Stream<Path> files = Files.walk(scratch)) {
                files.sorted(Comparator.reverseOrder()).forEach(CliHome::delete);
            }
            scratch = null;
        }
    }

    private static void delete(Path file) {
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
