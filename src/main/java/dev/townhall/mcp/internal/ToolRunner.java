package dev.townhall.mcp.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.api.Caller;
import dev.townhall.towns.Towns;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns a tool's work into an SDK tool: finds the caller of each call (fixed for stdio, the request's key over HTTP),
 * runs the work in the caller's context with the statement timeout, answers short JSON text, and audits the call
 * whatever its outcome. A refusal ({@link TownHallException}) answers a tool error with its message; anything else a
 * tool error naming no internals (the trace goes to the log, on stderr).
 */
public final class ToolRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ToolRunner.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    static final McpSchema.ToolAnnotations READS = McpSchema.ToolAnnotations.builder()
            .readOnlyHint(true).openWorldHint(false).build();
    static final McpSchema.ToolAnnotations ADDS = McpSchema.ToolAnnotations.builder()
            .readOnlyHint(false).destructiveHint(false).idempotentHint(false).openWorldHint(false).build();
    static final McpSchema.ToolAnnotations CHANGES = McpSchema.ToolAnnotations.builder()
            .readOnlyHint(false).destructiveHint(true).idempotentHint(true).openWorldHint(false).build();

    private final Function<McpSyncServerExchange, Caller> callers;
    private final Duration statementTimeout;
    private final Towns towns;

    /**
     * @param callers          who makes a call, from its exchange (throws {@link TownHallException} UNAUTHENTICATED
     *                         when nobody may)
     * @param statementTimeout every statement of a call is cancelled after it, as in an API request
     */
    public ToolRunner(Function<McpSyncServerExchange, Caller> callers, Duration statementTimeout, Towns towns) {
        this.callers = callers;
        this.statementTimeout = statementTimeout;
        this.towns = towns;
    }

    /** The caller of the call {@code exchange} belongs to (for resources, which are not audited per read). */
    Caller caller(McpSyncServerExchange exchange) {
        return callers.apply(exchange);
    }

    SyncToolSpecification tool(String name, String description, Map<String, Object> inputSchema,
                               McpSchema.ToolAnnotations annotations, Function<ToolCall, Map<String, Object>> work) {
        McpSchema.Tool tool = McpSchema.Tool.builder(name, inputSchema).description(description)
                .annotations(annotations).build();
        return SyncToolSpecification.builder().tool(tool)
                .callHandler((exchange, request) -> call(name, callers.apply(exchange), request.arguments(), work))
                .build();
    }

    private CallToolResult call(String name, Caller caller, Map<String, Object> arguments,
                                Function<ToolCall, Map<String, Object>> work) {
        Map<String, Object> args = arguments == null ? Map.of() : arguments;
        CallToolResult result;
        String errorCode = null;
        try {
            Map<String, Object> answer = work.apply(new ToolCall(caller,
                    caller.context().withStatementTimeout(statementTimeout), args));
            result = CallToolResult.builder().addTextContent(json(answer)).isError(false).build();
        } catch (TownHallException e) {
            errorCode = e.code().name();
            result = error(e.getMessage());
        } catch (RuntimeException e) {
            errorCode = ErrorCode.INTERNAL.name();
            LOG.error("tool {} failed", name, e);
            result = error("internal error in " + name + "; the server's log has the details");
        }
        new ToolAudit(towns, caller).record(name, args, errorCode);
        return result;
    }

    private static CallToolResult error(String message) {
        return CallToolResult.builder().addTextContent(message).isError(true).build();
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tool answer that is not JSON", e);
        }
    }
}
