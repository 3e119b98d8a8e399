package dev.townhall.towns;

import dev.townhall.db.Database;
import dev.townhall.testing.PostgresExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every write leaves an audit row naming who did it; secrets never reach the log; the log is append-only. */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditTest {
    private final Database db;
    private Towns towns;
    private UUID capitalOwner;
    private UUID fluentiAdmin;

    AuditTest(Database db) {
        this.db = db;
    }

    @BeforeAll
    void people() {
        towns = Towns.open(db);
        capitalOwner = towns.addUser("cap@example.com", "cap", "Cap", null);
        fluentiAdmin = towns.addUser("flo@example.com", "flo", "Flo", null);
        towns.addUser("viv@example.com", "viv", "Viv", null);
        towns.addMember("cap", "aurora", Role.OWNER);
        towns.addMember("flo", "fluenti", Role.ADMIN);
        towns.addMember("viv", "fluenti", Role.VIEWER);
    }

    @AfterAll
    void close() {
        towns.close();
    }

    @Test
    void tenantWritesAreAuditedWithTheActingUserAndTheRowBeforeAndAfter() throws SQLException {
        UUID company = towns.as("flo@fluenti").inTransaction(h -> {
            UUID id = h.createQuery("INSERT INTO crm.companies (name) VALUES ('Audited Ltd') RETURNING id")
                    .mapTo(UUID.class).one();
            h.createUpdate("UPDATE crm.companies SET industry = 'ledgers' WHERE id = :id").bind("id", id).execute();
            h.createUpdate("DELETE FROM crm.companies WHERE id = :id").bind("id", id).execute();
            return id;
        });
        assertThat(owner("SELECT string_agg(action || ':' || (user_id = '" + fluentiAdmin + "'), ',' ORDER BY action)"
                + " FROM core.audit_log WHERE row_id = '" + company + "'")).isEqualTo("delete:true,insert:true,update:true");
        assertThat(owner("SELECT coalesce(before_data ->> 'industry', '-') || '>' || (after_data ->> 'industry')"
                + " FROM core.audit_log WHERE row_id = '" + company + "' AND action = 'update'")).isEqualTo("->ledgers");
        assertThat(owner("SELECT after_data ->> 'industry' FROM core.audit_log WHERE row_id = '" + company
                + "' AND action = 'update'")).isEqualTo("ledgers");
    }

    @Test
    void aCapitalOwnerChangingAnotherTownsMembershipIsAuditedAgainstThatTown() throws SQLException {
        UUID viv = towns.userId("viv");
        int changed = towns.as("cap@aurora").inTransaction(h -> h.createUpdate(
                "UPDATE core.memberships SET role = 'member' WHERE user_id = :u").bind("u", viv).execute());
        assertThat(changed).isEqualTo(1);
        assertThat(owner("SELECT count(*) FROM core.audit_log a JOIN core.towns t ON t.id = a.town_id"
                + " WHERE a.table_name = 'core.memberships' AND a.action = 'update' AND t.slug = 'fluenti'"
                + " AND a.user_id = '" + capitalOwner + "'")).isEqualTo("1");
    }

    @Test
    void hashesNeverReachTheAuditLog() throws SQLException {
        towns.as("flo@fluenti").inTransaction(h -> h.createUpdate(
                "UPDATE core.users SET password_hash = 'scrypt$secret-hash-value' WHERE id = :me").bind("me", fluentiAdmin)
                .execute());
        assertThat(owner("SELECT count(*) FROM core.audit_log WHERE table_name = 'core.users' AND row_id = '"
                + fluentiAdmin + "' AND action = 'update'")).isEqualTo("1");
        assertThat(owner("SELECT count(*) FROM core.audit_log WHERE before_data::text LIKE '%secret-hash%'"
                + " OR after_data::text LIKE '%secret-hash%' OR after_data ? 'password_hash'")).isEqualTo("0");
    }

    @Test
    void aDeletedTownKeepsItsAuditRowsWithoutAReference() throws SQLException {
        Town gone = towns.create("ephemeral", "Ephemeral", false);
        towns.addMember("viv", "ephemeral", Role.MEMBER);
        try (Connection c = db.owner().connect(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM core.towns WHERE id = '" + gone.id() + "'");
        }
        assertThat(owner("SELECT count(*) FROM core.audit_log WHERE table_name = 'core.towns' AND row_id = '"
                + gone.id() + "' AND action = 'delete' AND town_id IS NULL")).isEqualTo("1");
    }

    @Test
    void theLogIsAppendOnlyAndReadOnlyToAdmins() {
        long seenByViewer = towns.as("viv@fluenti").inTransaction(h -> h.createQuery("SELECT count(*) FROM core.audit_log")
                .mapTo(Long.class).one());
        long seenByAdmin = towns.as("flo@fluenti").inTransaction(h -> h.createQuery("SELECT count(*) FROM core.audit_log")
                .mapTo(Long.class).one());
        assertThat(seenByViewer).as("a viewer reads no audit rows").isZero();
        assertThat(seenByAdmin).as("the town admin reads the town's audit rows").isPositive();
        assertThatThrownBy(() -> towns.as("flo@fluenti").inTransaction(h -> h.createUpdate(
                "DELETE FROM core.audit_log").execute())).hasMessageContaining("permission denied");
        assertThatThrownBy(() -> towns.as("flo@fluenti").inTransaction(h -> h.createUpdate(
                "UPDATE core.audit_log SET action = 'nothing'").execute())).hasMessageContaining("permission denied");
    }

    private String owner(String sql) throws SQLException {
        try (Connection c = db.owner().connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }
}
