package dev.townhall.legacy.imports;

import dev.townhall.legacy.LegacySql;
import dev.townhall.db.Database;
import dev.townhall.db.Endpoint;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.testing.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Staged backfill (--only T --latest N, then the rest) and a delta for the cutover freeze (--delta --since TS). */
@ExtendWith(PostgresExtension.class)
class ImportStagedAndDeltaTest {
    @Test
    void theLatestActivitiesFirstThenTheRestThenOnlyWhatChanged(TestCluster cluster, Database db) {
        Map<String, Endpoint> admin = ImportFixtures.empty(cluster, "staged");
        Endpoint robbie = admin.get("robbie");
        LegacySql.execute(robbie, """
                INSERT INTO hubspot_companies (id, name, domain) VALUES (1, 'Acme', 'acme.com');
                INSERT INTO hubspot_contacts (id, firstname, lastname, email, company_id) VALUES (10, 'John', 'Doe', 'j@acme.com', 1);
                INSERT INTO activities (id, type, subject, contact_id, "timestamp")
                SELECT g, 'EMAIL', 'mail ' || g, 10, 1600000000000 + g * 86400000::bigint FROM generate_series(1, 30) g;
                """);
        Map<String, Endpoint> sources = ImportFixtures.asOwner(db, admin);

        ImportReport staged = ImportFixtures.importer(db, sources).only(List.of("activities")).latest(10).run();
        assertThat(staged.mode()).isEqualTo("staged");
        ImportReport.SourceTable activities = table(staged, "activities");
        assertThat(activities.imported()).isEqualTo(10);
        assertThat(activities.pending()).isEqualTo(20);
        assertThat(activities.unaccounted()).isZero();
        assertThat(staged.complete()).isFalse();
        assertThat(staged.reconciled()).isTrue();
        assertThat(table(staged, "hubspot_contacts").imported()).as("the parents came along").isEqualTo(1);
        assertThat(LegacySql.column(db.owner(), "SELECT subject FROM crm.activities ORDER BY occurred_at LIMIT 1"))
                .containsExactly("mail 21");

        ImportReport rest = ImportFixtures.importer(db, sources).run();
        assertThat(table(rest, "activities").imported()).isEqualTo(30);
        assertThat(rest.rowsWritten().get("crm.activities")).isEqualTo(20);
        assertThat(rest.complete()).isTrue();

        // the freeze: one row changes, one is added; the delta sees only rows changed since the moment given
        LegacySql.execute(robbie, """
                UPDATE activities SET subject = 'mail 30 (edited)', "timestamp" = 1700000000000 WHERE id = 30;
                INSERT INTO activities (id, type, subject, contact_id, "timestamp") VALUES (31, 'CALL', 'new call', 10, 1700000000000);
                UPDATE activities SET subject = 'old edit nobody asked about' WHERE id = 1;
                """);
        ImportReport delta = ImportFixtures.importer(db, sources).since(Instant.parse("2023-01-01T00:00:00Z")).run();
        assertThat(delta.mode()).isEqualTo("delta");
        assertThat(table(delta, "activities").thisRun()).containsEntry("read", 2L).containsEntry("imported", 1L)
                .containsEntry("updated", 1L);
        assertThat(LegacySql.column(db.owner(), "SELECT subject FROM crm.activities WHERE subject LIKE '%30%' OR"
                + " subject = 'new call' ORDER BY 1")).containsExactly("mail 30 (edited)", "new call");
        assertThat(LegacySql.count(db.owner(), "SELECT count(*) FROM crm.activities")).isEqualTo(31);
        assertThat(delta.reconciled()).isTrue();
    }

    private static ImportReport.SourceTable table(ImportReport r, String name) {
        return r.tables().stream().filter(t -> t.table().equals(name)).findFirst().orElseThrow();
    }
}
