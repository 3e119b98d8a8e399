/**
 * Tools for AI assistants over the Model Context Protocol: {@link dev.townhall.mcp.McpStdioServer} serves them over
 * stdio as one API key's caller, {@link dev.townhall.mcp.McpHttpEndpoint} over streamable HTTP at {@code /mcp} of
 * {@code ./townhall serve} as each request's key, every call in the caller's town under row-level security and
 * audited.
 */
package dev.townhall.mcp;
