package dev.townhall.search;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Settings resolve flags > environment > townhall.conf > defaults, and the factory refuses what it cannot serve. */
class EmbeddingSettingsTest {

    @Test
    void defaultsToTheLocalModel() {
        EmbeddingSettings settings = EmbeddingSettings.of(Map.of());

        assertThat(settings.provider()).isEqualTo("local-onnx");
        assertThat(settings.model()).isEmpty();
        assertThat(settings.batchSize()).isEqualTo(64);
    }

    @Test
    void flagsBeatTheEnvironmentWhichBeatsTheFile(@TempDir Path dir) throws IOException {
        Path conf = Files.writeString(dir.resolve("townhall.conf"),
                "search.provider=openai\nsearch.model=from-file\nembedding.batch_size=8\nembedding.api_key=file-key\n");
        Map<String, String> env = Map.of("TOWNHALL_EMBEDDING_MODEL", "from-env", "TOWNHALL_EMBEDDING_BATCH_SIZE", "16");

        EmbeddingSettings settings = EmbeddingSettings.resolve(Map.of("embedding.batch_size", "32"), env, conf);

        assertThat(settings.provider()).isEqualTo("openai");
        assertThat(settings.model()).contains("from-env");
        assertThat(settings.batchSize()).isEqualTo(32);
        assertThat(settings.apiKey()).contains("file-key");
        assertThat(settings.toString()).contains("api key set").doesNotContain("file-key");
    }

    @Test
    void refusesBadValuesWithTheSettingAndTheValue() {
        assertThatThrownBy(() -> EmbeddingSettings.of(Map.of("embedding.batch_size", "0")))
                .isInstanceOf(TownHallException.class)
                .hasMessage("embedding.batch_size must be a whole number from 1 to 2048, got '0'");
        assertThatThrownBy(() -> EmbeddingSettings.of(Map.of("search.provider", "cohere")))
                .hasMessageContaining("unknown embedding provider 'cohere'");
        assertThatThrownBy(() -> EmbeddingSettings.of(Map.of("search.model", "All MiniLM")))
                .hasMessageContaining("must be a lowercase model name");
        assertThatThrownBy(() -> EmbeddingSettings.of(Map.of("embedding.base_url", "ftp://x")))
                .hasMessageContaining("must be an http(s) URL");
    }

    @Test
    void theFactoryRefusesAnUnknownLocalModelInOneLine() {
        assertThatThrownBy(() -> EmbeddingProviders.create(EmbeddingSettings.of(Map.of("search.model", "bge-small"))))
                .isInstanceOf(TownHallException.class)
                .satisfies(e -> assertThat(((TownHallException) e).code()).isEqualTo(ErrorCode.CONFIG))
                .hasMessage("unknown local embedding model 'bge-small' (search.model): the local provider has "
                        + "all-minilm-l6-v2-q");
    }

    @Test
    void theHttpProviderKnowsOpenAisModelsAndNeedsDimensionsForOthers() {
        EmbeddingProvider small = EmbeddingProviders.create(EmbeddingSettings.of(Map.of("search.provider", "openai")));
        assertThat(small.model()).isEqualTo("text-embedding-3-small");
        assertThat(small.dimensions()).isEqualTo(1536);
        assertThat(EmbeddingProviders.create(EmbeddingSettings.of(Map.of("search.provider", "openai",
                "search.model", "text-embedding-3-large"))).dimensions()).isEqualTo(3072);

        assertThatThrownBy(() -> EmbeddingProviders.create(EmbeddingSettings.of(Map.of("search.provider", "openai",
                "search.model", "nomic-embed-text"))))
                .hasMessageStartingWith("unknown embedding model 'nomic-embed-text': set embedding.dimensions");
        assertThat(EmbeddingProviders.create(EmbeddingSettings.of(Map.of("search.provider", "openai",
                "search.model", "nomic-embed-text", "embedding.dimensions", "768"))).dimensions()).isEqualTo(768);
        assertThatThrownBy(() -> EmbeddingProviders.create(EmbeddingSettings.of(Map.of("search.provider", "openai",
                "embedding.dimensions", "512"))))
                .hasMessageContaining("text-embedding-3-small makes vectors of 1536 dimensions, but embedding.dimensions says 512");
    }
}
