package dev.townhall.legacy.generate;

import dev.townhall.legacy.LegacySql;
import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Endpoint;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.testing.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where the generator may write, and how it refuses what it must not do, before writing anything. */
@ExtendWith(PostgresExtension.class)
class LegacyTargetsTest {
    private static final String SECRET = "s3cr3t-never-printed";

    @Test
    void anExistingDatabaseWithRowsInItsTablesIsRefusedUntilReplaceIsAsked(TestCluster cluster) {
        Endpoint admin = cluster.cluster().superuserEndpoint();
        String existing = "legacy_existing_target";
        String fresh = "legacy_fresh_beside_existing";
        LegacySql.dropDatabase(admin, existing);
        LegacySql.dropDatabase(admin, fresh);
        LegacySql.execute(admin, "CREATE DATABASE " + existing);
        Endpoint db = admin.withDatabase(existing);
        LegacySql.execute(db, "CREATE TABLE tasks (note text); INSERT INTO tasks VALUES ('keep me');"
                + " CREATE TABLE activities (x int)");
        LegacyGenerator generator = LegacyGenerator.into(LegacyTarget.existingDatabase(db),
                LegacyTarget.freshDatabase(admin, fresh));
        try {
            assertThatThrownBy(generator::generate)
                    .isInstanceOf(TownHallException.class)
                    .hasMessageContaining("already holds rows in tasks;")
                    .hasMessageContaining("--replace")
                    .matches(e -> ((TownHallException) e).code() == ErrorCode.CONFLICT);
            assertThat(LegacySql.column(db, "SELECT note FROM tasks")).containsExactly("keep me");
            assertThat(LegacySql.count(db, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"))
                    .as("nothing was created").isEqualTo(2);
            assertThat(LegacySql.databaseExists(admin, fresh)).as("nor the other database").isFalse();

            List<String> progress = new ArrayList<>();
            GenerateReport report = generator.replacingExistingTables(true)
                    .onProgress(t -> progress.add(t.source() + "." + t.table())).generate();
            assertThat(report.rows()).isEqualTo(80_808 + 454);
            assertThat(progress).hasSize(18).startsWith("robbie.hubspot_companies").endsWith("robbie_allan.knowledge_base");
            assertThat(LegacySql.count(db, "SELECT count(*) FROM tasks")).isEqualTo(745);
            assertThat(LegacySql.count(db, "SELECT count(*) FROM activities")).isEqualTo(63_669);
            assertThat(report.tables("robbie")).allSatisfy(t -> assertThat(t.database()).isEqualTo(existing));

            assertThatThrownBy(LegacyGenerator.into(LegacyTarget.existingDatabase(db),
                    LegacyTarget.freshDatabase(admin, fresh))::generate)
                    .as("a second run without --replace")
                    .isInstanceOf(TownHallException.class)
                    .hasMessageContaining("hubspot_companies, apollo_companies");
        } finally {
            LegacySql.dropDatabase(admin, existing);
            LegacySql.dropDatabase(admin, fresh);
        }
    }

    @Test
    void anEmptyExistingDatabaseIsFilledWithoutReplace(TestCluster cluster) {
        Endpoint admin = cluster.cluster().superuserEndpoint();
        String robbie = "legacy_empty_robbie";
        String allan = "legacy_empty_robbie_allan";
        for (String name : List.of(robbie, allan)) {
            LegacySql.dropDatabase(admin, name);
            LegacySql.execute(admin, "CREATE DATABASE " + name);
        }
        try {
            GenerateReport report = LegacyGenerator.into(LegacyTarget.existingDatabase(admin.withDatabase(robbie)),
                    LegacyTarget.existingDatabase(admin.withDatabase(allan))).withSeed(7).generate();
            assertThat(report.rows("robbie_allan")).isEqualTo(454);
            assertThat(LegacySql.count(admin.withDatabase(allan), "SELECT count(*) FROM interactions")).isEqualTo(438);
        } finally {
            LegacySql.dropDatabase(admin, robbie);
            LegacySql.dropDatabase(admin, allan);
        }
    }

    @Test
    void anUnreachableServerFailsBeforeAnythingIsWritten(TestCluster cluster) {
        Endpoint admin = cluster.cluster().superuserEndpoint();
        String fresh = "legacy_never_made";
        LegacySql.dropDatabase(admin, fresh);
        Endpoint nowhere = new Endpoint("127.0.0.1", freePort(), "robbie", "someone", SECRET);
        assertThatThrownBy(LegacyGenerator.into(LegacyTarget.freshDatabase(admin, fresh),
                LegacyTarget.existingDatabase(nowhere))::generate)
                .isInstanceOf(TownHallException.class)
                .hasMessageContaining("cannot reach PostgreSQL at 127.0.0.1:" + nowhere.port())
                .matches(e -> !e.getMessage().contains(SECRET))
                .matches(e -> ((TownHallException) e).code() == ErrorCode.DB_UNREACHABLE);
        assertThat(LegacySql.databaseExists(admin, fresh)).isFalse();
    }

    @Test
    void databasesTownHallItselfNeedsAreNeverRecreated(TestCluster cluster) {
        Endpoint admin = cluster.cluster().superuserEndpoint();
        for (String name : List.of("postgres", "template1", "townhall", "")) {
            assertThatThrownBy(() -> LegacyTarget.freshDatabase(admin, name))
                    .isInstanceOf(TownHallException.class)
                    .matches(e -> ((TownHallException) e).code() == ErrorCode.INVALID_INPUT);
        }
    }

    @Test
    void aLoginThatMayNotCreateDatabasesIsToldWhatToDo(TestCluster cluster) {
        Endpoint admin = cluster.cluster().superuserEndpoint();
        LegacySql.execute(admin, "DROP ROLE IF EXISTS legacy_no_createdb");
        LegacySql.execute(admin, "CREATE ROLE legacy_no_createdb LOGIN PASSWORD '" + SECRET + "'");
        try {
            Endpoint weak = admin.as("legacy_no_createdb", SECRET);
            assertThatThrownBy(LegacyGenerator.inCluster(weak)::generate)
                    .isInstanceOf(TownHallException.class)
                    .hasMessageContaining("legacy_no_createdb may not create databases")
                    .hasMessageContaining("CREATEDB")
                    .matches(e -> !e.getMessage().contains(SECRET))
                    .matches(e -> ((TownHallException) e).code() == ErrorCode.FORBIDDEN);
        } finally {
            LegacySql.execute(admin, "DROP ROLE IF EXISTS legacy_no_createdb");
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
