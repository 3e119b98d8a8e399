package dev.townhall.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.townhall.db.Database;
import dev.townhall.records.Records;
import dev.townhall.search.Search;
import dev.townhall.towns.Role;
import dev.townhall.towns.SampleTowns;
import dev.townhall.towns.Towns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sample towns served over real HTTP on a free loopback port, with a key per demo person, a client, and
 * owner-side SQL for checking what a request did (or did not) change. One per test class.
 */
final class ServedTowns implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    final Database db;
    final Towns towns;
    final ApiKeys keys;
    final Records records;
    final ApiServer server;
    /** A key per demo person, by handle (allan, kristina, vera, andre). */
    final Map<String, String> keyOf = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ServedTowns(Database db, Towns towns, ApiKeys keys, Records records, ApiServer server) {
        this.db = db;
        this.towns = towns;
        this.keys = keys;
        this.records = records;
        this.server = server;
    }

    /** Sample towns and people in {@code db}, served with {@code settings} (its port replaced by a free one). */
    static ServedTowns start(Database db, ServerSettings settings) {
        Towns towns = Towns.open(db);
        try {
            SampleTowns.ensure(towns);
            ApiKeys keys = ApiKeys.on(towns);
            Records records = Records.load(towns);
            ApiServer server = ApiServer.start(db, towns, keys, records, Search.keywordOnly(), settings.withPort(0));
            ServedTowns served = new ServedTowns(db, towns, keys, records, server);
            for (SampleTowns.Person person : SampleTowns.PEOPLE) {
                served.keyOf.put(person.handle(), keys.create(person.handle(), person.town(), Optional.empty(),
                        Optional.empty(), "test").secret());
            }
            return served;
        } catch (RuntimeException e) {
            towns.close();
            throw e;
        }
    }

    static ServedTowns start(Database db) {
        return start(db, ServerSettings.defaults().withRateLimit(1_000_000, 1_000_000));
    }

    /** A new key for {@code handle} in {@code town}, optionally lowered to {@code role}. */
    String newKey(String handle, String town, Optional<Role> role) {
        return keys.create(handle, town, role, Optional.empty(), "test").secret();
    }

    // ---- HTTP ----------------------------------------------------------------------------------------------

    /** One HTTP exchange; {@code headers} alternate name and value. */
    HttpResponse<String> send(String method, String path, String key, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        boolean typed = false;
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
            typed |= headers[i].equalsIgnoreCase("Content-Type");
        }
        if (body != null && !typed) {
            request.header("Content-Type", "application/json");
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> get(String path, String key) {
        return send("GET", path, key, null);
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON (" + response.statusCode() + "): " + response.body(), e);
        }
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- owner-side SQL ------------------------------------------------------------------------------------

    /** The first column of every row {@code sql} returns, as text, read as the owner (RLS bypassed). */
    List<String> owner(String sql) {
        try (Connection c = db.owner().connect(); Statement s = c.createStatement()) {
            List<String> values = new ArrayList<>();
            if (s.execute(sql)) {
                try (ResultSet rs = s.getResultSet()) {
                    while (rs.next()) {
                        values.add(rs.getString(1));
                    }
                }
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    @Override
    public void close() {
        server.close();
        towns.close();
    }
}
