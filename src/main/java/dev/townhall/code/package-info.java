/**
 * The VS Code extension's code memory (schema {@code code}: conversations, messages, code blocks, learned patterns):
 * {@link dev.townhall.code.CodeMemory} searches it by words and saves code blocks, as one user in one town under
 * row-level security, for the MCP tools and later the REST API.
 */
package dev.townhall.code;
