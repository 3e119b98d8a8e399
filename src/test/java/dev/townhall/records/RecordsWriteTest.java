package dev.townhall.records;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Database;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.towns.SampleTowns;
import dev.townhall.towns.TownContext;
import dev.townhall.towns.Towns;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * Create, get, PATCH, PUT and delete through {@link Records} for every writable resource, with versions: a stale
 * version is refused, of two concurrent updates from one version exactly one wins, viewers and read-only
 * resources cannot write, bodies are checked against the catalog, and the database's refusals come back as the
 * error model's codes naming the column.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecordsWriteTest {
    private final Database db;
    private Towns towns;
    private Records records;
    private TownContext kristina; // admin of fluenti
    private TownContext vera;     // viewer of fluenti
    private TownContext allan;    // owner of aurora, the capital
    private Jdbi owner;

    RecordsWriteTest(Database db) {
        this.db = db;
    }

    @BeforeAll
    void setUp() {
        towns = Towns.open(db);
        SampleTowns.ensure(towns);
        records = Records.load(towns);
        kristina = towns.as("kristina@fluenti");
        vera = towns.as("vera@fluenti");
        allan = towns.as("allan@aurora");
        owner = Jdbi.create(() -> db.owner().connect());
    }

    @AfterAll
    void tearDown() {
        towns.close();
    }

    /** The smallest body each writable resource accepts; the catalog test below keeps it honest. */
    private Map<String, Map<String, Object>> minimalBodies() {
        UUID conversation = records.create(kristina, "conversations", Map.of()).id();
        UUID newcomer = towns.addUser("newcomer-" + UUID.randomUUID() + "@example.com", null, "New", null);
        Map<String, Map<String, Object>> bodies = new LinkedHashMap<>();
        bodies.put("companies", Map.of("name", "Minimal Ltd"));
        bodies.put("contacts", Map.of("first_name", "Min"));
        // probability: a trigger fills it from the stage on insert, but PUT sets every column and it has no default
        bodies.put("deals", Map.of("name", "Minimal deal", "probability", 10));
        bodies.put("activities", Map.of("activity_type", "note", "occurred_at", "2025-03-01T10:00:00Z"));
        bodies.put("tasks", Map.of("title", "Minimal task"));
        bodies.put("calendar-events", Map.of("title", "Minimal event", "starts_at", "2025-03-01T10:00:00Z",
                "ends_at", "2025-03-01T11:00:00+01:00"));
        bodies.put("meetings", Map.of("title", "Minimal meeting", "started_at", "2025-03-01T10:00:00Z"));
        bodies.put("conversations", Map.of());
        bodies.put("messages", Map.of("conversation_id", conversation.toString(), "role", "user", "content", "hi"));
        bodies.put("knowledge", Map.of("title", "Minimal entry", "content", "text"));
        bodies.put("sticky-notes", Map.of("content", "remember this"));
        bodies.put("memberships", Map.of("user_id", newcomer.toString(), "role", "member"));
        return bodies;
    }

    @Test
    void minimalBodiesNameEveryColumnTheCatalogRequires() {
        Map<String, Map<String, Object>> bodies = minimalBodies();
        assertThat(bodies.keySet()).containsExactlyInAnyOrderElementsOf(
                records.resources().stream().filter(Resource::writable).map(Resource::name).toList());
        for (Resource resource : records.resources().stream().filter(Resource::writable).toList()) {
            List<String> required = owner.withHandle(h -> h.createQuery("""
                            SELECT a.attname FROM pg_attribute a
                            WHERE a.attrelid = CAST(:table AS regclass) AND a.attnum > 0 AND NOT a.attisdropped
                              AND a.attnotnull AND NOT a.atthasdef AND a.attgenerated = ''""")
                    .bind("table", resource.table()).mapTo(String.class).list());
            Set<String> expected = new HashSet<>(required);
            expected.retainAll(resource.writableColumns());
            assertThat(bodies.get(resource.name()).keySet()).as(resource.name()).containsAll(expected);
        }
    }

    @Test
    void everyWritableResourceRoundTripsCreateGetPatchPutDelete() {
        for (Map.Entry<String, Map<String, Object>> entry : minimalBodies().entrySet()) {
            String resource = entry.getKey();
            Resource shape = records.resource(resource);
            Row created = records.create(kristina, resource, entry.getValue());
            assertThat(created.version()).as(resource).matches("[0-9]+");
            assertThat(created.values()).as(resource).containsKeys("id").doesNotContainKeys("org_id", "search");
            assertThat(created.values().keySet()).as(resource).containsExactlyElementsOf(shape.columns());
            entry.getValue().forEach((column, value) -> {
                if (!column.endsWith("_at")) {
                    assertThat(created.values()).as(resource + "." + column).containsEntry(column, value);
                }
            });
            if (created.values().containsKey("town_id")) {
                assertThat(created.values().get("town_id")).isEqualTo(kristina.townId().toString());
            }

            Row read = records.get(kristina, resource, created.id());
            assertThat(read).as(resource).isEqualTo(created);

            // PATCH one nullable text column (or the role of a membership)
            String column = patchableColumn(shape);
            Object newValue = column.equals("role") ? "viewer" : "patched " + resource;
            Row patched = records.update(kristina, resource, created.id(), created.version(), Map.of(column, newValue), false);
            assertThat(patched.values()).as(resource).containsEntry(column, newValue);
            assertThat(patched.version()).as(resource).isNotEqualTo(created.version());
            entry.getValue().forEach((c, v) -> {
                if (!c.equals(column) && !c.endsWith("_at")) {
                    assertThat(patched.values()).as("PATCH keeps " + resource + "." + c).containsEntry(c, v);
                }
            });

            // PUT with the minimal body sets the patched column back to its default
            Row replaced = records.update(kristina, resource, created.id(), patched.version(), entry.getValue(), true);
            assertThat(replaced.values().get(column)).as(resource).isNotEqualTo(newValue);

            assertThatThrownBy(() -> records.delete(kristina, resource, created.id(), created.version()))
                    .as(resource).satisfies(code(ErrorCode.PRECONDITION_FAILED));
            records.delete(kristina, resource, created.id(), replaced.version());
            assertThatThrownBy(() -> records.get(kristina, resource, created.id())).as(resource)
                    .satisfies(code(ErrorCode.NOT_FOUND));
        }
    }

    private static String patchableColumn(Resource shape) {
        if (shape.name().equals("memberships")) {
            return "role";
        }
        for (String candidate : List.of("notes", "description", "summary", "title", "subject", "category", "agenda",
                "next_step", "content")) {
            if (shape.writableColumns().contains(candidate)) {
                return candidate;
            }
        }
        return fail("no text column to patch in " + shape.name());
    }

    @Test
    void patchChangesOnlyTheGivenColumnsAndPutResetsTheOthers() {
        Row company = records.create(kristina, "companies", Map.of("name", "Patchy", "industry", "glue",
                "employee_count", 12, "annual_revenue", new BigDecimal("1234.50"), "tags", List.of("a", "b")));
        assertThat(company.values()).containsEntry("annual_revenue", new BigDecimal("1234.50"))
                .containsEntry("tags", List.of("a", "b")).containsEntry("employee_count", 12)
                .containsEntry("revenue_currency", "USD");
        Row patched = records.update(kristina, "companies", company.id(), company.version(),
                Map.of("industry", "paste"), false);
        assertThat(patched.values()).containsEntry("industry", "paste").containsEntry("employee_count", 12)
                .containsEntry("tags", List.of("a", "b"));
        Row put = records.update(kristina, "companies", company.id(), patched.version(), Map.of("name", "Putty"), true);
        assertThat(put.values()).containsEntry("name", "Putty").containsEntry("industry", null)
                .containsEntry("employee_count", null).containsEntry("tags", List.of())
                .containsEntry("revenue_currency", "USD");
        Map<String, Object> nulled = new LinkedHashMap<>();
        nulled.put("industry", null);
        Row cleared = records.update(kristina, "companies", company.id(), put.version(), nulled, false);
        assertThat(cleared.values()).containsEntry("industry", null);
        Row unchanged = records.update(kristina, "companies", company.id(), cleared.version(), Map.of(), false);
        assertThat(unchanged).isEqualTo(cleared);
    }

    @Test
    void valuesOfEveryKindRoundTripAsJson() {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("nested", Map.of("list", List.of(1, 2.5, "x", true)));
        metadata.put("nothing", null);
        Row activity = records.create(kristina, "activities", Map.of("activity_type", "call", "direction", "inbound",
                "occurred_at", "2025-01-02T03:04:05.123456+02:00", "sentiment", 0.25, "metadata", metadata));
        Map<String, Object> metadataBack = new LinkedHashMap<>();
        metadataBack.put("nested", Map.of("list", List.of(1, new BigDecimal("2.5"), "x", true)));
        metadataBack.put("nothing", null);
        assertThat(activity.values()).containsEntry("occurred_at", "2025-01-02T01:04:05.123456+00:00")
                .containsEntry("sentiment", new BigDecimal("0.25"))
                .containsEntry("metadata", metadataBack);
        Row deal = records.create(kristina, "deals", Map.of("name", "Typed", "amount_cents", 12_345L,
                "expected_close_date", "2025-12-31", "visibility", "private"));
        assertThat(deal.values()).containsEntry("amount", new BigDecimal("123.45"))
                .containsEntry("expected_close_date", "2025-12-31").containsEntry("visibility", "private")
                .containsEntry("shared_with", List.of());
        Row event = records.create(kristina, "calendar-events", Map.of("title", "Emails", "starts_at",
                "2025-01-01T10:00:00Z", "ends_at", "2025-01-01T10:30:00Z", "attendee_emails", List.of("A@Example.com")));
        assertThat(event.values()).containsEntry("attendee_emails", List.of("A@Example.com"))
                .containsEntry("duration_minutes", 30).containsEntry("all_day", false);
    }

    @Test
    void bodiesAreCheckedAgainstTheCatalogNamingTheProperty() {
        assertThatThrownBy(() -> records.create(kristina, "companies", Map.of("name", "X", "nmae", "Y")))
                .satisfies(field(ErrorCode.INVALID_INPUT, "nmae")).hasMessageContaining("unknown property 'nmae'")
                .hasMessageContaining("writable: ");
        for (String notWritable : List.of("id", "created_at", "updated_at", "town_id", "search", "org_id")) {
            assertThatThrownBy(() -> records.create(kristina, "companies", Map.of("name", "X", notWritable,
                    notWritable.endsWith("id") ? UUID.randomUUID().toString() : "2025-01-01T00:00:00Z")))
                    .as(notWritable).satisfies(field(ErrorCode.INVALID_INPUT, notWritable));
        }
        assertThatThrownBy(() -> records.create(kristina, "contacts", Map.of("first_name", "X", "full_name", "Y")))
                .as("generated column").satisfies(field(ErrorCode.INVALID_INPUT, "full_name"));
        assertThatThrownBy(() -> records.create(kristina, "companies", Map.of("name", 42)))
                .satisfies(field(ErrorCode.INVALID_INPUT, "name")).hasMessageContaining("must be a string");
        assertThatThrownBy(() -> records.create(kristina, "companies", Map.of("name", "X", "employee_count", "12")))
                .satisfies(field(ErrorCode.INVALID_INPUT, "employee_count")).hasMessageContaining("must be a number");
        assertThatThrownBy(() -> records.create(kristina, "contacts", Map.of("first_name", "X", "is_vip", "yes")))
                .satisfies(field(ErrorCode.INVALID_INPUT, "is_vip"));
        assertThatThrownBy(() -> records.create(kristina, "companies", Map.of("name", "X", "tags", "a,b")))
                .satisfies(field(ErrorCode.INVALID_INPUT, "tags")).hasMessageContaining("an array");
        assertThatThrownBy(() -> records.create(kristina, "companies", Map.of("name", "X", "tags", List.of(1))))
                .satisfies(field(ErrorCode.INVALID_INPUT, "tags"));
        assertThatThrownBy(() -> records.create(kristina, "companies", null))
                .satisfies(code(ErrorCode.INVALID_INPUT));
    }

    @Test
    void theDatabasesRefusalsBecomeCodesNamingTheColumn() {
        assertThatThrownBy(() -> records.create(kristina, "tasks", Map.of("title", "X", "status", "someday")))
                .satisfies(field(ErrorCode.UNPROCESSABLE, "status"));
        assertThatThrownBy(() -> records.create(kristina, "tasks", Map.of("status", "todo")))
                .satisfies(field(ErrorCode.UNPROCESSABLE, "title")).hasMessageContaining("required");
        assertThatThrownBy(() -> records.create(kristina, "tasks", Map.of("title", "X", "due_at", "next tuesday")))
                .satisfies(field(ErrorCode.UNPROCESSABLE, "due_at"));
        assertThatThrownBy(() -> records.create(kristina, "contacts", Map.of("first_name", "X", "company_id", "nope")))
                .satisfies(field(ErrorCode.UNPROCESSABLE, "company_id"));
        assertThatThrownBy(() -> records.create(kristina, "contacts", Map.of("first_name", "X",
                "company_id", UUID.randomUUID().toString())))
                .satisfies(field(ErrorCode.UNPROCESSABLE, "company_id"));
        assertThatThrownBy(() -> records.create(kristina, "companies", Map.of("name", "X", "employee_count", 1e12)))
                .satisfies(field(ErrorCode.UNPROCESSABLE, "employee_count"));
        assertThatThrownBy(() -> records.create(kristina, "companies", Map.of("name", "X", "annual_revenue",
                new BigDecimal("1e17")))).satisfies(field(ErrorCode.UNPROCESSABLE, "annual_revenue"));
        assertThatThrownBy(() -> records.create(kristina, "deals", Map.of("name", "X", "probability", 101)))
                .satisfies(field(ErrorCode.UNPROCESSABLE, "probability")).hasMessageContaining("deals_probability_check");
        assertThatThrownBy(() -> records.create(kristina, "companies", Map.of("name", "X", "revenue_currency", "EURO")))
                .satisfies(field(ErrorCode.UNPROCESSABLE, "revenue_currency"));
        assertThatThrownBy(() -> records.create(kristina, "deals", Map.of("name", "X", "visibility", "public")))
                .satisfies(field(ErrorCode.UNPROCESSABLE, "visibility"));
        assertThatThrownBy(() -> records.create(kristina, "activities", Map.of("activity_type", "note",
                "occurred_at", "2025-01-01T00:00:00Z", "metadata", Map.of("nul", "a\u0000b"))))
                .satisfies(field(ErrorCode.UNPROCESSABLE, "metadata"));
        assertThatThrownBy(() -> records.create(kristina, "companies", Map.of("name", "a\u0000b")))
                .satisfies(field(ErrorCode.UNPROCESSABLE, "name"));
        assertThatThrownBy(() -> records.create(kristina, "conversations", Map.of("participants", List.of("x"))))
                .satisfies(field(ErrorCode.UNPROCESSABLE, "participants"));
        UUID user = towns.addUser("dup-" + UUID.randomUUID() + "@example.com", null, "Dup", null);
        records.create(kristina, "memberships", Map.of("user_id", user.toString()));
        assertThatThrownBy(() -> records.create(kristina, "memberships", Map.of("user_id", user.toString())))
                .satisfies(field(ErrorCode.CONFLICT, "user_id"));
    }

    @Test
    void aStaleOrMissingVersionIsRefused() {
        Row task = records.create(kristina, "tasks", Map.of("title", "Versioned"));
        Row first = records.update(kristina, "tasks", task.id(), task.version(), Map.of("title", "First"), false);
        assertThatThrownBy(() -> records.update(kristina, "tasks", task.id(), task.version(), Map.of("title", "Late"), false))
                .satisfies(field(ErrorCode.PRECONDITION_FAILED, "version"));
        for (String garbage : List.of("abc", "-1", "99999999999", "1 OR 1=1")) {
            assertThatThrownBy(() -> records.update(kristina, "tasks", task.id(), garbage, Map.of("title", "G"), false))
                    .as(garbage).satisfies(code(ErrorCode.PRECONDITION_FAILED));
        }
        for (String none : new String[] {null, "", "  "}) {
            assertThatThrownBy(() -> records.update(kristina, "tasks", task.id(), none, Map.of("title", "N"), false))
                    .satisfies(code(ErrorCode.PRECONDITION_REQUIRED));
            assertThatThrownBy(() -> records.delete(kristina, "tasks", task.id(), none))
                    .satisfies(code(ErrorCode.PRECONDITION_REQUIRED));
        }
        assertThat(records.get(kristina, "tasks", task.id())).isEqualTo(first);
    }

    @Test
    void ofTwoConcurrentUpdatesFromOneVersionExactlyOneWins() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 10; round++) {
                Row task = records.create(kristina, "tasks", Map.of("title", "Race " + round));
                CyclicBarrier start = new CyclicBarrier(2);
                List<Future<Object>> results = new ArrayList<>();
                for (String title : List.of("left", "right")) {
                    Callable<Object> update = () -> {
                        start.await(10, TimeUnit.SECONDS);
                        try {
                            return records.update(kristina, "tasks", task.id(), task.version(), Map.of("title", title), false);
                        } catch (TownHallException e) {
                            return e.code();
                        }
                    };
                    results.add(pool.submit(update));
                }
                List<Object> outcomes = new ArrayList<>();
                for (Future<Object> result : results) {
                    outcomes.add(result.get(30, TimeUnit.SECONDS));
                }
                assertThat(outcomes).as("round " + round).filteredOn(Row.class::isInstance).hasSize(1);
                assertThat(outcomes).as("round " + round).filteredOn(o -> o == ErrorCode.PRECONDITION_FAILED).hasSize(1);
                Row winner = (Row) outcomes.stream().filter(Row.class::isInstance).findFirst().orElseThrow();
                assertThat(records.get(kristina, "tasks", task.id())).isEqualTo(winner);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theSecondUpdateWaitsForTheFirstAndThenFailsItsVersionCheck() throws Exception {
        Row task = records.create(kristina, "tasks", Map.of("title", "Locked"));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            CyclicBarrier locked = new CyclicBarrier(2);
            CyclicBarrier release = new CyclicBarrier(2);
            // the first transaction updates, then holds its row lock until the second has started waiting
            Future<?> first = pool.submit(() -> kristina.inTransaction(h -> {
                h.createUpdate("UPDATE work.tasks SET title = 'first' WHERE id = :id AND xmin = CAST(:v AS xid)")
                        .bind("id", task.id()).bind("v", task.version()).execute();
                locked.await(10, TimeUnit.SECONDS);
                release.await(10, TimeUnit.SECONDS);
                Thread.sleep(300); // the second update is now blocked on the row lock
                return null;
            }));
            locked.await(10, TimeUnit.SECONDS);
            release.await(10, TimeUnit.SECONDS);
            assertThatThrownBy(() -> records.update(kristina, "tasks", task.id(), task.version(),
                    Map.of("title", "second"), false)).satisfies(code(ErrorCode.PRECONDITION_FAILED));
            first.get(10, TimeUnit.SECONDS);
            assertThat(records.get(kristina, "tasks", task.id()).values()).containsEntry("title", "first");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void viewersAndReadOnlyResourcesCannotWrite() {
        Row task = records.create(kristina, "tasks", Map.of("title", "Read me"));
        assertThat(records.get(vera, "tasks", task.id())).isEqualTo(task);
        assertThatThrownBy(() -> records.create(vera, "tasks", Map.of("title", "No")))
                .satisfies(code(ErrorCode.FORBIDDEN));
        assertThatThrownBy(() -> records.update(vera, "tasks", task.id(), task.version(), Map.of("title", "No"), false))
                .satisfies(code(ErrorCode.FORBIDDEN));
        assertThatThrownBy(() -> records.delete(vera, "tasks", task.id(), task.version()))
                .satisfies(code(ErrorCode.FORBIDDEN));
        assertThat(records.get(kristina, "tasks", task.id())).isEqualTo(task);
        for (Resource resource : records.resources()) {
            if (!resource.writable()) {
                assertThat(resource.writableColumns()).as(resource.name()).isEmpty();
                assertThatThrownBy(() -> records.create(allan, resource.name(), Map.of()))
                        .as(resource.name()).satisfies(field(ErrorCode.FORBIDDEN, "resource"));
                assertThatThrownBy(() -> records.delete(allan, resource.name(), UUID.randomUUID(), "1"))
                        .as(resource.name()).satisfies(field(ErrorCode.FORBIDDEN, "resource"));
            }
        }
        assertThat(records.resources()).filteredOn(r -> !r.writable()).extracting(Resource::name)
                .containsExactlyInAnyOrder("towns", "users", "audit", "import-runs", "reconciliation", "quarantine",
                        "value-issues", "deferred-links");
    }

    @Test
    void theCapitalReadsAnotherTownsRowButMayNotChangeIt() {
        Row task = records.create(kristina, "tasks", Map.of("title", "Fluenti's own"));
        Row seen = records.get(allan, "tasks", task.id());
        assertThat(seen).isEqualTo(task);
        assertThatThrownBy(() -> records.update(allan, "tasks", task.id(), task.version(), Map.of("title", "Mine"), false))
                .satisfies(code(ErrorCode.FORBIDDEN));
        assertThatThrownBy(() -> records.delete(allan, "tasks", task.id(), task.version()))
                .satisfies(code(ErrorCode.FORBIDDEN));
    }

    @Test
    void membershipsAreManagedByAdminsAndOwnerRolesOnlyByOwners() {
        UUID user = towns.addUser("member-" + UUID.randomUUID() + "@example.com", null, "Mem", null);
        assertThatThrownBy(() -> records.create(kristina, "memberships", Map.of("user_id", user.toString(), "role", "owner")))
                .as("an admin cannot grant owner").satisfies(code(ErrorCode.FORBIDDEN));
        Row membership = records.create(kristina, "memberships", Map.of("user_id", user.toString(), "role", "viewer"));
        assertThat(membership.values()).containsEntry("town_id", kristina.townId().toString())
                .containsEntry("role", "viewer").containsEntry("is_active", true);
        UUID other = towns.addUser("member-" + UUID.randomUUID() + "@example.com", null, "Mem", null);
        assertThatThrownBy(() -> records.create(vera, "memberships", Map.of("user_id", other.toString())))
                .as("a viewer cannot add members").satisfies(code(ErrorCode.FORBIDDEN));
    }

    @Test
    void everyWriteIsAuditedWithTheActingUser() {
        for (Resource resource : records.resources()) {
            if (resource.writable()) {
                List<String> triggers = owner.withHandle(h -> h.createQuery("""
                                SELECT t.tgname || ' ' || p.proname FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
                                WHERE t.tgrelid = CAST(:table AS regclass) AND NOT t.tgisinternal
                                  AND p.proname IN ('audit_statement', 'audit_core_statement')""")
                        .bind("table", resource.table()).mapTo(String.class).list());
                assertThat(triggers).as(resource.table()).hasSize(3);
            }
        }
        Row note = records.create(kristina, "sticky-notes", Map.of("content", "audited"));
        Row changed = records.update(kristina, "sticky-notes", note.id(), note.version(), Map.of("color", "pink"), false);
        records.delete(kristina, "sticky-notes", note.id(), changed.version());
        UUID kristinaId = kristina.userId();
        String actions = owner.withHandle(h -> h.createQuery("""
                        SELECT string_agg(action, ',' ORDER BY action) FROM core.audit_log
                        WHERE row_id = :row AND user_id = :user""")
                .bind("row", note.id()).bind("user", kristinaId).mapTo(String.class).one());
        assertThat(actions).isEqualTo("delete,insert,update");
    }

    static java.util.function.Consumer<Throwable> code(ErrorCode code) {
        return e -> assertThat(e).isInstanceOf(TownHallException.class)
                .extracting(t -> ((TownHallException) t).code()).isEqualTo(code);
    }

    static java.util.function.Consumer<Throwable> field(ErrorCode code, String field) {
        return e -> {
            assertThat(e).isInstanceOf(TownHallException.class);
            TownHallException t = (TownHallException) e;
            assertThat(t.code()).as(t.getMessage()).isEqualTo(code);
            assertThat(t.field()).as(t.getMessage()).contains(field);
        };
    }
}
