package dev.townhall.legacy.generate;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Database;
import dev.townhall.db.Endpoint;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Where one generated legacy database goes: either a database of its own that the generator drops and creates
 * again (the demo default, in the local cluster), or an existing database whose tables it creates (refusing to
 * overwrite tables that hold rows unless told to replace them).
 */
public final class LegacyTarget {
    /** Databases the generator must never drop, whatever it is asked. */
    private static final Set<String> PROTECTED = Set.of("postgres", "template0", "template1", Database.DATABASE_NAME);
    private static final int MAX_IDENTIFIER_BYTES = 63;

    private final Endpoint endpoint;
    private final Endpoint admin; // null: an existing database, not recreated

    private LegacyTarget(Endpoint endpoint, Endpoint admin) {
        this.endpoint = endpoint;
        this.admin = admin;
    }

    /**
     * A database called {@code database} on {@code admin}'s server, dropped (with its connections) and created
     * afresh by {@code admin}, which must be allowed to create databases.
     */
    public static LegacyTarget freshDatabase(Endpoint admin, String database) {
        if (database == null || database.isBlank()
                || database.getBytes(StandardCharsets.UTF_8).length > MAX_IDENTIFIER_BYTES) {
            throw new TownHallException(ErrorCode.INVALID_INPUT,
                    "a legacy database name must be 1 to 63 bytes long, got \"" + database + "\"");
        }
        if (PROTECTED.contains(database)) {
            throw new TownHallException(ErrorCode.INVALID_INPUT, "will not drop and recreate the database \""
                    + database + "\" for legacy data; choose another name");
        }
        return new LegacyTarget(admin.withDatabase(database), admin);
    }

    /** The database {@code endpoint} names, which must exist; the tables go into its current schema. */
    public static LegacyTarget existingDatabase(Endpoint endpoint) {
        return new LegacyTarget(endpoint, null);
    }

    /** True when the generator drops and creates the whole database rather than only its tables. */
    public boolean recreates() {
        return admin != null;
    }

    /** Where the tables are written, and where an importer reads them. */
    public Endpoint endpoint() {
        return endpoint;
    }

    Endpoint admin() {
        return admin;
    }

    /** "database legacy_robbie (recreated) on 127.0.0.1:5432", never with a password. */
    public String describe() {
        return recreates()
                ? "database " + endpoint.database() + " (recreated) on " + endpoint.host() + ":" + endpoint.port()
                : "existing database " + endpoint.describe();
    }

    @Override
    public String toString() {
        return "LegacyTarget[" + describe() + "]";
    }
}
