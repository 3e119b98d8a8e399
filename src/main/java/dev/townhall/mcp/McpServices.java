package dev.townhall.mcp;

import dev.townhall.records.Records;
import dev.townhall.search.Search;
import dev.townhall.towns.Towns;

import java.time.Duration;

/**
 * The services the tools call (the same the REST API calls) and the statement timeout of each call.
 */
public record McpServices(Towns towns, Records records, Search search, Duration statementTimeout) {
}
