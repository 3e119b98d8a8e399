package dev.townhall.db;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** A database a benchmark or a backup check makes for itself on the local cluster and drops when it is done. */
public final class ScratchDatabase {
    private ScratchDatabase() {
    }

    /** The local cluster of {@code db}, where {@code purpose} makes its scratch databases; refused elsewhere. */
    public static LocalCluster clusterOf(Database db, String purpose) {
        return db.cluster().orElseThrow(() -> new TownHallException(ErrorCode.CONFIG, purpose + " creates and drops"
                + " scratch databases, so it runs on the local cluster only (without --database-url)"));
    }

    /** Drops {@code name} if it exists, then creates it with TownHall's roles, grants and extensions (no schema). */
    public static Database fresh(LocalCluster cluster, String name) {
        drop(cluster, name);
        Database db = Database.local(cluster, name);
        Bootstrap.ensure(db);
        return db;
    }

    public static void drop(LocalCluster cluster, String name) {
        try (Connection c = cluster.superuserEndpoint().connect(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + Identifiers.quote(name) + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "cannot drop the scratch database " + name, e);
        }
    }
}
