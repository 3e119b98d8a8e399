package dev.townhall.compat;

import dev.townhall.db.Database;
import dev.townhall.testing.PostgresExtension;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The isolation matrix of the compatibility views, from the catalog: every view in aurora_compat, backend_compat and
 * extension_compat × logins bound to each town of testpilot (and one bound to a town it is not a member of). Aurora's
 * allan has a private row behind every view; a login of another town must see none of them through any view, and
 * allan's own login must see his (so the check can fail). A view added later is covered without editing this class.
 * TownIsolationMatrixTest cannot take the views as they are: its cells update town_id and shared_with, columns the old
 * shapes do not have; here each cell is the whole view as the old app reads it.
 */
@ExtendWith(PostgresExtension.class)
class CompatIsolationMatrixTest {
    private static final List<String> SCHEMAS = List.of("aurora_compat", "backend_compat", "extension_compat");
    /** Views over rows that are not a town's: the organisation's people and the global personality catalogue. */
    private static final Set<String> WITHOUT_TOWN_ROWS = Set.of("aurora_compat.users", "aurora_compat.mentors");

    record Login(String user, String town, boolean ownsTheRows) {
        String label() {
            return user + "@" + town;
        }
    }

    private static final List<Login> LOGINS = List.of(
            new Login("allan", "aurora", true),
            new Login("fiona", "fluenti", false),
            new Login("fred", "fluenti", false),
            new Login("colin", "collaboration", false));

    private final Database db;

    CompatIsolationMatrixTest(Database db) {
        this.db = db;
    }

    @TestFactory
    Stream<DynamicNode> everyCompatViewAndBoundLogin() throws SQLException {
        CompatWorld world = CompatWorld.build(db);
        Set<String> privateIds = new HashSet<>();
        world.auroraPrivate.forEach(id -> privateIds.add(id.toString()));
        Map<String, List<String>> views = new LinkedHashMap<>();
        try (Handle owner = CompatWorld.owner(db)) {
            for (String schema : SCHEMAS) {
                views.put(schema, owner.select("""
                        SELECT table_schema || '.' || table_name FROM information_schema.views
                        WHERE table_schema = ? ORDER BY table_name""", schema).mapTo(String.class).list());
            }
        }
        List<DynamicNode> nodes = new ArrayList<>();
        int total = views.values().stream().mapToInt(List::size).sum();
        nodes.add(DynamicTest.dynamicTest("the catalog lists the compatibility views", () -> assertThat(total).isGreaterThanOrEqualTo(18)));
        for (String schema : SCHEMAS) {
            Map<String, List<DynamicNode>> perView = new LinkedHashMap<>();
            views.get(schema).forEach(v -> perView.put(v, new ArrayList<>()));
            for (Login login : LOGINS) {
                try (Connection c = CompatLogins.connect(db, login.user(), login.town(), schema); Handle app = Jdbi.open(c)) {
                    for (String view : views.get(schema)) {
                        List<String> rows = app.select("SELECT v::text FROM " + view + " v").mapTo(String.class).list();
                        long leaked = rows.stream().filter(r -> privateIds.stream().anyMatch(r::contains)).count();
                        boolean expectOwn = login.ownsTheRows() && !WITHOUT_TOWN_ROWS.contains(view);
                        String expected = expectOwn ? "sees aurora's private rows" : "sees none of aurora's private rows";
                        String actual = leaked > 0 ? "sees aurora's private rows" : "sees none of aurora's private rows";
                        perView.get(view).add(DynamicTest.dynamicTest(login.label() + " → " + expected,
                                () -> assertThat(actual).as("%s as %s (%d of %d rows)", view, login.label(), leaked, rows.size())
                                        .isEqualTo(expected)));
                    }
                }
            }
            perView.forEach((view, tests) -> nodes.add(DynamicContainer.dynamicContainer(view, tests)));
        }
        return nodes.stream();
    }
}
