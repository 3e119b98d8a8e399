package dev.townhall.cli;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Database;
import dev.townhall.sync.Peer;
import dev.townhall.sync.Peers;
import dev.townhall.sync.Policies;
import dev.townhall.sync.SyncAgent;
import dev.townhall.testing.CliRun;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.testing.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.townhall.testing.OwnerSql.count;
import static dev.townhall.testing.OwnerSql.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code sync policy}: shows each synced table's conflict policy and the town order, changes them (audited), refuses
 * bad input in one line without changing anything, and the agent refuses to sync two nodes that decide differently.
 */
@ExtendWith(PostgresExtension.class)
class SyncPolicyCommandTest {
    private final TestCluster cluster;

    SyncPolicyCommandTest(TestCluster cluster) {
        this.cluster = cluster;
    }

    @Test
    void showsAndSetsPoliciesAndTheTownOrderWithAnAuditRowEach() throws SQLException {
        Database db = cluster.newDatabase("SyncPolicyShow");
        CliRun shown = CliRun.against(db, "sync", "policy");
        assertThat(shown.status()).as(shown.err()).isZero();
        assertThat(shown.out()).containsPattern("crm\\.contacts\\s+\\|?\\s*town_precedence")
                .contains("town order for shared rows: none");

        CliRun set = CliRun.against(db, "sync", "policy", "--set", "crm.contacts=last_write_wins",
                "--town-order", "fluenti,aurora");
        assertThat(set.status()).as(set.err()).isZero();
        assertThat(set.out()).containsPattern("crm\\.contacts\\s+\\|?\\s*last_write_wins")
                .contains("town order for shared rows: fluenti > aurora", "set the same on every peer");
        assertThat(Policies.of(db).current().tables()).containsEntry("crm.contacts", "last_write_wins")
                .containsEntry("crm.companies", "town_precedence");
        assertThat(Policies.of(db).current().townOrder()).containsExactly("fluenti", "aurora");
        assertThat(count(db, "SELECT count(*) FROM core.audit_log WHERE action IN ('sync.policy.set', 'sync.town_order.set')"
                + " AND actor = 'cli'")).isEqualTo(2);
    }

    @Test
    void badInputIsOneLineAndChangesNothing() throws SQLException {
        Database db = cluster.newDatabase("SyncPolicyBad");
        Policies.Settings before = Policies.of(db).current();
        for (List<String> args : List.of(
                List.of("--set", "crm.nothing=last_write_wins"),
                List.of("--set", "crm.contacts=coin_flip"),
                List.of("--set", "crm.contacts"),
                List.of("--town-order", "aurora,atlantis"),
                List.of("--town-order", "aurora,aurora"))) {
            List<String> all = new ArrayList<>(List.of("sync", "policy"));
            all.addAll(args);
            CliRun run = CliRun.against(db, all.toArray(String[]::new));
            assertThat(run.status()).as(String.join(" ", args))
                    .isIn(ErrorCode.INVALID_INPUT.exitStatus(), ErrorCode.NOT_FOUND.exitStatus());
            assertThat(run.err().strip()).as(String.join(" ", args)).isNotEmpty().doesNotContain("\n")
                    .doesNotContain("Exception");
        }
        assertThat(Policies.of(db).current()).isEqualTo(before);
        assertThat(count(db, "SELECT count(*) FROM core.audit_log WHERE action LIKE 'sync.%.set'")).isZero();
    }

    @Test
    void nodesThatDecideConflictsDifferentlyAreNotSyncedUntilTheyAgree() throws SQLException {
        Database a = cluster.newDatabase("SyncPolicyA");
        Database b = cluster.newDatabase("SyncPolicyB");
        exec(b, "SELECT sync.renew_local_node()");
        Peer peer = Peers.of(a).add("b", b.owner(), Optional.empty(), "both");
        Policies.of(a).setPolicy("crm.deals", "capital_wins");

        assertThatThrownBy(() -> SyncAgent.of(a).runOnce(peer, b.owner()))
                .isInstanceOf(TownHallException.class)
                .hasMessageContaining("peer b decides conflicts differently: crm.deals is capital_wins here and"
                        + " town_precedence there");

        Policies.of(b).setPolicy("crm.deals", "capital_wins");
        Policies.of(b).setTownOrder(List.of("aurora"));
        assertThatThrownBy(() -> SyncAgent.of(a).runOnce(peer, b.owner()))
                .hasMessageContaining("town order (none) here and aurora there");

        Policies.of(a).setTownOrder(List.of("aurora"));
        assertThat(SyncAgent.of(a).runOnce(peer, b.owner()).peer()).isEqualTo("b");
    }


}
