package dev.townhall.api.internal;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.api.Caller;
import dev.townhall.db.Identifiers;
import dev.townhall.search.Search;
import dev.townhall.search.SearchHit;
import dev.townhall.search.SearchMode;
import dev.townhall.search.SearchRequest;
import dev.townhall.search.SearchResults;
import dev.townhall.search.SearchType;
import dev.townhall.towns.Profile;
import dev.townhall.towns.Towns;
import io.javalin.http.HandlerType;
import org.jdbi.v3.core.Handle;
import org.postgresql.util.PGobject;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The API routes beside the row resources: who the key acts as ({@code /me}), search, the capital's analytics views,
 * row counts per town as the caller sees them, and the schema's migration state. Each reads in the caller's town
 * context, so row-level security decides what it shows; the migration state is a system fact and shows the same to
 * every key.
 */
public final class ServiceRoutes {
    /** The intel views {@code /analytics/{view}} reads, by the name in the path. */
    public static final List<String> ANALYTICS_VIEWS = List.of("capacity_heatmap", "deal_risk_analysis",
            "revenue_metrics", "team_workload", "ai_costs");
    static final int ANALYTICS_DEFAULT_LIMIT = 100;
    static final int ANALYTICS_MAX_LIMIT = 1_000;
    /** SearchRequest names the field at fault at the start of its message; the API's parameter names differ. */
    private static final Map<String, String> SEARCH_FIELDS = Map.of("query", "q", "types", "types", "mode", "mode",
            "limit", "limit");

    private final Towns towns;
    private final Search search;
    private final SchemaFacts schema;

    private ServiceRoutes(Towns towns, Search search, SchemaFacts schema) {
        this.towns = towns;
        this.search = search;
        this.schema = schema;
    }

    public static void register(RouteTable table, Towns towns, Search search, SchemaFacts schema) {
        ServiceRoutes routes = new ServiceRoutes(towns, search, schema);
        table.keyed(HandlerType.GET, RecordRoutes.PREFIX + "me", routes::me);
        table.keyed(HandlerType.GET, RecordRoutes.PREFIX + "search", routes::search);
        // before analytics/{view}, which would read the name as a view
        table.keyed(HandlerType.GET, RecordRoutes.PREFIX + "analytics/activities-per-month", routes::activitiesPerMonth);
        table.keyed(HandlerType.GET, RecordRoutes.PREFIX + "analytics/{view}", routes::analytics);
        table.keyed(HandlerType.GET, RecordRoutes.PREFIX + "towns/overview", routes::overview);
        table.keyed(HandlerType.GET, RecordRoutes.PREFIX + "migrations", routes::migrations);
    }

