package dev.townhall.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Database;
import dev.townhall.db.Endpoint;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How this node decides sync conflicts: each synced table's policy ({@code sync.synced_tables.policy}) and the town
 * order for shared rows under town precedence ({@code sync.town_order}). Every node must hold the same, or two nodes
 * decide one conflict differently and never converge, so the agent refuses to run between nodes that differ
 * ({@link #requireSame}). Changes are made as the owner, in one transaction with an audit row each.
 */
public final class Policies {
    public static final List<String> NAMES = List.of("town_precedence", "capital_wins", "last_write_wins");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The policy of every synced table (by name) and the town order (slugs, first wins; empty = none set). */
    public record Settings(Map<String, String> tables, List<String> townOrder) {
        public Settings {
            tables = Map.copyOf(tables);
            townOrder = List.copyOf(townOrder);
        }
    }

    private final Database db;

    private Policies(Database db) {
        this.db = db;
    }

    public static Policies of(Database db) {
        return new Policies(db);
    }

    public Settings current() {
        return read(db.owner());
    }

    public Settings setPolicy(String table, String policy) {
        if (!NAMES.contains(policy)) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, "policy",
                    "a policy is one of " + String.join(", ", NAMES) + "; got '" + policy + "'");
        }
        String before = current().tables().get(table);
        if (before == null) {
            throw TownHallException.forField(ErrorCode.NOT_FOUND, "table",
                    table + " is not a synced table (see ./townhall sync policy)");
        }
        change("sync.policy.set", "sync.synced_tables", Map.of("table", table, "policy", before),
                Map.of("table", table, "policy", policy), c -> {
                    try (PreparedStatement ps = c.prepareStatement(
                            "UPDATE sync.synced_tables SET policy = ? WHERE table_name = ?")) {
                        ps.setString(1, policy);
                        ps.setString(2, table);
                        ps.executeUpdate();
                    }
                });
        return current();
    }

    /** Replaces the town order; every slug a town of this database, each once. */
    public Settings setTownOrder(List<String> slugs) {
        if (new HashSet<>(slugs).size() != slugs.size()) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, "town_order", "each town once in the town order");
        }
        Set<String> known = new HashSet<>(townSlugs());
        for (String slug : slugs) {
            if (!known.contains(slug)) {
                throw TownHallException.forField(ErrorCode.NOT_FOUND, "town_order", "no town " + slug);
            }
        }
        Settings before = current();
        change("sync.town_order.set", "sync.town_order", Map.of("town_order", before.townOrder()),
                Map.of("town_order", slugs), c -> {
                    try (PreparedStatement clear = c.prepareStatement("DELETE FROM sync.town_order");
                         PreparedStatement ps = c.prepareStatement("""
                                 INSERT INTO sync.town_order (town, position)
                                 SELECT t.id, o.position FROM unnest(?::text[]) WITH ORDINALITY AS o (slug, position)
                                 JOIN core.towns t ON t.slug = o.slug""")) {
                        clear.executeUpdate();
                        ps.setArray(1, c.createArrayOf("text", slugs.toArray(String[]::new)));
                        ps.executeUpdate();
                    }
                });
        return current();
    }

    /** Throws a one-line error naming the first difference unless both nodes decide conflicts alike. */
    static void requireSame(Endpoint local, Endpoint peer, String peerName) {
        Settings here = read(local);
        Settings there = read(peer);
        for (Map.Entry<String, String> table : here.tables().entrySet()) {
            String theirs = there.tables().get(table.getKey());
            if (theirs != null && !theirs.equals(table.getValue())) {
                throw new TownHallException(ErrorCode.CONFLICT, "peer " + peerName + " decides conflicts differently: "
                        + table.getKey() + " is " + table.getValue() + " here and " + theirs + " there; set the same"
                        + " policy on both (./townhall sync policy --set " + table.getKey() + "=POLICY)");
            }
        }
        if (!Objects.equals(here.townOrder(), there.townOrder())) {
            throw new TownHallException(ErrorCode.CONFLICT, "peer " + peerName + " decides conflicts differently: town"
                    + " order " + describe(here.townOrder()) + " here and " + describe(there.townOrder()) + " there;"
                    + " set the same on both (./townhall sync policy --town-order A,B,C)");
        }
    }

    private static String describe(List<String> order) {
        return order.isEmpty() ? "(none)" : String.join(" > ", order);
    }

    private static Settings read(Endpoint owner) {
        try (Connection c = owner.connect()) {
            Map<String, String> tables = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT table_name, policy FROM sync.synced_tables ORDER BY table_name");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tables.put(rs.getString(1), rs.getString(2));
                }
            }
            List<String> order = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT t.slug FROM sync.town_order o JOIN core.towns t ON t.id = o.town ORDER BY o.position""");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    order.add(rs.getString(1));
                }
            }
            return new Settings(tables, order);
        } catch (SQLException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "cannot read the sync policies at " + owner.describe() + ": "
                    + e.getMessage(), e);
        }
    }

    private List<String> townSlugs() {
        try (Connection c = db.owner().connect(); PreparedStatement ps = c.prepareStatement("SELECT slug FROM core.towns");
             ResultSet rs = ps.executeQuery()) {
            List<String> slugs = new ArrayList<>();
            while (rs.next()) {
                slugs.add(rs.getString(1));
            }
            return slugs;
        } catch (SQLException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "cannot read the towns: " + e.getMessage(), e);
        }
    }

    private interface Work {
        void run(Connection c) throws SQLException;
    }

    /** Runs one change and its audit row (one per organisation: the setting is the whole node's) in one transaction. */
    private void change(String action, String table, Map<String, Object> before, Map<String, Object> after, Work work) {
        try (Connection c = db.owner().connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement audit = c.prepareStatement("""
                    INSERT INTO core.audit_log (org_id, actor, action, table_name, before_data, after_data)
                    SELECT id, 'cli', ?, ?, ?::jsonb, ?::jsonb FROM core.organizations""")) {
                work.run(c);
                audit.setString(1, action);
                audit.setString(2, table);
                audit.setString(3, JSON.writeValueAsString(before));
                audit.setString(4, JSON.writeValueAsString(after));
                audit.executeUpdate();
                c.commit();
            } catch (SQLException | JsonProcessingException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "cannot change the sync policies: " + e.getMessage(), e);
        }
    }
}
