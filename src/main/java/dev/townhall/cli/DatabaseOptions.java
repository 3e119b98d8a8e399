package dev.townhall.cli;

import dev.townhall.TownHallConfig;
import dev.townhall.db.Database;
import dev.townhall.db.DatabaseService;
import picocli.CommandLine.Option;

/** The options every command that talks to PostgreSQL shares. */
public final class DatabaseOptions {
    @Option(names = "--database-url", paramLabel = "URL",
            description = "Use this PostgreSQL (postgresql://user:password@host:port/db) instead of the local cluster."
                    + " Default: $TOWNHALL_DATABASE_URL, else the local cluster.")
    String databaseUrl;

    TownHallConfig config() {
        return TownHallConfig.resolve(databaseUrl);
    }

    Database database() {
        return Database.fromConfig(config());
    }

    /** The service that starts, reaches, bootstraps and migrates the database these options name. */
    DatabaseService service() {
        return DatabaseService.of(database());
    }
}
