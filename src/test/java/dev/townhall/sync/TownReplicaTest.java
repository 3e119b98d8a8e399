package dev.townhall.sync;

import dev.townhall.db.Database;
import dev.townhall.sync.internal.FlowApplier;
import dev.townhall.testing.CliRun;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.testing.TestCluster;
import dev.townhall.towns.Towns;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import static dev.townhall.testing.OwnerSql.count;
import static dev.townhall.testing.OwnerSql.exec;
import static dev.townhall.testing.OwnerSql.renewNode;
import static dev.townhall.testing.OwnerSql.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A town replica (listed by the primary with {@code --town fluenti}) holds fluenti plus what is shared with it; the
 * primary applies its writes to fluenti's rows and parks every other write it sends, with the reason, never applying
 * it. The replica's writes here are made as its owner, as a tampered or mistaken replica could: row-level security
 * on the replica is not what protects the primary.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TownReplicaTest {
    private static final FlowApplier.Options FAST = new FlowApplier.Options(500, 2, Duration.ofMillis(1));

    private final Database primary;
    private final TestCluster cluster;
    private Towns towns;

    TownReplicaTest(Database primary, TestCluster cluster) {
        this.primary = primary;
        this.cluster = cluster;
    }

    @BeforeAll
    void open() {
        towns = Towns.open(primary);
    }

    @AfterAll
    void close() {
        towns.close();
    }

    @Test
    void theReplicasWritesToRowsOfOtherTownsAreParkedAtThePrimaryAndNeverApplied() throws SQLException {
        Database replica = replica("TownReplicaTestWrites");
        Peer peer = Peers.of(primary).add("fluenti-writes", replica.owner(), Optional.of("fluenti"), "both");
        SyncAgent agent = SyncAgent.of(primary, FAST);
        UUID own = contact(primary, "fluenti", "Fia", "private", null);
        UUID moving = contact(primary, "fluenti", "Mo", "private", null);
        UUID sharedWithFluenti = contact(primary, "aurora", "Shay", "shared", town("fluenti"));
        UUID auroraPrivate = contact(primary, "aurora", "Aura", "private", null);
        agent.runOnce(peer, replica.owner());
        assertThat(firstName(replica, sharedWithFluenti)).as("shared rows reach the replica").isEqualTo("Shay");

        exec(replica, "UPDATE crm.contacts SET first_name = 'Fia2' WHERE id = ?", own);
        exec(replica, "UPDATE crm.contacts SET first_name = 'Hijacked' WHERE id = ?", sharedWithFluenti);
        exec(replica, "UPDATE crm.contacts SET town_id = ? WHERE id = ?", town("aurora"), moving);
        UUID planted = contact(replica, "aurora", "Planted", "private", null);
        contact(replica, "fluenti", "Collider", "private", null, auroraPrivate);

        RunReport report = agent.runOnce(peer, replica.owner());

        assertThat(firstName(primary, own)).as("its own town's row is written").isEqualTo("Fia2");
        assertThat(firstName(primary, sharedWithFluenti)).as("a shared row stays its owner's").isEqualTo("Shay");
        assertThat(text(primary, "SELECT t.slug FROM crm.contacts c JOIN core.towns t ON t.id = c.town_id WHERE c.id = ?",
                moving)).as("not moved out of the replica's town").isEqualTo("fluenti");
        assertThat(firstName(primary, planted)).as("no row planted in another town").isNull();
        assertThat(firstName(primary, auroraPrivate)).as("an id of another town's row is not taken over").isEqualTo("Aura");
        assertThat(report.pulled().parked()).isEqualTo(5); // the move is a move_out and a move_in
        assertThat(count(primary, """
                SELECT count(*) FROM sync.parked_changes
                WHERE reason = 'not_permitted' AND last_error LIKE 'a replica of fluenti may not write %town aurora'
                  AND row_id IN (?, ?, ?, ?)""", sharedWithFluenti, moving, planted, auroraPrivate)).isEqualTo(5);

        assertThat(ParkedChanges.of(primary).list(Optional.of("fluenti-writes"), Optional.of("not_permitted")))
                .extracting(ParkedChange::rowId).containsExactlyInAnyOrder(sharedWithFluenti, moving, moving, planted,
                        auroraPrivate);
        CliRun listed = CliRun.against(primary, "sync", "parked", "--peer", "fluenti-writes");
        assertThat(listed.status()).as(listed.err()).isZero();
        assertThat(listed.out()).contains("fluenti-writes", "not_permitted", "a replica of fluenti may not write this"
                + " crm.contacts row: here it belongs to town aurora");

        RunReport again = agent.runOnce(peer, replica.owner());
        assertThat(again.pulled().applied()).as("a refused change is not retried").isZero();
        assertThat(firstName(primary, sharedWithFluenti)).isEqualTo("Shay");
    }

    @Test
    void aLaptopThatListsThePrimaryWithoutATownStillReceivesOnlyTheTownThePrimaryListsItFor() throws SQLException {
        Database laptop = replica("TownReplicaTestLaptop");
        Peers.of(primary).add("fluenti-laptop", laptop.owner(), Optional.of("fluenti"), "both");
        Peer primaryPeer = Peers.of(laptop).add("primary", primary.owner(), Optional.empty(), "both");
        UUID fluenti = contact(primary, "fluenti", "Lap", "private", null);
        UUID aurora = contact(primary, "aurora", "Top", "private", null);

        SyncAgent.of(laptop, FAST).runOnce(primaryPeer, primary.owner());

        assertThat(firstName(laptop, fluenti)).isEqualTo("Lap");
        assertThat(firstName(laptop, aurora)).isNull();
        assertThat(count(laptop, "SELECT count(*) FROM sync.changes WHERE row_id = ?", aurora)).isZero();
        assertThat(Convergence.of(laptop).verify(primaryPeer, primary.owner()).converged())
                .as("verified over fluenti and what is shared with it").isTrue();
    }

    // ------------------------------------------------------------------ helpers

    private Database replica(String name) throws SQLException {
        Database db = cluster.newDatabase(name);
        renewNode(db);
        return db;
    }

    private UUID town(String slug) {
        return towns.town(slug).id();
    }

    private UUID contact(Database db, String town, String firstName, String visibility, UUID sharedWith)
            throws SQLException {
        return contact(db, town, firstName, visibility, sharedWith, UUID.randomUUID());
    }

    private UUID contact(Database db, String town, String firstName, String visibility, UUID sharedWith, UUID id)
            throws SQLException {
        exec(db, """
                INSERT INTO crm.contacts (id, org_id, town_id, first_name, last_name, visibility, shared_with)
                VALUES (?, ?, ?, ?, 'Replica', ?::core.visibility,
                        CASE WHEN ?::uuid IS NULL THEN '{}'::uuid[] ELSE ARRAY[?::uuid] END)""",
                id, towns.orgId(), town(town), firstName, visibility, sharedWith, sharedWith);
        return id;
    }

    private static String firstName(Database db, UUID id) throws SQLException {
        return text(db, "SELECT first_name FROM crm.contacts WHERE id = ?", id);
    }
}
