package dev.townhall.search.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.search.Chunker;
import dev.townhall.search.EmbeddingProvider;
import dev.townhall.search.EmbeddingSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Any server speaking OpenAI's {@code POST /embeddings}: OpenAI itself, Azure-style gateways, vLLM, Ollama, … Texts go
 * in batches; 429, 5xx, timeouts and dropped connections are retried with backoff; every answer is checked (count,
 * order by {@code index}, dimensions, finite values) before a vector is returned. The API key never reaches a log
 * line or an exception message.
 */
public final class OpenAiCompatibleProvider implements EmbeddingProvider {
    public static final String PROVIDER = EmbeddingSettings.OPENAI;
    public static final String DEFAULT_MODEL = "text-embedding-3-small";
    /** Models whose dimensions need not be configured. */
    public static final Map<String, Integer> KNOWN_DIMENSIONS = Map.of(
            "text-embedding-3-small", 1536,
            "text-embedding-3-large", 3072,
            "text-embedding-ada-002", 1536);
    static final int KNOWN_MODEL_MAX_TOKENS = 8191; // OpenAI's limit per input for the known models
    static final int OTHER_MODEL_MAX_TOKENS = 512; // the common BERT-family limit; a guess kept on the safe side
    private static final int CHUNK_OVERLAP_CODE_POINTS = 200;
    private static final int ERROR_BODY_CHARS = 300;
    private static final Logger LOG = LoggerFactory.getLogger(OpenAiCompatibleProvider.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EmbeddingSettings settings;
    private final String model;
    private final int dimensions;
    private final URI endpoint;
    private final HttpClient client;
    private final Backoff backoff;
    private final Chunker chunker;

    /** A provider of {@code model}, whose vectors have {@code dimensions} floats, waiting with {@code backoff}. */
    public OpenAiCompatibleProvider(EmbeddingSettings settings, String model, int dimensions, Backoff backoff) {
        this.settings = settings;
        this.model = model;
        this.dimensions = dimensions;
        this.endpoint = URI.create(settings.baseUrl() + "/embeddings");
        this.client = HttpClient.newBuilder().connectTimeout(settings.connectTimeout()).build();
        this.backoff = backoff;
        int maxTokens = KNOWN_DIMENSIONS.containsKey(model) ? KNOWN_MODEL_MAX_TOKENS : OTHER_MODEL_MAX_TOKENS;
        this.chunker = Chunker.of(new CodePointTokenizer(), maxTokens / CodePointTokenizer.MAX_TOKENS_PER_CODE_POINT,
                Math.min(CHUNK_OVERLAP_CODE_POINTS, maxTokens / CodePointTokenizer.MAX_TOKENS_PER_CODE_POINT / 2));
    }

    @Override
    public String provider() {
        return PROVIDER;
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public int dimensions() {
        return dimensions;
    }

    @Override
    public int maxInputTokens() {
        return KNOWN_DIMENSIONS.containsKey(model) ? KNOWN_MODEL_MAX_TOKENS : OTHER_MODEL_MAX_TOKENS;
    }

    /** Counts code points, a safe upper bound of the server's tokens (its tokenizer is not available here). */
    @Override
    public Chunker chunker() {
        return chunker;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        Inputs.requireNonBlank(texts);
        List<float[]> vectors = new ArrayList<>(texts.size());
        for (int from = 0; from < texts.size(); from += settings.batchSize()) {
            List<String> batch = texts.subList(from, Math.min(from + settings.batchSize(), texts.size()));
            vectors.addAll(embedBatch(batch, from));
        }
        return vectors;
    }

    private List<float[]> embedBatch(List<String> batch, int offset) {
        HttpRequest request = request(batch);
        String lastFailure = "no attempt";
        for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
            Optional<Duration> retryAfter = Optional.empty();
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status == 200) {
                    return parse(response.body(), batch.size(), offset);
                }
                if (status != 429 && status < 500) {
                    throw failure("was refused with HTTP " + status + ": " + excerpt(response.body()), batch, offset);
                }
                lastFailure = "HTTP " + status;
                retryAfter = retryAfter(response);
            } catch (HttpTimeoutException e) {
                lastFailure = "no answer within " + settings.requestTimeout().toMillis() + " ms";
            } catch (IOException e) {
                lastFailure = "connection failed (" + e.getClass().getSimpleName() + ")";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure("was interrupted", batch, offset);
            }
            if (attempt < settings.maxAttempts()) {
                LOG.debug("POST {}: {} on attempt {} of {}; retrying", endpoint, lastFailure, attempt,
                        settings.maxAttempts());
                pause(attempt, retryAfter, batch, offset);
            }
        }
        throw failure("failed after " + settings.maxAttempts() + " attempts, the last with " + lastFailure
                + "; check the server or raise " + EmbeddingSettings.Key.MAX_ATTEMPTS.confKey(), batch, offset);
    }

    private HttpRequest request(List<String> batch) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", model);
        batch.forEach(body.putArray("input")::add);
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(settings.requestTimeout())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        settings.apiKey().ifPresent(key -> request.header("Authorization", "Bearer " + key));
        return request.build();
    }

    private void pause(int attempt, Optional<Duration> retryAfter, List<String> batch, int offset) {
        try {
            backoff.pause(attempt, retryAfter);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("was interrupted while waiting to retry", batch, offset);
        }
    }

    /** {@code Retry-After} as seconds or an HTTP date; empty when absent or unreadable. */
    static Optional<Duration> retryAfter(HttpResponse<?> response) {
        Optional<String> header = response.headers().firstValue("Retry-After").map(String::strip);
        if (header.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(header.get()))));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(ZonedDateTime.now(),
                        ZonedDateTime.parse(header.get(), DateTimeFormatter.RFC_1123_DATE_TIME));
                return Optional.of(until.isNegative() ? Duration.ZERO : until);
            } catch (DateTimeParseException neither) {
                return Optional.empty();
            }
        }
    }

    /** The vectors of a 200 answer, in input order, or an exception: never a partial or reordered list. */
    private List<float[]> parse(String body, int expected, int offset) {
        JsonNode data;
        try {
            data = JSON.readTree(body).path("data");
        } catch (JsonProcessingException e) {
            throw answer("is not JSON (" + e.getOriginalMessage() + ")", offset);
        }
        if (!data.isArray()) {
            throw answer("has no \"data\" array", offset);
        }
        if (data.size() != expected) {
            throw answer("has " + data.size() + " vectors for " + expected + " texts", offset);
        }
        float[][] byIndex = new float[expected][];
        for (JsonNode item : data) {
            JsonNode index = item.path("index");
            if (!index.canConvertToInt() || index.asInt() < 0 || index.asInt() >= expected
                    || byIndex[index.asInt()] != null) {
                throw answer("has a missing, repeated or out-of-range \"index\" (" + index + ")", offset);
            }
            byIndex[index.asInt()] = vector(item.path("embedding"), offset + index.asInt(), offset);
        }
        return Arrays.asList(byIndex);
    }

    private float[] vector(JsonNode embedding, int position, int offset) {
        if (!embedding.isArray()) {
            throw answer("has no \"embedding\" array for text " + position, offset);
        }
        float[] vector = new float[embedding.size()];
        for (int i = 0; i < vector.length; i++) {
            JsonNode value = embedding.get(i);
            if (!value.isNumber()) {
                throw answer("has a non-number in the vector of text " + position, offset);
            }
            vector[i] = (float) value.asDouble(); // beyond float's range becomes infinite, which checked() refuses
        }
        return Vectors.checked(vector, dimensions, describe(), position);
    }

    private TownHallException answer(String problem, int offset) {
        return new TownHallException(ErrorCode.EMBEDDING_FAILED, "the answer of " + describe() + " at " + endpoint
                + " for the batch starting at text " + offset + " " + problem + "; nothing was stored");
    }

    private TownHallException failure(String what, List<String> batch, int offset) {
        return new TownHallException(ErrorCode.EMBEDDING_FAILED, "POST " + endpoint + " (" + describe() + ", "
                + batch.size() + " texts from text " + offset + ") " + what);
    }

    private String describe() {
        return PROVIDER + " " + model;
    }

    /** The start of an error body, with the API key blanked in case the server echoes it. */
    private String excerpt(String body) {
        String text = body == null ? "" : body.strip().replaceAll("\\s+", " ");
        String masked = settings.apiKey().map(key -> text.replace(key, "***")).orElse(text);
        return masked.length() <= ERROR_BODY_CHARS ? masked : masked.substring(0, ERROR_BODY_CHARS) + "…";
    }
}
