package dev.townhall.mcp;

import dev.townhall.api.Caller;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stdio server for one caller with the SDK's own client connected to it over a pair of OS pipes, in process: what
 * the MCP tests drive the tools with. Every line the server writes is kept, to check that it wrote only protocol.
 */
public final class McpTestClient implements AutoCloseable {
    final McpStdioServer server;
    final McpSyncClient client;
    final List<String> linesFromServer = new CopyOnWriteArrayList<>();
    private final OutputStream toServer;

    McpTestClient(Caller caller, McpServices services) {
        try {
            Pipe toServerPipe = Pipe.open();
            Pipe fromServerPipe = Pipe.open();
            server = McpStdioServer.start(caller, services, Channels.newInputStream(toServerPipe.source()),
                    Channels.newOutputStream(fromServerPipe.sink()));
            toServer = Channels.newOutputStream(toServerPipe.sink());
            client = McpClient.sync(new StreamClientTransport(Channels.newInputStream(fromServerPipe.source()),
                    toServer, linesFromServer::add)).requestTimeout(Duration.ofSeconds(30)).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        client.initialize();
    }

    /** Connects a new client to a new server for {@code caller}. */
    public static McpTestClient connect(Caller caller, McpServices services) {
        return new McpTestClient(caller, services);
    }

    public CallToolResult call(String tool, Map<String, Object> arguments) {
        return client.callTool(McpSchema.CallToolRequest.builder(tool).arguments(arguments).build());
    }

    public McpSyncClient client() {
        return client;
    }

    /** Writes {@code line} as it is, as a broken client might (under the lock the transport writes with). */
    void sendRawLine(String line) throws IOException {
        synchronized (toServer) {
            toServer.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            toServer.flush();
        }
    }

    @Override
    public void close() {
        client.closeGracefully();
        server.close();
    }
}
