package dev.townhall.search;

import dev.townhall.ErrorCode;
import dev.townhall.SettingValues;
import dev.townhall.TownHallConfig;
import dev.townhall.TownHallException;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How to embed: which provider and model, and the HTTP provider's endpoint, key, batching, timeouts and retries.
 * Resolved flags first, then environment ({@code TOWNHALL_EMBEDDING_*}), then {@code townhall.conf}, then defaults.
 * {@link #toString()} never shows the API key.
 */
public final class EmbeddingSettings {
    public static final String LOCAL = "local-onnx";
    public static final String OPENAI = "openai";
    public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
    public static final int DEFAULT_BATCH_SIZE = 64;
    public static final int MAX_BATCH_SIZE = 2048; // OpenAI's limit of inputs per request
    public static final int DEFAULT_MAX_ATTEMPTS = 5;
    public static final long DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
    public static final long DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
    public static final long DEFAULT_MAX_RETRY_DELAY_MS = 30_000;

    /** A setting: its {@code townhall.conf} key (also the flag's key) and its environment variable. */
    public enum Key implements SettingValues.Key {
        PROVIDER("search.provider", "TOWNHALL_EMBEDDING_PROVIDER"),
        MODEL("search.model", "TOWNHALL_EMBEDDING_MODEL"),
        BASE_URL("embedding.base_url", "TOWNHALL_EMBEDDING_BASE_URL"),
        DIMENSIONS("embedding.dimensions", "TOWNHALL_EMBEDDING_DIMENSIONS"),
        API_KEY("embedding.api_key", "TOWNHALL_EMBEDDING_API_KEY"),
        BATCH_SIZE("embedding.batch_size", "TOWNHALL_EMBEDDING_BATCH_SIZE"),
        MAX_ATTEMPTS("embedding.max_attempts", "TOWNHALL_EMBEDDING_MAX_ATTEMPTS"),
        CONNECT_TIMEOUT_MS("embedding.connect_timeout_ms", "TOWNHALL_EMBEDDING_CONNECT_TIMEOUT_MS"),
        REQUEST_TIMEOUT_MS("embedding.request_timeout_ms", "TOWNHALL_EMBEDDING_REQUEST_TIMEOUT_MS"),
        MAX_RETRY_DELAY_MS("embedding.max_retry_delay_ms", "TOWNHALL_EMBEDDING_MAX_RETRY_DELAY_MS"),
        LOCAL_THREADS("embedding.threads", "TOWNHALL_EMBEDDING_THREADS");

        private final String confKey;
        private final String variable;

        Key(String confKey, String variable) {
            this.confKey = confKey;
            this.variable = variable;
        }

        public String confKey() {
            return confKey;
        }

        public String variable() {
            return variable;
        }
    }

    private final String provider;
    private final String model; // null: the provider's default
    private final URI baseUrl;
    private final Integer dimensions; // null: the model's known dimensions
    private final String apiKey; // null: no Authorization header (a local OpenAI-compatible server)
    private final int batchSize;
    private final int maxAttempts;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final Duration maxRetryDelay;
    private final int localThreads;

    private EmbeddingSettings(SettingValues<Key> values) {
        String chosen = values.text(Key.PROVIDER).orElse(LOCAL).toLowerCase(Locale.ROOT);
        this.provider = chosen.equals("local") ? LOCAL : chosen;
        if (!provider.equals(LOCAL) && !provider.equals(OPENAI)) {
            throw new TownHallException(ErrorCode.CONFIG, "unknown embedding provider '" + chosen + "' ("
                    + Key.PROVIDER.confKey + " / " + Key.PROVIDER.variable + "): use local or openai");
        }
        this.model = values.text(Key.MODEL).orElse(null);
        if (model != null && !model.matches(EmbeddingProvider.MODEL_NAME_PATTERN)) {
            throw new TownHallException(ErrorCode.CONFIG, Key.MODEL.confKey + " must be a lowercase model name such as "
                    + "all-minilm-l6-v2-q or text-embedding-3-small, got '" + model + "'");
        }
        this.baseUrl = url(values.text(Key.BASE_URL).orElse(DEFAULT_BASE_URL));
        this.dimensions = values.isSet(Key.DIMENSIONS) ? values.whole(Key.DIMENSIONS, 1, 16_000, 0) : null;
        this.apiKey = values.text(Key.API_KEY).orElse(null);
        this.batchSize = values.whole(Key.BATCH_SIZE, 1, MAX_BATCH_SIZE, DEFAULT_BATCH_SIZE);
        this.maxAttempts = values.whole(Key.MAX_ATTEMPTS, 1, 20, DEFAULT_MAX_ATTEMPTS);
        this.connectTimeout = values.millis(Key.CONNECT_TIMEOUT_MS, DEFAULT_CONNECT_TIMEOUT_MS);
        this.requestTimeout = values.millis(Key.REQUEST_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS);
        this.maxRetryDelay = values.millis(Key.MAX_RETRY_DELAY_MS, DEFAULT_MAX_RETRY_DELAY_MS);
        // one text per core, each on one ONNX thread, was fastest (decision 21)
        this.localThreads = values.whole(Key.LOCAL_THREADS, 1, 64, Runtime.getRuntime().availableProcessors());
    }

    /** Resolves settings from flags (keyed by {@code townhall.conf} key), the environment and townhall.conf. */
    public static EmbeddingSettings resolve(Map<String, String> flags) {
        return resolve(flags, System.getenv(), Path.of(TownHallConfig.CONFIG_FILE));
    }

    static EmbeddingSettings resolve(Map<String, String> flags, Map<String, String> env, Path configFile) {
        return new EmbeddingSettings(SettingValues.resolve(Key.class, flags, env, configFile));
    }

    /** Settings from {@code values} alone (keyed by {@code townhall.conf} key), for embedders and tests. */
    public static EmbeddingSettings of(Map<String, String> values) {
        return new EmbeddingSettings(SettingValues.given(Key.class, values));
    }

    private static URI url(String value) {
        try {
            URI uri = URI.create(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
            if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new TownHallException(ErrorCode.CONFIG, Key.BASE_URL.confKey + " must be an http(s) URL such as "
                    + DEFAULT_BASE_URL + ", got '" + value + "'", e);
        }
    }

    public String provider() {
        return provider;
    }

    /** The model named in the settings; empty means the provider's default. */
    public Optional<String> model() {
        return Optional.ofNullable(model);
    }

    public URI baseUrl() {
        return baseUrl;
    }

    /** Dimensions named in the settings; needed for a model the HTTP provider does not know. */
    public Optional<Integer> dimensions() {
        return Optional.ofNullable(dimensions);
    }

    public Optional<String> apiKey() {
        return Optional.ofNullable(apiKey);
    }

    public int batchSize() {
        return batchSize;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** The longest wait between two attempts, whatever {@code Retry-After} asks for. */
    public Duration maxRetryDelay() {
        return maxRetryDelay;
    }

    /** How many texts the local model embeds at once (default: one per core); they share the cores. */
    public int localThreads() {
        return localThreads;
    }

    @Override
    public String toString() {
        return "EmbeddingSettings[provider=" + provider + ", model=" + (model == null ? "(default)" : model)
                + (provider.equals(OPENAI) ? ", url=" + baseUrl + ", api key " + (apiKey == null ? "not set" : "set")
                + ", batch=" + batchSize + ", attempts=" + maxAttempts : ", threads=" + localThreads) + "]";
    }
}
