package dev.townhall.legacy.imports;

import dev.townhall.db.Database;
import dev.townhall.db.Endpoint;
import dev.townhall.legacy.LegacySql;
import dev.townhall.legacy.imports.internal.MatchKeys;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.testing.TestCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One host written many ways ({@code HTTPS://WWW.Example.com./path}, {@code bücher.example},
 * {@code xn--bcher-kva.example}) is one key in the domain column, the merge rule, the {@code company_by_name}
 * lookup and the reconciliation's relationship check: they share {@link MatchKeys} and cannot disagree.
 */
@ExtendWith(PostgresExtension.class)
class ImportHostKeysTest {
    private static Map<String, Endpoint> admin;
    private static ImportReport report;

    @BeforeAll
    static void legacyRows(TestCluster cluster, Database db) {
        admin = ImportFixtures.empty(cluster, "hosts");
        LegacySql.execute(admin.get("robbie"), """
                INSERT INTO hubspot_companies (id, name, domain) VALUES
                  (1, 'Bücher', 'HTTPS://WWW.Bücher.example./path'),
                  (2, 'Example', 'https://www.example.com/');
                INSERT INTO apollo_companies (apollo_id, company_name, website_url) VALUES
                  ('b1', 'Buecher Verlag', 'xn--bcher-kva.example');
                INSERT INTO manual_contacts (id, full_name, email, company_name) VALUES
                  (1, 'Anna Host', 'anna@example.org', 'HTTPS://WWW.Example.com./path'),
                  (2, 'Ben Idn', 'ben@example.org', 'bücher.example'),
                  (3, 'Carl Puny', 'carl@example.org', 'xn--bcher-kva.example');
                """);
        report = ImportFixtures.importer(db, ImportFixtures.asOwner(db, admin)).run();
    }

    @Test
    void oneHostIsOneKeyHoweverItIsWritten() {
        assertThat(MatchKeys.host("HTTPS://WWW.Example.com./path")).isEqualTo("example.com");
        assertThat(MatchKeys.host("bücher.example")).isEqualTo(MatchKeys.host("xn--bcher-kva.example"))
                .isEqualTo(MatchKeys.host("HTTPS://WWW.Bücher.example./path")).isEqualTo("xn--bcher-kva.example");
        assertThat(MatchKeys.hostOfName("HTTPS://WWW.Example.com./path")).isEqualTo("example.com");
        assertThat(MatchKeys.companyPrimary(null, "bücher.example"))
                .isEqualTo(MatchKeys.companyPrimary("xn--bcher-kva.example", "Bücher"));
        assertThat(MatchKeys.hostOfName("Amazon.com Inc.")).as("a name with spaces is a name").isNull();
    }

    @Test
    void theDomainColumnAndTheMergeRuleAgree(Database db) {
        Endpoint owner = db.owner();
        assertThat(LegacySql.column(owner, "SELECT domain FROM crm.companies ORDER BY domain"))
                .containsExactly("example.com", "xn--bcher-kva.example");
        assertThat(ImportMergeRulesTest.outcome(owner, "apollo_companies", "b1#1")).isEqualTo("merged");
        assertThat(ImportMergeRulesTest.target(owner, "apollo_companies", "b1#1"))
                .isEqualTo(ImportMergeRulesTest.target(owner, "hubspot_companies", "1"));
    }

    @Test
    void theLookupFindsWhatTheMergeKeyedAndTheReconciliationAgrees(Database db) {
        Endpoint owner = db.owner();
        String example = ImportMergeRulesTest.target(owner, "hubspot_companies", "2");
        String buecher = ImportMergeRulesTest.target(owner, "hubspot_companies", "1");
        assertThat(companyOf(owner, "1")).isEqualTo(example);
        assertThat(companyOf(owner, "2")).isEqualTo(buecher);
        assertThat(companyOf(owner, "3")).isEqualTo(buecher);
        assertThat(report.relationships()).filteredOn(r -> r.table().equals("robbie.manual_contacts"))
                .singleElement().satisfies(r -> {
                    assertThat(r.checked()).isEqualTo(3);
                    assertThat(r.ok()).isEqualTo(3);
                });
    }

    private static String companyOf(Endpoint owner, String manualContactId) {
        return LegacySql.text(owner, "SELECT c.company_id::text FROM crm.contacts c JOIN legacy.id_map m"
                + " ON m.target_id = c.id WHERE m.source_table = 'manual_contacts' AND m.source_id = '"
                + manualContactId + "'");
    }
}
