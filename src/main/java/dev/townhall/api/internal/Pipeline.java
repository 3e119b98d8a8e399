package dev.townhall.api.internal;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.api.ApiKeys;
import dev.townhall.api.Caller;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * What happens around every route handler (docs/api.md, "Every request"): the route template is noted for the log
 * and the metrics; an API route authenticates the bearer key (naming another town with {@code TownHall-Town}),
 * takes a token from the key's bucket, and hands the handler a context with the statement timeout. Every failure
 * becomes the one JSON error body, and every request ends with one access-log line and one timer sample.
 */
public final class Pipeline {
    private static final String TOWN_HEADER = "TownHall-Town";
    /** The access log: one line per request; never a key, never a body (simplelogger.properties turns it on). */
    private static final Logger ACCESS = LoggerFactory.getLogger("dev.townhall.api.access");
    private static final String ROUTE = "townhall.route";
    private static final String KEY_ID = "townhall.keyId";
    private static final String BEARER = "Bearer ";
    /** Route label of requests no route matched: static files when they succeed, unknown paths when not. */
    private static final String STATIC = "static";
    private static final String UNMATCHED = "unmatched";

    private final ApiKeys keys;
    private final TokenBuckets buckets;
    private final Duration statementTimeout;
    private final ServerMetrics metrics;

    public Pipeline(ApiKeys keys, TokenBuckets buckets, Duration statementTimeout, ServerMetrics metrics) {
        this.keys = keys;
        this.buckets = buckets;
        this.statementTimeout = statementTimeout;
        this.metrics = metrics;
    }

    /** A route handler that needs an API key. */
    @FunctionalInterface
    public interface KeyHandler {
        void handle(ApiRequest request) throws Exception;
    }

    /** {@code handler} for a route anyone may call (health, metrics, the contract). */
    Handler open(String route, Handler handler) {
        return ctx -> {
            ctx.attribute(ROUTE, route);
            handler.handle(ctx);
        };
    }

    /** {@code handler} behind authentication and the key's rate limit. */
    Handler keyed(String route, KeyHandler handler) {
        return keyed(route, ctx -> { }, handler);
    }

    /**
     * {@code handler} behind authentication and the key's rate limit, after {@code screen}, which may refuse the
     * request (by throwing) before its key is looked at.
     */
    Handler keyed(String route, Handler screen, KeyHandler handler) {
        return ctx -> {
            ctx.attribute(ROUTE, route);
            screen.handle(ctx);
            Caller caller = authenticate(ctx);
            ctx.attribute(KEY_ID, caller.keyId());
            long waitNanos = buckets.take(caller.keyId());
            if (waitNanos > 0) {
                long seconds = TokenBuckets.retryAfterSeconds(waitNanos);
                ctx.header("Retry-After", Long.toString(seconds));
                throw new TownHallException(ErrorCode.RATE_LIMITED, "this key made too many requests; retry after "
                        + seconds + " s");
            }
            handler.handle(new ApiRequest(ctx, caller, caller.context().withStatementTimeout(statementTimeout), route,
                    metrics));
        };
    }

    private Caller authenticate(Context ctx) {
        String authorization = ctx.header("Authorization");
        if (authorization == null || authorization.isBlank()) {
            throw new TownHallException(ErrorCode.UNAUTHENTICATED, "this route needs an API key: send"
                    + " Authorization: Bearer th_… (./townhall keys create makes one)");
        }
        if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw new TownHallException(ErrorCode.UNAUTHENTICATED, "the Authorization header must be"
                    + " 'Bearer <key>'");
        }
        Optional<String> town = Optional.ofNullable(ctx.header(TOWN_HEADER)).map(String::strip)
                .filter(slug -> !slug.isEmpty());
        return keys.authenticate(authorization.substring(BEARER.length()).strip(), town);
    }

    /** The one error body for whatever a handler (or Javalin) threw. */
    public void onException(Exception failure, Context ctx) {
        ApiError error = ApiError.from(failure, describe(ctx));
        if (error.code() == ErrorCode.UNAUTHENTICATED) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"townhall\"");
        }
        Json.respond(ctx, error.status(), error.body());
    }

    /**
     * Answers a status Javalin set itself (no route matched: 404; a body over its limit: 413) with the JSON error
     * body. Responses that are JSON already (every error of {@link #onException}, a 503 from {@code /health}) stay.
     */
    public void onErrorStatus(Context ctx) {
        String type = ctx.res().getContentType();
        if (type != null && type.startsWith(Json.CONTENT_TYPE)) {
            return;
        }
        ApiError error = ctx.statusCode() == 404 || ctx.statusCode() == 405
                ? ApiError.of(ErrorCode.NOT_FOUND, "no route " + ctx.method().name() + " " + ctx.path()
                        + " (the routes are listed at /api-docs)")
                : ApiError.fromStatus(ctx.statusCode(), null);
        Json.respond(ctx, error.status(), error.body());
    }

    /** One access-log line and one timer sample per request, labelled by route template, never by raw path. */
    public void onRequestDone(Context ctx, Float millis) {
        String route = routeOf(ctx);
        int status = ctx.statusCode();
        String method = ctx.method().name();
        metrics.request(route, method, status, Duration.ofNanos((long) (millis * 1_000_000)));
        if (ACCESS.isInfoEnabled()) {
            UUID key = ctx.attribute(KEY_ID);
            ACCESS.info("{} {} {} {} ms key={}", method, route, status, oneDecimal(millis), key == null ? "-" : key);
        }
    }

    /**
     * {@code millis} with one decimal, rounded half up: what {@code String.format(Locale.ROOT, "%.1f", millis)} gives
     * (a float times ten is exact in a double), without the Formatter and DecimalFormatSymbols it builds per call,
     * which took about half the access log's CPU (JFR, bench api).
     */
    static String oneDecimal(float millis) {
        long tenths = Math.round((double) millis * 10);
        return tenths / 10 + "." + tenths % 10;
    }

    private static String routeOf(Context ctx) {
        String route = ctx.attribute(ROUTE);
        if (route != null) {
            return route;
        }
        return ctx.statusCode() < 400 ? STATIC : UNMATCHED;
    }

    private static String describe(Context ctx) {
        UUID key = ctx.attribute(KEY_ID);
        String route = ctx.attribute(ROUTE);
        return ctx.method().name() + " " + (route == null ? ctx.path() : route) + (key == null ? "" : " key " + key);
    }
}
