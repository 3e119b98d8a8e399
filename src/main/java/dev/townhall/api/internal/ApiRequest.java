package dev.townhall.api.internal;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.api.Caller;
import dev.townhall.towns.TownContext;
import io.javalin.http.Context;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * One authenticated API request as a route handler sees it: who asks, the town context (with the statement timeout)
 * every database call of the request runs in, and checked access to its body, its {@code If-Match} version, its path
 * and query parameters. Database calls go through {@link #database} so their time is measured per route.
 */
public final class ApiRequest {
    private final Context http;
    private final Caller caller;
    private final TownContext context;
    private final String route;
    private final ServerMetrics metrics;

    ApiRequest(Context http, Caller caller, TownContext context, String route, ServerMetrics metrics) {
        this.http = http;
        this.caller = caller;
        this.context = context;
        this.route = route;
        this.metrics = metrics;
    }

    public Caller caller() {
        return caller;
    }

    /** The context to run the request's one transaction in. */
    public TownContext context() {
        return context;
    }

    public Context http() {
        return http;
    }

    /** Runs {@code work} (the request's database transaction) and records its time for {@code /metrics}. */
    public <T> T database(Supplier<T> work) {
        long start = System.nanoTime();
        try {
            return work.get();
        } finally {
            metrics.databaseTime(route, System.nanoTime() - start);
        }
    }

    /** The body: one JSON object ({@code 413}, {@code 415} or {@code 400} otherwise). */
    public Map<String, Object> body() {
        return Json.objectBody(http);
    }

    /**
     * The version {@code If-Match} names ({@code "v"}, {@code W/"v"} or a bare {@code v}); 428 when the header is
     * missing, 400 when it names no single version.
     */
    public String ifMatch() {
        String header = http.header("If-Match");
        if (header == null || header.isBlank()) {
            throw TownHallException.forField(ErrorCode.PRECONDITION_REQUIRED, "If-Match", "this change needs"
                    + " If-Match: \"<version>\" with the version (ETag) of the row it is based on");
        }
        String version = header.strip();
        if (version.startsWith("W/")) {
            version = version.substring(2);
        }
        if (version.length() >= 2 && version.startsWith("\"") && version.endsWith("\"")) {
            version = version.substring(1, version.length() - 1);
        }
        if (version.isEmpty() || version.equals("*") || version.contains(",") || version.contains("\"")) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, "If-Match", "If-Match must name one version,"
                    + " the row's ETag, such as \"12345\"");
        }
        return version;
    }

    /**
     * The row id of the path. Something that is not a UUID names no row, so it answers 404 exactly like an id that
     * does not exist (or that the caller may not see).
     */
    public UUID id(String resource) {
        String raw = http.pathParam("id");
        try {
            if (raw.length() == 36) {
                return UUID.fromString(raw);
            }
        } catch (IllegalArgumentException notAUuid) {
            // answered below like any id without a row
        }
        throw notFound(resource, raw);
    }

    /** The 404 of an id that names no row, worded as {@code Records} words a missing row. */
    private static TownHallException notFound(String resource, String id) {
        return TownHallException.forField(ErrorCode.NOT_FOUND, "id", "no " + resource + " row " + id
                + " (it does not exist or you may not see it)");
    }

    public String pathParam(String name) {
        return http.pathParam(name);
    }

    /** The query parameters, refusing any not in {@code allowed} and any given twice, each named. */
    public Map<String, String> query(Set<String> allowed) {
        Map<String, List<String>> params = http.queryParamMap();
        Map<String, String> single = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> param : params.entrySet()) {
            String name = param.getKey();
            if (!allowed.contains(name)) {
                throw TownHallException.forField(ErrorCode.INVALID_INPUT, name, "unknown query parameter '" + name
                        + "'" + (allowed.isEmpty() ? "; this route takes none" : "; this route takes " + allowed.stream()
                        .sorted().toList()));
            }
            if (param.getValue().size() != 1) {
                throw TownHallException.forField(ErrorCode.INVALID_INPUT, name, "parameter '" + name + "' is given "
                        + param.getValue().size() + " times; give it once");
            }
            single.put(name, param.getValue().get(0));
        }
        return single;
    }

    /** {@code name}'s value as a whole number from {@code min} to {@code max}, or {@code fallback} when absent. */
    public static int whole(Map<String, String> query, String name, int min, int max, int fallback) {
        String value = query.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.strip());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below with the range
        }
        throw TownHallException.forField(ErrorCode.INVALID_INPUT, name, name + " must be a whole number from " + min
                + " to " + max + ", got '" + value + "'");
    }
}
