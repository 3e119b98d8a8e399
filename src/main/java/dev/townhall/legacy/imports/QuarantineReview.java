package dev.townhall.legacy.imports;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Database;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The legacy rows the importer set aside ({@code legacy.quarantine}), for people to review as the owner: listed by
 * source table, reason and status, one shown whole with its original row, all exported for a spreadsheet.
 */
public final class QuarantineReview {
    public static final Set<String> STATUSES = Set.of("open", "fixed", "reimported", "discarded", "all");

    /** Which rows: a source table ({@code db.table} or {@code table}), a reason code, a status ("all" for every one). */
    public record Filter(Optional<String> source, Optional<String> reason, String status) {
        public Filter {
            if (!STATUSES.contains(status)) {
                throw TownHallException.forField(ErrorCode.INVALID_INPUT, "status",
                        "status is open, fixed, reimported, discarded or all; got '" + status + "'");
            }
        }

        public static Filter open() {
            return new Filter(Optional.empty(), Optional.empty(), "open");
        }
    }

    /** One quarantined row; {@code originalRow} and {@code fixedRow} are JSON text ({@code fixedRow} may be null). */
    public record Row(UUID id, String sourceDb, String sourceTable, String sourceId, String reasonCode, String reason,
                      String status, Instant createdAt, String originalRow, String fixedRow) {
        public String source() {
            return sourceDb + "." + sourceTable;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String COLUMNS = """
            SELECT id, source_db, source_table, source_id, reason_code, reason, status, created_at, original_row::text,
                   fixed_row::text
            FROM legacy.quarantine""";

    private final Database db;

    private QuarantineReview(Database db) {
        this.db = db;
    }

    public static QuarantineReview of(Database db) {
        return new QuarantineReview(db);
    }

    /** The rows the filter selects, by source table, then reason, then when they were set aside. */
    public List<Row> list(Filter filter) {
        return query(COLUMNS + """

                WHERE (?::text IS NULL OR source_db || '.' || source_table = ? OR source_table = ?)
                  AND (?::text IS NULL OR reason_code = ?)
                  AND (? = 'all' OR status = ?)
                ORDER BY source_db, source_table, reason_code, created_at, id""", ps -> {
            String source = filter.source().orElse(null);
            String reason = filter.reason().orElse(null);
            ps.setString(1, source);
            ps.setString(2, source);
            ps.setString(3, source);
            ps.setString(4, reason);
            ps.setString(5, reason);
            ps.setString(6, filter.status());
            ps.setString(7, filter.status());
        });
    }

    public Row show(UUID id) {
        return query(COLUMNS + "\nWHERE id = ?", ps -> ps.setObject(1, id)).stream().findFirst()
                .orElseThrow(() -> TownHallException.forField(ErrorCode.NOT_FOUND, "id",
                        "no quarantined row " + id + " (see ./townhall quarantine list)"));
    }

    /**
     * Writes the selected rows to {@code file}: JSON (an array of objects, the original row as an object) when it ends
     * in {@code .json}, CSV (RFC 4180, the original row as JSON text in its last column) when it ends in {@code .csv}.
     * Returns how many rows were written.
     */
    public int export(Path file, Filter filter) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean json = name.endsWith(".json");
        if (!json && !name.endsWith(".csv")) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, "file",
                    "the export file ends in .csv (a spreadsheet) or .json; got '" + file + "'");
        }
        List<Row> rows = list(filter);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                if (json) {
                    writeJson(out, rows);
                } else {
                    writeCsv(out, rows);
                }
            }
        } catch (IOException e) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, "file", "cannot write " + file + ": " + e.getMessage());
        }
        return rows.size();
    }

    private static void writeJson(Writer out, List<Row> rows) throws IOException {
        ArrayNode array = JSON.createArrayNode();
        for (Row r : rows) {
            ObjectNode o = array.addObject();
            o.put("id", r.id().toString());
            o.put("source", r.source());
            o.put("source_id", r.sourceId());
            o.put("reason_code", r.reasonCode());
            o.put("reason", r.reason());
            o.put("status", r.status());
            o.put("quarantined_at", r.createdAt().toString());
            o.set("original_row", JSON.readTree(r.originalRow()));
            o.set("fixed_row", r.fixedRow() == null ? null : JSON.readTree(r.fixedRow()));
        }
        JSON.writeValue(out, array);
    }

    private static void writeCsv(Writer out, List<Row> rows) throws IOException {
        out.write("id,source,source_id,reason_code,reason,status,quarantined_at,original_row\r\n");
        for (Row r : rows) {
            List<String> fields = List.of(r.id().toString(), r.source(), r.sourceId() == null ? "" : r.sourceId(),
                    r.reasonCode(), r.reason(), r.status(), r.createdAt().toString(), r.originalRow());
            out.write(String.join(",", fields.stream().map(QuarantineReview::csvField).toList()));
            out.write("\r\n");
        }
    }

    /**
     * RFC 4180: a field holding a comma, quote or line break is quoted, its quotes doubled. Legacy text that starts
     * like a formula ({@code =}, {@code +}, {@code -}, {@code @}, a tab or carriage return) gets a leading
     * apostrophe, so a spreadsheet shows it instead of running it (OWASP's advice on CSV injection).
     */
    static String csvField(String value) {
        String text = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        if (text.chars().noneMatch(ch -> ch == ',' || ch == '"' || ch == '\n' || ch == '\r')) {
            return text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private List<Row> query(String sql, Binder binder) {
        try (Connection c = db.owner().connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            List<Row> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getTimestamp(8).toInstant(),
                            rs.getString(9), rs.getString(10)));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "cannot read legacy.quarantine: " + e.getMessage(), e);
        }
    }
}
