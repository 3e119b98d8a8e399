package dev.townhall.towns;

import dev.townhall.db.Database;
import dev.townhall.testing.PostgresExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Inside one town, an admin manages members and keys but can never become, demote or act as the owner. */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrivilegeEscalationTest {
    private final Database db;
    private Towns towns;
    private UUID owner;
    private UUID robot;

    PrivilegeEscalationTest(Database db) {
        this.db = db;
    }

    @BeforeAll
    void people() throws SQLException {
        towns = Towns.open(db);
        owner = towns.addUser("olga@example.com", "olga", "Olga", null);
        towns.addUser("adam@example.com", "adam", "Adam", null);
        robot = towns.addUser("robot@example.com", "robot", null, null);
        try (Connection c = db.owner().connect(); Statement s = c.createStatement()) {
            s.execute("UPDATE core.users SET is_service = true WHERE handle = 'robot'");
        }
        towns.addMember("olga", "fluenti", Role.OWNER);
        towns.addMember("adam", "fluenti", Role.ADMIN);
        towns.addMember("robot", "fluenti", Role.SERVICE);
    }

    @AfterAll
    void close() {
        towns.close();
    }

    @Test
    void anAdminCannotDemoteOrRemoveTheOwner() throws SQLException {
        int demoted = towns.as("adam@fluenti").inTransaction(h -> h.createUpdate(
                "UPDATE core.memberships SET role = 'member' WHERE user_id = :owner").bind("owner", owner).execute());
        int removed = towns.as("adam@fluenti").inTransaction(h -> h.createUpdate(
                "DELETE FROM core.memberships WHERE user_id = :owner").bind("owner", owner).execute());
        assertThat(demoted).isZero();
        assertThat(removed).isZero();
        int ownerDemotesSelfNot = towns.as("olga@fluenti").inTransaction(h -> h.createUpdate(
                "UPDATE core.memberships SET role = 'owner' WHERE user_id = :owner").bind("owner", owner).execute());
        assertThat(ownerDemotesSelfNot).as("the owner may change owner memberships").isEqualTo(1);
    }

    @Test
    void anAdminCannotRewriteTheOwnersAccountButTheOwnerCan() {
        String takeOver = "UPDATE core.users SET email = 'mine@example.com' WHERE id = :owner";
        int byAdmin = towns.as("adam@fluenti").inTransaction(h -> h.createUpdate(takeOver).bind("owner", owner).execute());
        assertThat(byAdmin).isZero();
        int byOwner = towns.as("olga@fluenti").inTransaction(h -> h.createUpdate(
                "UPDATE core.users SET job_title = 'Owner' WHERE id = :owner").bind("owner", owner).execute());
        assertThat(byOwner).isEqualTo(1);
        int adminOnService = towns.as("adam@fluenti").inTransaction(h -> h.createUpdate(
                "UPDATE core.users SET job_title = 'Robot' WHERE id = :robot").bind("robot", robot).execute());
        assertThat(adminOnService).as("admins still manage the town's other users").isEqualTo(1);
    }

    @Test
    void anAdminMakesApiKeysForServiceUsersButNotForPeople() {
        String insertKey = """
                INSERT INTO core.api_keys (org_id, town_id, user_id, name, key_prefix, key_hash)
                VALUES (core.acting_org_id(), core.acting_town_id(), :user, 'k', :prefix, repeat('a', 64))""";
        int forRobot = towns.as("adam@fluenti").inTransaction(h -> h.createUpdate(insertKey)
                .bind("user", robot).bind("prefix", "robot_key_1").execute());
        assertThat(forRobot).isEqualTo(1);
        assertThatThrownBy(() -> towns.as("adam@fluenti").inTransaction(h -> h.createUpdate(insertKey)
                .bind("user", owner).bind("prefix", "olga_key_1").execute()))
                .hasMessageContaining("row-level security");
    }
}
