package dev.townhall.legacy.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.townhall.db.Database;
import dev.townhall.db.Endpoint;
import dev.townhall.db.Identifiers;
import dev.townhall.legacy.imports.internal.SourceRow;
import dev.townhall.legacy.imports.LegacyGarbage.Row;
import dev.townhall.legacy.imports.LegacyGarbage.Shape;
import dev.townhall.testing.TestCluster;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Legacy rows of the real shapes with garbage in every column (wrong types as text, blanks, placeholders, 200 kB text,
 * control characters, mojibake, mixed date formats, epochs in seconds and milliseconds, sentinel dates, repeated and
 * dangling ids, JSON that does not parse, typed extremes and NULLs), imported with the shipped plan. Whatever the rows:
 * <ol>
 *   <li>no exception escapes the importer;</li>
 *   <li>every source row read is imported, merged or quarantined, exactly one of them;</li>
 *   <li>every salvageable row (as {@link LegacyGarbage} defines it per table) is imported or merged;</li>
 *   <li>a second run adds nothing and reconciles the same;</li>
 *   <li>the outcome does not depend on the batch size.</li>
 * </ol>
 * Each try reuses one TownHall database and two legacy databases: the sources' tables and every table the fresh
 * TownHall database held empty are truncated between imports (checked: the other tables keep their rows).
 */
class ImportGarbagePropertyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Generated or stamped by the import itself, different on every run: left out of the comparisons. */
    private static final List<String> RUN_COLUMNS = List.of("id", "run_id", "resolved_run_id", "created_at",
            "updated_at", "resolved_at");
    private static final List<String> LEGACY_TABLES = List.of("legacy.id_map", "legacy.quarantine",
            "legacy.value_issues", "legacy.deferred_links", "legacy.merge_conflicts", "legacy.filled_values");

    private static Database db;
    private static Map<String, Endpoint> legacyAdmin;
    private static Map<String, Endpoint> legacyAsOwner;
    private static Endpoint superuser;
    private static List<String> emptyAtStart;
    private static Map<String, Long> filledAtStart;
    /** Source table (source.table) to column to its SQL type, for the casts of the generated text. */
    private static Map<String, Map<String, String>> sourceTypes;

    @BeforeContainer
    static void databases() throws SQLException {
        TestCluster cluster = TestCluster.shared();
        db = cluster.newDatabase("ImportGarbagePropertyTest");
        legacyAdmin = ImportFixtures.empty(cluster, "garbage");
        legacyAsOwner = ImportFixtures.asOwner(db, legacyAdmin);
        superuser = cluster.cluster().superuserEndpoint().withDatabase(db.databaseName());
        Map<String, Long> counts = rowCounts();
        emptyAtStart = counts.entrySet().stream().filter(e -> e.getValue() == 0).map(Map.Entry::getKey).toList();
        filledAtStart = counts.entrySet().stream().filter(e -> e.getValue() > 0)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        sourceTypes = new HashMap<>();
        for (String source : List.of("robbie", "robbie_allan")) {
            for (List<String> c : rows(legacyAdmin.get(source), """
                    SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod)
                    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                    JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped""")) {
                sourceTypes.computeIfAbsent(source + "." + c.get(0), t -> new HashMap<>()).put(c.get(1), c.get(2));
            }
        }
    }

    /**
     * One batch size of 1..7 per try against the default (tries draw them all); the salvage check comes last, so a
     * try that reaches it has passed the others, and its failure lists every row of the try that was lost.
     */
    @Property(tries = 16)
    void everyRowEndsSomewhereTheSalvageableOnesKeptTheSameWayEveryTime(
            @ForAll("legacyRows") List<Row> rows, @ForAll @IntRange(min = 1, max = 7) int batchRows) throws SQLException {
        load(rows);
        resetTarget();
        Instant start = Instant.now();

        ImportReport first = ImportFixtures.importer(db, legacyAsOwner).run();
        assertEveryRowAccountedFor(first);
        List<String> reconciled = reconciliation(first);
        Map<String, List<String>> afterFirst = dump(start);

        ImportReport second = ImportFixtures.importer(db, legacyAsOwner).run();
        assertThat(second.rowsWrittenTotal()).as("rows a second run wrote").isZero();
        assertThat(reconciliation(second)).as("the second run's reconciliation").isEqualTo(reconciled);
        assertThat(differences(afterFirst, dump(start))).as("changed by a second run").isEmpty();

        resetTarget();
        ImportReport batched = ImportFixtures.importer(db, legacyAsOwner).batchRows(batchRows).run();
        assertThat(reconciliation(batched)).as("reconciliation in batches of %d", batchRows)
                .isEqualTo(reconciled);
        assertThat(differences(afterFirst, dump(start))).as("different in batches of %d", batchRows).isEmpty();

        assertThat(salvageableButLost(rows)).as("salvageable rows neither imported nor merged").isEmpty();
    }

    @Provide
    Arbitrary<List<Row>> legacyRows() {
        return LegacyGarbage.rows(20, 60);
    }

    /** The generator covers every column of the shipped legacy DDL (garbage in every column). */
    @Example
    void theGeneratorKnowsEveryLegacyColumn() {
        Map<String, Set<String>> generated = new HashMap<>();
        for (Shape s : LegacyGarbage.SHAPES) {
            generated.put(s.qualified(), s.columns().stream().map(LegacyGarbage.Column::name)
                    .collect(Collectors.toSet()));
        }
        Map<String, Set<String>> ddl = new HashMap<>();
        sourceTypes.forEach((table, columns) -> ddl.put(table, columns.keySet()));
        assertThat(generated).isEqualTo(ddl);
    }

    // --- (b) every row read has exactly one outcome ---

    private static void assertEveryRowAccountedFor(ImportReport report) throws SQLException {
        assertThat(report.reconciled()).as("report reconciled").isTrue();
        assertThat(report.complete()).as("nothing pending").isTrue();
        assertThat(count(superuser, "SELECT count(*) FROM legacy.reconciliation WHERE run_id = ? AND"
                + " unaccounted_rows <> 0", report.runId())).as("legacy.reconciliation rows unaccounted").isZero();
        for (Shape shape : LegacyGarbage.SHAPES) {
            List<String> read = sourceIds(shape);
            List<String> mapped = column(superuser, "SELECT source_id FROM legacy.id_map WHERE source_db = ?"
                    + " AND source_table = ?", shape.source(), shape.table());
            List<String> quarantined = column(superuser, "SELECT source_id FROM legacy.quarantine WHERE source_db = ?"
                    + " AND source_table = ? AND status IN ('open', 'fixed')", shape.source(), shape.table());
            List<String> outcomes = new ArrayList<>(mapped);
            outcomes.addAll(quarantined);
            assertThat(outcomes).as("%s: id map and open quarantine, one entry per source row", shape.qualified())
                    .containsExactlyInAnyOrderElementsOf(read);
            assertThat(count(superuser, "SELECT rows_read FROM legacy.reconciliation WHERE run_id = ?"
                    + " AND source_db = ? AND source_table = ?", report.runId(), shape.source(), shape.table()))
                    .as("%s rows read", shape.qualified()).isEqualTo(read.size());
        }
    }

    /**
     * The ids the importer gives the source's rows: the key, or key#n where keys repeat (legacy.id_map's rule), a key
     * too long for an index entry shortened as {@link SourceRow#key} says.
     */
    private static List<String> sourceIds(Shape shape) throws SQLException {
        String key = Identifiers.quote(shape.key());
        String table = Identifiers.quote(shape.table());
        List<String> ids = new ArrayList<>();
        for (String keyAndOrdinal : column(legacyAdmin.get(shape.source()), shape.keyUnique()
                ? "SELECT " + key + "::text || '#1' FROM " + table
                : "SELECT coalesce(" + key + "::text, '') || '#' || row_number() OVER (PARTITION BY coalesce(" + key
                + "::text, '')) FROM " + table)) {
            int hash = keyAndOrdinal.lastIndexOf('#');
            ids.add(SourceRow.sourceId(keyAndOrdinal.substring(0, hash),
                    Long.parseLong(keyAndOrdinal.substring(hash + 1)), shape.keyUnique()));
        }
        return ids;
    }

    // --- (c) the salvageable rows are kept ---

    /** Per table, each salvageable row (or repeated key with more salvageable rows than kept ones) that was not kept. */
    private static List<String> salvageableButLost(List<Row> rows) throws SQLException {
        List<String> lost = new ArrayList<>();
        for (Shape shape : LegacyGarbage.SHAPES) {
            Map<String, Integer> kept = new HashMap<>();
            for (String id : column(superuser, "SELECT source_id FROM legacy.id_map WHERE source_db = ? AND"
                    + " source_table = ? AND outcome IN ('imported', 'merged')", shape.source(), shape.table())) {
                kept.merge(shape.keyUnique() ? id : id.substring(0, id.lastIndexOf('#')), 1, Integer::sum);
            }
            Map<String, List<Row>> salvageable = rows.stream()
                    .filter(r -> r.shape() == shape && r.salvageable())
                    .collect(Collectors.groupingBy(r -> SourceRow.key(r.key()), TreeMap::new, Collectors.toList()));
            salvageable.forEach((key, same) -> {
                if (kept.getOrDefault(key, 0) < same.size()) {
                    lost.add(shape.qualified() + " " + key + " (salvageable: " + shape.rule() + "): "
                            + quarantineReasons(shape, key) + " " + same);
                }
            });
        }
        return lost;
    }

    private static List<String> quarantineReasons(Shape shape, String key) {
        try {
            return column(superuser, "SELECT reason_code || ': ' || left(reason, 200) FROM legacy.quarantine"
                    + " WHERE source_db = ? AND source_table = ? AND (source_id = ? OR source_id LIKE ? || '#%')",
                    shape.source(), shape.table(), key, key);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    // --- (d), (e) what the import left, comparable between runs ---

    /**
     * Per source table: rows read and their outcomes by reason, the imported rows with value issues, and the deferred
     * links pending and resolved.
     */
    private static List<String> reconciliation(ImportReport report) throws SQLException {
        return column(superuser, """
                SELECT source_db || '.' || source_table || ' read ' || rows_read || ' imported ' || rows_imported
                       || ' (with value issues ' || rows_with_value_issues || ') merged ' || rows_merged
                       || ' quarantined ' || rows_quarantined || ' ' || quarantined_by_reason::text
                       || ' links pending ' || links_pending || ' resolved ' || links_resolved
                FROM legacy.reconciliation WHERE run_id = ? ORDER BY 1""", report.runId());
    }

    /**
     * Every target table and the import's own records (id map, quarantine, value issues, deferred links, merge
     * conflicts, filled values), each row as JSON in a stable order: without the columns a run stamps for itself
     * (ids drawn at random, run ids, stamped times), with times stamped during the try shown as such, long text as its
     * length and hash. The target ids the records name are name-based (Ids), the same in every run.
     */
    private static Map<String, List<String>> dump(Instant start) throws SQLException {
        Map<String, List<String>> dump = new LinkedHashMap<>();
        List<String> tables = new ArrayList<>(ImportPlan.builtin().targetTables());
        tables.add("core.users");
        for (String table : tables) {
            dump.put(table, canonicalRows(table, List.of("updated_at"), start));
        }
        for (String table : LEGACY_TABLES) {
            dump.put(table, canonicalRows(table, RUN_COLUMNS, start));
        }
        return dump;
    }

    /** Per table, the rows only one dump holds: "- " before, "+ " after. */
    private static List<String> differences(Map<String, List<String>> before, Map<String, List<String>> after) {
        List<String> differences = new ArrayList<>();
        before.forEach((table, rows) -> {
            List<String> gone = new ArrayList<>(rows);
            List<String> added = new ArrayList<>(after.get(table));
            rows.forEach(added::remove);
            after.get(table).forEach(gone::remove);
            gone.forEach(r -> differences.add(table + " - " + r));
            added.forEach(r -> differences.add(table + " + " + r));
        });
        return differences;
    }

    private static List<String> canonicalRows(String table, List<String> leftOut, Instant start) throws SQLException {
        List<String> rows = new ArrayList<>();
        for (String json : column(superuser, "SELECT to_jsonb(t)::text FROM " + Identifiers.quoteQualified(table)
                + " t")) {
            try {
                ObjectNode row = (ObjectNode) JSON.readTree(json);
                row.remove(leftOut);
                Map<String, JsonNode> shown = new TreeMap<>();
                row.properties().forEach(f -> shown.put(f.getKey(), canonical(f.getValue(), start)));
                rows.add(JSON.writeValueAsString(shown));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        rows.sort(null);
        return rows;
    }

    /**
     * A time during the try was stamped by the import (a default, a trigger): generated source times lie in
     * 1990..2030 and could only meet the try's few seconds by a chance too small to matter.
     */
    private static JsonNode canonical(JsonNode value, Instant start) {
        if (!value.isTextual()) {
            return value;
        }
        String text = value.asText();
        if (stampedDuringTheTry(text, start)) {
            return JSON.getNodeFactory().textNode("<stamped by the import>");
        }
        return text.length() <= 120 ? value : JSON.getNodeFactory().textNode(text.substring(0, 40) + "... ("
                + text.length() + " chars, hash " + Integer.toHexString(text.hashCode()) + ")");
    }

    private static boolean stampedDuringTheTry(String text, Instant start) {
        try {
            Instant at = OffsetDateTime.parse(text).toInstant();
            return !at.isBefore(start.minusSeconds(1)) && at.isBefore(Instant.now().plus(Duration.ofMinutes(1)));
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    // --- the databases between tries ---

    private static void load(List<Row> rows) throws SQLException {
        for (String source : List.of("robbie", "robbie_allan")) {
            String tables = LegacyGarbage.SHAPES.stream().filter(s -> s.source().equals(source))
                    .map(s -> Identifiers.quote(s.table())).collect(Collectors.joining(", "));
            execute(legacyAdmin.get(source), "TRUNCATE " + tables);
        }
        for (Row row : rows) {
            Shape shape = row.shape();
            Map<String, String> types = sourceTypes.get(shape.qualified());
            List<String> columns = new ArrayList<>(row.values().keySet());
            String sql = "INSERT INTO " + Identifiers.quote(shape.table()) + " ("
                    + columns.stream().map(Identifiers::quote).collect(Collectors.joining(", ")) + ") VALUES ("
                    + columns.stream().map(c -> "?::" + types.get(c)).collect(Collectors.joining(", ")) + ")";
            execute(legacyAdmin.get(shape.source()), sql, columns.stream().map(row.values()::get).toArray());
        }
    }

    /** Empties every table the fresh database held empty; the others must still hold what they held. */
    private static void resetTarget() throws SQLException {
        execute(superuser, "TRUNCATE " + emptyAtStart.stream().map(Identifiers::quoteQualified)
                .collect(Collectors.joining(", ")));
        Map<String, Long> now = rowCounts();
        now.keySet().retainAll(filledAtStart.keySet());
        assertThat(now).as("tables holding rows before any import").isEqualTo(filledAtStart);
    }

    private static Map<String, Long> rowCounts() throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        for (List<String> r : rows(superuser, """
                SELECT format('%I.%I', n.nspname, c.relname),
                       (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I.%I', n.nspname,
                           c.relname), false, true, '')))[1]::text
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
                  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'""")) {
            counts.put(r.get(0), Long.parseLong(r.get(1)));
        }
        return counts;
    }

    // --- plain JDBC (the legacy databases are not TownHall databases) ---

    private static void execute(Endpoint at, String sql, Object... args) throws SQLException {
        try (Connection c = at.connect(); PreparedStatement ps = prepare(c, sql, args)) {
            ps.execute();
        }
    }

    private static long count(Endpoint at, String sql, Object... args) throws SQLException {
        List<String> values = column(at, sql, args);
        return values.isEmpty() || values.get(0) == null ? 0 : Long.parseLong(values.get(0));
    }

    private static List<String> column(Endpoint at, String sql, Object... args) throws SQLException {
        return rows(at, sql, args).stream().map(r -> r.get(0)).collect(Collectors.toCollection(ArrayList::new));
    }

    private static List<List<String>> rows(Endpoint at, String sql, Object... args) throws SQLException {
        try (Connection c = at.connect(); PreparedStatement ps = prepare(c, sql, args);
             ResultSet rs = ps.executeQuery()) {
            List<List<String>> rows = new ArrayList<>();
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>(n);
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
        return ps;
    }
}
