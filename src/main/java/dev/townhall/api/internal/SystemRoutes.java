package dev.townhall.api.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The routes that need no key: {@code /health} (the database answers and holds exactly this build's changesets),
 * {@code /metrics} (Prometheus text), {@code /openapi.json} (the contract, {@code api/openapi.yaml} as JSON) and
 * {@code /api-docs} (a page that lists the contract's operations).
 */
public final class SystemRoutes {
    static final String OPENAPI_RESOURCE = "/api/openapi.yaml";
    private static final String DOCS_RESOURCE = "/api/api-docs.html";
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final SchemaFacts schema;
    private final ServerMetrics metrics;
    private final byte[] openapiJson;
    private final byte[] docsPage;

    private SystemRoutes(SchemaFacts schema, ServerMetrics metrics, byte[] openapiJson, byte[] docsPage) {
        this.schema = schema;
        this.metrics = metrics;
        this.openapiJson = openapiJson;
        this.docsPage = docsPage;
    }

    /** Registers the routes; the contract and the docs page are read once, here. */
    public static void register(RouteTable table, SchemaFacts schema, ServerMetrics metrics) {
        SystemRoutes routes = new SystemRoutes(schema, metrics, Json.bytes(openapi()), resource(DOCS_RESOURCE));
        table.open(HandlerType.GET, "/health", routes::health);
        table.open(HandlerType.GET, "/metrics", routes::metrics);
        table.open(HandlerType.GET, "/openapi.json", routes::openapi);
        table.open(HandlerType.GET, "/api-docs", routes::docs);
    }

    /** The OpenAPI contract this build serves, as a JSON tree. */
    public static JsonNode openapi() {
        try {
            return new YAMLMapper().readTree(resource(OPENAPI_RESOURCE));
        } catch (IOException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "the OpenAPI contract " + OPENAPI_RESOURCE
                    + " is not valid YAML: " + e.getMessage(), e);
        }
    }

    private void health(Context ctx) {
        Map<String, Object> body = new LinkedHashMap<>();
        try {
            SchemaFacts.Status status = schema.status();
            body.put("status", status.current() ? "ok" : "migrations_pending");
            body.put("database", "up");
            body.put("migrations", status.summary());
            Json.respond(ctx, status.current() ? 200 : 503, body);
        } catch (TownHallException unreachable) {
            ApiError error = ApiError.from(unreachable, "GET /health");
            body.put("status", "database_unavailable");
            body.put("database", "down");
            body.put("error", error.body().get("error"));
            Json.respond(ctx, 503, body);
        }
    }

    private void metrics(Context ctx) {
        ctx.contentType(PROMETHEUS_TEXT).result(metrics.scrape());
    }

    private void openapi(Context ctx) {
        ctx.contentType(Json.CONTENT_TYPE).result(openapiJson);
    }

    private void docs(Context ctx) {
        ctx.contentType("text/html; charset=utf-8").result(docsPage);
    }

    private static byte[] resource(String name) {
        try (InputStream in = SystemRoutes.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new TownHallException(ErrorCode.INTERNAL, name + " is not on the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "cannot read " + name + ": " + e.getMessage(), e);
        }
    }
}
