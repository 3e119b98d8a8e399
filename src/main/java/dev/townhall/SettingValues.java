package dev.townhall;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The values of one group of settings (an enum of {@link Key}s), each taken from a flag, else its environment
 * variable, else {@code townhall.conf}; absent when none sets it. Reading a value checks it and names the setting
 * in a {@link ErrorCode#CONFIG} error.
 */
public final class SettingValues<K extends Enum<K> & SettingValues.Key> {
    /** A setting: its {@code townhall.conf} key (also the key of its flag) and its environment variable. */
    public interface Key {
        String confKey();

        String variable();
    }

    private static final long MAX_MILLIS = 3_600_000;

    private final Map<K, String> values;

    private SettingValues(Map<K, String> values) {
        this.values = values;
    }

    /** Each setting of {@code keys} from {@code flags} (by conf key), else {@code env}, else {@code configFile}. */
    public static <K extends Enum<K> & Key> SettingValues<K> resolve(Class<K> keys, Map<String, String> flags,
                                                                     Map<String, String> env, Path configFile) {
        Properties file = TownHallConfig.readConfigFile(configFile);
        Map<K, String> values = new EnumMap<>(keys);
        for (K key : keys.getEnumConstants()) {
            String value = TownHallConfig.firstNonBlank(flags.get(key.confKey()), env.get(key.variable()),
                    file.getProperty(key.confKey()));
            if (value != null) {
                values.put(key, value);
            }
        }
        return new SettingValues<>(values);
    }

    /** Only the given values (by conf key): no environment, no file, whatever the working directory holds. */
    public static <K extends Enum<K> & Key> SettingValues<K> given(Class<K> keys, Map<String, String> values) {
        return resolve(keys, values, Map.of(), Path.of("/nonexistent", TownHallConfig.CONFIG_FILE));
    }

    public Optional<String> text(K key) {
        return Optional.ofNullable(values.get(key));
    }

    public boolean isSet(K key) {
        return values.containsKey(key);
    }

    /** The setting as a whole number from {@code min} to {@code max}; {@code fallback} when it is not set. */
    public int whole(K key, int min, int max, int fallback) {
        String value = values.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below with the accepted range
        }
        throw new TownHallException(ErrorCode.CONFIG, key.confKey() + " must be a whole number from " + min + " to "
                + max + ", got '" + value + "'");
    }

    /** The setting as milliseconds, 1 ms to one hour; {@code fallbackMillis} when it is not set. */
    public Duration millis(K key, long fallbackMillis) {
        return Duration.ofMillis(whole(key, 1, (int) MAX_MILLIS, (int) fallbackMillis));
    }
}
