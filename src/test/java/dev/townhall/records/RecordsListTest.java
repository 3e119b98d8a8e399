package dev.townhall.records;

import dev.townhall.ErrorCode;
import dev.townhall.db.Database;
import dev.townhall.db.Identifiers;
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

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import static dev.townhall.records.RecordsWriteTest.code;
import static dev.townhall.records.RecordsWriteTest.field;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Lists: keyset pages through every row in every sortable order without duplicates or gaps, equality filters on
 * every filterable column, field selection, and refusals (unknown or unindexed filters and sorts, unknown fields,
 * cursors of another list, garbled cursors, SQL-looking input) that name what was wrong and change nothing.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecordsListTest {
    private final Database db;
    private Towns towns;
    private Records records;
    private TownContext allan;    // owner of the capital: reads every town
    private TownContext kristina; // admin of fluenti
    private Jdbi owner;

    RecordsListTest(Database db) {
        this.db = db;
    }

    @BeforeAll
    void seed() {
        towns = Towns.open(db);
        SampleTowns.ensure(towns);
        records = Records.load(towns);
        allan = towns.as("allan@aurora");
        kristina = towns.as("kristina@fluenti");
        owner = Jdbi.create(() -> db.owner().connect());
        String[] stages = {"awareness", "qualified", "proposal", "awareness"};
        for (TownContext writer : List.of(allan, kristina, towns.as("andre@collaboration"))) {
            for (int i = 0; i < 9; i++) {
                records.create(writer, "companies", Map.of("name", "Company " + i, "industry", i % 2 == 0 ? "even" : "odd"));
                records.create(writer, "deals", Map.of("name", "Deal " + i, "stage", stages[i % stages.length]));
                Row conversation = records.create(writer, "conversations", Map.of("title", "Talk " + i));
                records.create(writer, "messages", Map.of("conversation_id", conversation.id().toString(),
                        "role", i % 2 == 0 ? "user" : "assistant", "content", "Message " + i,
                        "mood", i % 3 == 0 ? "focused" : "playful"));
                records.create(writer, "activities", Map.of("activity_type", "note",
                        "occurred_at", "2025-01-0" + (1 + i % 3) + "T10:00:00Z"));
                records.create(writer, "sticky-notes", Map.of("content", "Note " + i));
                records.create(writer, "tasks", Map.of("title", "Task " + i, "status", i % 2 == 0 ? "todo" : "doing"));
            }
        }
        UUID run = owner.withHandle(h -> h.createQuery("""
                        INSERT INTO legacy.import_runs (org_id, town_id, sources) SELECT org_id, id, '{robbie}'
                        FROM core.towns WHERE slug = 'fluenti' RETURNING id""").mapTo(UUID.class).one());
        owner.useHandle(h -> {
            for (int i = 0; i < 7; i++) {
                h.createUpdate("""
                                INSERT INTO legacy.reconciliation (run_id, source_db, source_table, rows_read)
                                VALUES (:run, 'robbie', :table, 10)""").bind("run", run).bind("table", "table" + i).execute();
                h.createUpdate("""
                                INSERT INTO legacy.quarantine (run_id, source_db, source_table, source_id, reason_code,
                                                               reason, original_row)
                                VALUES (:run, 'robbie', 'contacts', :id, :code, 'bad', '{}')""")
                        .bind("run", run).bind("id", "c" + i).bind("code", i % 2 == 0 ? "invalid_email" : "orphan_reference")
                        .execute();
            }
        });
    }

    @AfterAll
    void close() {
        towns.close();
    }

    @Test
    void pagesWalkEveryRowInEverySortableOrderWithoutDuplicatesOrGaps() {
        Random random = new Random(42);
        int orders = 0;
        for (Resource resource : records.resources()) {
            for (String column : resource.sortable()) {
                for (boolean descending : List.of(false, true)) {
                    Sort sort = new Sort(column, descending);
                    List<UUID> expected = idsInOrder(allan, resource, sort);
                    int limit = 1 + random.nextInt(7);
                    List<UUID> walked = walk(allan, resource.name(), new ListQuery(Map.of(), Optional.of(sort),
                            Optional.empty(), limit, Optional.empty()));
                    assertThat(walked).as(resource.name() + " sorted by " + sort + ", pages of " + limit)
                            .containsExactlyElementsOf(expected);
                    orders++;
                }
            }
        }
        assertThat(orders).isGreaterThan(40);
        assertThat(idsInOrder(allan, records.resource("deals"), new Sort("stage", false))).hasSizeGreaterThan(20);
    }

    @Test
    void theDefaultOrderIsNewestFirstWhereCreatedAtIsSortableElseById() {
        for (Resource resource : records.resources()) {
            Sort expected = resource.sortable().contains("created_at") ? new Sort("created_at", true) : new Sort("id", false);
            assertThat(walk(allan, resource.name(), new ListQuery(Map.of(), Optional.empty(), Optional.empty(), 5,
                    Optional.empty()))).as(resource.name()).containsExactlyElementsOf(idsInOrder(allan, resource, expected));
        }
    }

    @Test
    void everyFilterableColumnFiltersByEquality() {
        int checked = 0;
        for (Resource resource : records.resources()) {
            List<Row> all = records.list(allan, resource.name(), new ListQuery(Map.of(), Optional.empty(),
                    Optional.empty(), ListQuery.MAX_LIMIT, Optional.empty())).items();
            for (String column : resource.filterable()) {
                Optional<Object> value = all.stream().map(r -> r.values().get(column)).filter(v -> v != null).findFirst();
                if (value.isEmpty()) {
                    continue;
                }
                String text = value.get().toString();
                List<Row> filtered = walk(allan, resource.name(), Map.of(column, text));
                long expected = all.stream().filter(r -> value.get().equals(r.values().get(column))).count();
                assertThat(filtered).as(resource.name() + "?" + column + "=" + text).hasSize((int) expected)
                        .allSatisfy(r -> assertThat(r.values()).containsEntry(column, value.get()));
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(30);
        assertThat(walk(kristina, "deals", Map.of("stage", "awareness", "town_id", kristina.townId().toString())))
                .hasSize(5).allSatisfy(r -> assertThat(r.values()).containsEntry("stage", "awareness"));
        assertThat(walk(allan, "messages", Map.of("mood", "focused"))).hasSize(9);
        assertThat(walk(kristina, "quarantine", Map.of("reason_code", "invalid_email"))).hasSize(4);
    }

    @Test
    void fieldsSelectColumnsAndAlwaysKeepTheId() {
        Page page = records.list(allan, "companies", ListQuery.parse(Map.of("fields", List.of("industry,name"),
                "limit", List.of("3"))));
        assertThat(page.items()).hasSize(3).allSatisfy(r -> {
            assertThat(r.values().keySet()).containsExactly("id", "name", "industry");
            assertThat(r.version()).matches("[0-9]+");
            assertThat(r.values().get("id")).isEqualTo(r.id().toString());
        });
        assertThatThrownBy(() -> records.list(allan, "companies", ListQuery.parse(Map.of("fields", List.of("name,org_id")))))
                .satisfies(field(ErrorCode.INVALID_INPUT, "fields")).hasMessageContaining("'org_id'");
        assertThatThrownBy(() -> records.list(allan, "companies", ListQuery.parse(Map.of("fields", List.of("name,,id")))))
                .satisfies(field(ErrorCode.INVALID_INPUT, "fields"));
    }

    @Test
    void unknownUnindexedOrHiddenNamesAreRefusedNamingThem() {
        assertThatThrownBy(() -> list("companies", "nmae", "x")).satisfies(field(ErrorCode.INVALID_INPUT, "nmae"))
                .hasMessageContaining("unknown filter 'nmae'").hasMessageContaining("filterable: id, town_id");
        assertThatThrownBy(() -> list("companies", "name", "x")).satisfies(field(ErrorCode.INVALID_INPUT, "name"))
                .hasMessageContaining("cannot be filtered");
        for (String hidden : List.of("org_id", "search")) {
            assertThatThrownBy(() -> list("companies", hidden, "x")).satisfies(field(ErrorCode.INVALID_INPUT, hidden))
                    .hasMessageContaining("unknown filter '" + hidden + "'");
        }
        assertThatThrownBy(() -> list("companies", "tags", "{a}")).as("GIN-indexed: containment, not equality")
                .satisfies(field(ErrorCode.INVALID_INPUT, "tags"));
        assertThatThrownBy(() -> list("companies", "sort", "nmae")).satisfies(field(ErrorCode.INVALID_INPUT, "sort"))
                .hasMessageContaining("unknown sort column 'nmae'").hasMessageContaining("sortable: id, town_id");
        assertThatThrownBy(() -> list("companies", "sort", "-owner_user_id")).as("indexed but nullable")
                .satisfies(field(ErrorCode.INVALID_INPUT, "sort")).hasMessageContaining("cannot sort by 'owner_user_id'");
        assertThatThrownBy(() -> list("companies", "sort", "-org_id")).satisfies(field(ErrorCode.INVALID_INPUT, "sort"))
                .hasMessageContaining("unknown sort column 'org_id'");
        assertThatThrownBy(() -> list("companies", "town_id", "aurora")).satisfies(field(ErrorCode.INVALID_INPUT, "town_id"))
                .hasMessageContaining("not a valid uuid");
        assertThatThrownBy(() -> list("audit", "at", "not a time")).satisfies(field(ErrorCode.INVALID_INPUT, "at"));
        assertThatThrownBy(() -> list("nope", "limit", "1")).satisfies(field(ErrorCode.NOT_FOUND, "resource"));
    }

    @Test
    void queryParametersAreParsedStrictly() {
        ListQuery query = ListQuery.parse(Map.of("limit", List.of("7"), "sort", List.of("-stage"),
                "stage", List.of("lead")));
        assertThat(query.limit()).isEqualTo(7);
        assertThat(query.sort()).contains(new Sort("stage", true));
        assertThat(query.filters()).containsExactly(Map.entry("stage", "lead"));
        assertThat(ListQuery.parse(Map.of()).limit()).isEqualTo(ListQuery.DEFAULT_LIMIT);
        for (String bad : List.of("0", "501", "-1", "ten", "", "1e3")) {
            assertThatThrownBy(() -> ListQuery.parse(Map.of("limit", List.of(bad)))).as(bad)
                    .satisfies(field(ErrorCode.INVALID_INPUT, "limit"));
        }
        assertThatThrownBy(() -> ListQuery.parse(Map.of("stage", List.of("a", "b"))))
                .satisfies(field(ErrorCode.INVALID_INPUT, "stage"));
        assertThatThrownBy(() -> ListQuery.parse(Map.of("sort", List.of("-"))))
                .satisfies(field(ErrorCode.INVALID_INPUT, "sort"));
        assertThatThrownBy(() -> ListQuery.parse(Map.of("sort", List.of(""))))
                .satisfies(field(ErrorCode.INVALID_INPUT, "sort"));
    }

    @Test
    void cursorsBelongToTheirListAndCannotBeForged() {
        ListQuery byStage = ListQuery.parse(Map.of("sort", List.of("stage"), "limit", List.of("2")));
        String cursor = records.list(allan, "deals", byStage).nextCursor().orElseThrow();
        assertThat(records.list(allan, "deals", byStage.after(cursor)).items()).hasSize(2);
        ListQuery byId = ListQuery.parse(Map.of("sort", List.of("id"), "limit", List.of("2")));
        assertThatThrownBy(() -> records.list(allan, "deals", byId.after(cursor)))
                .satisfies(field(ErrorCode.INVALID_INPUT, "cursor")).hasMessageContaining("sorted by 'stage'");
        ListQuery descending = ListQuery.parse(Map.of("sort", List.of("-stage"), "limit", List.of("2")));
        assertThatThrownBy(() -> records.list(allan, "deals", descending.after(cursor)))
                .satisfies(field(ErrorCode.INVALID_INPUT, "cursor"));
        assertThatThrownBy(() -> records.list(allan, "companies", ListQuery.parse(Map.of("sort", List.of("id")))
                .after(records.list(allan, "deals", byId).nextCursor().orElseThrow())))
                .satisfies(field(ErrorCode.INVALID_INPUT, "cursor"));
        String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        // a forged position in text is just a value: the page starts after it, nothing else happens
        String textPosition = base64(decoded.replaceFirst("\"v\":\"[^\"]*\"", "\"v\":\"a' OR '1'='1\""));
        assertThat(records.list(allan, "deals", byStage.after(textPosition)).items()).isNotEmpty()
                .allSatisfy(r -> assertThat((String) r.values().get("stage")).isGreaterThan("a"));
        for (String forged : List.of("garbage!", "e30", cursor.substring(1), base64("[1,2]"),
                base64(decoded.replaceFirst("\"i\":\"[^\"]*\"", "\"i\":\"1; DROP TABLE crm.deals\"")),
                base64(decoded.replaceFirst(",\"v\":\"[^\"]*\"", "")))) {
            assertThatThrownBy(() -> records.list(allan, "deals", byStage.after(forged))).as(forged)
                    .satisfies(field(ErrorCode.INVALID_INPUT, "cursor"));
        }
        ListQuery byTime = ListQuery.parse(Map.of("sort", List.of("-started_at"), "limit", List.of("1")));
        assertThat(records.list(kristina, "import-runs", byTime).nextCursor()).isEmpty();
    }

    @Test
    void sqlLookingInputIsAValueOrARefusedNameAndChangesNothing() {
        long before = count("crm.deals") + count("crm.companies");
        for (String value : List.of("awareness' OR '1'='1", "awareness'; DELETE FROM crm.deals; --",
                "\\'; DROP TABLE crm.deals", "awareness\" OR \"1\"=\"1")) {
            assertThat(walk(allan, "deals", Map.of("stage", value))).as(value).isEmpty();
        }
        assertThatThrownBy(() -> list("deals", "stage", "awareness\u0000")).satisfies(field(ErrorCode.INVALID_INPUT, "stage"));
        for (String name : List.of("stage = stage OR 1=1 --", "\"stage\"", "stage;DROP TABLE crm.deals", "1=1")) {
            assertThatThrownBy(() -> list("deals", name, "lead")).as(name).satisfies(field(ErrorCode.INVALID_INPUT, name));
            assertThatThrownBy(() -> list("deals", "sort", name)).as(name).satisfies(field(ErrorCode.INVALID_INPUT, "sort"));
            assertThatThrownBy(() -> list("deals", "fields", name)).as(name).satisfies(field(ErrorCode.INVALID_INPUT, "fields"));
        }
        assertThatThrownBy(() -> list("deals", "id", "00000000-0000-0000-0000-000000000000' OR '1'='1"))
                .satisfies(field(ErrorCode.INVALID_INPUT, "id"));
        assertThat(count("crm.deals") + count("crm.companies")).isEqualTo(before);
    }

    @Test
    void hiddenColumnsNeverAppear() {
        for (Resource resource : records.resources()) {
            List<String> mustHide = owner.withHandle(h -> h.createQuery("""
                            SELECT a.attname FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
                            WHERE a.attrelid = CAST(:table AS regclass) AND a.attnum > 0 AND NOT a.attisdropped
                              AND (t.typname IN ('tsvector', 'vector') OR a.attname = 'org_id'
                                   OR a.attname ~ '(password|secret|_hash$)')""")
                    .bind("table", resource.table()).mapTo(String.class).list());
            assertThat(resource.columns()).as(resource.name()).contains("id");
            for (String hidden : mustHide) {
                assertThat(resource.columns()).as(resource.name()).doesNotContain(hidden);
                assertThat(resource.filterable()).as(resource.name()).doesNotContain(hidden);
                assertThat(resource.sortable()).as(resource.name()).doesNotContain(hidden);
            }
            for (Row row : records.list(allan, resource.name(), ListQuery.parse(Map.of("limit", List.of("500")))).items()) {
                assertThat(row.values().keySet()).as(resource.name()).containsExactlyElementsOf(resource.columns());
            }
        }
        assertThat(records.resource("users").columns()).doesNotContain("password_hash").contains("email");
        assertThat(records.resource("quarantine").columns()).doesNotContain("source_row_hash");
        assertThat(records.resource("companies").columns()).doesNotContain("org_id", "search");
        assertThat(records.list(allan, "users", ListQuery.firstPage()).items()).isNotEmpty();
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private Page list(String resource, String param, String value) {
        return records.list(allan, resource, ListQuery.parse(Map.of(param, List.of(value))));
    }

    private List<Row> walk(TownContext ctx, String resource, Map<String, String> filters) {
        List<Row> rows = new ArrayList<>();
        ListQuery query = new ListQuery(filters, Optional.empty(), Optional.empty(), 3, Optional.empty());
        while (true) {
            Page page = records.list(ctx, resource, query);
            rows.addAll(page.items());
            if (page.nextCursor().isEmpty()) {
                return rows;
            }
            query = query.after(page.nextCursor().get());
        }
    }

    private List<UUID> walk(TownContext ctx, String resource, ListQuery first) {
        List<UUID> ids = new ArrayList<>();
        Set<String> cursors = new HashSet<>();
        ListQuery query = first;
        while (true) {
            Page page = records.list(ctx, resource, query);
            assertThat(page.items().size()).isLessThanOrEqualTo(first.limit());
            page.items().forEach(r -> ids.add(r.id()));
            if (page.nextCursor().isEmpty()) {
                return ids;
            }
            assertThat(page.items()).hasSize(first.limit());
            assertThat(cursors.add(page.nextCursor().get())).isTrue();
            query = query.after(page.nextCursor().get());
        }
    }

    /** What the caller sees in that order, straight from SQL under the same context. */
    private List<UUID> idsInOrder(TownContext ctx, Resource resource, Sort sort) {
        String direction = sort.descending() ? " DESC" : " ASC";
        return ctx.inTransaction(h -> h.createQuery("SELECT id FROM " + Identifiers.quoteQualified(resource.table())
                        + " ORDER BY " + Identifiers.quote(sort.column()) + direction + ", id" + direction)
                .mapTo(UUID.class).list());
    }

    private long count(String table) {
        return owner.withHandle(h -> h.createQuery("SELECT count(*) FROM " + table).mapTo(Long.class).one());
    }

    private static String base64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
