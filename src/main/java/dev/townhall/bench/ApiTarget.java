package dev.townhall.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.townhall.api.ApiKeys;
import dev.townhall.api.ApiServer;
import dev.townhall.api.Caller;
import dev.townhall.api.ServerSettings;
import dev.townhall.db.Database;
import dev.townhall.db.Identifiers;
import dev.townhall.mcp.McpServices;
import dev.townhall.records.Records;
import dev.townhall.records.Row;
import dev.townhall.search.Search;
import dev.townhall.towns.Towns;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The server {@code bench api} measures, started in this process on a free loopback port, with a key for the
 * benchmark's user; and the SQL of its contact routes, which the JDBC paths run: the resource's visible columns and
 * version, in the API's default order, with the town filter written by hand for the owner.
 */
final class ApiTarget implements AutoCloseable {
    /**
     * The rate limit for the benchmark's key: high enough never to answer 429, since the benchmark measures the
     * server, not the limiter (which stays in the path).
     */
    private static final int UNLIMITED_RATE = 1_000_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RESOURCE = "contacts";
    /**
     * The order the benchmark asks the API for ({@code sort=id}: keyset pages on the primary key), and one row more
     * than a page, as the API asks to know whether a next page exists.
     * {@code bench api} compares the pages both ways before it measures, so a change of order cannot go unseen.
     */
    private static final String ORDER_AND_LIMIT = " ORDER BY t.id LIMIT "
            + (ApiBenchmark.PAGE_SIZE + 1);

    /** One page of the contact list as the API answered it: its ids in order, and the next page's cursor or null. */
    record Page(List<UUID> ids, String cursor) {
    }

    private final ApiServer server;
    private final ApiKeys keys;
    private final Records records;
    private final ServerSettings settings;
    private final URI base;
    private final String key;
    private final String selectList;

    private ApiTarget(ApiServer server, ApiKeys keys, Records records, ServerSettings settings, String key) {
        this.server = server;
        this.keys = keys;
        this.records = records;
        this.settings = settings;
        this.base = URI.create(server.url());
        this.key = key;
        this.selectList = selectList(records.resource(RESOURCE).columns());
    }

    /** Starts the server for {@code towns} and makes a key for the corpus's user in its town. */
    static ApiTarget start(Database db, Towns towns, Search search) {
        ApiKeys keys = ApiKeys.on(towns);
        String key = keys.create(ApiCorpus.USER, ApiCorpus.TOWN, Optional.empty(), Optional.empty(), "bench api")
                .secret();
        Records records = Records.load(towns);
        ServerSettings settings = ServerSettings.defaults().withPort(0).withRateLimit(UNLIMITED_RATE, UNLIMITED_RATE);
        ApiServer server = ApiServer.start(db, towns, keys, records, search, settings);
        return new ApiTarget(server, keys, records, settings, key);
    }

    /** The server's base URL, e.g. {@code http://127.0.0.1:41234}. */
    String url() {
        return base.toString();
    }

    /** The key the benchmark acts with. */
    String key() {
        return key;
    }

    /** What the server's MCP tools call, for an MCP server over stdio beside it with the same settings. */
    McpServices mcpServices(Towns towns, Search search) {
        return new McpServices(towns, records, search, settings.statementTimeout());
    }

    /** A new keep-alive connection to the server with the key. */
    ApiConnection connect() {
        return new ApiConnection(base, key);
    }

    /** The page of {@code limit} contacts after {@code cursor} (null: the first page). */
    Page page(ApiConnection c, String cursor, int limit) throws IOException {
        JsonNode page = JSON.readTree(c.getOk("/api/v1/contacts?sort=id&limit=" + limit
                + (cursor == null ? "" : "&cursor=" + ApiBenchmark.encode(cursor))).body());
        List<UUID> ids = new ArrayList<>();
        for (JsonNode item : page.get("items")) {
            ids.add(UUID.fromString(item.get("id").asText()));
        }
        JsonNode next = page.get("next_cursor");
        return new Page(ids, next == null || next.isNull() ? null : next.asText());
    }

    /** The id of the contact {@code id} as the API answers it. */
    UUID row(ApiConnection c, UUID id) throws IOException {
        return UUID.fromString(JSON.readTree(c.getOk("/api/v1/contacts/" + id).body()).get("id").asText());
    }

    /** What the server does first for every request: finds the key's caller (one query, the hash checked). */
    Caller authenticate() {
        return keys.authenticate(key, Optional.empty());
    }

    /** What a point read's handler does, without HTTP: the records service in the caller's context, as served. */
    Row read(Caller caller, UUID id) {
        return records.get(caller.context().withStatementTimeout(settings.statementTimeout()), RESOURCE, id);
    }

    /** The point read; the owner's takes the town first. */
    String pointSql(boolean direct) {
        return "SELECT " + selectList + " FROM crm.contacts t WHERE " + (direct ? "t.town_id = ? AND " : "") + "t.id = ?";
    }

    /** The first page in the API's default order; the owner's takes the town. */
    String listSql(boolean direct) {
        return "SELECT " + selectList + " FROM crm.contacts t" + (direct ? " WHERE t.town_id = ?" : "") + ORDER_AND_LIMIT;
    }

    /** The page after the keyset (an id) in the API's default order; the owner's takes the town first. */
    String laterPageSql(boolean direct) {
        return "SELECT " + selectList + " FROM crm.contacts t WHERE " + (direct ? "t.town_id = ? AND " : "")
                + "t.id > CAST(? AS uuid)" + ORDER_AND_LIMIT;
    }

    /**
     * What the records service selects for a row: id, version, and the visible columns as one JSON document built by
     * PostgreSQL, so the JDBC paths read exactly the bytes the server reads.
     */
    private static String selectList(List<String> columns) {
        return "t.id AS id, t.xmin::text AS version, (SELECT row_to_json(v) FROM (SELECT "
                + columns.stream().map(c -> "t." + Identifiers.quote(c)).collect(Collectors.joining(", "))
                + ") v) AS doc";
    }

    @Override
    public void close() {
        server.close();
    }
}
