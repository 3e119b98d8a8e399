package dev.townhall.legacy.imports;

import dev.townhall.db.Database;
import dev.townhall.db.Endpoint;
import dev.townhall.legacy.LegacySql;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.testing.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static dev.townhall.legacy.imports.ImportMergeRulesTest.outcome;
import static dev.townhall.legacy.imports.ImportMergeRulesTest.target;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code import --retry-quarantine} after the source was fixed: the quarantined rows are read from the source again. */
@ExtendWith(PostgresExtension.class)
class ImportRetryQuarantineTest {

    @Test
    void aRowFixedInTheSourceComesInAsItNowIsAndTheRestStaysSetAside(TestCluster cluster, Database db) {
        Map<String, Endpoint> admin = ImportFixtures.empty(cluster, "retrysrc");
        LegacySql.execute(admin.get("robbie"), """
                INSERT INTO hubspot_contacts (id, firstname, lastname, email) VALUES (10, 'John', 'Doe', 'john@acme.com');
                INSERT INTO activities (id, type, subject, contact_id, "timestamp") VALUES
                  (300, 'call', 'no time yet', 10, NULL),
                  (301, 'call', 'never fixed', 10, NULL);
                """);
        Map<String, Endpoint> sources = ImportFixtures.asOwner(db, admin);
        ImportFixtures.importer(db, sources).run();
        Endpoint owner = db.owner();
        assertThat(LegacySql.count(owner, "SELECT count(*) FROM legacy.quarantine WHERE status = 'open'")).isEqualTo(2);

        LegacySql.execute(admin.get("robbie"),
                "UPDATE activities SET \"timestamp\" = 1600000000000, subject = 'fixed at the source' WHERE id = 300");
        ImportReport retry = ImportFixtures.importer(db, sources).retryQuarantine(true).run();

        assertThat(outcome(owner, "activities", "300")).isEqualTo("imported");
        assertThat(LegacySql.text(owner, "SELECT subject || ' ' || occurred_at::text FROM crm.activities WHERE id = '"
                + target(owner, "activities", "300") + "'")).isEqualTo("fixed at the source 2020-09-13 12:26:40+00");
        assertThat(LegacySql.column(owner, "SELECT source_id || ' ' || status FROM legacy.quarantine ORDER BY 1"))
                .containsExactly("300 reimported", "301 open");
        assertThat(retry.reconciled()).isTrue();
        // the id map holds the source's new version, so a plain run finds nothing changed
        ImportReport again = ImportFixtures.importer(db, sources).run();
        assertThat(again.rowsWrittenTotal()).isZero();
        assertThat(again.tables()).filteredOn(t -> t.qualified().equals("robbie.activities")).singleElement()
                .satisfies(t -> assertThat(t.thisRun().get("updated")).isZero());
    }
}
