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

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import static dev.townhall.records.RecordsWriteTest.code;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * What each caller sees through {@link Records}: another town's private row is indistinguishable from a missing
 * one, shared rows can be read but not changed, the audit log shows admins their town, and the importer's runs,
 * reconciliation, quarantine, value issues and deferred links are shown only to owners/admins of the run's town (and
 * of the capital).
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecordsIsolationTest {
    private final Database db;
    private Towns towns;
    private Records records;
    private TownContext allan;    // owner of aurora, the capital
    private TownContext kristina; // admin of fluenti
    private TownContext vera;     // viewer of fluenti
    private TownContext andre;    // member of collaboration
    private Jdbi owner;
    private UUID fluentiRun;
    private UUID collaborationRun;

    RecordsIsolationTest(Database db) {
        this.db = db;
    }

    @BeforeAll
    void setUp() {
        towns = Towns.open(db);
        SampleTowns.ensure(towns);
        records = Records.load(towns);
        allan = towns.as("allan@aurora");
        kristina = towns.as("kristina@fluenti");
        vera = towns.as("vera@fluenti");
        andre = towns.as("andre@collaboration");
        owner = Jdbi.create(() -> db.owner().connect());
        fluentiRun = importRun("fluenti");
        collaborationRun = importRun("collaboration");
    }

    @AfterAll
    void close() {
        towns.close();
    }

    private UUID importRun(String town) {
        return owner.inTransaction(h -> {
            UUID run = h.createQuery("""
                            INSERT INTO legacy.import_runs (org_id, town_id, sources) SELECT org_id, id, '{robbie}'
                            FROM core.towns WHERE slug = :town RETURNING id""").bind("town", town).mapTo(UUID.class).one();
            h.createUpdate("""
                            INSERT INTO legacy.reconciliation (run_id, source_db, source_table, rows_read)
                            VALUES (:run, 'robbie', 'contacts', 3)""").bind("run", run).execute();
            h.createUpdate("""
                            INSERT INTO legacy.quarantine (run_id, source_db, source_table, source_id, reason_code, reason,
                                                           original_row)
                            VALUES (:run, 'robbie', 'contacts', :town, 'invalid_email', 'bad', '{"email": "x"}')""")
                    .bind("run", run).bind("town", town).execute();
            h.createUpdate("""
                            INSERT INTO legacy.value_issues (run_id, source_db, source_table, source_id, target_table,
                                                             target_id, column_name, raw_value, reason_code, reason,
                                                             stored_value)
                            VALUES (:run, 'robbie', 'contacts', :town, 'crm.contacts', gen_random_uuid(), 'email',
                                    'x(at)example', 'invalid_email', 'not an e-mail address', NULL)""")
                    .bind("run", run).bind("town", town).execute();
            h.createUpdate("""
                            INSERT INTO legacy.deferred_links (run_id, source_db, source_table, source_id, target_table,
                                                               target_id, column_name, parent_source_db,
                                                               parent_source_table, parent_key, reason_code)
                            VALUES (:run, 'robbie', 'activities', :town, 'crm.activities', gen_random_uuid(),
                                    'contact_id', 'robbie', 'contacts', '999', 'orphan_reference')""")
                    .bind("run", run).bind("town", town).execute();
            return run;
        });
    }

    @Test
    void anotherTownsPrivateRowLooksExactlyLikeAMissingOne() {
        Row secret = records.create(kristina, "companies", Map.of("name", "Fluenti's secret"));
        UUID missing = UUID.randomUUID();
        for (String op : List.of("get", "patch", "put", "delete")) {
            TownHallException hidden = attempt(andre, op, secret.id(), secret.version());
            TownHallException absent = attempt(andre, op, missing, secret.version());
            assertThat(hidden.code()).as(op).isEqualTo(ErrorCode.NOT_FOUND);
            assertThat(absent.code()).as(op).isEqualTo(ErrorCode.NOT_FOUND);
            assertThat(hidden.field()).as(op).isEqualTo(absent.field());
            assertThat(hidden.getMessage().replace(secret.id().toString(), "ID"))
                    .as(op).isEqualTo(absent.getMessage().replace(missing.toString(), "ID"));
        }
        assertThat(records.list(andre, "companies", ListQuery.parse(Map.of("id", List.of(secret.id().toString()))))
                .items()).isEmpty();
        assertThat(records.get(kristina, "companies", secret.id())).isEqualTo(secret);
        assertThat(records.get(allan, "companies", secret.id())).as("the capital reads every town").isEqualTo(secret);
    }

    private TownHallException attempt(TownContext ctx, String op, UUID id, String version) {
        return catchThrowableOfType(() -> {
            switch (op) {
                case "get" -> records.get(ctx, "companies", id);
                case "patch" -> records.update(ctx, "companies", id, version, Map.of("name", "Taken"), false);
                case "put" -> records.update(ctx, "companies", id, version, Map.of("name", "Taken"), true);
                default -> records.delete(ctx, "companies", id, version);
            }
        }, TownHallException.class);
    }

    @Test
    void sharedRowsAreReadableByOtherTownsButNotWritable() {
        Row shared = records.create(kristina, "knowledge", Map.of("title", "For everyone", "content", "shared text",
                "visibility", "shared"));
        assertThat(records.get(andre, "knowledge", shared.id())).isEqualTo(shared);
        assertThatThrownBy(() -> records.update(andre, "knowledge", shared.id(), shared.version(),
                Map.of("title", "Mine now"), false)).satisfies(code(ErrorCode.FORBIDDEN));
        assertThatThrownBy(() -> records.delete(andre, "knowledge", shared.id(), shared.version()))
                .satisfies(code(ErrorCode.FORBIDDEN));
        assertThat(records.get(kristina, "knowledge", shared.id())).isEqualTo(shared);
    }

    @Test
    void legacyRunsAndWhatTheySetAsideAreShownToAdminsOfTheRunsTownOnly() {
        for (String resource : List.of("import-runs", "reconciliation", "quarantine", "value-issues",
                "deferred-links")) {
            assertThat(runsSeen(kristina, resource)).as("fluenti's admin: " + resource).containsExactly(fluentiRun);
            assertThat(runsSeen(allan, resource)).as("the capital's owner: " + resource)
                    .containsExactlyInAnyOrder(fluentiRun, collaborationRun);
            assertThat(runsSeen(vera, resource)).as("fluenti's viewer: " + resource).isEmpty();
            assertThat(runsSeen(andre, resource)).as("collaboration's member: " + resource).isEmpty();
        }
        assertThatThrownBy(() -> records.get(kristina, "import-runs", collaborationRun)).satisfies(code(ErrorCode.NOT_FOUND));
        assertThat(records.get(allan, "import-runs", collaborationRun).values())
                .containsEntry("sources", List.of("robbie")).containsEntry("status", "running").doesNotContainKey("org_id");
        Row quarantined = records.list(kristina, "quarantine", ListQuery.firstPage()).items().get(0);
        assertThat(quarantined.values()).containsEntry("original_row", Map.of("email", "x"))
                .doesNotContainKey("source_row_hash");
        Row reconciled = records.list(kristina, "reconciliation", ListQuery.firstPage()).items().get(0);
        assertThat(reconciled.values()).containsEntry("unaccounted_rows", 3);
        Row issue = records.list(kristina, "value-issues", ListQuery.firstPage()).items().get(0);
        assertThat(issue.values()).containsEntry("raw_value", "x(at)example").containsEntry("target_table", "crm.contacts")
                .containsEntry("stored_value", null);
        Row link = records.list(kristina, "deferred-links", ListQuery.firstPage()).items().get(0);
        assertThat(link.values()).containsEntry("parent_key", "999").containsEntry("status", "pending");
        assertThatThrownBy(() -> records.get(vera, "value-issues", issue.id())).satisfies(code(ErrorCode.NOT_FOUND));
        assertThatThrownBy(() -> records.get(andre, "deferred-links", link.id())).satisfies(code(ErrorCode.NOT_FOUND));
    }

    private List<UUID> runsSeen(TownContext ctx, String resource) {
        String column = resource.equals("import-runs") ? "id" : "run_id";
        return records.list(ctx, resource, ListQuery.firstPage()).items().stream()
                .map(r -> UUID.fromString((String) r.values().get(column))).distinct().toList();
    }

    @Test
    void theAuditLogShowsAdminsTheirTownAndViewersNothing() {
        Row task = records.create(kristina, "tasks", Map.of("title", "Audited"));
        List<Row> seenByAdmin = records.list(kristina, "audit", ListQuery.parse(Map.of("limit", List.of("500"))))
                .items();
        assertThat(seenByAdmin).isNotEmpty().allSatisfy(r ->
                assertThat(r.values()).containsEntry("town_id", kristina.townId().toString()));
        assertThat(seenByAdmin).anySatisfy(r -> assertThat(r.values()).containsEntry("row_id", task.id().toString())
                .containsEntry("action", "insert"));
        assertThat(records.list(vera, "audit", ListQuery.firstPage()).items()).isEmpty();
        assertThat(records.list(andre, "audit", ListQuery.firstPage()).items()).isEmpty();
        assertThat(records.list(allan, "audit", ListQuery.parse(Map.of("town_id",
                List.of(kristina.townId().toString()), "limit", List.of("500")))).items()).hasSameSizeAs(seenByAdmin);
    }

    @Test
    void coreResourcesShowWhatRowLevelSecurityShows() {
        Consumer<Row> noSecrets = r -> assertThat(r.values()).doesNotContainKeys("password_hash", "org_id");
        assertThat(records.list(andre, "users", ListQuery.parse(Map.of("limit", List.of("500")))).items())
                .isNotEmpty().allSatisfy(noSecrets);
        assertThat(records.list(andre, "towns", ListQuery.firstPage()).items()).extracting(r -> r.values().get("slug"))
                .containsExactlyInAnyOrder("aurora", "fluenti", "collaboration");
        assertThat(records.list(andre, "memberships", ListQuery.parse(Map.of("limit", List.of("500")))).items())
                .allSatisfy(r -> assertThat(r.values()).containsEntry("town_id", andre.townId().toString()));
    }
}
