package dev.townhall.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.townhall.api.Caller;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SDK's client connected over a pair of pipes to an in-process {@link McpStdioServer} serving one caller, with
 * the few readers tool tests need. Closing it checks that the server's stdout carried protocol messages only.
 */
final class PipedMcpClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final McpStdioServer server;
    private final PipedClientTransport transport;
    private final McpSyncClient client;

    PipedMcpClient(Caller caller, McpServices services) {
        try {
            Pipe toServer = Pipe.open();
            Pipe fromServer = Pipe.open();
            server = McpStdioServer.start(caller, services, Channels.newInputStream(toServer.source()),
                    Channels.newOutputStream(fromServer.sink()));
            transport = new PipedClientTransport(Channels.newInputStream(fromServer.source()),
                    Channels.newOutputStream(toServer.sink()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30)).build();
        client.initialize();
    }

    List<McpSchema.Tool> tools() {
        return client.listTools().tools();
    }

    CallToolResult call(String tool, Map<String, Object> arguments) {
        return client.callTool(McpSchema.CallToolRequest.builder(tool).arguments(arguments).build());
    }

    /** The JSON answer of a call that must have succeeded. */
    static JsonNode ok(CallToolResult result) {
        assertThat(result.isError()).as(() -> text(result)).isFalse();
        try {
            return JSON.readTree(text(result));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The message of a call that must have been refused. */
    static String refusal(CallToolResult result) {
        assertThat(result.isError()).as(() -> text(result)).isTrue();
        return text(result);
    }

    static String text(CallToolResult result) {
        return ((McpSchema.TextContent) result.content().get(0)).text();
    }

    @Override
    public void close() {
        client.closeGracefully();
        server.close();
        assertThat(transport.linesFromServer).isNotEmpty().allMatch(line -> line.startsWith("{\"jsonrpc\":\"2.0\""));
    }
}
