package dev.townhall;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Settings, resolved flags first, then environment ({@code TOWNHALL_*}), then {@code townhall.conf} in the working
 * directory, then defaults. {@link #toString()} masks the database URL's password.
 */
public final class TownHallConfig {
    public static final String DEFAULT_HOME = ".townhall";
    public static final String CONFIG_FILE = "townhall.conf";
    public static final String APP_PASSWORD_VARIABLE = "TOWNHALL_APP_PASSWORD";
    public static final String ANALYTICS_PASSWORD_VARIABLE = "TOWNHALL_ANALYTICS_PASSWORD";

    private final String databaseUrl; // null: use the local cluster
    private final Path home;
    private final boolean homeChosen; // false: the default, which TownHall may move where the server can reach
    private final String appPassword;
    private final String analyticsPassword;

    private TownHallConfig(String databaseUrl, Path home, boolean homeChosen, String appPassword,
                           String analyticsPassword) {
        this.databaseUrl = databaseUrl;
        this.home = home;
        this.homeChosen = homeChosen;
        this.appPassword = appPassword;
        this.analyticsPassword = analyticsPassword;
    }

    /** Resolves settings from a flag value (may be null), the process environment and the working directory. */
    public static TownHallConfig resolve(String databaseUrlFlag) {
        return resolve(databaseUrlFlag, System.getenv(), Path.of(CONFIG_FILE));
    }

    static TownHallConfig resolve(String databaseUrlFlag, Map<String, String> env, Path configFile) {
        Properties file = readConfigFile(configFile);
        String url = firstNonBlank(databaseUrlFlag, env.get("TOWNHALL_DATABASE_URL"), file.getProperty("database.url"));
        // townhall.defaultHome: the launcher's checkout-relative default, weaker than anything a user set
        String chosenHome = firstNonBlank(System.getProperty("townhall.home"), env.get("TOWNHALL_HOME"),
                file.getProperty("home"));
        String home = chosenHome != null ? chosenHome
                : firstNonBlank(System.getProperty("townhall.defaultHome"), DEFAULT_HOME);
        // system properties beside the variables let tests (and embedders) configure one JVM without its environment
        String app = firstNonBlank(System.getProperty("townhall.app.password"), env.get(APP_PASSWORD_VARIABLE),
                file.getProperty("app.password"));
        String analytics = firstNonBlank(System.getProperty("townhall.analytics.password"),
                env.get(ANALYTICS_PASSWORD_VARIABLE), file.getProperty("analytics.password"));
        return new TownHallConfig(url, Path.of(home).toAbsolutePath().normalize(), chosenHome != null, app, analytics);
    }

    /** The settings of {@code configFile} ({@code townhall.conf}); empty when there is no such file. */
    public static Properties readConfigFile(Path configFile) {
        Properties props = new Properties();
        if (Files.isRegularFile(configFile)) {
            try (Reader in = Files.newBufferedReader(configFile)) {
                props.load(in);
            } catch (IOException e) {
                throw new TownHallException(ErrorCode.CONFIG, "cannot read " + configFile + ": " + e.getMessage(), e);
            }
        }
        return props;
    }

    /** The first of {@code values} that is set and not blank, stripped; null when none is. */
    public static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.strip();
            }
        }
        return null;
    }

    /** The external database URL, when TownHall is pointed at a server it does not run itself. */
    public Optional<String> databaseUrl() {
        return Optional.ofNullable(databaseUrl);
    }

    /** The application role's password on an external server. */
    public Optional<String> appPassword() {
        return Optional.ofNullable(appPassword);
    }

    public Optional<String> analyticsPassword() {
        return Optional.ofNullable(analyticsPassword);
    }

    /** TownHall's own state directory (the local cluster lives in {@code home/pg}). */
    public Path home() {
        return home;
    }

    public Path clusterDir() {
        return home.resolve("pg");
    }

    /** False when the home is the default, not one the user named (flag, environment or townhall.conf). */
    public boolean homeChosen() {
        return homeChosen;
    }

    private String describeUrl() {
        try {
            return dev.townhall.db.Endpoint.parse(databaseUrl).describe(); // user@host:port/db, never the password
        } catch (TownHallException unparseable) {
            return "(an unparseable URL)";
        }
    }

    @Override
    public String toString() {
        return "TownHallConfig[home=" + home + ", database=" + (databaseUrl == null ? "local cluster" : describeUrl()) + "]";
    }
}
