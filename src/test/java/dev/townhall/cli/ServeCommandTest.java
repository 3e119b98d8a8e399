package dev.townhall.cli;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.api.ApiKeys;
import dev.townhall.db.Database;
import dev.townhall.testing.CliRun;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.towns.SampleTowns;
import dev.townhall.towns.Towns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code serve} refuses what it cannot serve before it listens; the demo leaves one working key per person. */
@ExtendWith(PostgresExtension.class)
class ServeCommandTest {
    private static final Pattern KEY = Pattern.compile("th_[A-Za-z0-9]{12}_[A-Za-z0-9]{40}");
    private final Database db;

    ServeCommandTest(Database db) {
        this.db = db;
    }

    @Test
    void aBadPortIsOneLine() {
        CliRun run = CliRun.against(db, "serve", "--port", "70000");
        assertThat(run.status()).isEqualTo(ErrorCode.CONFIG.exitStatus());
        assertThat(run.err().strip()).startsWith("townhall: ").contains("70000").doesNotContain("\n");
    }

    @Test
    void theDemoMakesOneWorkingKeyPerPersonAndRevokesTheLastRunsKeys() {
        try (Towns towns = Towns.open(db)) {
            SampleTowns.ensure(towns);
            ApiKeys keys = ApiKeys.on(towns);
            List<String> first = demoKeys(keys);
            List<String> second = demoKeys(keys);
            assertThat(first).hasSize(SampleTowns.PEOPLE.size());
            assertThat(second).hasSize(SampleTowns.PEOPLE.size()).doesNotContainAnyElementsOf(first);
            for (String old : first) {
                assertThatThrownBy(() -> keys.authenticate(old, Optional.empty())).isInstanceOf(TownHallException.class);
            }
            for (int i = 0; i < second.size(); i++) {
                assertThat(keys.authenticate(second.get(i), Optional.empty()).townSlug())
                        .isEqualTo(SampleTowns.PEOPLE.get(i).town());
            }
        }
    }

    private static List<String> demoKeys(ApiKeys keys) {
        StringWriter text = new StringWriter();
        DemoCommand.printDemoKeys(new PrintWriter(text, true), keys);
        assertThat(text.toString()).contains("person", "town", "role", "allan", "aurora", "owner", "vera", "viewer");
        Matcher m = KEY.matcher(text.toString());
        List<String> found = new java.util.ArrayList<>();
        while (m.find()) {
            found.add(m.group());
        }
        return found;
    }

    @Test
    void aSchemaWithPendingChangesetsIsRefusedBeforeServing() throws SQLException {
        try (Connection c = db.owner().connect(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM databasechangelog WHERE id = 'intel-104-ai-costs-view'");
        }
        CliRun run = CliRun.against(db, "serve", "--port", "0");
        assertThat(run.status()).isEqualTo(ErrorCode.CONFIG.exitStatus());
        assertThat(run.err()).contains("lacks 1 changesets").contains("./townhall migrate");
    }
}
