package dev.townhall.mcp;

import dev.townhall.api.ApiKeys;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An in-process stdio server for one key, with the SDK's own client connected to it over a pair of pipes (the
 * pattern of McpStdioServerTest's connections, shared for new tests).
 */
final class McpTestConnection implements AutoCloseable {
    private final McpStdioServer server;
    private final PipedClientTransport transport;
    final McpSyncClient client;

    McpTestConnection(ApiKeys keys, String key, McpServices services) {
        try {
            Pipe toServer = Pipe.open();
            Pipe fromServer = Pipe.open();
            server = McpStdioServer.start(keys.authenticate(key, Optional.empty()), services,
                    Channels.newInputStream(toServer.source()), Channels.newOutputStream(fromServer.sink()));
            transport = new PipedClientTransport(Channels.newInputStream(fromServer.source()),
                    Channels.newOutputStream(toServer.sink()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30)).build();
        client.initialize();
    }

    CallToolResult call(String tool, Map<String, Object> arguments) {
        return client.callTool(McpSchema.CallToolRequest.builder(tool).arguments(arguments).build());
    }

    @Override
    public void close() {
        client.closeGracefully();
        server.close();
        // stdout carried protocol messages only: every line the server wrote is a JSON-RPC message
        assertThat(transport.linesFromServer).isNotEmpty().allMatch(line -> line.startsWith("{\"jsonrpc\":\"2.0\""));
    }
}
