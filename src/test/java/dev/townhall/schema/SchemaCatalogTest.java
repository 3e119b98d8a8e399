package dev.townhall.schema;

import dev.townhall.db.Database;
import dev.townhall.testing.PostgresExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.townhall.search.EmbeddedEntity;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The catalog rules every present and future table must follow, read from PostgreSQL itself: a table added to a
 * tenant schema without town_id, without RLS, or with an unindexed foreign key makes verification fail.
 */
@ExtendWith(PostgresExtension.class)
class SchemaCatalogTest {
    private final Database db;

    SchemaCatalogTest(Database db) {
        this.db = db;
    }

    @AfterEach
    void dropPlantedTables() throws SQLException {
        owner("DROP TABLE IF EXISTS crm.planted_child, crm.planted_rogue, crm.planted_no_rls CASCADE");
    }

    @Test
    void theMigratedSchemaPassesEveryCheck() {
        Verifier.Report report = Verifier.as(db.owner()).run();
        assertThat(report.failures()).as(() -> String.join("\n", report.checks().stream().map(Verifier.Check::line).toList()))
                .isEmpty();
        assertThat(report.checks()).extracting(Verifier.Check::name)
                .anyMatch(name -> name.startsWith("smoke write+read in crm"));
    }

    @Test
    void aTenantSchemaTableWithoutTownIdFails() throws SQLException {
        owner("CREATE TABLE crm.planted_rogue (id uuid PRIMARY KEY, name text)");
        assertFailure("tenant tables carry town_id", "crm.planted_rogue");
    }

    @Test
    void aTableWithTownIdButNoRowLevelSecurityFails() throws SQLException {
        owner("""
                CREATE TABLE crm.planted_no_rls (id uuid PRIMARY KEY, town_id uuid NOT NULL);
                CREATE INDEX planted_no_rls_town_idx ON crm.planted_no_rls (town_id);
                """);
        assertFailure("row-level security enabled and forced on every tenant table", "crm.planted_no_rls");
        assertFailure("select/insert/update/delete policies on every tenant table", "crm.planted_no_rls");
        owner("ALTER TABLE crm.planted_no_rls ENABLE ROW LEVEL SECURITY");
        assertFailure("row-level security enabled and forced on every tenant table", "crm.planted_no_rls");
    }

    @Test
    void anUnindexedForeignKeyFails() throws SQLException {
        owner("""
                CREATE TABLE crm.planted_rogue (id uuid PRIMARY KEY);
                COMMENT ON TABLE crm.planted_rogue IS 'global: planted by a test';
                CREATE TABLE crm.planted_child (id uuid PRIMARY KEY, rogue_id uuid REFERENCES crm.planted_rogue (id));
                COMMENT ON TABLE crm.planted_child IS 'global: planted by a test';
                """);
        assertFailure("every foreign key has an index", "crm.planted_child.planted_child_rogue_id_fkey");
        owner("CREATE INDEX planted_child_rogue_idx ON crm.planted_child (rogue_id)");
        assertThat(Verifier.as(db.owner()).run().failures()).isEmpty();
    }

    @Test
    void everyEmbeddableEntityTypeMapsToItsTable() throws SQLException {
        List<String> allowed = new ArrayList<>();
        try (Connection c = db.owner().connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("""
                     SELECT pg_get_constraintdef(oid) FROM pg_constraint
                     WHERE conrelid = 'memory.embeddings'::regclass AND conname = 'embeddings_entity_type_check'""")) {
            assertThat(rs.next()).isTrue();
            Matcher quoted = Pattern.compile("'([a-z_]+)'::text").matcher(rs.getString(1));
            while (quoted.find()) {
                allowed.add(quoted.group(1));
            }
        }
        assertThat(Arrays.stream(EmbeddedEntity.values()).map(EmbeddedEntity::type))
                .containsExactlyInAnyOrderElementsOf(allowed);
        try (Connection c = db.owner().connect(); Statement s = c.createStatement()) {
            for (EmbeddedEntity entity : EmbeddedEntity.values()) {
                try (ResultSet rs = s.executeQuery("SELECT to_regclass('" + entity.table() + "') IS NOT NULL")) {
                    rs.next();
                    assertThat(rs.getBoolean(1)).as(entity.table()).isTrue();
                }
            }
        }
    }

    private void assertFailure(String check, String offender) {
        Verifier.Report report = Verifier.as(db.owner()).run();
        assertThat(report.failures())
                .filteredOn(c -> c.name().equals(check))
                .singleElement()
                .satisfies(c -> assertThat(c.detail()).contains(offender));
    }

    private void owner(String sql) throws SQLException {
        try (Connection c = db.owner().connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
