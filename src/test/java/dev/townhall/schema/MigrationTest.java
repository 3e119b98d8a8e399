package dev.townhall.schema;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Database;
import dev.townhall.db.Endpoint;
import dev.townhall.db.internal.Processes;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.testing.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The migrations as a whole: idempotent, fully reversible, tamper-evident, safe to run twice at once. */
@ExtendWith(PostgresExtension.class)
class MigrationTest {

    @Test
    void migratesFromEmptyAndASecondRunChangesNothing(TestCluster cluster) {
        Database db = cluster.newEmptyDatabase("idempotent");
        Migrator.MigrateReport first = Migrator.as(db.owner()).migrate(null);
        assertThat(first.applied()).hasSizeGreaterThan(30);
        Migrator.MigrateReport second = Migrator.as(db.owner()).migrate(null);
        assertThat(second.applied()).isEmpty();
        assertThat(Migrator.as(db.owner()).status().pending()).isEmpty();
    }

    @Test
    void aDryRunPrintsTheSqlAndChangesNothing(TestCluster cluster) throws SQLException {
        Database db = cluster.newEmptyDatabase("dryrun");
        String sql = Migrator.as(db.owner()).dryRun();
        assertThat(sql).contains("CREATE TABLE crm.companies", "core.enable_tenancy('crm.contacts')");
        assertThat(tablesIn(db, Verifier.SCHEMAS)).isZero();
        Migrator.StatusReport status = Migrator.as(db.owner()).status();
        assertThat(status.applied()).isEmpty();
        assertThat(status.pending()).extracting(Migrator.Change::id).contains("core-011-towns", "crm-010-companies");
    }

    @Test
    void rollingEverythingBackAndMigratingAgainGivesTheSameSchema(TestCluster cluster) throws SQLException {
        Database db = cluster.newEmptyDatabase("roundtrip");
        Migrator migrator = Migrator.as(db.owner());
        int applied = migrator.migrate(null).applied().size();
        String before = schemaDump(cluster, db);

        List<Migrator.Change> undone = migrator.rollbackCount(applied);
        assertThat(undone).hasSize(applied);
        assertThat(tablesIn(db, Verifier.SCHEMAS)).as("rollback of everything leaves no TownHall table").isZero();
        assertThat(compatLeftovers(db)).as("rollback leaves no compatibility schema and no grant to townhall_compat")
                .isEmpty();

        migrator.migrate(null);
        assertThat(schemaDump(cluster, db)).isEqualTo(before);
    }

    @Test
    void rollbackToATagUndoesOnlyWhatCameAfter(TestCluster cluster) {
        Database db = cluster.newEmptyDatabase("tag");
        Migrator migrator = Migrator.as(db.owner());
        ReleaseLock lock = ReleaseLock.shipped();
        List<String> unreleased = lock.unreleased(Changesets.shipped()).stream().map(Changesets.Changeset::id).toList();
        List<ReleaseLock.Entry> released = lock.entries();
        String newestRelease = released.get(released.size() - 1).release();
        // Liquibase keeps one tag per changeset: a build that ends with a release's tag changeset refuses another tag
        // on it; a build with changesets after its last release takes one, and then refuses a second
        String lastTag = unreleased.isEmpty() ? "v" + newestRelease : "everything";
        migrator.migrate(unreleased.isEmpty() ? null : lastTag);
        assertThat(migrator.rollbackTo(lastTag)).isEmpty();
        assertThatThrownBy(() -> migrator.migrate("again"))
                .hasMessageContaining("carries the tag '" + lastTag + "'");

        List<String> sinceFirstRelease = Changesets.shipped().stream().map(Changesets.Changeset::id)
                .filter(id -> released.stream().noneMatch(e -> e.id().equals(id) && e.release().equals("0.1.0")))
                .toList();
        List<String> undone = migrator.rollbackTo("v0.1.0").stream().map(Migrator.Change::id).toList();
        assertThat(undone).as("exactly what came after release 0.1.0").containsExactlyElementsOf(sinceFirstRelease);
        assertThat(migrator.status().pending()).extracting(Migrator.Change::id).containsExactlyElementsOf(sinceFirstRelease);
        assertThat(migrator.status().applied()).extracting(Migrator.Change::id).endsWith("release-0.1.0");
        assertThatThrownBy(() -> migrator.rollbackTo("no-such-tag"))
                .isInstanceOf(TownHallException.class)
                .hasMessageContaining("no migration tag 'no-such-tag'");
    }

    @Test
    void anEditedAppliedChangesetIsRefusedByName(TestCluster cluster) throws SQLException {
        Database db = cluster.newEmptyDatabase("checksum");
        Migrator.as(db.owner()).migrate(null);
        String id;
        try (Connection c = db.owner().connect(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT id FROM databasechangelog ORDER BY orderexecuted LIMIT 1 OFFSET 5")) {
                rs.next();
                id = rs.getString(1);
            }
            // what Liquibase stores is the checksum of the file as applied; a different one is what an edit looks like
            s.executeUpdate("UPDATE databasechangelog SET md5sum = '9:00000000000000000000000000000000' WHERE id = '" + id + "'");
        }
        assertThatThrownBy(() -> Migrator.as(db.owner()).migrate(null))
                .isInstanceOf(TownHallException.class)
                .hasMessageContaining(id)
                .hasMessageContaining("was edited after it was applied")
                .hasMessageContaining("nothing was changed")
                .matches(e -> ((TownHallException) e).code() == ErrorCode.CHECKSUM_MISMATCH);
    }

