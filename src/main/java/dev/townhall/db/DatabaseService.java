package dev.townhall.db;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallConfig;
import dev.townhall.TownHallException;
import dev.townhall.schema.Migrator;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What every command does before its own work, in one place: start TownHall's local cluster or reach the external
 * server, make the roles, database and extensions exist ({@link Bootstrap}), optionally apply the migrations, and
 * say how the database is doing. Each operation returns a report that the CLI prints and the API can serialise.
 */
public final class DatabaseService {
    private final Database db;

    private DatabaseService(Database db) {
        this.db = db;
    }

    /** The service for {@code db}; nothing is started or contacted yet. */
    public static DatabaseService of(Database db) {
        return new DatabaseService(db);
    }

    /** The service for the database the configuration names (the local cluster unless a URL is set). */
    public static DatabaseService fromConfig(TownHallConfig config) {
        return of(Database.fromConfig(config));
    }

    /** The database this service prepares; may not be running yet. */
    public Database database() {
        return db;
    }

    // ---- start and bootstrap -------------------------------------------------------------------------------

    /**
     * What {@link #start} did: for the local cluster, how it was started; empty for an external server, which
     * TownHall neither starts nor (in {@code start}) contacts.
     */
    public record StartReport(Database database, Optional<LocalCluster.Started> started, List<String> prepared) {
        public StartReport {
            prepared = List.copyOf(prepared);
        }
    }

    /**
     * Starts the local cluster (on {@code port} when given; initialising it on first use, reusing it when it runs)
     * and makes the TownHall roles, database and extensions exist. An external server is left untouched.
     */
    public StartReport start(OptionalInt port) {
        Optional<LocalCluster> cluster = db.cluster();
        if (cluster.isEmpty()) {
            return new StartReport(db, Optional.empty(), List.of());
        }
        LocalCluster.Started started = cluster.get().start(port);
        return new StartReport(db, Optional.of(started), Bootstrap.ensure(db).changes());
    }

    /**
     * The database ready for migrations: the local cluster started, or the external server reached, and the
     * roles, database and extensions in place.
     */
    public Database ready() {
        if (db.isLocal()) {
            start(OptionalInt.empty());
        } else {
            Bootstrap.ensure(db);
        }
        return db;
    }

    // ---- migrate -------------------------------------------------------------------------------------------

    /**
     * What {@link #migrate} did: the changesets it applied and how long that took, the tag it set (or null), and
     * how many changesets the schema holds afterwards.
     */
    public record MigrateReport(List<Migrator.Change> applied, Duration elapsed, String tag, int changesets) {
        public MigrateReport {
            applied = List.copyOf(applied);
        }

        /** True when nothing was pending. */
        public boolean upToDate() {
            return applied.isEmpty();
        }
    }

    /** {@link #ready()}, then every pending changeset applied (the database tagged {@code tag} when not null). */
    public MigrateReport migrate(String tag) {
        Migrator migrator = Migrator.as(ready().owner());
        Migrator.MigrateReport run = migrator.migrate(tag);
        return new MigrateReport(run.applied(), run.elapsed(), tag, migrator.status().applied().size());
    }

    // ---- status --------------------------------------------------------------------------------------------

    /** How the database is doing, as {@link #status()} found it. */
    public enum State {
        /** The local cluster was never initialised ({@code ./townhall up} creates it). */
        NOT_INITIALISED,
        /** The local cluster exists but its server is not running. */
        STOPPED,
        /** The local cluster's server is running. */
        RUNNING,
        /** The external server accepted a login. */
        REACHABLE
    }

    /**
     * A status report. {@link #problem()} maps it onto the error model: a database that is not running is
     * {@link ErrorCode#DB_UNREACHABLE}, so {@code ./townhall status} exits with that code's status (10) and an API
     * answers 503, while still printing the report.
     */
    public record StatusReport(State state, String where, int port, Optional<Path> dataDir, Optional<Path> socketDir,
                               Optional<String> serverVersion) {
        public boolean running() {
            return state == State.RUNNING || state == State.REACHABLE;
        }

        /** {@link ErrorCode#DB_UNREACHABLE} when the database is not running; empty when it is. */
        public Optional<ErrorCode> problem() {
            return running() ? Optional.empty() : Optional.of(ErrorCode.DB_UNREACHABLE);
        }
    }

    /**
     * Whether the database runs, and where. The local cluster is only looked at, never started. An external server
     * is logged into as the administrator; failing that is an error ({@link ErrorCode#DB_UNREACHABLE},
     * {@link ErrorCode#DB_AUTH}), not a report.
     */
    public StatusReport status() {
        Optional<LocalCluster> cluster = db.cluster();
        if (cluster.isEmpty()) {
            return new StatusReport(State.REACHABLE, db.admin().describe(), db.admin().port(), Optional.empty(),
                    Optional.empty(), Optional.of(server(db.admin()).version()));
        }
        LocalCluster.Status status = cluster.get().status();
        State state = !status.initialized() ? State.NOT_INITIALISED : status.running() ? State.RUNNING : State.STOPPED;
        return new StatusReport(state, "local cluster in " + cluster.get().root(), status.port(),
                Optional.of(status.dataDir()), Optional.of(status.socketDir()), Optional.empty());
    }

    // ---- server --------------------------------------------------------------------------------------------

    /**
     * The server's version ({@code 15.6}), its full description ({@code version()}) and the extensions installed in
     * the database (name to version).
     */
    public record ServerReport(String version, String description, Map<String, String> extensions) {
        public ServerReport {
            extensions = Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
        }
    }

    /** What the server runs, seen as the owner role in the TownHall database; the database must be ready. */
    public ServerReport server() {
        return server(db.owner());
    }

    private static ServerReport server(Endpoint where) {
        try (Connection c = where.connect(); Statement s = c.createStatement()) {
            String version;
            String description;
            try (ResultSet rs = s.executeQuery("SELECT current_setting('server_version'), version()")) {
                rs.next();
                version = rs.getString(1);
                description = rs.getString(2);
            }
            Map<String, String> extensions = new LinkedHashMap<>();
            try (ResultSet rs = s.executeQuery("SELECT extname, extversion FROM pg_extension ORDER BY extname")) {
                while (rs.next()) {
                    extensions.put(rs.getString(1), rs.getString(2));
                }
            }
            return new ServerReport(version, description, extensions);
        } catch (SQLException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "cannot read the server version and extensions from "
                    + where.describe() + ": " + e.getMessage(), e);
        }
    }
}
