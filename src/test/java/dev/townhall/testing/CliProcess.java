package dev.townhall.testing;

import dev.townhall.TownHallConfig;
import dev.townhall.cli.Main;
import dev.townhall.db.Database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The CLI as a separate JVM (this test run's class path), against {@code db} as an external server, for what only a
 * real process shows: a long-running command that keeps going, or one killed with SIGKILL. Its output goes to files
 * in {@code home}, which is also its state directory and working directory.
 */
public final class CliProcess implements AutoCloseable {
    private final Process process;
    private final Path out;

    private CliProcess(Process process, Path out) {
        this.process = process;
        this.out = out;
    }

    /** Starts {@code ./townhall args… --database-url <db's owner>} with {@code env} added to its environment. */
    public static CliProcess start(Path home, Database db, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        command.addAll(List.of("--database-url", CliRun.databaseUrl(db.owner())));
        try {
            Files.createDirectories(home);
            Path out = Files.createTempFile(home, "cli-", ".out");
            ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile())
                    .redirectOutput(out.toFile()).redirectError(Files.createTempFile(home, "cli-", ".err").toFile());
            builder.environment().put("TOWNHALL_HOME", home.toString());
            builder.environment().put(TownHallConfig.APP_PASSWORD_VARIABLE, db.app().password());
            builder.environment().putAll(env);
            return new CliProcess(builder.start(), out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the CLI in a JVM of its own", e);
        }
    }

    /** What it has printed to stdout so far, line by line. */
    public List<String> lines() {
        try {
            return Files.readString(out, StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until {@code condition} holds, checking every 50 ms while the process lives; false when it ended first or
     * {@code patience} passed (a generous bound for a stuck run, not a measurement).
     */
    public boolean awaitUntil(Predicate<CliProcess> condition, Duration patience) throws InterruptedException {
        Instant giveUp = Instant.now().plus(patience);
        while (Instant.now().isBefore(giveUp)) {
            if (condition.test(this)) {
                return true;
            }
            if (!process.isAlive()) {
                return condition.test(this);
            }
            Thread.sleep(50);
        }
        return false;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL on Linux: no shutdown hook, no finally block, an open transaction simply vanishes. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() {
        try {
            kill();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
