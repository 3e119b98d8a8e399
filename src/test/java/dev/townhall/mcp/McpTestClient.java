package dev.townhall.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stdio server for one caller with the SDK's own client connected to it over a pair of OS pipes, in process: what
 * the MCP tests drive the tools with. Every line the server writes is kept, to check that it wrote only protocol.
 */
public final class McpTestClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
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

    public List<McpSchema.Tool> tools() {
        return client.listTools().tools();
    }

    /** The JSON answer of a call that must have succeeded. */
    public static JsonNode ok(CallToolResult result) {
        assertThat(result.isError()).as(() -> text(result)).isFalse();
        try {
            return JSON.readTree(text(result));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The message of a call that must have been refused. */
    public static String refusal(CallToolResult result) {
        assertThat(result.isError()).as(() -> text(result)).isTrue();
        return text(result);
    }

    public static String text(CallToolResult result) {
        return ((McpSchema.TextContent) result.content().get(0)).text();
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

    /** Closes both ends, and checks the server wrote nothing but JSON-RPC messages on its stdout. */
    @Override
    public void close() {
        client.closeGracefully();
        server.close();
        assertThat(linesFromServer).isNotEmpty().allMatch(line -> line.startsWith("{\"jsonrpc\":\"2.0\""));
    }
}
