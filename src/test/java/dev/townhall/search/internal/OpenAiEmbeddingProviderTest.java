package dev.townhall.search.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.search.EmbeddingSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The HTTP provider against a stub server on 127.0.0.1: retries, timeouts and every kind of wrong answer. */
class OpenAiEmbeddingProviderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API_KEY = "sk-test-secret-0123456789";
    private static final int DIMENSIONS = 4;

    /** What the stub answers to request number {@code n} (1-based). */
    @FunctionalInterface
    interface Script {
        void answer(int n, JsonNode request, HttpExchange exchange) throws IOException;
    }

    private HttpServer server;
    private volatile Script script;
    private final AtomicInteger requests = new AtomicInteger();
    private final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/embeddings", exchange -> {
            JsonNode request = JSON.readTree(exchange.getRequestBody());
            bodies.add(request);
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            try {
                script.answer(requests.incrementAndGet(), request, exchange);
            } finally {
                exchange.close();
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    @AfterEach
    void stopStub() {
        server.stop(0);
    }

    private OpenAiCompatibleProvider provider(Map<String, String> extra) {
        Map<String, String> values = new HashMap<>(Map.of(
                "search.provider", "openai",
                "embedding.base_url", "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/",
                "embedding.api_key", API_KEY,
                "embedding.max_attempts", "3"));
        values.putAll(extra);
        // the recorded sleeps stand in for waiting; jitter takes the ceiling so the recorded values are exact
        Backoff recording = new Backoff(Duration.ofSeconds(30), sleeps::add, bound -> bound - 1);
        return new OpenAiCompatibleProvider(EmbeddingSettings.of(values), "test-model", DIMENSIONS, recording);
    }

    private OpenAiCompatibleProvider provider() {
        return provider(Map.of());
    }

    @Test
    void embedsInBatchesInInputOrderWithTheKeyAsBearer() {
        script = (n, request, exchange) -> answer(exchange, 200, vectors(request, DIMENSIONS, true));

        List<float[]> vectors = provider(Map.of("embedding.batch_size", "2")).embed(List.of("a", "b", "c", "d", "e"));

        assertThat(vectors).extracting(v -> (char) v[0]).containsExactly('a', 'b', 'c', 'd', 'e');
        assertThat(bodies).extracting(b -> b.get("input").size()).containsExactly(2, 2, 1);
        assertThat(bodies.get(0).get("model").asText()).isEqualTo("test-model");
        assertThat(authorizations).containsOnly("Bearer " + API_KEY);
    }

    @Test
    void retriesTwo429sWithBackoffThenSucceeds() {
        script = (n, request, exchange) -> {
            if (n <= 2) {
                answer(exchange, 429, "{\"error\":\"rate limited\"}");
            } else {
                answer(exchange, 200, vectors(request, DIMENSIONS, false));
            }
        };

        assertThat(provider().embed(List.of("a", "b"))).hasSize(2);
        assertThat(requests).hasValue(3);
        // full jitter's ceiling doubles: 500 ms, then 1 s
        assertThat(sleeps).containsExactly(Duration.ofMillis(500), Duration.ofMillis(1000));
    }

    @Test
    void honoursRetryAfterUpToTheCap() {
        script = (n, request, exchange) -> {
            if (n == 1) {
                exchange.getResponseHeaders().add("Retry-After", "2");
                answer(exchange, 429, "{}");
            } else if (n == 2) {
                exchange.getResponseHeaders().add("Retry-After", "3600");
                answer(exchange, 429, "{}");
            } else {
                answer(exchange, 200, vectors(request, DIMENSIONS, false));
            }
        };

        assertThat(provider().embed(List.of("a"))).hasSize(1);
        assertThat(sleeps).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(30));
    }

    @Test
    void gives500UpAfterMaxAttemptsWithOneClearLine() {
        script = (n, request, exchange) -> answer(exchange, 500, "{\"error\":\"boom\"}");

        assertThatThrownBy(() -> provider().embed(List.of("a")))
                .isInstanceOf(TownHallException.class)
                .satisfies(e -> assertThat(((TownHallException) e).code()).isEqualTo(ErrorCode.EMBEDDING_FAILED))
                .hasMessageContaining("failed after 3 attempts, the last with HTTP 500")
                .hasMessageNotContaining("\n");
        assertThat(requests).hasValue(3);
        assertThat(sleeps).hasSize(2);
    }

    @Test
    void aSlowServerTimesOutWithAClearError() {
        script = (n, request, exchange) -> {
            try {
                Thread.sleep(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };

        assertThatThrownBy(() -> provider(Map.of("embedding.request_timeout_ms", "200", "embedding.max_attempts", "2"))
                .embed(List.of("a")))
                .isInstanceOf(TownHallException.class)
                .hasMessageContaining("failed after 2 attempts, the last with no answer within 200 ms");
    }

    @Test
    void refusesVectorsOfTheWrongDimensions() {
        script = (n, request, exchange) -> answer(exchange, 200, vectors(request, DIMENSIONS + 1, false));

        assertThatThrownBy(() -> provider().embed(List.of("a", "b")))
                .isInstanceOf(TownHallException.class)
                .hasMessageContaining("a vector of 5 dimensions for text 0, expected 4");
    }

    @Test
    void refusesMalformedJson() {
        script = (n, request, exchange) -> answer(exchange, 200, "{\"data\": [ {\"index\": 0, \"embedding\": [0.1,");

        assertThatThrownBy(() -> provider().embed(List.of("a")))
                .isInstanceOf(TownHallException.class)
                .hasMessageContaining("is not JSON");
        assertThat(requests).as("a malformed answer is not retried").hasValue(1);
    }

    @Test
    void refusesFewerVectorsThanInputs() {
        script = (n, request, exchange) -> {
            ObjectMapper json = JSON;
            JsonNode full = json.readTree(vectors(request, DIMENSIONS, false));
            ((com.fasterxml.jackson.databind.node.ArrayNode) full.get("data")).remove(2);
            answer(exchange, 200, full.toString());
        };

        assertThatThrownBy(() -> provider().embed(List.of("a", "b", "c")))
                .isInstanceOf(TownHallException.class)
                .hasMessageContaining("has 2 vectors for 3 texts");
    }

    @Test
    void refusesRepeatedIndexesAndNonFiniteValues() {
        script = (n, request, exchange) -> answer(exchange, 200, n == 1
                ? "{\"data\":[{\"index\":0,\"embedding\":[1,2,3,4]},{\"index\":0,\"embedding\":[1,2,3,4]}]}"
                : "{\"data\":[{\"index\":0,\"embedding\":[1,2,3,1e300]}]}");

        assertThatThrownBy(() -> provider().embed(List.of("a", "b"))).hasMessageContaining("repeated or out-of-range");
        assertThatThrownBy(() -> provider().embed(List.of("a"))).hasMessageContaining("with Infinity for text 0");
    }

    @Test
    void aRefusalIsNotRetriedAndNeverShowsTheKey() {
        script = (n, request, exchange) -> answer(exchange, 401,
                "{\"error\":{\"message\":\"Incorrect API key provided: " + API_KEY + "\"}}");

        assertThatThrownBy(() -> provider().embed(List.of("a")))
                .isInstanceOf(TownHallException.class)
                .hasMessageContaining("was refused with HTTP 401")
                .hasMessageNotContaining(API_KEY);
        assertThat(requests).hasValue(1);
        assertThat(EmbeddingSettings.of(Map.of("embedding.api_key", API_KEY)).toString()).doesNotContain(API_KEY);
    }

    /** An OpenAI-style answer with one vector per input, {@code v[0]} = its first character; reversed if asked. */
    private static String vectors(JsonNode request, int dimensions, boolean reversed) {
        int count = request.get("input").size();
        List<Map<String, Object>> data = new ArrayList<>();
        IntStream.range(0, count).forEach(i -> {
            float[] vector = new float[dimensions];
            vector[0] = request.get("input").get(i).asText().charAt(0);
            data.add(Map.of("object", "embedding", "index", i, "embedding", vector));
        });
        if (reversed) {
            java.util.Collections.reverse(data);
        }
        try {
            return JSON.writeValueAsString(Map.of("object", "list", "data", data, "model", "test-model"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
