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

/**
 * What the import kept of rows it did import, for people to review as the owner: the values a row went without
 * ({@code legacy.value_issues}: the raw value, why, what was stored instead) and the references it was imported
 * without until their parent arrives ({@code legacy.deferred_links}). Each names the TownHall row it concerns.
 */
public final class SalvageReview {
    public static final Set<String> LINK_STATUSES = Set.of("pending", "resolved", "all");

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

    /** Value issues of a source table ({@code db.table} or {@code table}), a reason code and a target column, if given. */
    public List<ValueIssue> values(Optional<String> source, Optional<String> reason, Optional<String> column) {
        List<ValueIssue> rows = new ArrayList<>();
        query("""
                SELECT source_db || '.' || source_table, source_id, target_table, target_id, column_name, raw_value,
                       stored_value, reason_code, reason
                FROM legacy.value_issues
                WHERE (?::text IS NULL OR source_db || '.' || source_table = ? OR source_table = ?)
                  AND (?::text IS NULL OR reason_code = ?)
                  AND (?::text IS NULL OR column_name = ?)
                ORDER BY source_db, source_table, column_name, reason_code, source_id""",
                List.of(source, source, source, reason, reason, column, column),
                rs -> rows.add(new ValueIssue(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getObject(4, UUID.class), rs.getString(5), rs.getString(6), rs.getString(7),
                        rs.getString(8), rs.getString(9))));
        return rows;
    }

    /** Deferred links of a source table, if given, with {@code status} pending, resolved or all. */
    public List<Link> links(Optional<String> source, String status) {
        if (!LINK_STATUSES.contains(status)) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, "status",
                    "status is pending, resolved or all; got '" + status + "'");
        }
        List<Link> rows = new ArrayList<>();
        query("""
                SELECT source_db || '.' || source_table, source_id, target_table, target_id, column_name,
                       coalesce(parent_source_db || '.' || parent_source_table, lookup), parent_key, reason_code,
                       status, parent_target_id
                FROM legacy.deferred_links
                WHERE (?::text IS NULL OR source_db || '.' || source_table = ? OR source_table = ?)
                  AND (? = 'all' OR status = ?)
                ORDER BY source_db, source_table, column_name, status, source_id""",
                List.of(source, source, source, Optional.of(status), Optional.of(status)),
                rs -> rows.add(new Link(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getObject(4, UUID.class), rs.getString(5), rs.getString(6), rs.getString(7),
                        rs.getString(8), rs.getString(9), rs.getObject(10, UUID.class))));
        return rows;
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
