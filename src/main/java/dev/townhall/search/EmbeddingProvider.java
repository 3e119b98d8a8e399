package dev.townhall.search;

import java.util.List;

/**
 * Turns texts into vectors for {@code memory.embeddings}. Implementations are thread-safe. Create one with
 * {@link EmbeddingProviders#create(EmbeddingSettings)}.
 */
public interface EmbeddingProvider extends AutoCloseable {

    /** Where the vectors come from: {@code local-onnx}, {@code openai}. */
    String provider();

    /**
     * The value stored in {@code memory.embeddings.model}: lowercase, matching {@link #MODEL_NAME_PATTERN}. Vectors
     * of different models are never compared.
     */
    String model();

    /** How many floats every vector has. */
    int dimensions();

    /**
     * The most tokens one text may have, as the model counts them. A longer text is refused, never truncated: split
     * it with {@link #chunker()}.
     */
    int maxInputTokens();

    /** Splits a long text into overlapping chunks of at most {@link #maxInputTokens()} tokens each. */
    Chunker chunker();

    /**
     * One vector per text, in the order of {@code texts}. Every vector has exactly {@link #dimensions()} finite
     * floats; when the model cannot deliver that for every text, this throws a
     * {@link dev.townhall.TownHallException} and returns nothing.
     */
    List<float[]> embed(List<String> texts);

    /** Frees what the provider holds (threads, native memory); safe to call twice. */
    @Override
    default void close() {
    }

    /** What {@link #model()} must match. */
    String MODEL_NAME_PATTERN = "^[a-z0-9][a-z0-9._:/-]*$";
}
