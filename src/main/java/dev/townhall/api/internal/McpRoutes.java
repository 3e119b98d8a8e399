package dev.townhall.api.internal;

import dev.townhall.ErrorCode;
import dev.townhall.mcp.McpHttpEndpoint;
import io.javalin.http.HandlerType;

import java.util.Set;

/**
 * The MCP endpoint's routes: POST carries the client's JSON-RPC messages (answered as JSON or a short event stream),
 * DELETE ends a session. Both go through the {@link Pipeline} like every API route (the key, its rate limit, the
 * metrics and the access log), after the endpoint's Origin and Host screen. GET, which would open a stream for
 * messages the server sends unasked, answers 405 as the protocol allows: these tools send none.
 */
public final class McpRoutes {
    private McpRoutes() {
    }

    public static void register(RouteTable table, McpHttpEndpoint endpoint) {
        String path = McpHttpEndpoint.PATH;
        for (HandlerType method : new HandlerType[]{HandlerType.POST, HandlerType.DELETE}) {
            table.keyed(method, path, ctx -> endpoint.screen(ctx.req()),
                    request -> {
                        request.query(Set.of());
                        endpoint.serve(request.http().req(), request.http().res(), request.caller());
                    });
        }
        table.refused(HandlerType.GET, path, ctx -> endpoint.screen(ctx.req()), request -> {
            request.http().header("Allow", "POST, DELETE");
            Json.respond(request.http(), 405, new ApiError(405, ErrorCode.INVALID_INPUT, "this server sends no"
                    + " messages unasked, so it opens no stream: POST each JSON-RPC message to " + path, null).body());
        });
    }
}
