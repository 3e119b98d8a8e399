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
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static dev.townhall.testing.OwnerSql.count;
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
        assertThat(run.out()).contains("laptop").containsPattern("pruned \\d+ (acknowledged changes|applied-change keys)");
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
    void verifyIsCleanAfterARunAndNamesAnInjectedDivergence() throws Exception {
        CliRun added = CliRun.against(db, "sync", "add-peer", "checked", "--url", CliRun.databaseUrl(peer.owner()));
        assertThat(added.status()).as(added.err()).isZero();
        try {
            UUID id = UUID.randomUUID();
            try (Connection c = db.owner().connect(); PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO crm.companies (id, org_id, town_id, name)
                    SELECT ?, org_id, id, 'Verified Valves' FROM core.towns WHERE slug = 'fluenti'""")) {
                ps.setObject(1, id);
                ps.executeUpdate();
            }
            assertThat(CliRun.against(db, "sync", "run", "--once").status()).isZero();
            CliRun clean = CliRun.against(db, "sync", "verify", "checked");
            assertThat(clean.status()).as(clean.out() + clean.err()).isZero();
            assertThat(clean.out()).contains("crm.companies", "missing there", "OK checked").doesNotContain("DIVERGED");

            // changed on the peer as if the change came from here, so it is never sent back
            try (Connection c = peer.owner().connect()) {
                c.setAutoCommit(false);
                try (PreparedStatement ps = c.prepareStatement("""
                        SELECT set_config('townhall.sync_origin', ?, true),
                               set_config('townhall.sync_hlc', sync.hlc_now()::text, true)""")) {
                    ps.setString(1, localNode());
                    ps.execute();
                }
                try (PreparedStatement ps = c.prepareStatement("UPDATE crm.companies SET name = 'Drifted' WHERE id = ?")) {
                    ps.setObject(1, id);
                    ps.executeUpdate();
                }
                c.commit();
            }
            CliRun diverged = CliRun.against(db, "sync", "verify");
            assertThat(diverged.status()).as(diverged.err()).isEqualTo(ErrorCode.CONFLICT.exitStatus());
            assertThat(diverged.out()).contains("checked crm.companies different (1): " + id, "DIVERGED checked: crm.companies");
        } finally {
            CliRun.against(db, "sync", "remove-peer", "checked");
        }
    }

    @Test
    void statusShowsAPeerThatCannotBeReachedWithWhatIsKnownHere() throws Exception {
        CliRun added = CliRun.against(db, "sync", "add-peer", "gone", "--url", CliRun.databaseUrl(peer.owner()));
        assertThat(added.status()).as(added.err()).isZero();
        try {
            assertThat(CliRun.against(db, "sync", "run", "--once").status()).isZero();
            Path stored = home.state().resolve("peers").resolve("gone.url");
            Files.writeString(stored, CliRun.databaseUrl(peer.owner()).replaceFirst(":\\d+/", ":1/"));

            CliRun status = CliRun.against(db, "sync", "status");
            assertThat(status.status()).as(status.err()).isZero();
            assertThat(status.out()).containsPattern("gone\\s+\\|?\\s*pull\\s+\\|?\\s*\\?\\s+\\|?\\s*\\?\\s+\\|?\\s*\\d{4}-")
                    .as("the pull flow's last success is known here").contains("peer gone cannot be asked: ");
        } finally {
            CliRun.against(db, "sync", "remove-peer", "gone");
        }
    }

    @Test
    void aTownReplicaRegistersItselfAtThePrimaryWhichLeavesTheSyncingToTheReplicasAgent() throws Exception {
        Database primary = cluster.newDatabase("SyncCommandTestPrimary");
        Database laptop = cluster.newDatabase("SyncCommandTestLaptop");
        for (Database node : List.of(primary, laptop)) {
            try (Connection c = node.owner().connect(); Statement s = c.createStatement()) {
                s.execute("SELECT sync.renew_local_node()");
            }
        }
        try (Connection c = primary.owner().connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO crm.companies (org_id, town_id, name) SELECT org_id, id, initcap(slug) || ' Tools'"
                    + " FROM core.towns WHERE slug IN ('fluenti', 'aurora')");
        }

        CliRun added = CliRun.against(laptop, "sync", "add-peer", "primary", "--url", CliRun.databaseUrl(primary.owner()),
                "--replica-of", "fluenti", "--as", "ana-laptop");
        assertThat(added.status()).as(added.err()).isZero();
        assertThat(added.out()).contains("it lists this database as ana-laptop, a replica of fluenti");
        CliRun run = CliRun.against(laptop, "sync", "run", "--once");
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(count(laptop, "SELECT count(*) FROM crm.companies WHERE name = 'Fluenti Tools'")).isEqualTo(1);
        assertThat(count(laptop, "SELECT count(*) FROM crm.companies WHERE name = 'Aurora Tools'")).isZero();

        CliRun primaryRun = CliRun.against(primary, "sync", "run", "--once");
        assertThat(primaryRun.status()).as(primaryRun.err()).isZero();
        assertThat(primaryRun.out()).contains("ana-laptop: syncs with us by its own agent (no URL here)")
                .contains("pruned");

        CliRun removed = CliRun.against(laptop, "sync", "remove-peer", "primary");
        assertThat(removed.status()).as(removed.err()).isZero();
        assertThat(removed.out()).contains("the peer no longer lists this database", "removed peer primary");
        assertThat(count(primary, "SELECT count(*) FROM sync.peers")).isZero();
        assertThat(count(primary, "SELECT count(*) FROM sync.readers")).as("nothing holds back its pruning").isZero();
    }


    @Test
    void runTakesOnceAnIntervalOrContinuousOnlyOne() {
        for (String[] args : List.of(new String[] {"sync", "run", "--once", "--every", "30s"}, new String[] {"sync", "run"},
                new String[] {"sync", "run", "--continuous", "--once"},
                new String[] {"sync", "run", "--continuous", "--every", "30s"},
                new String[] {"sync", "run", "--every", "0s"}, new String[] {"sync", "run", "--every", "30"},
                new String[] {"sync", "run", "--every", "soon"})) {
            CliRun run = CliRun.against(db, args);
            assertOneLine(run);
            assertThat(run.status()).as(String.join(" ", args)).isEqualTo(ErrorCode.INVALID_INPUT.exitStatus());
        }
        assertThat(SyncCommand.Run.interval("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(SyncCommand.Run.interval("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(SyncCommand.Run.interval("1h")).isEqualTo(Duration.ofHours(1));
    }

    private String localNode() throws SQLException {
        try (Connection c = db.owner().connect(); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT sync.local_node_id()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void mistakesAreOneLine() {
        assertOneLine(CliRun.against(db, "sync", "add-peer", "Bad Name!", "--url", CliRun.databaseUrl(peer.owner())));
        assertOneLine(CliRun.against(db, "sync", "add-peer", "ghost", "--url",
                "postgresql://nobody:nothing@127.0.0.1:1/none"));
        assertOneLine(CliRun.against(db, "sync", "remove-peer", "never-added"));
        assertOneLine(CliRun.against(db, "sync", "parked", "--reason", "boredom"));
        assertOneLine(CliRun.against(db, "sync", "parked", "--peer", "never-added"));
    }

    private static void assertOneLine(CliRun run) {
        assertThat(run.status()).as(run.out()).isNotZero().isNotEqualTo(ErrorCode.INTERNAL.exitStatus());
        assertThat(run.err().strip()).isNotEmpty().doesNotContain("\n").doesNotContain("Exception");
    }
}
