package dev.townhall.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The server's log (its access log: one line per request) sent to a scratch file while the benchmark runs, as a
 * served instance's goes to a file or the journal: the server still formats and writes every line, and the
 * terminal is spared one line per request. slf4j-simple writes each line to whatever {@code System.err} is then.
 */
final class ServerLog implements AutoCloseable {
    private final PrintStream terminal = System.err;
    private final Path file;
    private final PrintStream stream;

    ServerLog() throws IOException {
        file = Files.createTempFile("townhall-bench-server-", ".log");
        stream = new PrintStream(Files.newOutputStream(file), true /* flushed per line, as the log is */,
                StandardCharsets.UTF_8);
        System.setErr(stream);
    }

    @Override
    public void close() throws IOException {
        System.setErr(terminal);
        stream.close();
        Files.deleteIfExists(file);
    }
}
