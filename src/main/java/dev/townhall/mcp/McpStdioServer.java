package dev.townhall.mcp;

import dev.townhall.api.Caller;
import dev.townhall.mcp.internal.InboundLines;
import dev.townhall.mcp.internal.ServerAssembly;
import dev.townhall.mcp.internal.ToolRunner;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * An MCP server on the official Java SDK, speaking over one pair of streams (stdin and stdout for
 * {@code ./townhall mcp}, pipes in tests): every tool and resource of the server (see {@code ServerAssembly}), each
 * call run as {@code caller} (its user, in its town, at most its key's role) in one transaction under row-level
 * security through the same services the REST API uses, and audited in {@code core.audit_log}. Only protocol
 * messages are written to {@code out}; input lines that are not JSON are dropped before the SDK sees them (it would
 * stop reading at the first).
 */
public final class McpStdioServer implements AutoCloseable {
    private final McpSyncServer server;
    private final InboundLines inbound;

    private McpStdioServer(McpSyncServer server, InboundLines inbound) {
        this.server = server;
        this.inbound = inbound;
    }

    /**
     * Starts serving {@code caller} on {@code in} and {@code out}; returns at once (the SDK reads {@code in} on its own
     * thread).
     */
    public static McpStdioServer start(Caller caller, McpServices services, InputStream in, OutputStream out) {
        InboundLines inbound = InboundLines.from(in);
        ToolRunner runner = new ToolRunner(exchange -> caller, services.statementTimeout(), services.towns());
        McpSyncServer server = ServerAssembly.assemble(McpServer.sync(new StdioServerTransportProvider(
                McpJsonDefaults.getMapper(), inbound.toTransport(), out)), runner, services).build();
        return new McpStdioServer(server, inbound);
    }

    /** Waits until the client has closed its stream ({@code ./townhall mcp} then stops). */
    public void awaitClientClosed() throws InterruptedException {
        inbound.awaitEnd();
    }

    @Override
    public void close() {
        server.closeGracefully();
    }
}
