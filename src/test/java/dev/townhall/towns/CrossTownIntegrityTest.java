package dev.townhall.towns;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Database;
import dev.townhall.testing.PostgresExtension;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static dev.townhall.towns.Sql.AURORA;
import static dev.townhall.towns.Sql.FLUENTI;
import static dev.townhall.towns.Sql.ORG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Cross-town integrity: a row can never reference a row of another town (every reference between tenant tables is
 * a composite key that includes town_id), and {@link Towns#move} moves a row with everything that references it,
 * or refuses and changes nothing. The reference checks and the move checks are generated from the catalog.
 */
@ExtendWith(PostgresExtension.class)
class CrossTownIntegrityTest {
    /**
     * Extra column values a dependant needs when it is made through one particular reference (a CHECK ties the
     * reference to another column), keyed by {@code schema.table.constraint_name}.
     */
    static final Map<String, Map<String, String>> REFERENCE_OVERRIDES = Map.of(
            // CHECK (company_id IS NULL OR entity_type = 'company') AND (contact_id IS NULL OR entity_type = 'contact')
            "crm.enrichments.enrichments_town_contact_fkey", Map.of("entity_type", "'contact'"));

    private final Database db;

    CrossTownIntegrityTest(Database db) throws SQLException {
        this.db = db;
        try (Connection owner = db.owner().connect()) {
            if (Sql.count(owner, "SELECT count(*) FROM core.users WHERE handle LIKE 'integrity-%'") == 0) {
                // people for rows to reference (one active personality instance per user and town)
                for (int i = 1; i <= 40; i++) {
                    Fixtures.user(owner, ORG, "integrity-" + i);
                }
            }
        }
    }

    /** A reference between tenant tables, as the catalog has it. */
    record Reference(String child, TenantRows.ForeignKey key) {
        @Override
        public String toString() {
            return child + " " + key.columns() + " → " + key.refTable() + " " + key.refColumns() + " (" + key.name() + ")";
        }
    }

    @Test
    void aFluentiContactCannotPointAtAnAuroraCompany() throws SQLException {
        UUID fred;
        UUID privateCompany;
        UUID sharedCompany;
        UUID fluentiContact;
        try (Connection owner = db.owner().connect()) {
            fred = Fixtures.user(owner, ORG, "fred-fk");
            Fixtures.member(owner, ORG, fred, FLUENTI, AccessModel.Role.MEMBER, true);
            privateCompany = Sql.one(owner, "INSERT INTO crm.companies (org_id, town_id, name) VALUES (?, ?, 'Aurora Private')"
                    + " RETURNING id", ORG, AURORA);
            sharedCompany = Sql.one(owner, "INSERT INTO crm.companies (org_id, town_id, name, visibility) VALUES (?, ?,"
                    + " 'Aurora Shared', 'shared') RETURNING id", ORG, AURORA);
            fluentiContact = Sql.one(owner, "INSERT INTO crm.contacts (org_id, town_id, first_name) VALUES (?, ?, 'Fay')"
                    + " RETURNING id", ORG, FLUENTI);
            for (UUID company : List.of(privateCompany, sharedCompany)) {
                assertThatThrownBy(() -> Sql.update(owner, "INSERT INTO crm.contacts (org_id, town_id, first_name, company_id)"
                        + " VALUES (?, ?, 'Cross', ?)", ORG, FLUENTI, company))
                        .as("the owner role (RLS bypassed) links a fluenti contact to an aurora company")
                        .isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("23503"));
            }
        }
        try (Connection c = db.app().connect()) {
            c.setAutoCommit(false);
            Sql.enter(c, fred, FLUENTI);
            for (UUID company : List.of(privateCompany, sharedCompany)) {
                for (String sql : List.of("INSERT INTO crm.contacts (first_name, company_id) VALUES ('Cross', ?)",
                        "UPDATE crm.contacts SET company_id = ? WHERE id = '" + fluentiContact + "'")) {
                    Sql.exec(c, "SAVEPOINT s");
                    assertThatThrownBy(() -> Sql.update(c, sql, company)).as(sql).isInstanceOf(SQLException.class)
                            .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("23503"));
                    Sql.exec(c, "ROLLBACK TO SAVEPOINT s");
                }
            }
            c.rollback();
        }
    }

    /**
     * Every reference from a tenant table to a tenant table includes town_id (paired with the parent's town_id),
     * and a row of fluenti pointing at a row of aurora through it is refused even for the owner role.
     */
    @TestFactory
    Stream<DynamicNode> noReferenceCanCrossTowns() throws SQLException {
        List<DynamicNode> tests = new ArrayList<>();
        try (Connection owner = db.owner().connect()) {
            TenantRows rows = new TenantRows(owner);
            List<Reference> references = references(rows);
            tests.add(DynamicTest.dynamicTest("the catalog has references between tenant tables",
                    () -> assertThat(references).hasSizeGreaterThan(30)));
            for (Reference ref : references) {
                String outcome = crossTownInsert(owner, rows, ref);
                tests.add(DynamicTest.dynamicTest(ref + " refuses a parent of another town", () -> {
                    int town = ref.key().columns().indexOf("town_id");
                    assertThat(town).as("%s: town_id is one of the key's columns", ref).isNotNegative();
                    assertThat(ref.key().refColumns().get(town)).as("%s: paired with the parent's town_id", ref)
                            .isEqualTo("town_id");
                    assertThat(outcome).as(ref.toString()).isEqualTo("refused 23503");
                }));
            }
        }
        return tests.stream();
    }

    @Test
    void movingACompanyTakesItsContactsAndActivitiesAlong() throws SQLException {
        UUID company;
        UUID contact;
        UUID activity;
        try (Connection owner = db.owner().connect()) {
            company = Sql.one(owner, "INSERT INTO crm.companies (org_id, town_id, name) VALUES (?, ?, 'MoveCo') RETURNING id",
                    ORG, AURORA);
            contact = Sql.one(owner, "INSERT INTO crm.contacts (org_id, town_id, first_name, company_id) VALUES (?, ?, 'Mover', ?)"
                    + " RETURNING id", ORG, AURORA, company);
            activity = Sql.one(owner, "INSERT INTO crm.activities (org_id, town_id, activity_type, occurred_at, contact_id)"
                    + " VALUES (?, ?, 'call', now(), ?) RETURNING id", ORG, AURORA, contact);
        }
        try (Towns towns = Towns.open(db)) {
            towns.move("crm.companies", company, "fluenti");
        }
        try (Connection owner = db.owner().connect()) {
            assertThat(townOf(owner, "crm.companies", company)).isEqualTo(FLUENTI);
            assertThat(townOf(owner, "crm.contacts", contact)).isEqualTo(FLUENTI);
            assertThat(townOf(owner, "crm.activities", activity)).isEqualTo(FLUENTI);
            assertThat(Sql.<Object>one(owner, "SELECT company_id FROM crm.activities WHERE id = ?", activity))
                    .as("the activity still names its company (filled in from the contact)").isEqualTo(company);
            assertThat(mismatches(owner, new TenantRows(owner))).isEmpty();
        }
    }

    @Test
    void aMoveThatWouldSplitADependantIsRefusedAndChangesNothing() throws SQLException {
        UUID company;
        UUID contact;
        UUID deal;
        try (Connection owner = db.owner().connect()) {
            company = Sql.one(owner, "INSERT INTO crm.companies (org_id, town_id, name) VALUES (?, ?, 'StayCo') RETURNING id",
                    ORG, AURORA);
            UUID otherCompany = Sql.one(owner, "INSERT INTO crm.companies (org_id, town_id, name) VALUES (?, ?, 'Anchor')"
                    + " RETURNING id", ORG, AURORA);
            contact = Sql.one(owner, "INSERT INTO crm.contacts (org_id, town_id, first_name, company_id) VALUES (?, ?, 'Pinned', ?)"
                    + " RETURNING id", ORG, AURORA, company);
            // the contact moves with its company, but its deal also belongs to a company that stays in aurora
            deal = Sql.one(owner, "INSERT INTO crm.deals (org_id, town_id, name, company_id, primary_contact_id)"
                    + " VALUES (?, ?, 'Pinned deal', ?, ?) RETURNING id", ORG, AURORA, otherCompany, contact);
        }
        try (Towns towns = Towns.open(db)) {
            UUID moving = company;
            assertThatThrownBy(() -> towns.move("crm.companies", moving, "fluenti"))
                    .isInstanceOf(TownHallException.class)
                    .satisfies(e -> assertThat(((TownHallException) e).code()).isEqualTo(ErrorCode.CONFLICT))
                    .hasMessageContaining("cannot move crm.companies");
            assertThatThrownBy(() -> towns.move("crm.companies", UUID.randomUUID(), "fluenti"))
                    .isInstanceOf(TownHallException.class)
                    .satisfies(e -> assertThat(((TownHallException) e).code()).isEqualTo(ErrorCode.NOT_FOUND));
            assertThatThrownBy(() -> towns.move("crm.companies", moving, "atlantis"))
                    .isInstanceOf(TownHallException.class)
                    .satisfies(e -> assertThat(((TownHallException) e).code()).isEqualTo(ErrorCode.NOT_FOUND));
            assertThatThrownBy(() -> towns.move("core.users", moving, "fluenti"))
                    .isInstanceOf(TownHallException.class)
                    .satisfies(e -> assertThat(((TownHallException) e).code()).isEqualTo(ErrorCode.INVALID_INPUT));
        }
        try (Connection owner = db.owner().connect()) {
            assertThat(townOf(owner, "crm.companies", company)).isEqualTo(AURORA);
            assertThat(townOf(owner, "crm.contacts", contact)).isEqualTo(AURORA);
            assertThat(townOf(owner, "crm.deals", deal)).isEqualTo(AURORA);
        }
    }

    /**
     * For every tenant table that other tenant tables reference: a row in aurora with one dependant per reference;
     * {@link Towns#move} to fluenti either moves the row and every dependant (still pointing at it), or refuses
     * with CONFLICT and leaves all of them in aurora. Afterwards no reference anywhere joins two towns.
     */
    @TestFactory
    Stream<DynamicNode> everyMoveTakesItsDependantsOrIsRefused() throws SQLException {
        List<DynamicNode> tests = new ArrayList<>();
        try (Connection owner = db.owner().connect(); Towns towns = Towns.open(db)) {
            TenantRows rows = new TenantRows(owner);
            Map<String, List<Reference>> byParent = new LinkedHashMap<>();
            for (Reference ref : references(rows)) {
                byParent.computeIfAbsent(ref.key().refTable(), k -> new ArrayList<>()).add(ref);
            }
            for (Map.Entry<String, List<Reference>> e : byParent.entrySet()) {
                String parent = e.getKey();
                UUID parentId = rows.insert(parent, ORG, AURORA, false, List.of());
                Map<Reference, UUID> dependants = new LinkedHashMap<>();
                for (Reference ref : e.getValue()) {
                    dependants.put(ref, dependant(owner, rows, ref, parentId, AURORA));
                }
                String outcome;
                try {
                    towns.move(parent, parentId, "fluenti");
                    outcome = "moved";
                } catch (TownHallException refused) {
                    outcome = refused.code() == ErrorCode.CONFLICT ? "refused" : "failed: " + refused.getMessage();
                }
                UUID expectedTown = outcome.equals("moved") ? FLUENTI : AURORA;
                Map<String, UUID> towns1 = new LinkedHashMap<>();
                towns1.put(parent + " " + parentId, townOf(owner, parent, parentId));
                for (Map.Entry<Reference, UUID> d : dependants.entrySet()) {
                    towns1.put(d.getKey() + " dependant " + d.getValue(), townOf(owner, d.getKey().child(), d.getValue()));
                }
                List<String> broken = mismatches(owner, rows);
                String result = outcome;
                System.out.println("move " + parent + " with " + dependants.size() + " dependants: " + outcome);
                tests.add(DynamicTest.dynamicTest("move " + parent + " with " + dependants.size() + " dependants → " + outcome,
                        () -> {
                            assertThat(result).isIn("moved", "refused");
                            assertThat(towns1).as("towns after the move was " + result)
                                    .allSatisfy((what, town) -> assertThat(town).as(what).isEqualTo(expectedTown));
                            assertThat(broken).as("references joining two towns").isEmpty();
                        }));
            }
        }
        return tests.stream();
    }

    /**
     * memory.embeddings holds a vector of a row's text under entity_type/entity_id (no foreign key: one store for
     * every entity). Moving the row must move its embeddings too, or the old town keeps a derivative of a row it
     * no longer owns (and the new town cannot find it by similarity).
     */
    @Test
    void movingARowTakesItsEmbeddingsAlongOrIsRefused() throws SQLException {
        UUID company;
        UUID embedding;
        try (Connection owner = db.owner().connect()) {
            company = Sql.one(owner, "INSERT INTO crm.companies (org_id, town_id, name) VALUES (?, ?, 'Embedded Co') RETURNING id",
                    ORG, FLUENTI);
            embedding = Sql.one(owner, "INSERT INTO memory.embeddings (org_id, town_id, entity_type, entity_id, model, dimensions,"
                    + " content_hash, embedding) VALUES (?, ?, 'company', ?, 'test-3d', 3, '00112233445566778899', '[1,0,0]')"
                    + " RETURNING id", ORG, FLUENTI, company);
        }
        String outcome;
        try (Towns towns = Towns.open(db)) {
            towns.move("crm.companies", company, "collaboration");
            outcome = "moved";
        } catch (TownHallException refused) {
            outcome = "refused";
        }
        try (Connection owner = db.owner().connect()) {
            UUID companyTown = townOf(owner, "crm.companies", company);
            UUID embeddingTown = townOf(owner, "memory.embeddings", embedding);
            assertThat(embeddingTown).as("town of the company's embedding after the move was " + outcome
                    + " (company now in " + Fixtures.townName(companyTown) + ")").isEqualTo(companyTown);
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    /** Every foreign key from a tenant table to a tenant table. */
    static List<Reference> references(TenantRows rows) throws SQLException {
        List<Reference> out = new ArrayList<>();
        for (String table : rows.tenantTables()) {
            for (TenantRows.ForeignKey fk : rows.table(table).foreignKeys()) {
                if (rows.isTenant(fk.refTable())) {
                    out.add(new Reference(table, fk));
                }
            }
        }
        return out;
    }

    /**
     * Tries, as the owner, to insert a fluenti row of the child whose reference points at an aurora parent, after
     * checking that the same row pointing at a fluenti parent is accepted (so a refusal is the reference's doing).
     */
    private static String crossTownInsert(Connection owner, TenantRows rows, Reference ref) {
        try {
            UUID sameTown = rows.insert(ref.key().refTable(), ORG, FLUENTI, false, List.of());
            try {
                dependant(owner, rows, ref, sameTown, FLUENTI);
            } catch (SQLException e) {
                return "cannot make a dependant even in the parent's own town (extend REFERENCE_OVERRIDES): "
                        + e.getMessage().split("\n")[0];
            }
            UUID parent = rows.insert(ref.key().refTable(), ORG, AURORA, false, List.of());
            dependant(owner, rows, ref, parent, FLUENTI);
            return "accepted";
        } catch (SQLException e) {
            return "refused " + e.getSQLState();
        } catch (TenantRows.CannotBuild e) {
            return e.getMessage();
        }
    }

    /** Inserts (as the owner) a row of the child table in {@code town} that references {@code parentId} through the key. */
    private static UUID dependant(Connection owner, TenantRows rows, Reference ref, UUID parentId, UUID town) throws SQLException {
        Map<String, String> values = new LinkedHashMap<>(rows.template(ref.child(), ORG, town));
        values.putAll(REFERENCE_OVERRIDES.getOrDefault(ref.child() + "." + ref.key().name(), Map.of()));
        Object[] parent = Sql.rows(owner, "SELECT " + String.join(", ", ref.key().refColumns().stream()
                .map(c -> '"' + c + '"').toList()) + " FROM " + ref.key().refTable() + " WHERE id = ?", parentId).get(0);
        for (int i = 0; i < ref.key().columns().size(); i++) {
            String col = ref.key().columns().get(i);
            if (!col.equals("town_id") && !col.equals("org_id")) {
                TenantRows.Column column = rows.table(ref.child()).columns().get(col);
                values.put(col, Sql.literal(String.valueOf(parent[i])) + "::" + column.type());
            }
        }
        return Sql.one(owner, TenantRows.insertSql(ref.child(), ORG, town, false, List.of(), values) + " RETURNING id");
    }

    /** References (by the catalog) whose child and parent rows are in different towns; must always be empty. */
    static List<String> mismatches(Connection owner, TenantRows rows) throws SQLException {
        List<String> out = new ArrayList<>();
        for (Reference ref : references(rows)) {
            List<String> on = new ArrayList<>();
            for (int i = 0; i < ref.key().columns().size(); i++) {
                String col = ref.key().columns().get(i);
                if (!col.equals("town_id") && !col.equals("org_id")) {
                    on.add("p.\"" + ref.key().refColumns().get(i) + "\" = c.\"" + col + "\"");
                }
            }
            long n = Sql.count(owner, "SELECT count(*) FROM " + ref.child() + " c JOIN " + ref.key().refTable() + " p ON "
                    + String.join(" AND ", on) + " WHERE p.town_id <> c.town_id");
            if (n > 0) {
                out.add(ref + ": " + n + " rows");
            }
        }
        return out;
    }

    private static UUID townOf(Connection owner, String table, UUID id) throws SQLException {
        return Sql.one(owner, "SELECT town_id FROM " + table + " WHERE id = ?", id);
    }
}
