package dev.townhall.mcp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/**
 * Stands between the client's stream and the SDK's stdio transport: passes on each line that is a JSON object or
 * array and drops (with one line in the log) any other, and notices the end of the client's stream itself. The SDK's
 * stdio server (2.1.0) stops reading for good at the first line it cannot parse, even a blank one, so without this a
 * stray line would leave the server deaf and the process waiting forever.
 */
public final class InboundLines {
    private static final Logger LOG = LoggerFactory.getLogger(InboundLines.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final InputStream toTransport;
    private final CountDownLatch ended = new CountDownLatch(1);

    private InboundLines(InputStream from, Pipe pipe) {
        this.toTransport = Channels.newInputStream(pipe.source());
        OutputStream sink = Channels.newOutputStream(pipe.sink());
        Thread copier = new Thread(() -> copy(from, sink), "mcp-inbound-lines");
        copier.setDaemon(true);
        copier.start();
    }

    /** Starts passing {@code from}'s well-formed lines on to {@link #toTransport()}. */
    public static InboundLines from(InputStream from) {
        try {
            return new InboundLines(from, Pipe.open());
        } catch (IOException e) {
            throw new IllegalStateException("cannot open a pipe for the MCP transport", e);
        }
    }

    /** What the SDK's transport reads. */
    public InputStream toTransport() {
        return toTransport;
    }

    /** Waits until the client's stream has ended (or failed). */
    public void awaitEnd() throws InterruptedException {
        ended.await();
    }

    private void copy(InputStream from, OutputStream sink) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(from, StandardCharsets.UTF_8));
             sink) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (wellFormed(line)) {
                    sink.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                    sink.flush();
                } else if (!line.isBlank()) {
                    LOG.warn("dropped an input line that is not a JSON-RPC message ({} characters)", line.length());
                }
            }
        } catch (IOException e) {
            LOG.warn("the client's stream failed: {}", e.getMessage());
        } finally {
            ended.countDown();
        }
    }

    private static boolean wellFormed(String line) {
        try {
            JsonNode node = JSON.readTree(line);
            return node != null && (node.isObject() || node.isArray());
        } catch (IOException e) {
            return false;
        }
    }
}
