package dev.townhall.legacy.internal.imports;

import dev.townhall.db.Identifiers;
import dev.townhall.db.Endpoint;
import dev.townhall.legacy.ImportReport;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What each town of the organisation can see of the imported tables, measured the way the application sees it:
 * as the application role (row-level security on), with the town context of a member of that town. The member is
 * a short-lived service user with viewer memberships, made for the check and removed after it.
 */
public final class Visibility {
    private static final String CHECK_HANDLE = "legacy-import-check";

    private Visibility() {
    }

    /** Visible row counts per town (capital first) for each of {@code tables}. */
    public static List<ImportReport.TownView> measure(Endpoint owner, Endpoint app, UUID orgId, List<String> tables)
            throws SQLException {
        List<Object[]> towns = new ArrayList<>();
        UUID user;
        try (Connection c = owner.connect()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT id, slug, is_capital FROM core.towns WHERE org_id = ? AND status = 'active'
                    ORDER BY is_capital DESC, slug""")) {
                ps.setObject(1, orgId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        towns.add(new Object[] {rs.getObject(1, UUID.class), rs.getString(2), rs.getBoolean(3)});
                    }
                }
            }
            removeCheckUser(c, orgId);
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO core.users (org_id, email, handle, first_name, is_service)
                    VALUES (?, ?, ?, 'Import check', true) RETURNING id""")) {
                ps.setObject(1, orgId);
                ps.setString(2, CHECK_HANDLE + "@invalid.invalid");
                ps.setString(3, CHECK_HANDLE);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    user = rs.getObject(1, UUID.class);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO core.memberships (org_id, user_id, town_id, role) VALUES (?, ?, ?, 'viewer')""")) {
                for (Object[] t : towns) {
                    ps.setObject(1, orgId);
                    ps.setObject(2, user);
                    ps.setObject(3, t[0]);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try {
                return count(app, user, towns, tables);
            } finally {
                removeCheckUser(c, orgId);
            }
        }
    }

    private static List<ImportReport.TownView> count(Endpoint app, UUID user, List<Object[]> towns,
                                                     List<String> tables) throws SQLException {
        List<ImportReport.TownView> views = new ArrayList<>();
        try (Connection c = app.connect()) {
            c.setAutoCommit(false);
            for (Object[] town : towns) {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT set_config('townhall.user_id', ?, true), set_config('townhall.town_id', ?, true)")) {
                    ps.setString(1, user.toString());
                    ps.setString(2, town[0].toString());
                    ps.executeQuery().close();
                }
                Map<String, Long> visible = new LinkedHashMap<>();
                for (String table : tables) {
                    try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM "
                            + Identifiers.quoteQualified(table)); ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        visible.put(table, rs.getLong(1));
                    }
                }
                c.commit();
                views.add(new ImportReport.TownView((String) town[1], (Boolean) town[2], visible));
            }
        }
        return views;
    }

    private static void removeCheckUser(Connection c, UUID orgId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                DELETE FROM core.users WHERE org_id = ? AND handle = ? AND is_service""")) {
            ps.setObject(1, orgId);
            ps.setString(2, CHECK_HANDLE);
            ps.executeUpdate();
        }
    }
}
