package dev.townhall.legacy.imports.internal;

import dev.townhall.db.Database;
import dev.townhall.db.Identifiers;
import dev.townhall.legacy.imports.ImportReport;
import dev.townhall.towns.Towns;

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
 * through a {@link dev.townhall.towns.TownContext} (the application role, row-level security on) of a member of
 * that town. The member is a short-lived service user with viewer memberships, made for the check and removed
 * after it.
 */
public final class Visibility {
    private static final String CHECK_HANDLE = "legacy-import-check";

    /** An active town of the organisation. */
    private record ActiveTown(UUID id, String slug, boolean capital) {
    }

    private Visibility() {
    }

    /** Visible row counts per active town (capital first) of organisation {@code orgSlug} for each of {@code tables}. */
    public static List<ImportReport.TownView> measure(Database db, String orgSlug, List<String> tables)
            throws SQLException {
        try (Towns towns = Towns.open(db, orgSlug); Connection c = db.owner().connect()) {
            UUID orgId = towns.orgId();
            List<ActiveTown> active = activeTowns(c, orgId);
            removeCheckUser(c, orgId);
            UUID user = addCheckUser(c, orgId, active);
            try {
                List<ImportReport.TownView> views = new ArrayList<>();
                for (ActiveTown town : active) {
                    Map<String, Long> visible = towns.as(user, town.id()).inTransaction(h -> {
                        Map<String, Long> counts = new LinkedHashMap<>();
                        for (String table : tables) {
                            counts.put(table, h.createQuery("SELECT count(*) FROM " + Identifiers.quoteQualified(table))
                                    .mapTo(Long.class).one());
                        }
                        return counts;
                    });
                    views.add(new ImportReport.TownView(town.slug(), town.capital(), visible));
                }
                return views;
            } finally {
                removeCheckUser(c, orgId);
            }
        }
    }

    private static List<ActiveTown> activeTowns(Connection c, UUID orgId) throws SQLException {
        List<ActiveTown> towns = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT id, slug, is_capital FROM core.towns WHERE org_id = ? AND status = 'active'
                ORDER BY is_capital DESC, slug""")) {
            ps.setObject(1, orgId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    towns.add(new ActiveTown(rs.getObject(1, UUID.class), rs.getString(2), rs.getBoolean(3)));
                }
            }
        }
        return towns;
    }

    /** A service user with a viewer membership in each of {@code towns}. */
    private static UUID addCheckUser(Connection c, UUID orgId, List<ActiveTown> towns) throws SQLException {
        UUID user;
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
            for (ActiveTown t : towns) {
                ps.setObject(1, orgId);
                ps.setObject(2, user);
                ps.setObject(3, t.id());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return user;
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
