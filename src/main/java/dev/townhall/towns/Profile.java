package dev.townhall.towns;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Who a user is and the towns they belong to, as that user sees it in a context: the REST API's {@code /me} and the
 * MCP server's towns resource answer it.
 *
 * @param user  id, email, handle, first and last name
 * @param towns each active membership in an active town: id, slug, name, capital, role; the capital first
 */
public record Profile(Map<String, Object> user, List<Map<String, Object>> towns) {

    /** Reads {@code userId}'s profile in {@code context} (under its row-level security). */
    public static Profile read(TownContext context, UUID userId) {
        return context.inTransaction(h -> new Profile(
                h.createQuery("""
                                SELECT id, email, handle, first_name, last_name FROM core.users WHERE id = :user""")
                        .bind("user", userId)
                        .map((rs, ctx) -> {
                            Map<String, Object> user = new LinkedHashMap<>();
                            user.put("id", rs.getObject(1, UUID.class));
                            user.put("email", rs.getString(2));
                            user.put("handle", rs.getString(3));
                            user.put("first_name", rs.getString(4));
                            user.put("last_name", rs.getString(5));
                            return user;
                        }).one(),
                h.createQuery("""
                                SELECT t.id, t.slug, t.name, t.is_capital, m.role::text
                                FROM core.memberships m
                                JOIN core.towns t ON t.id = m.town_id
                                WHERE m.user_id = :user AND m.is_active AND t.status = 'active'
                                ORDER BY t.is_capital DESC, t.slug""")
                        .bind("user", userId)
                        .map((rs, ctx) -> {
                            Map<String, Object> town = new LinkedHashMap<>();
                            town.put("id", rs.getObject(1, UUID.class));
                            town.put("slug", rs.getString(2));
                            town.put("name", rs.getString(3));
                            town.put("capital", rs.getBoolean(4));
                            town.put("role", rs.getString(5));
                            return town;
                        }).list()));
    }

    /** The membership of {@code townId}, which authentication found active. */
    public Map<String, Object> town(UUID townId) {
        return towns.stream().filter(t -> townId.equals(t.get("id"))).findFirst()
                .orElseThrow(() -> new IllegalStateException("no active membership in town " + townId));
    }
}
