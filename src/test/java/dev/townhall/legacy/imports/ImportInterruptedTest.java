package dev.townhall.legacy.imports;

import dev.townhall.TownHallException;
import dev.townhall.db.Database;
import dev.townhall.db.Endpoint;
import dev.townhall.legacy.LegacySql;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.testing.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The thread running an import is interrupted (a caller cancelling it): the import stops saying why, what it
 * committed is consistent (every id map entry names a row that exists), and the next run brings the rest. (The race
 * the writer's uninterruptible drain closes — a rollback landing between the batch's statements — is too narrow to
 * provoke here reliably; this checks the outcome whatever the moment of the interrupt.)
 */
@ExtendWith(PostgresExtension.class)
class ImportInterruptedTest {

    @Test
    void anInterruptedImportLeavesWhatItCommittedConsistentAndTheNextRunFinishes(TestCluster cluster, Database db)
            throws InterruptedException {
        Endpoint owner = db.owner();
        Map<String, Endpoint> admin = ImportFixtures.empty(cluster, "interrupted");
        LegacySql.execute(admin.get("robbie"), """
                INSERT INTO hubspot_companies (id, name, domain)
                SELECT n, 'Company ' || n, 'company' || n || '.example' FROM generate_series(1, 3000) n;
                INSERT INTO hubspot_contacts (id, firstname, lastname, email, company_id)
                SELECT n, 'First' || n, 'Last' || n, 'person' || n || '@company' || n || '.example', n
                FROM generate_series(1, 3000) n;""");
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread importing = new Thread(() -> {
            try {
                ImportFixtures.importer(db, ImportFixtures.asOwner(db, admin)).batchRows(50).run();
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "importing");
        importing.start();
        // interrupt once the first batches have committed: most of the time the thread then waits for the writer
        while (importing.isAlive() && LegacySql.count(owner, "SELECT count(*) FROM legacy.id_map") < 200) {
            Thread.sleep(20);
        }
        importing.interrupt();
        importing.join(120_000);
        assertThat(importing.isAlive()).isFalse();
        assertThat(failure.get()).as("the import stops, saying why").isInstanceOf(TownHallException.class)
                .hasMessageContaining("interrupted");

        assertThat(LegacySql.count(owner, """
                SELECT count(*) FROM legacy.id_map m
                WHERE m.outcome IN ('imported', 'merged')
                  AND NOT EXISTS (SELECT 1 FROM crm.companies c WHERE c.id = m.target_id)
                  AND NOT EXISTS (SELECT 1 FROM crm.contacts p WHERE p.id = m.target_id)"""))
                .as("id map entries naming rows that were never committed").isZero();
        assertThat(LegacySql.count(owner, "SELECT count(*) FROM crm.companies"))
                .as("companies written without their id map entries")
                .isEqualTo(LegacySql.count(owner, "SELECT count(*) FROM legacy.id_map WHERE source_table"
                        + " = 'hubspot_companies'"));

        ImportReport next = ImportFixtures.importer(db, ImportFixtures.asOwner(db, admin)).batchRows(50).run();
        assertThat(next.reconciled()).as(String.valueOf(failure.get())).isTrue();
        assertThat(LegacySql.count(owner, "SELECT count(*) FROM crm.companies")).isEqualTo(3000);
        assertThat(LegacySql.count(owner, "SELECT count(*) FROM crm.contacts")).isEqualTo(3000);
    }
}
