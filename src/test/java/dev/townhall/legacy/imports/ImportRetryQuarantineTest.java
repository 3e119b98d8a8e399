package dev.townhall.legacy.imports;

import dev.townhall.db.Database;
import dev.townhall.db.Endpoint;
import dev.townhall.legacy.LegacySql;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.testing.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
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

    /**
     * A parent quarantined with children waiting for it (legacy.deferred_links, parent_quarantined), fixed in the
     * source and retried: the retry imports it and links the waiting children; a parent still quarantined keeps its
     * child waiting. Its own TownHall database, so the other test's quarantine is not mixed with this one's.
     */
    @Test
    void aQuarantinedParentFixedInTheSourceAndRetriedLinksTheChildrenThatWaitedForIt(TestCluster cluster) {
        Database db = cluster.newDatabase("retry_links");
        Map<String, Endpoint> admin = ImportFixtures.empty(cluster, "retrylinks");
        LegacySql.execute(admin.get("robbie"), """
                INSERT INTO hubspot_companies (id, name, domain) VALUES (1, 'Acme', 'acme.com');
                INSERT INTO hubspot_contacts (id, firstname, lastname, email, company_id) VALUES
                  (10, 'John', 'Doe', 'john@acme.com', 1),
                  (11, NULL, NULL, NULL, 1),
                  (13, NULL, NULL, 'not an address', 1);
                INSERT INTO hubspot_deals (deal_id, dealname, amount, dealstage, company_id, contact_id) VALUES
                  (500, 'Big deal', '100', 'closedwon', 1, 11);
                INSERT INTO activities (id, type, subject, contact_id, company_id, "timestamp") VALUES
                  (201, 'CALL', 'to the contact fixed later', 11, 1, 1600000000000),
                  (202, 'NOTE', 'all there', 10, 1, 1600000000000),
                  (203, 'CALL', 'to the contact never fixed', 13, 1, 1600000000000);
                """);
        Map<String, Endpoint> sources = ImportFixtures.asOwner(db, admin);
        Endpoint owner = db.owner();
        ImportReport first = ImportFixtures.importer(db, sources).run();
        assertThat(LegacySql.column(owner, "SELECT source_id || ' ' || reason_code || ' ' || status"
                + " FROM legacy.quarantine ORDER BY 1")).containsExactly("11 no_identity open", "13 no_identity open");
        assertThat(links(owner)).containsExactly(
                "activities 201 contact_id 11 parent_quarantined pending",
                "activities 203 contact_id 13 parent_quarantined pending",
                "hubspot_deals 500 primary_contact_id 11 parent_quarantined pending");
        assertThat(first.linksResolvedThisRun()).isZero();
        assertThat(activityContact(owner, "201")).as("imported with the reference empty").isEqualTo("none");

        LegacySql.execute(admin.get("robbie"),
                "UPDATE hubspot_contacts SET firstname = 'Quinn', email = 'quinn@acme.com' WHERE id = 11");
        ImportReport retry = ImportFixtures.importer(db, sources).retryQuarantine(true).run();

        assertThat(retry.mode()).isEqualTo("retry_quarantine");
        assertThat(outcome(owner, "hubspot_contacts", "11")).isEqualTo("imported");
        String parent = target(owner, "hubspot_contacts", "11");
        assertThat(LegacySql.column(owner, "SELECT source_id || ' ' || status FROM legacy.quarantine ORDER BY 1"))
                .containsExactly("11 reimported", "13 open");
        assertThat(retry.linksResolvedThisRun()).as("links this retry made").isEqualTo(2);
        assertThat(links(owner)).containsExactly(
                "activities 201 contact_id 11 parent_quarantined resolved",
                "activities 203 contact_id 13 parent_quarantined pending",
                "hubspot_deals 500 primary_contact_id 11 parent_quarantined resolved");
        assertThat(LegacySql.column(owner, "SELECT parent_target_id::text || ' ' || resolved_run_id::text"
                + " FROM legacy.deferred_links WHERE status = 'resolved'"))
                .containsExactly(parent + " " + retry.runId(), parent + " " + retry.runId());
        assertThat(activityContact(owner, "201")).as("the child's reference").isEqualTo(parent);
        assertThat(LegacySql.text(owner, "SELECT coalesce(primary_contact_id::text, 'none') FROM crm.deals"
                + " WHERE id = '" + target(owner, "hubspot_deals", "500") + "'")).isEqualTo(parent);
        assertThat(activityContact(owner, "203")).as("its parent is still in quarantine").isEqualTo("none");
        assertThat(retry.tables()).filteredOn(t -> t.qualified().equals("robbie.activities")).singleElement()
                .satisfies(t -> assertThat(t.linksPending() + " pending " + t.linksResolved() + " resolved")
                        .isEqualTo("1 pending 1 resolved"));
        assertThat(LegacySql.column(owner, "SELECT source_table || ' ' || links_pending || ' ' || links_resolved"
                + " FROM legacy.reconciliation WHERE run_id = '" + retry.runId() + "' AND (links_pending > 0"
                + " OR links_resolved > 0) ORDER BY 1")).containsExactly("activities 1 1", "hubspot_deals 0 1");
        assertThat(retry.relationships()).allSatisfy(r -> assertThat(r.wrong()).as(r.column()).isZero());
        assertThat(retry.reconciled()).isTrue();

        ImportReport again = ImportFixtures.importer(db, sources).run();
        assertThat(again.rowsWrittenTotal()).isZero();
        assertThat(again.linksResolvedThisRun()).as("nothing left to link but the never-fixed contact's").isZero();
    }

    private static String activityContact(Endpoint owner, String sourceId) {
        return LegacySql.text(owner, "SELECT coalesce(contact_id::text, 'none') FROM crm.activities WHERE id = '"
                + target(owner, "activities", sourceId) + "'");
    }

    private static List<String> links(Endpoint owner) {
        return LegacySql.column(owner, "SELECT source_table || ' ' || source_id || ' ' || column_name || ' '"
                + " || parent_key || ' ' || reason_code || ' ' || status FROM legacy.deferred_links ORDER BY 1");
    }
}
