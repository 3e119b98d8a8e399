package dev.townhall.legacy.imports;

import dev.townhall.legacy.LegacySql;
import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Database;
import dev.townhall.db.Endpoint;
import dev.townhall.testing.CliRun;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.testing.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A malformed mapping file or an unreachable source is one clear error, and nothing is written before it. */
@ExtendWith(PostgresExtension.class)
class ImportBadInputTest {
    private static final String SECRET = "s3cr3t-never-printed";

    @Test
    void yamlThatDoesNotParseNamesTheFileAndLine() {
        assertConfig(() -> ImportPlan.parse("version: 1\nsources: [unclosed\n", "broken.yaml"),
                "mapping file broken.yaml is not valid YAML (line");
    }

    @Test
    void anUnknownNormaliserKeyOrMapIsRefusedWithItsPlace() {
        String builtin = builtinText();
        assertConfig(() -> ImportPlan.parse(builtin.replace("normalise: domain}", "normalise: domian}"), "x.yaml"),
                "sources.robbie.tables[0] (hubspot_companies).columns.domain.normalise: unknown normaliser 'domian'");
        assertConfig(() -> ImportPlan.parse(builtin.replace("normalise: lower, in_table", "normalize: lower, in_table"),
                "x.yaml"), "unknown key 'normalize'");
        assertConfig(() -> ImportPlan.parse(builtin.replace("map: deal_stages,", "map: deal_stage,"), "x.yaml"),
                "no map called 'deal_stage'");
        assertConfig(() -> ImportPlan.parse(builtin.replace("ref: robbie.hubspot_deals}", "ref: robbie.deals}"),
                "x.yaml"), "names robbie.deals, which this file does not map");
        assertConfig(() -> ImportPlan.load(Path.of("/nonexistent/mapping.yaml")), "does not exist");
    }

    @Test
    void aMappingThatDoesNotFitTheDatabasesFailsBeforeAnythingIsWritten(TestCluster cluster, Database db) {
        Map<String, Endpoint> sources = ImportFixtures.asOwner(db, ImportFixtures.empty(cluster, "badmap"));
        ImportPlan wrongColumn = ImportPlan.parse(builtinText().replace("{from: jobtitle,", "{from: job_title,"),
                "wrong-column.yaml");
        assertConfig(() -> ImportFixtures.importer(db, sources).plan(wrongColumn).run(),
                "source table hubspot_contacts has no column job_title");
        ImportPlan wrongTarget = ImportPlan.parse(builtinText().replace("  industry: {from: industry, normalise: label}\n"
                + "          employee_count: {from: employee_count",
                "  industri: {from: industry, normalise: label}\n          employee_count: {from: employee_count"),
                "wrong-target.yaml");
        assertConfig(() -> ImportFixtures.importer(db, sources).plan(wrongTarget).run(), "crm.companies has no column industri");
        assertNothingWritten(db);
    }

    @Test
    void anUnreachableSourceIsOneErrorAndNothingIsWritten(TestCluster cluster, Database db) {
        Map<String, Endpoint> sources = ImportFixtures.asOwner(db, ImportFixtures.empty(cluster, "unreach"));
        Endpoint nowhere = new Endpoint("127.0.0.1", freePort(), "robbie", "someone", SECRET);
        assertThatThrownBy(() -> ImportFixtures.importer(db, sources).source("robbie_allan", nowhere).run())
                .isInstanceOf(TownHallException.class)
                .hasMessageStartingWith("source robbie_allan: cannot reach PostgreSQL at 127.0.0.1:" + nowhere.port())
                .matches(e -> !e.getMessage().contains(SECRET))
                .matches(e -> ((TownHallException) e).code() == ErrorCode.DB_UNREACHABLE);
        assertNothingWritten(db);
    }

    @Test
    void theCommandPrintsOneLineForABadMappingFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("mapping.yaml");
        Files.writeString(file, "version: 2\n");
        CliRun run = CliRun.of("import", "--mapping", file.toString());
        assertThat(run.status()).isEqualTo(ErrorCode.CONFIG.exitStatus());
        assertThat(run.err().strip()).doesNotContain("\n").contains("mapping file " + file).contains("version: must be 1");
        CliRun badSince = CliRun.of("import", "--delta", "--since", "yesterday");
        assertThat(badSince.status()).isEqualTo(ErrorCode.INVALID_INPUT.exitStatus());
        assertThat(badSince.err().strip()).doesNotContain("\n").contains("--since yesterday");
    }

    private static void assertNothingWritten(Database db) {
        for (String table : new String[] {"legacy.import_runs", "legacy.id_map", "legacy.quarantine", "crm.companies"}) {
            assertThat(LegacySql.count(db.owner(), "SELECT count(*) FROM " + table)).as(table).isZero();
        }
        assertThat(LegacySql.count(db.owner(), "SELECT count(*) FROM core.users")).as("no user created").isZero();
    }

    private static void assertConfig(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOf(TownHallException.class)
                .hasMessageContaining(message)
                .matches(e -> ((TownHallException) e).code() == ErrorCode.CONFIG, "code CONFIG");
    }

    private static String builtinText() {
        try (var in = ImportBadInputTest.class.getClassLoader().getResourceAsStream(ImportPlan.BUILTIN_RESOURCE)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
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
