package dev.townhall.ops;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallConfig;
import dev.townhall.TownHallException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * The doctor's thresholds and options: {@code doctor.<check>.warn} / {@code doctor.<check>.fail} (a number in the
 * check's unit, or {@code none}), {@code doctor.unused_indexes.min_kb} (smaller unused indexes are not worth a line)
 * and {@code doctor.metrics_every_s} (how often {@code /metrics} recomputes the figures). Each from the environment
 * ({@code TOWNHALL_DOCTOR_BACKUP_AGE_WARN}, the key upper-cased with {@code _} for {@code .}), else
 * {@code townhall.conf}, else {@link DoctorCheck}'s defaults.
 */
public final class DoctorSettings {
    public static final String UNUSED_INDEX_MIN_KB = "doctor.unused_indexes.min_kb";
    public static final String METRICS_EVERY = "doctor.metrics_every_s";
    static final long DEFAULT_UNUSED_INDEX_MIN_KB = 1_024;
    static final long DEFAULT_METRICS_EVERY_S = 60;
    private static final String NONE = "none";

    private final Map<String, String> values;

    private DoctorSettings(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** The settings of this process: environment, then {@code townhall.conf} in the working directory. */
    public static DoctorSettings resolve() {
        return resolve(System.getenv(), Path.of(TownHallConfig.CONFIG_FILE));
    }

    static DoctorSettings resolve(Map<String, String> env, Path configFile) {
        Properties file = TownHallConfig.readConfigFile(configFile);
        Map<String, String> values = new HashMap<>();
        for (String key : file.stringPropertyNames()) {
            if (key.startsWith("doctor.")) {
                values.put(key, file.getProperty(key).strip());
            }
        }
        env.forEach((variable, value) -> {
            if (variable.startsWith("TOWNHALL_DOCTOR_") && !value.isBlank()) {
                values.put(variableKey(variable), value.strip());
            }
        });
        return new DoctorSettings(values);
    }

    /** Only {@code values} (by config key), for embedders and tests. */
    public static DoctorSettings of(Map<String, String> values) {
        return new DoctorSettings(values);
    }

    /** {@code TOWNHALL_DOCTOR_BACKUP_AGE_WARN} → {@code doctor.backup_age.warn}: the last part is the setting. */
    private static String variableKey(String variable) {
        String rest = variable.substring("TOWNHALL_".length()).toLowerCase(Locale.ROOT);
        for (String setting : new String[] {"warn", "fail", "min_kb"}) {
            if (rest.endsWith("_" + setting)) {
                String check = rest.substring("doctor_".length(), rest.length() - setting.length() - 1);
                return "doctor." + check + "." + setting;
            }
        }
        return rest.replaceFirst("_", ".");
    }

    /**
     * Reads every setting, so a bad value, or a {@code doctor.} key that names no setting (a typo would otherwise
     * leave a default in force unnoticed), fails here ({@link ErrorCode#CONFIG}) and not at first use.
     */
    public void check() {
        Set<String> known = new TreeSet<>(List.of(UNUSED_INDEX_MIN_KB, METRICS_EVERY));
        for (DoctorCheck check : DoctorCheck.values()) {
            known.add("doctor." + check.key() + ".warn");
            known.add("doctor." + check.key() + ".fail");
        }
        for (String key : new TreeSet<>(values.keySet())) {
            if (!known.contains(key)) {
                throw new TownHallException(ErrorCode.CONFIG, "unknown setting " + key + " (the doctor's settings are"
                        + " doctor.<check>.warn / .fail, " + UNUSED_INDEX_MIN_KB + " and " + METRICS_EVERY + ")");
            }
        }
        for (DoctorCheck check : DoctorCheck.values()) {
            warn(check);
            fail(check);
        }
        unusedIndexMinBytes();
        metricsEvery();
    }

    /** The WARN threshold of {@code check}; null when it never warns. */
    public Double warn(DoctorCheck check) {
        return threshold(check, "warn", check.defaultWarn());
    }

    /** The FAIL threshold of {@code check}; null when it never fails. */
    public Double fail(DoctorCheck check) {
        return threshold(check, "fail", check.defaultFail());
    }

    /** Unused indexes smaller than this many bytes are not counted. */
    public long unusedIndexMinBytes() {
        return whole(UNUSED_INDEX_MIN_KB, DEFAULT_UNUSED_INDEX_MIN_KB) * 1_024;
    }

    /** The longest {@code /metrics} shows the same figures before measuring again. */
    public Duration metricsEvery() {
        return Duration.ofSeconds(Math.max(1, whole(METRICS_EVERY, DEFAULT_METRICS_EVERY_S)));
    }

    private Double threshold(DoctorCheck check, String level, Double fallback) {
        String key = "doctor." + check.key() + "." + level;
        String value = values.get(key);
        if (value == null) {
            return fallback;
        }
        if (value.equalsIgnoreCase(NONE)) {
            return null;
        }
        try {
            double parsed = Double.parseDouble(value);
            if (parsed >= 0 && Double.isFinite(parsed)) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new TownHallException(ErrorCode.CONFIG, key + " must be a number of " + check.unit() + " (0 or more) or '"
                + NONE + "', got '" + value + "'");
    }

    private long whole(String key, long fallback) {
        String value = values.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(value);
            if (parsed >= 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new TownHallException(ErrorCode.CONFIG, key + " must be a whole number (0 or more), got '" + value + "'");
    }
}
