package dev.townhall.sync;

import dev.townhall.db.Database;
import dev.townhall.sync.internal.FlowApplier;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.testing.TestCluster;
import dev.townhall.towns.Role;
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
 * A replica started empty (migrated, no users) receives the organisation's directory with the rows that name its
 * people, so nothing is parked for a missing user; password hashes stay on their node, neither sent nor
 * overwritten; a town replica reads the directory and may not write it.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DirectorySyncTest {
    private static final FlowApplier.Options FAST = new FlowApplier.Options(500, 2, Duration.ofMillis(1));

    private final Database primary;
    private final TestCluster cluster;
    private Towns towns;
    private UUID fia;

    DirectorySyncTest(Database primary, TestCluster cluster) {
        this.primary = primary;
        this.cluster = cluster;
    }

    @BeforeAll
    void people() throws SQLException {
        towns = Towns.open(primary);
        fia = towns.addUser("fia@example.org", "fia", "Fia", "Directory");
        towns.addMember("fia", "fluenti", Role.MEMBER);
        exec(primary, "UPDATE core.users SET password_hash = 'primary-secret' WHERE id = ?", fia);
    }

    @AfterAll
    void close() {
        towns.close();
    }

    @Test
    void anEmptyReplicaReceivesTheUsersItsRowsNameWithoutTheirPasswordHashes() throws SQLException {
        Database replica = replica("DirectoryEmptyReplica");
        Peer peer = Peers.of(primary).add("directory-full", replica.owner(), Optional.empty(), "both");
        UUID contact = contactOwnedBy(fia);

        RunReport report = SyncAgent.of(primary, FAST).runOnce(peer, replica.owner());

        assertThat(report.pushed().parked()).as("nothing waits for a missing user").isZero();
        assertThat(text(replica, "SELECT email::text FROM core.users WHERE id = ?", fia)).isEqualTo("fia@example.org");
        assertThat(count(replica, "SELECT count(*) FROM core.memberships WHERE user_id = ?", fia)).isEqualTo(1);
        assertThat(text(replica, "SELECT owner_user_id::text FROM crm.contacts WHERE id = ?", contact))
                .isEqualTo(fia.toString());
        assertThat(text(replica, "SELECT password_hash FROM core.users WHERE id = ?", fia)).as("not sent").isNull();

        exec(replica, "UPDATE core.users SET password_hash = 'replica-secret', job_title = 'Translator' WHERE id = ?", fia);
        SyncAgent.of(primary, FAST).runOnce(peer, replica.owner());
        assertThat(text(primary, "SELECT job_title FROM core.users WHERE id = ?", fia)).isEqualTo("Translator");
        assertThat(text(primary, "SELECT password_hash FROM core.users WHERE id = ?", fia))
                .as("not overwritten").isEqualTo("primary-secret");
        assertThat(Convergence.of(primary).verify(peer, replica.owner()).converged())
                .as("password hashes are not compared").isTrue();

        // concurrent edits of the user: the conflict kept on either side holds no password hash
        exec(primary, "UPDATE core.users SET job_title = 'Lead' WHERE id = ?", fia);
        exec(replica, "UPDATE core.users SET job_title = 'Interpreter' WHERE id = ?", fia);
        SyncAgent.of(primary, FAST).runOnce(peer, replica.owner());
        String kept = "SELECT count(*) FROM sync.conflicts WHERE row_id = ?";
        assertThat(count(primary, kept, fia) + count(replica, kept, fia)).isEqualTo(1);
        String leaked = "SELECT count(*) FROM sync.conflicts WHERE row_id = ?"
                + " AND (local_version -> 'password_hash' IS NOT NULL OR remote_version -> 'password_hash' IS NOT NULL)";
        assertThat(count(primary, leaked, fia) + count(replica, leaked, fia)).isZero();
    }

    @Test
    void aTownReplicaReadsTheDirectoryButItsWritesToItAreRefused() throws SQLException {
        Database replica = replica("DirectoryTownReplica");
        Peer peer = Peers.of(primary).add("directory-fluenti", replica.owner(), Optional.of("fluenti"), "both");
        SyncAgent agent = SyncAgent.of(primary, FAST);
        agent.runOnce(peer, replica.owner());
        assertThat(text(replica, "SELECT handle FROM core.users WHERE id = ?", fia)).isEqualTo("fia");

        exec(replica, "UPDATE core.users SET first_name = 'Mallory' WHERE id = ?", fia);
        RunReport report = agent.runOnce(peer, replica.owner());

        assertThat(report.pulled().parked()).isEqualTo(1);
        assertThat(text(primary, "SELECT first_name FROM core.users WHERE id = ?", fia)).isEqualTo("Fia");
        assertThat(text(primary, "SELECT last_error FROM sync.parked_changes WHERE row_id = ? AND reason = 'not_permitted'",
                fia)).isEqualTo("a town replica may not write the organisation's directory (core.users); change it"
                + " where the whole organisation is held");
    }

    private Database replica(String name) throws SQLException {
        Database db = cluster.newDatabase(name);
        renewNode(db);
        return db;
    }

    private UUID contactOwnedBy(UUID user) throws SQLException {
        UUID id = UUID.randomUUID();
        exec(primary, """
                INSERT INTO crm.contacts (id, org_id, town_id, first_name, last_name, owner_user_id)
                VALUES (?, ?, ?, 'Owned', 'Contact', ?)""", id, towns.orgId(), towns.town("fluenti").id(), user);
        return id;
    }
}
