package dev.townhall.sync;

import dev.townhall.db.Database;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.towns.Role;
import dev.townhall.towns.Towns;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every committed write to a synced table leaves exactly the change it should, and nobody but the owner sees the log. */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChangeCaptureTest {
    private static final UUID REMOTE_NODE = UUID.fromString("7e000000-0000-4000-8000-000000000001");
    private final Database db;
    private Towns towns;

    ChangeCaptureTest(Database db) {
        this.db = db;
    }

    @BeforeAll
    void people() {
        towns = Towns.open(db);
        towns.addUser("flo@example.com", "flo", "Flo", null);
        towns.addMember("flo", "fluenti", Role.ADMIN);
        towns.addMember("flo", "aurora", Role.ADMIN);
    }

    @AfterAll
    void close() {
        towns.close();
    }

    @Test
    void insertUpdateDeleteOfAContactLeaveOneChangeEachWithTheRowImageAndTown() throws SQLException {
        UUID contact = towns.as("flo@fluenti").inTransaction(h -> {
            UUID id = h.createQuery("INSERT INTO crm.contacts (first_name, last_name) VALUES ('Ada', 'Lovelace') RETURNING id")
                    .mapTo(UUID.class).one();
            h.createUpdate("UPDATE crm.contacts SET job_title = 'Analyst' WHERE id = :id").bind("id", id).execute();
            return id;
        });
        towns.as("flo@fluenti").inTransaction(h -> h.createUpdate("DELETE FROM crm.contacts WHERE id = :id")
                .bind("id", contact).execute());

        assertThat(owner("SELECT operation || ':' || coalesce(row_data ->> 'job_title', '-') || ':'"
                + " || (row_data IS NULL) || ':' || (town_id = '" + towns.town("fluenti").id() + "') || ':' || visibility"
                + " || ':' || (origin_node = sync.local_node_id()) || ':' || coalesce(row_data ? 'full_name', false)"
                + " FROM sync.changes WHERE row_id = '" + contact + "' ORDER BY id"))
                .containsExactly("insert:-:false:true:private:true:false", "update:Analyst:false:true:private:true:false",
                        "delete:-:true:true:private:true:false");
    }

    @Test
    void aStickyNoteAndATaskAreCapturedToo() throws SQLException {
        UUID me = towns.userId("flo");
        UUID note = towns.as("flo@fluenti").inTransaction(h -> h.createQuery(
                "INSERT INTO memory.sticky_notes (user_id, content, visibility) VALUES (:me, 'Call back', 'shared') RETURNING id")
                .bind("me", me).mapTo(UUID.class).one());
        UUID task = towns.as("flo@fluenti").inTransaction(h -> h.createQuery(
                "INSERT INTO work.tasks (user_id, created_by, title) VALUES (:me, :me, 'Send the deck') RETURNING id")
                .bind("me", me).mapTo(UUID.class).one());
        assertThat(owner("SELECT table_name || ':' || operation || ':' || visibility || ':' || (row_data ->> 'content')"
                + " FROM sync.changes WHERE row_id = '" + note + "'")).containsExactly("memory.sticky_notes:insert:shared:Call back");
        assertThat(owner("SELECT table_name || ':' || operation || ':' || (row_data ->> 'title')"
                + " FROM sync.changes WHERE row_id = '" + task + "'")).containsExactly("work.tasks:insert:Send the deck");
    }

    @Test
    void aNoOpUpdateAndARolledBackTransactionLeaveNothing() throws SQLException {
        UUID contact = towns.as("flo@fluenti").inTransaction(h -> h.createQuery(
                "INSERT INTO crm.contacts (first_name, last_name) VALUES ('Quiet', 'One') RETURNING id").mapTo(UUID.class).one());
        int touched = towns.as("flo@fluenti").inTransaction(h -> h.createUpdate(
                "UPDATE crm.contacts SET first_name = first_name WHERE id = :id").bind("id", contact).execute());
        assertThat(touched).isEqualTo(1);
        assertThatThrownBy(() -> towns.as("flo@fluenti").inTransaction(h -> {
            h.createUpdate("UPDATE crm.contacts SET job_title = 'Gone' WHERE id = :id").bind("id", contact).execute();
            h.createUpdate("INSERT INTO crm.contacts (first_name, last_name) VALUES ('Never', 'Was')").execute();
            throw new IllegalStateException("roll back");
        })).hasMessage("roll back");
        assertThat(owner("SELECT operation FROM sync.changes WHERE row_id = '" + contact + "' ORDER BY id"))
                .containsExactly("insert");
        assertThat(owner("SELECT count(*) FROM sync.changes WHERE row_data ->> 'first_name' = 'Never'")).containsExactly("0");
    }

    @Test
    void aRowMovedToAnotherTownLeavesATombstoneInTheOldTownAndTheImageInTheNew() throws SQLException {
        UUID note = towns.as("flo@fluenti").inTransaction(h -> h.createQuery(
                "INSERT INTO memory.sticky_notes (user_id, content) VALUES (:me, 'Moving') RETURNING id")
                .bind("me", towns.userId("flo")).mapTo(UUID.class).one());
        try (Connection c = db.owner().connect(); Statement s = c.createStatement()) {
            s.execute("UPDATE memory.sticky_notes SET town_id = '" + towns.town("aurora").id() + "' WHERE id = '" + note + "'");
        }
        assertThat(owner("SELECT operation || ':' || (town_id = '" + towns.town("aurora").id() + "') || ':'"
                + " || coalesce(row_data ->> 'content', '-') FROM sync.changes WHERE row_id = '" + note + "' ORDER BY id"))
                .containsExactly("insert:false:Moving", "move_out:false:-", "move_in:true:Moving");
    }

    @Test
    void theApplicationCanNeitherReadNorWriteTheLog() {
        assertThatThrownBy(() -> towns.as("flo@fluenti").inTransaction(h -> h.createQuery(
                "SELECT count(*) FROM sync.changes").mapTo(Long.class).one())).hasMessageContaining("permission denied");
        assertThatThrownBy(() -> towns.as("flo@fluenti").inTransaction(h -> h.createUpdate(
                "DELETE FROM sync.changes").execute())).hasMessageContaining("permission denied");
        assertThatThrownBy(() -> towns.as("flo@fluenti").inTransaction(h -> h.createUpdate(
                "INSERT INTO sync.changes (hlc, origin_node, table_name, row_id, org_id, town_id, visibility, shared_with,"
                        + " operation) VALUES (1, gen_random_uuid(), 'crm.contacts', gen_random_uuid(), gen_random_uuid(),"
                        + " gen_random_uuid(), 'private', '{}', 'delete')").execute())).hasMessageContaining("permission denied");
    }

    @Test
    void anOriginSetByTheApplicationIsIgnoredButTheOwnersIsRecorded() throws SQLException {
        UUID byApp = towns.as("flo@fluenti").inTransaction(h -> {
            h.execute("SELECT set_config('townhall.sync_origin', ?, true), set_config('townhall.sync_hlc', '5', true)",
                    REMOTE_NODE.toString());
            return h.createQuery("INSERT INTO crm.contacts (first_name, last_name) VALUES ('App', 'Spoof') RETURNING id")
                    .mapTo(UUID.class).one();
        });
        assertThat(owner("SELECT (origin_node = sync.local_node_id()) || ':' || (hlc > 5)"
                + " FROM sync.changes WHERE row_id = '" + byApp + "'")).containsExactly("true:true");

        UUID byAgent = UUID.randomUUID();
        try (Connection c = db.owner().connect(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("SET LOCAL townhall.sync_origin = '" + REMOTE_NODE + "'");
            s.execute("SET LOCAL townhall.sync_hlc = '123456789'");
            s.execute("INSERT INTO crm.contacts (id, org_id, town_id, first_name, last_name) VALUES ('" + byAgent + "', '"
                    + towns.orgId() + "', '" + towns.town("fluenti").id() + "', 'Remote', 'Row')");
            c.commit();
        }
        assertThat(owner("SELECT origin_node || ':' || hlc FROM sync.changes WHERE row_id = '" + byAgent + "'"))
                .containsExactly(REMOTE_NODE + ":123456789");
    }

    @Test
    void aBatchedApplysRowListIsHonouredForTheOwnerOnly() throws SQLException {
        UUID byApp = UUID.randomUUID();
        towns.as("flo@fluenti").inTransaction(h -> {
            h.execute("SELECT set_config('townhall.sync_rows', ?, true)", "crm.contacts;" + byApp + " " + REMOTE_NODE + " 5 ;");
            return h.execute("INSERT INTO crm.contacts (id, first_name, last_name) VALUES (?, 'App', 'Spoof')", byApp);
        });
        assertThat(owner("SELECT (origin_node = sync.local_node_id()) || ':' || (hlc > 5)"
                + " FROM sync.changes WHERE row_id = '" + byApp + "'")).containsExactly("true:true");

        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        UUID writer = towns.town("fluenti").id();
        try (Connection c = db.owner().connect(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("SET LOCAL townhall.sync_rows = 'crm.contacts;" + first + " " + REMOTE_NODE + " 123456789 " + writer
                    + ";" + second + " " + REMOTE_NODE + " 123456790 ;'");
            s.execute("INSERT INTO crm.contacts (id, org_id, town_id, first_name, last_name) VALUES ('" + first + "', '"
                    + towns.orgId() + "', '" + writer + "', 'First', 'Row'), ('" + second + "', '" + towns.orgId() + "', '"
                    + writer + "', 'Second', 'Row')");
            c.commit();
        }
        assertThat(owner("SELECT row_id || ':' || origin_node || ':' || hlc || ':' || coalesce(writer_town_id::text, '-')"
                + " FROM sync.changes WHERE row_id IN ('" + first + "', '" + second + "') ORDER BY hlc"))
                .containsExactly(first + ":" + REMOTE_NODE + ":123456789:" + writer, second + ":" + REMOTE_NODE + ":123456790:-");

        try (Connection c = db.owner().connect(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("SET LOCAL townhall.sync_rows = 'crm.contacts;" + first + " " + REMOTE_NODE + " 123456791 ;'");
            assertThatThrownBy(() -> s.execute("UPDATE crm.contacts SET first_name = 'Unlisted' WHERE id = '" + second + "'"))
                    .hasMessageContaining("townhall.sync_rows does not list crm.contacts " + second);
        }
    }

    private List<String> owner(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.owner().connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
