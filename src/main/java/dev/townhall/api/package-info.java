/**
 * The HTTP service ({@code ./townhall serve}): {@link dev.townhall.api.ApiServer} serves the JSON API under
 * {@code /api/v1}, the console, the OpenAPI contract, {@code /health} and {@code /metrics}; API keys authenticate
 * callers. Every API request runs as the key's user in one town context, so row-level security decides what it sees.
 * The contract is {@code docs/api.md}.
 */
package dev.townhall.api;
