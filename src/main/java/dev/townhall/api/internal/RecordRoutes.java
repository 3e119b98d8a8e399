package dev.townhall.api.internal;

import dev.townhall.records.ListQuery;
import dev.townhall.records.Page;
import dev.townhall.records.Records;
import dev.townhall.records.Resource;
import dev.townhall.records.Row;
import io.javalin.http.HandlerType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The row resources of {@link Records}, each under {@code /api/v1/{resource}}: list and read for all of them;
 * create, change ({@code PATCH} some columns, {@code PUT} every writable column), and delete for the writable ones,
 * always with the version the change is based on ({@code If-Match}). Rows are their columns plus {@code _version},
 * which single-row answers repeat as the {@code ETag}.
 */
public final class RecordRoutes {
    public static final String PREFIX = "/api/v1/";
    static final String VERSION_PROPERTY = "_version";

    private final Records records;

    private RecordRoutes(Records records) {
        this.records = records;
    }

    public static void register(RouteTable table, Records records) {
        RecordRoutes routes = new RecordRoutes(records);
        for (Resource resource : records.resources()) {
            String name = resource.name();
            String collection = PREFIX + name;
            String item = collection + "/{id}";
            table.keyed(HandlerType.GET, collection, request -> routes.list(request, name));
            table.keyed(HandlerType.GET, item, request -> routes.get(request, name));
            if (resource.writable()) {
                table.keyed(HandlerType.POST, collection, request -> routes.create(request, name));
                table.keyed(HandlerType.PATCH, item, request -> routes.update(request, name, false));
                table.keyed(HandlerType.PUT, item, request -> routes.update(request, name, true));
                table.keyed(HandlerType.DELETE, item, request -> routes.delete(request, name));
            }
        }
    }

    private void list(ApiRequest request, String resource) {
        ListQuery query = ListQuery.parse(request.http().queryParamMap());
        Page page = request.database(() -> records.list(request.context(), resource, query));
        Map<String, Object> body = new LinkedHashMap<>();
        List<Map<String, Object>> items = page.items().stream().map(RecordRoutes::json).toList();
        body.put("items", items);
        body.put("next_cursor", page.nextCursor().orElse(null));
        Json.respond(request.http(), 200, body);
    }

    private void get(ApiRequest request, String resource) {
        request.query(Set.of());
        UUID id = request.id(resource);
        respondWithRow(request, 200, request.database(() -> records.get(request.context(), resource, id)));
    }

    private void create(ApiRequest request, String resource) {
        request.query(Set.of());
        Map<String, Object> body = request.body();
        Row row = request.database(() -> records.create(request.context(), resource, body));
        request.http().header("Location", PREFIX + resource + "/" + row.id());
        respondWithRow(request, 201, row);
    }

    private void update(ApiRequest request, String resource, boolean replace) {
        request.query(Set.of());
        UUID id = request.id(resource);
        String version = request.ifMatch();
        Map<String, Object> changes = request.body();
        respondWithRow(request, 200, request.database(() -> records.update(request.context(), resource, id, version,
                changes, replace)));
    }

    private void delete(ApiRequest request, String resource) {
        request.query(Set.of());
        UUID id = request.id(resource);
        String version = request.ifMatch();
        request.database(() -> {
            records.delete(request.context(), resource, id, version);
            return null;
        });
        request.http().status(204);
    }

    private static void respondWithRow(ApiRequest request, int status, Row row) {
        request.http().header("ETag", "\"" + row.version() + "\"");
        Json.respond(request.http(), status, json(row));
    }

    /** A row as the API shows it: its columns, then its version. */
    static Map<String, Object> json(Row row) {
        Map<String, Object> body = new LinkedHashMap<>(row.values());
        body.put(VERSION_PROPERTY, row.version());
        return body;
    }
}
