package dev.townhall.sync;

import dev.townhall.TownHallException;
import dev.townhall.db.Database;
import dev.townhall.db.Endpoint;
import dev.townhall.db.Identifiers;
import dev.townhall.sync.internal.FlowApplier;
import dev.townhall.testing.CliHome;
import dev.townhall.testing.CliRun;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.testing.TestCluster;
import dev.townhall.towns.Role;
import dev.townhall.towns.Towns;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static dev.townhall.testing.OwnerSql.count;
import static dev.townhall.testing.OwnerSql.exec;
import static dev.townhall.testing.OwnerSql.execAs;
import static dev.townhall.testing.OwnerSql.renewNode;
import static dev.townhall.testing.OwnerSql.text;
import static dev.townhall.testing.OwnerSql.texts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Sync between two real PostgreSQL servers on loopback: A on the run's cluster, B (and a town replica) on a second
 * cluster with its own port, passwords and processes. Concurrent conflicting edits end at each policy's answer; a
 * partition where only one direction fails (the peer refuses writes) heals once the cause is gone; a town replica
 * receives no other town's private row; rows the peer refuses (a trigger there) are parked while the other direction
 * flows, and arrive once it takes them; a divergence made behind capture's back is found by {@code sync verify}.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SyncAcrossClustersTest {
    private static final FlowApplier.Options FAST = new FlowApplier.Options(500, 2, Duration.ofMillis(1));
    private static final int ROWS = 20;

    @RegisterExtension
    final CliHome home = CliHome.isolated();

    private final Database a;
    private TestCluster peerCluster;
    private Database b;
    private Towns towns;
    private SyncAgent agent;
    private Peer peerB;

    SyncAcrossClustersTest(Database a) {
        this.a = a;
    }

    @BeforeAll
    void open() throws SQLException {
        peerCluster = TestCluster.sharedPeer();
        b = peerCluster.newDatabase("SyncAcrossClustersTestB");
        renewNode(b);
        assertThat(b.owner().port()).as("another server").isNotEqualTo(a.owner().port());
        towns = Towns.open(a);
        towns.addUser("flo@example.com", "flo", "Flo", null);
        towns.addMember("flo", "fluenti", Role.ADMIN);
        towns.addUser("cap@example.com", "cap", "Cap", null);
        towns.addMember("cap", "aurora", Role.ADMIN);
        agent = SyncAgent.of(a, FAST);
        peerB = Peers.of(a).add("b", b.owner(), Optional.empty(), "both");
        agent.runOnce(peerB, b.owner()); // the people reach B with the organisation's directory
    }

    @AfterAll
    void close() {
        towns.close();
    }

    /**
     * Rows of the fluenti town edited at once on both servers, by the town's admin on one side and the capital's on
     * the other (swapped for every other row), neither having seen the other's edit.
     */
    @ParameterizedTest
    @ValueSource(strings = {"town_precedence", "capital_wins", "last_write_wins"})
    void concurrentConflictingEditsConvergeToThePolicysAnswer(String policy) throws Exception {
        setPolicy(policy);
        try {
            List<UUID> ids = new ArrayList<>();
            for (int i = 0; i < ROWS; i++) {
                ids.add(insertCompany(a, "fluenti", "private", "Base"));
            }
            agent.runOnce(peerB, b.owner());

            ExecutorService writers = Executors.newFixedThreadPool(2);
            try {
                Future<?> onA = writers.submit(() -> editAll(a, ids, "flo", "cap"));
                Future<?> onB = writers.submit(() -> editAll(b, ids, "cap", "flo"));
                onA.get();
                onB.get();
            } finally {
                writers.shutdown();
            }
            List<String> expected = new ArrayList<>();
            for (UUID id : ids) {
                expected.add(policysAnswer(policy, id));
            }

            agent.runOnce(peerB, b.owner());
            agent.runOnce(peerB, b.owner());

            assertThat(Convergence.of(a).verify(peerB, b.owner()).diverged()).isEmpty();
            for (int i = 0; i < ids.size(); i++) {
                assertThat(text(a, "SELECT name FROM crm.companies WHERE id = ?", ids.get(i)))
                        .as("row %d under %s", i, policy).isEqualTo(expected.get(i));
            }
            String kept = "SELECT count(*) FROM sync.conflicts WHERE row_id = ANY (?) AND policy = ?";
            UUID[] all = ids.toArray(UUID[]::new);
            assertThat(count(a, kept, all, policy) + count(b, kept, all, policy)).as("one conflict kept per row")
                    .isEqualTo(ROWS);
        } finally {
            setPolicy("town_precedence");
        }
    }

    @Test
    void aPartitionWherePushingFailsHealsOnceThePeerTakesWritesAgain() throws SQLException {
        List<UUID> fromB = insertContacts(b, 200, "FromB");
        Endpoint peerSuperuser = peerCluster.cluster().superuserEndpoint();
        String database = Identifiers.quote(b.databaseName());
        superuser(peerSuperuser, "ALTER DATABASE " + database + " SET default_transaction_read_only = on");
        List<UUID> fromA;
        try {
            fromA = insertContacts(a, 200, "FromA");
            // B takes its changes being read but no write: the pull goes through, the push cannot start
            assertThatThrownBy(() -> agent.runOnce(peerB, b.owner())).isInstanceOf(TownHallException.class)
                    .hasMessageContaining("read-only");
            assertThat(count(a, "SELECT count(*) FROM crm.contacts WHERE id = ANY (?)", (Object) ids(fromB)))
                    .as("B's rows reached A").isEqualTo(fromB.size());
            assertThat(count(b, "SELECT count(*) FROM crm.contacts WHERE id = ANY (?)", (Object) ids(fromA)))
                    .as("A's rows did not reach B").isZero();
            assertThatThrownBy(() -> agent.runOnce(peerB, b.owner())).isInstanceOf(TownHallException.class);
        } finally {
            superuser(peerSuperuser, "ALTER DATABASE " + database + " RESET default_transaction_read_only");
        }

        RunReport healed = agent.runOnce(peerB, b.owner());

        assertThat(healed.pushed().applied()).isEqualTo(fromA.size());
        assertThat(healed.pulled().applied()).as("nothing of B's twice").isZero();
        assertThat(Convergence.of(a).verify(peerB, b.owner()).diverged()).isEmpty();
        UUID[] all = Stream.concat(fromA.stream(), fromB.stream()).toArray(UUID[]::new);
        for (Database db : new Database[] {a, b}) {
            assertThat(count(db, "SELECT count(*) FROM sync.changes WHERE row_id = ANY (?)", (Object) all))
                    .as("every row logged once on each side").isEqualTo(all.length);
            assertThat(count(db, "SELECT count(DISTINCT row_id) FROM sync.changes WHERE row_id = ANY (?)", (Object) all))
                    .isEqualTo(all.length);
        }
    }

    @Test
    void rowsThePeerRefusesToTakeAreParkedWhileTheOtherDirectionFlowsAndArriveOnceItTakesThem() throws SQLException {
        exec(b, """
                CREATE FUNCTION crm.refuse_for_a_while() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'refused for a while';
                END $$""");
        exec(b, """
                CREATE TRIGGER refuse_for_a_while BEFORE INSERT ON crm.contacts FOR EACH ROW
                WHEN (NEW.first_name = 'Refused') EXECUTE FUNCTION crm.refuse_for_a_while()""");
        List<UUID> refused;
        List<UUID> fromB;
        try {
            refused = insertContacts(a, 3, "Refused");
            fromB = insertContacts(b, 50, "Meanwhile");

            RunReport partitioned = agent.runOnce(peerB, b.owner());

            assertThat(partitioned.pushed().parked()).isEqualTo(refused.size());
            assertThat(partitioned.pulled().applied()).as("the other direction flows").isEqualTo(fromB.size());
            assertThat(count(b, "SELECT count(*) FROM sync.parked_changes WHERE row_id = ANY (?)", (Object) ids(refused)))
                    .isEqualTo(refused.size());
        } finally {
            exec(b, "DROP TRIGGER refuse_for_a_while ON crm.contacts");
            exec(b, "DROP FUNCTION crm.refuse_for_a_while()");
        }

        agent.runOnce(peerB, b.owner());

        assertThat(count(b, "SELECT count(*) FROM crm.contacts WHERE id = ANY (?)", (Object) ids(refused)))
                .isEqualTo(refused.size());
        assertThat(count(b, "SELECT count(*) FROM sync.parked_changes")).isZero();
        assertThat(Convergence.of(a).verify(peerB, b.owner()).diverged()).isEmpty();
    }

    @Test
    void aTownReplicaOnAnotherServerNeverReceivesAnotherTownsPrivateRow() throws SQLException {
        Database replica = peerCluster.newDatabase("SyncAcrossClustersTestReplica");
        renewNode(replica);
        Peer fluentiOnly = Peers.of(a).add("fluenti-replica", replica.owner(), Optional.of("fluenti"), "both");
        UUID fluenti = insertCompany(a, "fluenti", "private", "Fluenti's");
        UUID sharedWithAll = insertCompany(a, "aurora", "shared", "Everyone's");
        UUID auroraPrivate = insertCompany(a, "aurora", "private", "Aurora's");
        UUID auroraDeleted = insertCompany(a, "aurora", "private", "Aurora's, deleted");
        UUID sharedElsewhere = UUID.randomUUID();
        exec(a, """
                INSERT INTO crm.companies (id, org_id, town_id, visibility, shared_with, name)
                VALUES (?, ?, ?, 'shared', ARRAY[?]::uuid[], 'Collaboration''s')""",
                sharedElsewhere, towns.orgId(), towns.town("aurora").id(), towns.town("collaboration").id());
        exec(a, "UPDATE crm.companies SET name = 'Aurora''s, renamed' WHERE id = ?", auroraPrivate);
        exec(a, "DELETE FROM crm.companies WHERE id = ?", auroraDeleted);

        agent.runOnce(fluentiOnly, replica.owner());

        assertThat(texts(replica, "SELECT id::text FROM crm.companies WHERE id = ANY (?) ORDER BY id",
                (Object) new UUID[] {fluenti, sharedWithAll, auroraPrivate, auroraDeleted, sharedElsewhere}))
                .containsExactlyInAnyOrder(fluenti.toString(), sharedWithAll.toString());
        assertThat(count(replica, "SELECT count(*) FROM sync.changes WHERE row_id = ANY (?)",
                (Object) new UUID[] {auroraPrivate, auroraDeleted, sharedElsewhere}))
                .as("not even as a logged change or a tombstone").isZero();
        assertThat(Convergence.of(a).verify(fluentiOnly, replica.owner()).diverged()).isEmpty();
    }

    @Test
    void aRowChangedBehindCapturesBackIsFoundBySyncVerifyNamingItsTable() throws SQLException {
        Database c = peerCluster.newDatabase("SyncAcrossClustersTestC");
        renewNode(c);
        CliRun added = CliRun.against(a, "sync", "add-peer", "c", "--url", CliRun.databaseUrl(c.owner()));
        assertThat(added.status()).as(added.err()).isZero();
        Peer peerC = Peers.of(a).get("c");
        UUID id = insertCompany(a, "fluenti", "private", "Honest Co");
        agent.runOnce(peerC, c.owner());
        CliRun quiet = CliRun.against(a, "sync", "verify", "c");
        assertThat(quiet.status()).as(quiet.out() + quiet.err()).isZero();

        // as the peer's superuser, with triggers of the ordinary kind (capture) switched off for the session
        try (Connection s = peerCluster.cluster().superuserEndpoint().withDatabase(c.databaseName()).connect();
             Statement st = s.createStatement();
             PreparedStatement forge = s.prepareStatement("UPDATE crm.companies SET name = 'Forged Co' WHERE id = ?")) {
            st.execute("SET session_replication_role = replica");
            forge.setObject(1, id);
            assertThat(forge.executeUpdate()).isEqualTo(1);
        }
        assertThat(count(c, "SELECT count(*) FROM sync.changes WHERE row_id = ? AND row_data ->> 'name' = 'Forged Co'",
                id)).as("capture was bypassed").isZero();

        CliRun verify = CliRun.against(a, "sync", "verify", "c");

        assertThat(verify.status()).as(verify.err()).isEqualTo(6);
        assertThat(verify.out()).contains("DIVERGED c: crm.companies")
                .contains("c crm.companies different (1): " + id);
    }

    // ------------------------------------------------------------------ helpers

    /** Every row renamed on {@code db}, alternately by {@code first} and {@code second}, the name saying who. */
    private Void editAll(Database db, List<UUID> ids, String first, String second) throws SQLException {
        try (Connection c = db.owner().connect()) {
            for (int i = 0; i < ids.size(); i++) {
                String user = i % 2 == 0 ? first : second;
                String town = user.equals("flo") ? "fluenti" : "aurora";
                execAs(c, user, town, "UPDATE crm.companies SET name = ? WHERE id = ?", nameBy(db, user), ids.get(i));
            }
        }
        return null;
    }

    private String nameBy(Database db, String user) {
        return (db == a ? "A" : "B") + " by " + user;
    }

    /**
     * What the policy makes of the row's two concurrent versions, from their writers and clocks as logged: the owning
     * town's writer (town precedence), the capital's (capital wins), else the later (hlc, origin).
     */
    private String policysAnswer(String policy, UUID id) throws SQLException {
        String newest = "SELECT row_data ->> 'name' FROM sync.changes WHERE row_id = ? ORDER BY id DESC LIMIT 1";
        String onA = text(a, newest, id);
        String onB = text(b, newest, id);
        String favoured = switch (policy) {
            case "town_precedence" -> "by flo";
            case "capital_wins" -> "by cap";
            default -> null;
        };
        if (favoured != null) {
            return onA.endsWith(favoured) ? onA : onB;
        }
        String clock = "SELECT %s FROM sync.changes WHERE row_id = ? ORDER BY id DESC LIMIT 1";
        long later = count(a, "SELECT CASE WHEN (?::bigint, ?::uuid) > (?::bigint, ?::uuid) THEN 1 ELSE 0 END",
                count(a, clock.formatted("hlc"), id), text(a, clock.formatted("origin_node::text"), id),
                count(b, clock.formatted("hlc"), id), text(b, clock.formatted("origin_node::text"), id));
        return later == 1 ? onA : onB;
    }

    private void setPolicy(String policy) throws SQLException {
        for (Database db : new Database[] {a, b}) {
            exec(db, "UPDATE sync.synced_tables SET policy = ? WHERE table_name = 'crm.companies'", policy);
        }
    }

    private UUID insertCompany(Database db, String town, String visibility, String name) throws SQLException {
        UUID id = UUID.randomUUID();
        exec(db, "INSERT INTO crm.companies (id, org_id, town_id, visibility, name) VALUES (?, ?, ?, ?::core.visibility, ?)",
                id, towns.orgId(), towns.town(town).id(), visibility, name);
        return id;
    }

    /** {@code n} fluenti contacts in one transaction. */
    private List<UUID> insertContacts(Database db, int n, String firstName) throws SQLException {
        List<String> ids = texts(db, """
                INSERT INTO crm.contacts (org_id, town_id, first_name, last_name)
                SELECT ?, ?, ?, 'Partition ' || i FROM generate_series(1, ?) i RETURNING id::text""",
                towns.orgId(), towns.town("fluenti").id(), firstName, n);
        return ids.stream().map(UUID::fromString).toList();
    }

    private static UUID[] ids(List<UUID> ids) {
        return ids.toArray(UUID[]::new);
    }

    private static void superuser(Endpoint superuser, String sql) throws SQLException {
        try (Connection c = superuser.connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
