package dev.townhall.compat;

import dev.townhall.db.Database;
import dev.townhall.db.Endpoint;
import dev.townhall.towns.Towns;

import java.sql.Connection;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one way the compatibility tests log in as an old app: a new login made by {@link Logins} (bound to the user
 * and town in the database, its search path the compatibility schema), connected with the URL it printed.
 */
final class CompatLogins {
    private static final AtomicInteger LOGINS = new AtomicInteger();

    private CompatLogins() {
    }

    /** A connection as a new login bound to {@code userHandle} in {@code townSlug}, reading {@code schema} first. */
    static Connection connect(Database db, String userHandle, String townSlug, String schema) {
        String name = "compat_" + userHandle.replaceAll("[^a-z0-9]", "_") + "_" + LOGINS.incrementAndGet();
        try (Towns towns = Towns.open(db)) {
            CreatedLogin login = Logins.on(db, towns).create(name, userHandle, townSlug, Optional.of(schema), false);
            return Endpoint.parse(login.url()).connect();
        }
    }
}
