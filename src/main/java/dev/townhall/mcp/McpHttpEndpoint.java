package dev.townhall.mcp;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.api.Caller;
import dev.townhall.api.ServerSettings;
import dev.townhall.mcp.internal.ServerAssembly;
import dev.townhall.mcp.internal.ToolRunner;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.server.transport.DefaultServerTransportSecurityValidator;
import io.modelcontextprotocol.server.transport.HeaderAccessor;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.server.transport.ServerTransportSecurityException;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The MCP server over streamable HTTP at {@link #PATH}, mounted by {@code ./townhall serve}'s HTTP service: the same
 * tools as {@link McpStdioServer}, each call run as the caller of the HTTP request that carries it.
 *
 * <p>The HTTP service authenticates every request's bearer key before handing it here (a revoked or expired key is
 * refused at its next request, also inside an open session), so the SDK's transport only ever sees authenticated
 * requests; the caller travels to the tools in the MCP transport context. A session answers only the key that opened
 * it: another key naming its id is told there is no such session. {@link #screen} refuses requests whose
 * {@code Origin} or {@code Host} is not allowed (DNS rebinding), before their key is looked at.
 */
public final class McpHttpEndpoint implements AutoCloseable {
    public static final String PATH = "/mcp";
    private static final String CALLER = "townhall.mcp.caller";
    private static final String SESSION_HEADER = "Mcp-Session-Id";

    private final HttpServletStreamableServerTransportProvider transport;
    private final McpSyncServer server;
    private final ServerSettings settings;
    /** The allow-lists per port the server listens on (one, once known: port 0 picks it at start). */
    private final Map<Integer, DefaultServerTransportSecurityValidator> validators = new ConcurrentHashMap<>();
    /** The key that opened each session still open here, by session id. */
    private final Map<String, UUID> sessionKeys = new ConcurrentHashMap<>();

    private McpHttpEndpoint(HttpServletStreamableServerTransportProvider transport, McpSyncServer server,
                            ServerSettings settings) {
        this.transport = transport;
        this.server = server;
        this.settings = settings;
    }

    /** An endpoint serving the tools on {@code services}, with the allow-lists of {@code settings}. */
    public static McpHttpEndpoint create(McpServices services, ServerSettings settings) {
        HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
                .mcpEndpoint(PATH)
                .maxRequestSize(ServerSettings.MAX_BODY_BYTES)
                .contextExtractor(request -> request.getAttribute(CALLER) instanceof Caller caller
                        ? McpTransportContext.create(Map.of(CALLER, caller)) : McpTransportContext.EMPTY)
                .build();
        ToolRunner runner = new ToolRunner(McpHttpEndpoint::callerOf, services.statementTimeout(), services.towns());
        McpSyncServer server = ServerAssembly.assemble(McpServer.sync(transport), runner, services).build();
        return new McpHttpEndpoint(transport, server, settings);
    }

    /** Refuses (403) a request from a page whose {@code Origin}, or to a {@code Host}, the allow-lists lack. */
    public void screen(HttpServletRequest request) {
        DefaultServerTransportSecurityValidator validator = validators.computeIfAbsent(request.getLocalPort(),
                port -> DefaultServerTransportSecurityValidator.builder()
                        .allowedOrigins(settings.mcpAllowedOrigins(port))
                        .allowedHosts(settings.mcpAllowedHosts(port))
                        .build());
        try {
            validator.validate(new RequestHeaders(request));
        } catch (ServerTransportSecurityException e) {
            // the validator answers 403 for an Origin and 421 for a Host; both are one refusal here
            throw e.getStatusCode() == HttpServletResponse.SC_FORBIDDEN
                    ? TownHallException.forField(ErrorCode.FORBIDDEN, "Origin", "pages from this origin may not call "
                    + PATH + " (allow it with " + ServerSettings.Key.MCP_ALLOWED_ORIGINS.confKey() + ")")
                    : TownHallException.forField(ErrorCode.FORBIDDEN, "Host", PATH + " does not answer this host name"
                    + " (allow it with " + ServerSettings.Key.MCP_ALLOWED_HOSTS.confKey() + ")");
        }
    }

    /** Serves one request of {@code caller} (authenticated and {@link #screen screened} already). */
    public void serve(HttpServletRequest request, HttpServletResponse response, Caller caller)
            throws IOException, ServletException {
        String session = request.getHeader(SESSION_HEADER);
        // every session opened here is in sessionKeys, so an unknown id and another key's session get one answer
        if (session != null && !caller.keyId().equals(sessionKeys.get(session))) {
            throw TownHallException.forField(ErrorCode.NOT_FOUND, SESSION_HEADER, "no MCP session with this id for"
                    + " this key; initialize a new one");
        }
        request.setAttribute(CALLER, caller);
        transport.service(request, response);
        String opened = response.getHeader(SESSION_HEADER);
        if (session == null && opened != null) {
            sessionKeys.put(opened, caller.keyId());
        } else if (session != null && (response.getStatus() == HttpServletResponse.SC_NOT_FOUND
                || request.getMethod().equals("DELETE") && response.getStatus() == HttpServletResponse.SC_OK)) {
            // ended by the client, or closed by the SDK (idle): forget it
            sessionKeys.remove(session);
        }
    }

    /** Closes every session and the server; the HTTP service stops separately. */
    @Override
    public void close() {
        server.closeGracefully();
        sessionKeys.clear();
    }

    private static Caller callerOf(McpSyncServerExchange exchange) {
        if (exchange.transportContext().get(CALLER) instanceof Caller caller) {
            return caller;
        }
        throw new TownHallException(ErrorCode.UNAUTHENTICATED, "this MCP request carried no authenticated key");
    }

    /** The request's headers as the SDK's validator reads them. */
    private record RequestHeaders(HttpServletRequest request) implements HeaderAccessor {
        @Override
        public List<String> getHeader(String name) {
            return Collections.list(request.getHeaders(name));
        }

        @Override
        public List<String> getHeaderNames() {
            return Collections.list(request.getHeaderNames());
        }
    }
}
