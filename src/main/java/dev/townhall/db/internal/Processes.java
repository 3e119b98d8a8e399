package dev.townhall.db.internal;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs external programs (initdb, pg_ctl, psql) and captures what they print. */
public final class Processes {

    /** What a finished program left behind: its exit code and its combined stdout and stderr. */
    public record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }

        /** The last non-blank line of output, which is where PostgreSQL tools put the reason for a failure. */
        public String lastLine() {
            String[] lines = output.strip().split("\n");
            return lines.length == 0 ? "" : lines[lines.length - 1].strip();
        }
    }

    private Processes() {
    }

    public static Result run(List<String> command, Duration timeout) {
        return run(command, timeout, Map.of());
    }

    /**
     * Runs {@code command} to completion (or kills it after {@code timeout}) with {@code extraEnv} added to the
     * environment. Output is captured, never echoed, so a caller decides what a user sees.
     */
    public static Result run(List<String> command, Duration timeout, Map<String, String> extraEnv) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(extraEnv);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new TownHallException(ErrorCode.BINARIES_MISSING,
                    "cannot run " + command.get(0) + ": " + e.getMessage(), e);
        }
        try {
            process.getOutputStream().close();
            OutputDrain drain = new OutputDrain(process.getInputStream());
            drain.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new TownHallException(ErrorCode.INTERNAL,
                        command.get(0) + " did not finish within " + timeout.toSeconds() + " s");
            }
            drain.join();
            return new Result(process.exitValue(), drain.text());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new TownHallException(ErrorCode.INTERNAL, "interrupted while running " + command.get(0), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a child's output on its own thread so a chatty child never blocks on a full pipe. */
    private static final class OutputDrain extends Thread {
        private final InputStream in;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        OutputDrain(InputStream in) {
            super("process-output-drain");
            setDaemon(true);
            this.in = in;
        }

        @Override
        public void run() {
            try (in) {
                in.transferTo(buffer);
            } catch (IOException ignored) {
                // the child is gone; what was read so far is all there is
            }
        }

        String text() {
            return buffer.toString(StandardCharsets.UTF_8);
        }
    }
}
