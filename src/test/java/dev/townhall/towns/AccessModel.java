package dev.townhall.towns;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The access rules of DESIGN.md §4 written out in plain Java, independently of the SQL policies, so tests can
 * compare what PostgreSQL does with what the rules say:
 * <ul>
 * <li>a context counts only for an active membership of an active user in an active town of an active
 * organisation; anything else acts as nobody;</li>
 * <li>read: every town of the organisation from the capital, else the acting town; plus rows shared within the
 * organisation (empty allow-list) or shared with the acting town by name;</li>
 * <li>write (insert, update, delete): only rows of the acting town, only for owner, admin, member and service.</li>
 * </ul>
 */
final class AccessModel {
    enum Role {
        OWNER, ADMIN, MEMBER, VIEWER, SERVICE;

        boolean writes() {
            return this != VIEWER;
        }

        String sql() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    record Town(UUID id, UUID org, boolean capital, boolean active) {
    }

    record User(UUID id, UUID org, boolean active) {
    }

    record Membership(UUID user, UUID town, Role role, boolean active) {
    }

    record Row(UUID id, UUID org, UUID town, boolean shared, Set<UUID> sharedWith) {
    }

    /** What a valid context resolves to. */
    record Acting(UUID user, UUID town, UUID org, Role role, boolean capital) {
    }

    private final Map<UUID, Boolean> orgActive = new HashMap<>();
    private final Map<UUID, Town> towns = new HashMap<>();
    private final Map<UUID, User> users = new HashMap<>();
    private final Map<String, Membership> memberships = new HashMap<>();

    void org(UUID id, boolean active) {
        orgActive.put(id, active);
    }

    void town(Town town) {
        towns.put(town.id(), town);
    }

    void user(User user) {
        users.put(user.id(), user);
    }

    void membership(Membership m) {
        memberships.put(m.user() + "/" + m.town(), m);
    }

    /** The organisations, towns, users and memberships as they are in the database (read as the owner). */
    static AccessModel load(java.sql.Connection owner) throws java.sql.SQLException {
        AccessModel model = new AccessModel();
        for (Object[] r : Sql.rows(owner, "SELECT id, status = 'active' FROM core.organizations")) {
            model.org((UUID) r[0], (Boolean) r[1]);
        }
        for (Object[] r : Sql.rows(owner, "SELECT id, org_id, is_capital, status = 'active' FROM core.towns")) {
            model.town(new Town((UUID) r[0], (UUID) r[1], (Boolean) r[2], (Boolean) r[3]));
        }
        for (Object[] r : Sql.rows(owner, "SELECT id, org_id, is_active FROM core.users")) {
            model.user(new User((UUID) r[0], (UUID) r[1], (Boolean) r[2]));
        }
        for (Object[] r : Sql.rows(owner, "SELECT user_id, town_id, upper(role::text), is_active FROM core.memberships")) {
            model.membership(new Membership((UUID) r[0], (UUID) r[1], Role.valueOf((String) r[2]), (Boolean) r[3]));
        }
        return model;
    }

    /** Every row of a tenant table with what the rules need, read as the owner. */
    static java.util.List<Row> rows(java.sql.Connection owner, String table) throws java.sql.SQLException {
        java.util.List<Row> out = new java.util.ArrayList<>();
        for (Object[] r : Sql.rows(owner, "SELECT id, org_id, town_id, visibility = 'shared', shared_with FROM " + table)) {
            Set<UUID> with = new HashSet<>();
            for (Object o : (Object[]) r[4]) {
                with.add((UUID) o);
            }
            out.add(new Row((UUID) r[0], (UUID) r[1], (UUID) r[2], (Boolean) r[3], with));
        }
        return out;
    }

    /** The context (user, requested town) as the rules see it; empty means "acts as nobody". */
    Optional<Acting> acting(UUID user, UUID town) {
        if (user == null || town == null) {
            return Optional.empty();
        }
        Membership m = memberships.get(user + "/" + town);
        User u = users.get(user);
        Town t = towns.get(town);
        if (m == null || u == null || t == null || !m.active() || !u.active() || !t.active()
                || !u.org().equals(t.org()) || !orgActive.getOrDefault(t.org(), false)) {
            return Optional.empty();
        }
        return Optional.of(new Acting(user, town, t.org(), m.role(), t.capital()));
    }

    Set<UUID> readableTowns(Acting a) {
        Set<UUID> out = new HashSet<>();
        if (a.capital()) {
            towns.values().stream().filter(t -> t.org().equals(a.org())).forEach(t -> out.add(t.id()));
        } else {
            out.add(a.town());
        }
        return out;
    }

    boolean canRead(Optional<Acting> acting, Row row) {
        if (acting.isEmpty()) {
            return false;
        }
        Acting a = acting.get();
        return readableTowns(a).contains(row.town())
                || (row.shared() && row.org().equals(a.org())
                    && (row.sharedWith().isEmpty() || row.sharedWith().contains(a.town())));
    }

    boolean canWrite(Optional<Acting> acting, Row row) {
        return canInsert(acting, row.town());
    }

    boolean canInsert(Optional<Acting> acting, UUID town) {
        return acting.isPresent() && acting.get().town().equals(town) && acting.get().role().writes();
    }
}
