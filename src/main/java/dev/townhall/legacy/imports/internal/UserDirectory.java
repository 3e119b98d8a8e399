package dev.townhall.legacy.imports.internal;

import dev.townhall.legacy.imports.internal.Mapping.KnownUser;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Text user ids of the old systems ('allan', 'Allan', 'allan@testpilot.ai') to TownHall users. The rule, with no
 * guessing: a text id (trimmed, lower-cased) names a user when it is the handle, the e-mail or a declared alias
 * of a user the mapping file lists, or the handle or e-mail of a user the organisation already has. Listed users
 * that do not exist yet are created (no password, no membership). Everything else is unknown.
 */
public final class UserDirectory {
    /** A text id, resolved. {@code created}: the importer made this user in this run. */
    public record Resolution(UUID userId, String handle) {
    }

    private final Map<String, Resolution> byText = new HashMap<>();
    private final Map<String, Integer> created = new HashMap<>();

    private UserDirectory() {
    }

    /** Loads the organisation's users and creates the mapping's listed users that are missing (on {@code c}). */
    public static UserDirectory prepare(Connection c, UUID orgId, List<KnownUser> listed) throws SQLException {
        UserDirectory d = new UserDirectory();
        for (KnownUser u : listed) {
            UUID id = find(c, orgId, u.handle(), u.email());
            if (id == null) {
                try (PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO core.users (id, org_id, email, handle, first_name, last_name)
                        VALUES (?, ?, ?, ?, ?, ?) RETURNING id""")) {
                    // a name-based id: the same listed user gets the same id in every database it is imported into
                    ps.setObject(1, Ids.of(orgId, "user", u.handle()));
                    ps.setObject(2, orgId);
                    ps.setString(3, u.email());
                    ps.setString(4, u.handle());
                    ps.setString(5, u.firstName());
                    ps.setString(6, u.lastName());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        id = rs.getObject(1, UUID.class);
                    }
                }
                d.created.put(u.handle(), 1);
            }
            Resolution r = new Resolution(id, u.handle());
            d.byText.put(u.handle(), r);
            d.byText.put(u.email().toLowerCase(Locale.ROOT), r);
            for (String alias : u.aliases()) {
                d.byText.put(alias.strip().toLowerCase(Locale.ROOT), r);
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, handle, lower(email::text) FROM core.users WHERE org_id = ?")) {
            ps.setObject(1, orgId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject(1, UUID.class);
                    String handle = rs.getString(2);
                    Resolution r = new Resolution(id, handle == null ? rs.getString(3) : handle);
                    if (handle != null) {
                        d.byText.putIfAbsent(handle.toLowerCase(Locale.ROOT), r);
                    }
                    d.byText.putIfAbsent(rs.getString(3), r);
                }
            }
        }
        return d;
    }

    private static UUID find(Connection c, UUID orgId, String handle, String email) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT id FROM core.users WHERE org_id = ? AND (handle = ? OR email = ?::citext)
                ORDER BY (handle = ?) DESC LIMIT 1""")) {
            ps.setObject(1, orgId);
            ps.setString(2, handle);
            ps.setString(3, email);
            ps.setString(4, handle);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getObject(1, UUID.class) : null;
            }
        }
    }

    /** The user {@code textId} names, or null. */
    public Resolution resolve(String textId) {
        return byText.get(normalise(textId));
    }

    /** The form a text id is compared (and kept in legacy.id_map) in. */
    public static String normalise(String textId) {
        return textId.strip().toLowerCase(Locale.ROOT);
    }

    /** Handles of the users this run created. */
    public java.util.Set<String> created() {
        return created.keySet();
    }
}
