package dev.townhall.mcp;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import reactor.core.publisher.Mono;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The SDK's client side of a stdio connection on given streams: the SDK's {@code StdioClientTransport} only launches
 * a process, so this does what it does (one JSON-RPC message per line) on the pipes to an in-process
 * {@link McpStdioServer} (the tests' client, and {@code bench mcp}'s stdio path). Every line the server writes is
 * shown to {@code lineObserver} before it is handled.
 */
public final class StreamClientTransport implements McpClientTransport {
    private final McpJsonMapper mapper = McpJsonDefaults.getMapper();
    private final InputStream fromServer;
    private final OutputStream toServer;
    private final Consumer<String> lineObserver;

    /** {@code toServer} is written under its own lock, so a caller holding it may interleave raw lines. */
    public StreamClientTransport(InputStream fromServer, OutputStream toServer, Consumer<String> lineObserver) {
        this.fromServer = fromServer;
        this.toServer = toServer;
        this.lineObserver = lineObserver;
    }

    @Override
    public Mono<Void> connect(Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> handler) {
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(fromServer, StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    lineObserver.accept(line);
                    handler.apply(Mono.just(McpSchema.deserializeJsonRpcMessage(mapper, line))).subscribe();
                }
            } catch (IOException e) {
                // the pipe closed: the connection is over
            }
        }, "mcp-stream-client-reader");
        reader.setDaemon(true);
        reader.start();
        return Mono.empty();
    }

    @Override
    public Mono<Void> sendMessage(JSONRPCMessage message) {
        return Mono.fromRunnable(() -> {
            try {
                synchronized (toServer) {
                    toServer.write((mapper.writeValueAsString(message) + "\n").getBytes(StandardCharsets.UTF_8));
                    toServer.flush();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.fromRunnable(() -> {
            try {
                toServer.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Override
    public <T> T unmarshalFrom(Object data, TypeRef<T> type) {
        return mapper.convertValue(data, type);
    }
}