    private void me(ApiRequest request) {
        request.query(Set.of());
        Caller caller = request.caller();
        Profile profile = request.database(() -> Profile.read(request.context(), caller.userId()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user", profile.user());
        // authentication found an active membership in an active town, so the acting town is among them
        body.put("town", profile.town(caller.townId()));
        body.put("role", caller.role().sqlName());
        body.put("key", Map.of("id", caller.keyId(), "prefix", caller.keyPrefix()));
        body.put("towns", profile.towns());
        Json.respond(request.http(), 200, body);
    }

    private void search(ApiRequest request) {
        Map<String, String> query = request.query(Set.of("q", "mode", "types", "limit"));
        SearchResults results;
        try {
            SearchRequest asked = new SearchRequest(query.get("q"), SearchType.parseList(plurals(query.get("types"))),
                    SearchMode.parse(query.getOrDefault("mode", SearchMode.HYBRID.label())),
                    ApiRequest.whole(query, "limit", 1, SearchRequest.MAX_LIMIT, SearchRequest.DEFAULT_LIMIT));
            results = request.database(() -> search.search(request.context(), asked));
        } catch (TownHallException e) {
            throw withSearchField(e);
        }
        List<Map<String, Object>> hits = new ArrayList<>();
        for (SearchHit hit : results.hits()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("type", hit.type().label());
            json.put("id", hit.id());
            json.put("title", hit.title());
            json.put("snippet", hit.snippet());
            json.put("score", hit.score());
            json.put("town", hit.town());
            json.put("shared", hit.shared());
            hits.add(json);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", results.request().query());
        body.put("mode", results.request().mode().label());
        body.put("model", results.model().isEmpty() ? null : results.model());
        body.put("hits", hits);
        Json.respond(request.http(), 200, body);
    }

    /**
     * {@code types} as {@link SearchType} reads them (plurals: {@code companies,contacts}); the entity type names the
     * contract's example uses ({@code company,contact}) are read as their plurals.
     */
    private static String plurals(String types) {
        if (types == null) {
            return null;
        }
        List<String> words = new ArrayList<>();
        for (String word : types.split(",", -1)) {
            try {
                words.add(SearchType.ofEntityType(word.strip()).label());
            } catch (IllegalArgumentException notAnEntityType) {
                words.add(word);
            }
        }
        return String.join(",", words);
    }

    /** The search error with the parameter it concerns ({@code q}, {@code types}, {@code mode}, {@code limit}). */
    private static TownHallException withSearchField(TownHallException e) {
        if (e.field().isPresent() || e.getMessage() == null) {
            return e;
        }
        String message = e.getMessage();
        String field = null;
        int colon = message.indexOf(':');
        if (colon > 0) {
            field = SEARCH_FIELDS.get(message.substring(0, colon));
        }
        if (field == null) {
            String lower = message.toLowerCase(Locale.ROOT);
            field = lower.contains("search type") ? "types" : lower.contains("search mode") ? "mode" : null;
        }
        return field == null ? e : TownHallException.forField(e.code(), field, message, e);
    }

    private void analytics(ApiRequest request) {
        String view = request.pathParam("view");
        if (!ANALYTICS_VIEWS.contains(view)) {
            throw TownHallException.forField(ErrorCode.NOT_FOUND, "view", "no analytics view '" + view + "'; views: "
                    + String.join(", ", ANALYTICS_VIEWS));
        }
        Map<String, String> query = request.query(Set.of("limit"));
        int limit = ApiRequest.whole(query, "limit", 1, ANALYTICS_MAX_LIMIT, ANALYTICS_DEFAULT_LIMIT);
        String sql = "SELECT * FROM " + Identifiers.quoteQualified("intel." + view) + " LIMIT :limit";
        List<Map<String, Object>> rows = request.database(() -> request.context().inTransaction(h -> {
            requireCapital(h, request.caller());
            return h.createQuery(sql).bind("limit", limit).map((rs, ctx) -> row(rs)).list();
        }));
        Json.respond(request.http(), 200, Map.of("view", view, "items", rows));
    }

    /**
     * Activities per month and owning town, counted under row-level security: unlike the intel views every caller may
     * ask, and sees the months of the activities it may read (a capital member: every town's).
     */
    private void activitiesPerMonth(ApiRequest request) {
        request.query(Set.of());
        List<Map<String, Object>> months = request.database(() -> request.context().inTransaction(h -> h.createQuery("""
                        SELECT to_char(date_trunc('month', a.occurred_at AT TIME ZONE 'UTC'), 'YYYY-MM') AS month,
                               coalesce(t.slug, a.town_id::text) AS town,
                               count(*) AS activities
                        FROM crm.activities a
                        LEFT JOIN core.towns t ON t.id = a.town_id
                        GROUP BY 1, 2
                        ORDER BY 1, 2""")
                .map((rs, ctx) -> {
                    Map<String, Object> month = new LinkedHashMap<>();
                    month.put("month", rs.getString(1));
                    month.put("town", rs.getString(2));
                    month.put("activities", rs.getLong(3));
                    return month;
                }).list()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", months);
        body.put("next_cursor", null);
        Json.respond(request.http(), 200, body);
    }

    private static void requireCapital(Handle h, Caller caller) {
        boolean capital = h.createQuery("SELECT is_capital FROM core.towns WHERE id = :town")
                .bind("town", caller.townId()).mapTo(Boolean.class).findOne().orElse(false);
        if (!capital) {
            throw new TownHallException(ErrorCode.FORBIDDEN, "analytics are read in the capital town; '"
                    + caller.townSlug() + "' is not the capital");
        }
    }

    /** One view row as JSON-friendly values: timestamps as ISO-8601 text, arrays as lists, other types as text. */
    private static Map<String, Object> row(ResultSet rs) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            Object value = rs.getObject(i);
            if (value instanceof Timestamp timestamp) {
                value = timestamp.toInstant().toString();
            } else if (value instanceof java.sql.Date date) {
                value = date.toLocalDate().toString();
            } else if (value instanceof Array array) {
                value = Arrays.asList((Object[]) array.getArray());
            } else if (value instanceof PGobject other) {
                value = other.getValue();
            }
            row.put(meta.getColumnLabel(i), value);
        }
        return row;
    }

    private void overview(ApiRequest request) {
        request.query(Set.of());
        Map<String, Map<String, Long>> counts = request.database(() -> towns.visibleCounts(Optional.of(request.context())));
        Json.respond(request.http(), 200, Map.of("tables", counts));
    }

    private void migrations(ApiRequest request) {
        request.query(Set.of());
        SchemaFacts.Status status = schema.status();
        Map<String, Object> release = new LinkedHashMap<>();
        release.put("database", status.databaseRelease());
        release.put("build", status.buildRelease());
        release.put("unreleased_changesets", status.unreleased());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("current", status.current());
        body.put("release", release);
        body.put("applied", status.applied());
        body.put("pending", status.pending());
        body.put("unknown", status.unknown());
        Json.respond(request.http(), 200, body);
    }
}
