package dev.townhall.legacy.imports;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * What the import kept of rows it did import, for people to review as the owner: the values a row went without
 * ({@code legacy.value_issues}: the raw value, why, what was stored instead) and the references it was imported
 * without until their parent arrives ({@code legacy.deferred_links}). Each names the TownHall row it concerns.
 */
public final class SalvageReview {
    public static final Set<String> LINK_STATUSES = Set.of("pending", "resolved", "all");

    private static final Pattern UUID_SHAPE = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** A value an imported row went without. */
    public record ValueIssue(String source, String sourceId, String targetTable, UUID targetId, String column,
                             String rawValue, String storedValue, String reasonCode, String reason) {
    }

    /** A reference imported empty: the parent it waits for (a legacy table's key, or a lookup's value). */
    public record Link(String source, String sourceId, String targetTable, UUID targetId, String column,
                       String parent, String parentKey, String reasonCode, String status, UUID parentTargetId) {
    }

    private final Database db;

    private SalvageReview(Database db) {
        this.db = db;
    }

    public static SalvageReview of(Database db) {
        return new SalvageReview(db);
    }

    /**
     * Value issues of a source table ({@code db.table} or {@code table}), a reason code, a target column
     * ({@code email} or {@code crm.contacts.email}, as the counts print it) and one row, if given. A row that is uuid-shaped matches the TownHall row the issue concerns ({@code target_id}) and a legacy
     * uuid id; anything else ({@code 123}, {@code a3#2}) matches the legacy source id only. Blank is refused.
     */
    public List<ValueIssue> values(Optional<String> source, Optional<String> reason, Optional<String> column,
                                   Optional<String> row) {
        RowMatch match = RowMatch.of(row);
        List<ValueIssue> rows = new ArrayList<>();
        query("""
                SELECT source_db || '.' || source_table, source_id, target_table, target_id, column_name, raw_value,
                       stored_value, reason_code, reason
                FROM legacy.value_issues
                WHERE (?::text IS NULL OR source_db || '.' || source_table = ? OR source_table = ?)
                  AND (?::text IS NULL OR reason_code = ?)
                  AND (?::text IS NULL OR column_name = ? OR target_table || '.' || column_name = ?)
                  AND (?::text IS NULL OR source_id = ? OR target_id = ?::uuid)
                ORDER BY source_db, source_table, column_name, reason_code, source_id""",
                List.of(source, source, source, reason, reason, column, column, column, match.sourceId(),
                        match.sourceId(), match.targetId()),
                rs -> rows.add(new ValueIssue(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getObject(4, UUID.class), rs.getString(5), rs.getString(6), rs.getString(7),
                        rs.getString(8), rs.getString(9))));
        return rows;
    }

    /**
     * Deferred links of a source table and one row, if given, with {@code status} pending, resolved or all. A row
     * that is uuid-shaped matches the TownHall row the link belongs to ({@code target_id}) and a legacy uuid id;
     * anything else matches the legacy source id only. Blank is refused.
     */
    public List<Link> links(Optional<String> source, Optional<String> row, String status) {
        if (!LINK_STATUSES.contains(status)) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, "status",
                    "status is pending, resolved or all; got '" + status + "'");
        }
        RowMatch match = RowMatch.of(row);
        List<Link> rows = new ArrayList<>();
        query("""
                SELECT source_db || '.' || source_table, source_id, target_table, target_id, column_name,
                       coalesce(parent_source_db || '.' || parent_source_table, lookup), parent_key, reason_code,
                       status, parent_target_id
                FROM legacy.deferred_links
                WHERE (?::text IS NULL OR source_db || '.' || source_table = ? OR source_table = ?)
                  AND (? = 'all' OR status = ?)
                  AND (?::text IS NULL OR source_id = ? OR target_id = ?::uuid)
                ORDER BY source_db, source_table, column_name, status, source_id""",
                List.of(source, source, source, Optional.of(status), Optional.of(status), match.sourceId(),
                        match.sourceId(), match.targetId()),
                rs -> rows.add(new Link(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getObject(4, UUID.class), rs.getString(5), rs.getString(6), rs.getString(7),
                        rs.getString(8), rs.getString(9), rs.getObject(10, UUID.class))));
        return rows;
    }

    /**
     * The bind values of the row condition: the source id it names (as recorded, exactly) and, when it is uuid-shaped,
     * the TownHall row it concerns. A uuid is tried as a source id too: some legacy tables key on uuids
     * (meeting_transcripts, pipeline_deals), whose rows' TownHall ids are derived, not copied.
     */
    private record RowMatch(Optional<String> sourceId, Optional<String> targetId) {
        static RowMatch of(Optional<String> row) {
            if (row.isPresent() && row.get().isBlank()) {
                throw TownHallException.forField(ErrorCode.INVALID_INPUT, "row", "row is a legacy source id (123,"
                        + " a3#2) or a TownHall row's uuid; got '" + row.get() + "'");
            }
            return new RowMatch(row, row.filter(id -> UUID_SHAPE.matcher(id).matches()));
        }
    }

    private interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    private void query(String sql, List<Optional<String>> params, RowReader reader) {
        try (Connection c = db.owner().connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                ps.setString(i + 1, params.get(i).orElse(null));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    reader.read(rs);
                }
            }
        } catch (SQLException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "cannot read the import's records: " + e.getMessage(), e);
        }
    }
}
