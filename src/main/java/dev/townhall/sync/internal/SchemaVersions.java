package dev.townhall.sync.internal;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Endpoint;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.TreeSet;

/** Two TownHall databases sync only at the same migration version: the same applied changesets, compared by id. */
public final class SchemaVersions {
    private static final String APPLIED = "SELECT author || ':' || id FROM databasechangelog";

    private SchemaVersions() {
    }

    /** Throws a one-line error naming the side to migrate unless both databases applied the same changesets. */
    public static void requireSame(Endpoint local, Endpoint peer, String peerName) {
        Set<String> here = applied(local);
        Set<String> there = applied(peer);
        Set<String> missingThere = new TreeSet<>(here);
        missingThere.removeAll(there);
        Set<String> missingHere = new TreeSet<>(there);
        missingHere.removeAll(here);
        if (!missingThere.isEmpty()) {
            throw new TownHallException(ErrorCode.CONFLICT, "peer " + peerName + " is at another migration version: it lacks "
                    + missingThere.size() + " changeset(s) this database has (first " + missingThere.iterator().next()
                    + "); migrate the peer (./townhall migrate against it) before syncing");
        }
        if (!missingHere.isEmpty()) {
            throw new TownHallException(ErrorCode.CONFLICT, "this database is at another migration version: it lacks "
                    + missingHere.size() + " changeset(s) peer " + peerName + " has (first "
                    + missingHere.iterator().next() + "); migrate this database (./townhall migrate) before syncing");
        }
    }

    private static Set<String> applied(Endpoint owner) {
        try (Connection c = owner.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(APPLIED)) {
            Set<String> ids = new TreeSet<>();
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
            return ids;
        } catch (SQLException e) {
            throw new TownHallException(ErrorCode.CONFLICT, owner.describe()
                    + " is not a migrated TownHall database (no migration history): " + e.getMessage(), e);
        }
    }
}
