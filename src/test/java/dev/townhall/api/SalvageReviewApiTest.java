package dev.townhall.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.townhall.api.console.ConsoleData;
import dev.townhall.db.Database;
import dev.townhall.legacy.imports.ImportReport;
import dev.townhall.records.Resource;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.testing.TestCluster;
import dev.townhall.towns.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The salvage review over the API: {@code value-issues} (what imported rows went without) and {@code deferred-links}
 * (references imported empty) of a real import into the capital are read by the town's owners and admins, each
 * naming a row the same key can read; a viewer or member of the town and a key of another town see an empty page and
 * a 404 for a real id; every write is refused with 403 naming the resource, and changes nothing.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SalvageReviewApiTest {
    private static final String API = "/api/v1/";
    private static final List<String> RESOURCES = List.of("value-issues", "deferred-links");

    private final Database db;
    private final TestCluster cluster;
    private ServedTowns served;
    private ImportReport imported;

    SalvageReviewApiTest(Database db, TestCluster cluster) {
        this.db = db;
        this.cluster = cluster;
    }

    @BeforeAll
    void importIntoTheCapital() {
        served = ServedTowns.start(db);
        imported = ConsoleData.importLegacy(cluster, db, "salvage_api");
    }

    @AfterAll
    void stop() {
        served.close();
    }

    /** The owner's and an admin's key of aurora, the town imported into. */
    private Map<String, String> adminKeys() {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("allan, owner of aurora", served.keyOf.get("allan"));
        keys.put("allan's key lowered to admin", served.newKey("allan", "aurora", Optional.of(Role.ADMIN)));
        return keys;
    }

    /** Keys without admin rights in aurora, and keys of the other towns. */
    private Map<String, String> keysThatSeeNothing() {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("allan's key lowered to viewer", served.newKey("allan", "aurora", Optional.of(Role.VIEWER)));
        keys.put("allan's key lowered to member", served.newKey("allan", "aurora", Optional.of(Role.MEMBER)));
        keys.put("kristina, admin of fluenti", served.keyOf.get("kristina"));
        keys.put("andre, member of collaboration", served.keyOf.get("andre"));
        return keys;
    }

    @Test
    void ownersAndAdminsOfTheTownReadWhatTheImportSetAsideAndTheRowsItConcerns() {
        for (Map.Entry<String, String> key : adminKeys().entrySet()) {
            for (String resource : RESOURCES) {
                List<JsonNode> rows = walk(API + resource + "?run_id=" + imported.runId() + "&limit=100",
                        key.getValue());
                assertThat(rows).as(key.getKey() + ": " + resource).isNotEmpty().allSatisfy(row -> {
                    assertThat(row.path("run_id").asText()).isEqualTo(imported.runId().toString());
                    HttpResponse<String> one = served.get(API + resource + "/" + row.path("id").asText(),
                            key.getValue());
                    assertThat(one.statusCode()).as(one.body()).isEqualTo(200);
                    HttpResponse<String> concerned = served.get(API + resourceOf(row.path("target_table").asText())
                            + "/" + row.path("target_id").asText(), key.getValue());
                    assertThat(concerned.statusCode()).as("the row concerned: " + concerned.body()).isEqualTo(200);
                });
            }
            List<JsonNode> issues = walk(API + "value-issues?limit=100", key.getValue());
            assertThat(issues).as(key.getKey()).allSatisfy(issue -> assertThat(issue.fieldNames()).toIterable()
                    .contains("raw_value", "reason_code", "reason", "stored_value", "target_table", "target_id"));
            assertThat(issues).as("a deal amount that is not money").anySatisfy(issue ->
                    assertThat(issue.path("raw_value").asText()).isEqualTo("lots"));
            List<JsonNode> links = walk(API + "deferred-links?limit=100", key.getValue());
            assertThat(links).as(key.getKey()).allSatisfy(link -> {
                assertThat(link.path("status").asText()).isIn("pending", "resolved");
                assertThat(link.path("reason_code").asText()).isIn("orphan_reference", "parent_quarantined");
            });
        }
    }

    @Test
    void viewersMembersAndOtherTownsSeeAnEmptyPageAndNotFound() {
        for (String resource : RESOURCES) {
            String id = anId(resource);
            for (Map.Entry<String, String> key : keysThatSeeNothing().entrySet()) {
                HttpResponse<String> list = served.get(API + resource, key.getValue());
                assertThat(list.statusCode()).as(key.getKey() + ": " + list.body()).isEqualTo(200);
                assertThat(ServedTowns.json(list).path("items")).as(key.getKey() + ": " + resource).isEmpty();
                HttpResponse<String> one = served.get(API + resource + "/" + id, key.getValue());
                assertThat(one.statusCode()).as(key.getKey() + ": " + one.body()).isEqualTo(404);
            }
        }
    }

    @Test
    void everyWriteIsRefusedNamingTheResourceAndChangesNothing() {
        String allan = served.keyOf.get("allan");
        for (String resource : RESOURCES) {
            String table = served.records.resource(resource).table();
            List<String> before = served.owner("SELECT md5(string_agg(t::text, ',' ORDER BY id)) FROM " + table + " t");
            String id = anId(resource);
            String version = "\"" + ServedTowns.json(served.get(API + resource + "/" + id, allan))
                    .path("_version").asText() + "\"";
            List<HttpResponse<String>> writes = new ArrayList<>(List.of(
                    served.send("POST", API + resource, allan, "{\"reason\": \"mine\"}"),
                    served.send("PATCH", API + resource + "/" + id, allan, "{\"reason\": \"mine\"}", "If-Match", version),
                    served.send("PUT", API + resource + "/" + id, allan, "{\"reason\": \"mine\"}", "If-Match", version),
                    served.send("DELETE", API + resource + "/" + id, allan, null, "If-Match", version)));
            for (HttpResponse<String> write : writes) {
                assertThat(write.statusCode()).as(write.request().method() + " " + resource + ": " + write.body())
                        .isEqualTo(403);
                JsonNode error = ServedTowns.json(write).path("error");
                assertThat(error.path("field").asText()).isEqualTo("resource");
                assertThat(error.path("message").asText()).contains(resource + " is read-only");
            }
            assertThat(served.owner("SELECT md5(string_agg(t::text, ',' ORDER BY id)) FROM " + table + " t"))
                    .as(resource + " unchanged").isEqualTo(before);
        }
    }

    /** Every row of a list, following next_cursor. */
    private List<JsonNode> walk(String path, String key) {
        List<JsonNode> rows = new ArrayList<>();
        String cursor = null;
        do {
            String page = cursor == null ? path : path + "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8);
            HttpResponse<String> response = served.get(page, key);
            assertThat(response.statusCode()).as(page + ": " + response.body()).isEqualTo(200);
            JsonNode body = ServedTowns.json(response);
            body.path("items").forEach(rows::add);
            cursor = body.path("next_cursor").isNull() ? null : body.path("next_cursor").asText();
        } while (cursor != null);
        return rows;
    }

    /** The resource serving {@code table} ({@code crm.contacts} → contacts). */
    private String resourceOf(String table) {
        return served.records.resources().stream().filter(r -> r.table().equals(table)).map(Resource::name)
                .findFirst().orElseThrow(() -> new AssertionError("no resource serves " + table));
    }

    /** A real row's id, read as the owner. */
    private String anId(String resource) {
        List<String> ids = served.owner("SELECT id FROM " + served.records.resource(resource).table()
                + " WHERE run_id = '" + imported.runId() + "' ORDER BY id LIMIT 1");
        assertThat(ids).as("the import recorded " + resource).isNotEmpty();
        return ids.get(0);
    }
}
