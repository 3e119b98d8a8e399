package dev.townhall.api.internal;

import dev.townhall.api.ApiServer;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;

import java.util.ArrayList;
import java.util.List;

/**
 * Registers routes with Javalin through the {@link Pipeline} and remembers each one, so the server can list what it
 * serves ({@link ApiServer#routes()}) for the tests that walk every route and the OpenAPI contract test.
 */
public final class RouteTable {
    private final RoutesConfig javalin;
    private final Pipeline pipeline;
    private final List<ApiServer.Route> routes = new ArrayList<>();

    public RouteTable(RoutesConfig javalin, Pipeline pipeline) {
        this.javalin = javalin;
        this.pipeline = pipeline;
    }

    /** A route anyone may call. */
    public void open(HandlerType method, String path, Handler handler) {
        javalin.addHttpHandler(method, path, pipeline.open(path, handler));
        routes.add(new ApiServer.Route(method.name(), path, false));
    }

    /** A route that needs an API key. */
    public void keyed(HandlerType method, String path, Pipeline.KeyHandler handler) {
        javalin.addHttpHandler(method, path, pipeline.keyed(path, handler));
        routes.add(new ApiServer.Route(method.name(), path, true));
    }

    /** A route that needs an API key, whose requests {@code screen} looks at first (see {@link Pipeline}). */
    public void keyed(HandlerType method, String path, Handler screen, Pipeline.KeyHandler handler) {
        javalin.addHttpHandler(method, path, pipeline.keyed(path, screen, handler));
        routes.add(new ApiServer.Route(method.name(), path, true));
    }

    /**
     * A keyed path's answer to a method it does not serve, left out of {@link #routes()}: a protocol's expected
     * refusal (405) rather than an operation of the contract.
     */
    public void refused(HandlerType method, String path, Handler screen, Pipeline.KeyHandler handler) {
        javalin.addHttpHandler(method, path, pipeline.keyed(path, screen, handler));
    }

    public List<ApiServer.Route> routes() {
        return List.copyOf(routes);
    }
}
