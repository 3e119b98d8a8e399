package dev.townhall.mcp.internal;

import dev.townhall.api.Caller;
import dev.townhall.towns.TownContext;

import java.util.Map;

/**
 * One tool call: who makes it, the context its statements run in (the caller's, with the statement timeout) and its
 * arguments (never null).
 */
record ToolCall(Caller caller, TownContext context, Map<String, Object> args) {
}