    @Test
    void aDatabaseMigratedByAnotherBuildIsRefusedBeforeAnythingChanges(TestCluster cluster) throws SQLException {
        Database db = cluster.newEmptyDatabase("unknownhistory");
        Migrator migrator = Migrator.as(db.owner());
        migrator.migrate(null);
        List<Migrator.Change> undone = migrator.rollbackCount(1);
        try (Connection c = db.owner().connect(); Statement s = c.createStatement()) {
            // what a newer build leaves behind: a changeset this build has never heard of
            s.executeUpdate("""
                    INSERT INTO databasechangelog (id, author, filename, dateexecuted, orderexecuted, exectype, md5sum)
                    VALUES ('core-999-from-the-future', 'townhall', 'db/changelog/core/999-future.sql', now(), 999,
                            'EXECUTED', '9:00000000000000000000000000000000')""");
        }

        assertThatThrownBy(() -> migrator.migrate(null))
                .isInstanceOf(TownHallException.class)
                .hasMessageContaining("core-999-from-the-future")
                .hasMessageContaining("unknown to this build")
                .hasMessageContaining("nothing was changed")
                .matches(e -> ((TownHallException) e).code() == ErrorCode.CHECKSUM_MISMATCH);
        Migrator.StatusReport status = migrator.status();
        assertThat(status.pending()).as("the pending changeset stayed pending").isEqualTo(undone);
        assertThat(status.historyDifferences()).singleElement().asString().contains("core-999-from-the-future");
        assertThatThrownBy(migrator::dryRun).hasMessageContaining("core-999-from-the-future");
        // still refused on the next try: nothing was nulled or rewritten to make the difference go away
        assertThatThrownBy(() -> migrator.migrate(null)).hasMessageContaining("core-999-from-the-future");
    }

    @Test
    void twoConcurrentMigrationsApplyEachChangesetOnce(TestCluster cluster) throws Exception {
        Database db = cluster.newEmptyDatabase("concurrent");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Callable<Integer> migrate = () -> Migrator.as(db.owner()).migrate(null).applied().size();
            List<Future<Integer>> runs = pool.invokeAll(List.of(migrate, migrate));
            int total = 0;
            for (Future<Integer> run : runs) {
                total += run.get();
            }
            try (Connection c = db.owner().connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT (id, author, filename)) FROM databasechangelog")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(rs.getInt(2));
                assertThat(total).as("the changesets were applied once between the two runs").isEqualTo(rs.getInt(1));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static int tablesIn(Database db, List<String> schemas) throws SQLException {
        try (Connection c = db.owner().connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_tables WHERE schemaname IN ("
                     + schemas.stream().map(n -> "'" + n + "'").collect(Collectors.joining(",")) + ")")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static List<String> compatLeftovers(Database db) throws SQLException {
        List<String> found = new ArrayList<>();
        try (Connection c = db.owner().connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("""
                     SELECT 'schema ' || nspname FROM pg_namespace
                     WHERE nspname = 'compat' OR nspname LIKE '%\\_compat'
                        OR nspacl::text LIKE '%townhall_compat=%'
                     UNION ALL
                     SELECT 'relation ' || oid::regclass FROM pg_class WHERE relacl::text LIKE '%townhall_compat=%'
                     UNION ALL
                     SELECT 'function ' || oid::regprocedure FROM pg_proc WHERE proacl::text LIKE '%townhall_compat=%'
                     UNION ALL
                     SELECT 'column ' || attrelid::regclass || '.' || attname FROM pg_attribute
                     WHERE attacl::text LIKE '%townhall_compat=%'""")) {
            while (rs.next()) {
                found.add(rs.getString(1));
            }
        }
        return found;
    }

    /** pg_dump --schema-only, without comments, blank lines and Liquibase's own bookkeeping tables. */
    private static String schemaDump(TestCluster cluster, Database db) {
        Endpoint admin = db.admin();
        Processes.Result dump = Processes.run(List.of(cluster.cluster().binaries().program("pg_dump").toString(),
                        "--schema-only", "--no-owner", "-h", admin.host(), "-p", Integer.toString(admin.port()),
                        "-U", admin.user(), "-d", db.databaseName(),
                        "--exclude-table=public.databasechangelog", "--exclude-table=public.databasechangeloglock"),
                Duration.ofMinutes(2), Map.of("PGPASSWORD", admin.password()));
        assertThat(dump.ok()).as(dump.output()).isTrue();
        return dump.output().lines()
                // \restrict carries a random token per dump (pg_dump 15.14+)
                .filter(line -> !line.startsWith("--") && !line.isBlank() && !line.matches("\\\\(un)?restrict .*"))
                .collect(Collectors.joining("\n"));
    }
}
