package dev.townhall.cli;

import dev.townhall.ErrorCode;
import dev.townhall.db.Database;
import dev.townhall.testing.CliHome;
import dev.townhall.testing.CliRun;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.testing.TestCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sync commands end to end on two real databases: add a peer (its URL kept 0600 in the state directory, never
 * printed), run once, the status table, remove it; mistakes are one line.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SyncCommandTest {
    @RegisterExtension
    final CliHome home = CliHome.isolated();

    private final Database db;
    private final TestCluster cluster;
    private Database peer;

    SyncCommandTest(Database db, TestCluster cluster) {
        this.db = db;
        this.cluster = cluster;
    }

    @BeforeAll
    void aSecondDatabase() throws SQLException {
        peer = cluster.newDatabase("SyncCommandTestPeer");
        try (Connection c = peer.owner().connect(); Statement s = c.createStatement()) {
            s.execute("SELECT sync.renew_local_node()");
        }
    }

    @Test
    void addRunStatusAndRemoveAPeer() throws Exception {
        String url = CliRun.databaseUrl(peer.owner());
        CliRun added = CliRun.against(db, "sync", "add-peer", "laptop", "--url", url);
        assertThat(added.status()).as(added.err()).isZero();
        assertThat(added.out()).contains("added peer laptop").doesNotContain(peer.owner().password());
        Path stored = home.state().resolve("peers").resolve("laptop.url");
        assertThat(Files.readString(stored).strip()).isEqualTo(url);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stored))).isEqualTo("rw-------");

        try (Connection c = db.owner().connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO crm.companies (org_id, town_id, name) SELECT org_id, id, 'Synced Sprockets'"
                    + " FROM core.towns WHERE slug = 'fluenti'");
        }
        CliRun run = CliRun.against(db, "sync", "run", "--once");
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("laptop");
        try (Connection c = peer.owner().connect(); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT count(*) FROM crm.companies WHERE name = 'Synced Sprockets'")) {
            rs.next();
            assertThat(rs.getLong(1)).as("the company reached the peer").isEqualTo(1);
        }

        CliRun status = CliRun.against(db, "sync", "status");
        assertThat(status.status()).as(status.err()).isZero();
        assertThat(status.out()).contains("laptop", "pull", "push").doesNotContain(peer.owner().password());

        CliRun removed = CliRun.against(db, "sync", "remove-peer", "laptop");
        assertThat(removed.status()).as(removed.err()).isZero();
        assertThat(stored).doesNotExist();
        assertThat(CliRun.against(db, "sync", "status").out()).doesNotContain("laptop");
    }

    @Test
    void mistakesAreOneLine() {
        assertOneLine(CliRun.against(db, "sync", "add-peer", "Bad Name!", "--url", CliRun.databaseUrl(peer.owner())));
        assertOneLine(CliRun.against(db, "sync", "add-peer", "ghost", "--url",
                "postgresql://nobody:nothing@127.0.0.1:1/none"));
        assertOneLine(CliRun.against(db, "sync", "remove-peer", "never-added"));
    }

    private static void assertOneLine(CliRun run) {
        assertThat(run.status()).as(run.out()).isNotZero().isNotEqualTo(ErrorCode.INTERNAL.exitStatus());
        assertThat(run.err().strip()).isNotEmpty().doesNotContain("\n").doesNotContain("Exception");
    }
}
