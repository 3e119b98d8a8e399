package dev.townhall.db;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallConfig;
import dev.townhall.TownHallException;

import dev.townhall.db.internal.ServiceAccount;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The PostgreSQL server TownHall works against, and the logins it uses there: the administrator (creates roles,
 * the database and extensions), the owner role (owns the schema, runs migrations and the importer, bypasses RLS),
 * the application role (non-owner; row-level security always applies) and the read-only analytics role.
 * <p>
 * Either TownHall's own {@link LocalCluster} or an external server named by {@code TOWNHALL_DATABASE_URL}.
 */
public final class Database {
    public static final String DATABASE_NAME = "townhall";
    public static final String OWNER_ROLE = "townhall_owner";
    public static final String APP_ROLE = "townhall_app";
    public static final String ANALYTICS_ROLE = "townhall_analytics";
    /**
     * The group role of the old apps' bound logins ({@code ./townhall logins}): no login of its own; its members reach
     * only the compatibility schemas and the tables behind them, as the user and town their binding names.
     */
    public static final String COMPAT_ROLE = "townhall_compat";
    static final String ROOT_FALLBACK_HOME = "/var/lib/townhall";

    private final LocalCluster cluster; // null when external
    private final Endpoint admin;
    private final String databaseName;
    private final Map<String, String> rolePasswords; // external only: passwords the configuration gave

    private Database(LocalCluster cluster, Endpoint admin, String databaseName, Map<String, String> rolePasswords) {
        this.cluster = cluster;
        this.admin = admin;
        this.databaseName = databaseName;
        this.rolePasswords = Map.copyOf(rolePasswords);
    }

    /** The database named by the configuration; the local cluster is not started here. */
    public static Database fromConfig(TownHallConfig config) {
        if (config.databaseUrl().isPresent()) {
            Map<String, String> passwords = new HashMap<>();
            config.appPassword().ifPresent(p -> passwords.put(APP_ROLE, p));
            config.analyticsPassword().ifPresent(p -> passwords.put(ANALYTICS_ROLE, p));
            Endpoint admin = Endpoint.parse(config.databaseUrl().get());
            return new Database(null, admin, admin.database(), passwords);
        }
        return local(LocalCluster.at(reachableClusterDir(config), PgBinaries.locate()));
    }

    /**
     * The configured cluster directory, unless TownHall runs as root, the directory is only the default, and the
     * server's account cannot reach it (a checkout under /root, which is 0700): then a directory of its own under
     * {@value #ROOT_FALLBACK_HOME}, one per checkout. A home the user chose is never moved.
     */
    private static Path reachableClusterDir(TownHallConfig config) {
        Path wanted = config.clusterDir();
        ServiceAccount account = ServiceAccount.forCurrentProcess();
        if (config.homeChosen() || !account.isSeparate() || account.canReach(wanted)) {
            return wanted;
        }
        String id = Integer.toHexString(wanted.toString().hashCode());
        return Path.of(ROOT_FALLBACK_HOME, id, "pg");
    }

    public static Database local(LocalCluster cluster) {
        return local(cluster, DATABASE_NAME);
    }

    /** A database called {@code databaseName} in {@code cluster}; tests use one per test class. */
    public static Database local(LocalCluster cluster, String databaseName) {
        return new Database(cluster, null, databaseName, Map.of());
    }

    /** An external server; the URL's user administers and owns the TownHall database named in the URL. */
    public static Database external(Endpoint admin) {
        return new Database(null, admin, admin.database(), Map.of());
    }

    public boolean isLocal() {
        return cluster != null;
    }

    public Optional<LocalCluster> cluster() {
        return Optional.ofNullable(cluster);
    }

    public String databaseName() {
        return databaseName;
    }

    /** A superuser (local) or the URL's user (external), connected to the maintenance database. */
    public Endpoint admin() {
        return cluster != null ? cluster.superuserEndpoint() : admin;
    }

    /** The role that owns the schema, in the TownHall database. */
    public Endpoint owner() {
        if (cluster == null) {
            return admin;
        }
        return cluster.superuserEndpoint().withDatabase(databaseName).as(OWNER_ROLE, cluster.rolePassword(OWNER_ROLE));
    }

    /** The application's login: not the owner, so row-level security applies to every query it runs. */
    public Endpoint app() {
        return roleEndpoint(APP_ROLE, TownHallConfig.APP_PASSWORD_VARIABLE);
    }

    /** The read-only analytics login. */
    public Endpoint analytics() {
        return roleEndpoint(ANALYTICS_ROLE, TownHallConfig.ANALYTICS_PASSWORD_VARIABLE);
    }

    private Endpoint roleEndpoint(String role, String passwordVariable) {
        if (cluster != null) {
            return cluster.superuserEndpoint().withDatabase(databaseName).as(role, cluster.rolePassword(role));
        }
        String password = rolePasswords.get(role);
        if (password == null) {
            throw new TownHallException(ErrorCode.CONFIG, "with an external database, set " + passwordVariable
                    + " to the password of the role " + role);
        }
        return admin.as(role, password);
    }

    /** The password each role should have; for an external server, only those given in the environment. */
    Optional<String> intendedPassword(String role) {
        if (cluster != null) {
            return Optional.of(cluster.rolePassword(role));
        }
        return Optional.ofNullable(rolePasswords.get(role));
    }

    /** "local cluster in …" or "postgres@host:port/db", for summaries. */
    public String describe() {
        return cluster != null ? "local cluster in " + cluster.root() + " (port " + cluster.port() + ")"
                : "external server " + admin.describe();
    }
}
