package dev.townhall.towns;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;

import static dev.townhall.towns.Sql.AURORA;
import static dev.townhall.towns.Sql.COLLABORATION;
import static dev.townhall.towns.Sql.FLUENTI;

/** People and memberships made directly as the owner role, for the isolation tests. */
final class Fixtures {
    private Fixtures() {
    }

    static UUID user(Connection owner, UUID org, String handle) throws SQLException {
        return Sql.one(owner, "INSERT INTO core.users (org_id, email, handle) VALUES (?, ?, ?) RETURNING id",
                org, handle + "@isolation.test", handle);
    }

    static void member(Connection owner, UUID org, UUID user, UUID town, AccessModel.Role role, boolean active)
            throws SQLException {
        Sql.update(owner, "INSERT INTO core.memberships (org_id, user_id, town_id, role, is_active)"
                + " VALUES (?, ?, ?, CAST(? AS core.member_role), ?)", org, user, town, role.sql(), active);
    }

    /** The slug of a town the tests know by id, for readable messages. */
    static String townName(UUID town) {
        if (town.equals(AURORA)) {
            return "aurora";
        } else if (town.equals(FLUENTI)) {
            return "fluenti";
        } else if (town.equals(COLLABORATION)) {
            return "collaboration";
        } else if (town.equals(TownIsolationMatrixTest.RIVAL_HQ)) {
            return "rival-hq";
        }
        return town.toString();
    }
}
