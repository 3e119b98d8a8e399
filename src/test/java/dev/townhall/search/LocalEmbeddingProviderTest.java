package dev.townhall.search;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The real local model, in-process: shape, meaning, and no silent truncation. */
class LocalEmbeddingProviderTest {
    private final EmbeddingProvider local = LocalModel.shared();

    @Test
    void describesItself() {
        assertThat(local.provider()).isEqualTo("local-onnx");
        assertThat(local.model()).isEqualTo("all-minilm-l6-v2-q").matches(EmbeddingProvider.MODEL_NAME_PATTERN);
        assertThat(local.dimensions()).isEqualTo(384);
        assertThat(local.maxInputTokens()).isEqualTo(254);
    }

    @Test
    void vectorsHave384FloatsOfNearUnitNormAndFollowMeaning() {
        List<float[]> vectors = local.embed(List.of("invoice overdue", "payment is late", "football match"));

        assertThat(vectors).hasSize(3).allSatisfy(v -> {
            assertThat(v).hasSize(384);
            assertThat(norm(v)).isCloseTo(1.0, within(1e-3));
        });
        assertThat(cosine(vectors.get(0), vectors.get(1))).isGreaterThan(cosine(vectors.get(0), vectors.get(2)) + 0.1);
    }

    @Test
    void keepsTheOrderOfTheBatch() {
        List<float[]> forward = local.embed(List.of("renewal contract signed", "lunch with the CFO"));
        List<float[]> backward = local.embed(List.of("lunch with the CFO", "renewal contract signed"));

        assertThat(cosine(forward.get(0), backward.get(1))).isCloseTo(1.0, within(1e-5));
        assertThat(cosine(forward.get(1), backward.get(0))).isCloseTo(1.0, within(1e-5));
    }

    @Test
    void wordsAfterThe128thWordPieceStillCount() {
        // langchain4j's shipped tokenizer silently stops at 128 word pieces; ours reads the whole window
        String opening = ChunkerTest.words(100, 4);
        assertThat(local.chunker().countTokens(opening)).isBetween(150, 230);

        List<float[]> vectors = local.embed(List.of(opening + " the goalkeeper saved a penalty in the final",
                opening + " the auditor flagged a tax problem in the ledger"));

        assertThat(cosine(vectors.get(0), vectors.get(1))).isLessThan(0.99);
    }

    @Test
    void refusesATextLongerThanTheWindowInsteadOfTruncatingIt() {
        String tooLong = ChunkerTest.words(400, 5);

        assertThatThrownBy(() -> local.embed(List.of("short", tooLong)))
                .isInstanceOf(TownHallException.class)
                .satisfies(e -> assertThat(((TownHallException) e).code()).isEqualTo(ErrorCode.INVALID_INPUT))
                .hasMessageContaining("text 1 has")
                .hasMessageContaining("takes at most 254: split it with chunker() first");
    }

    @Test
    void refusesABlankText() {
        assertThatThrownBy(() -> local.embed(List.of("fine", " ")))
                .isInstanceOf(TownHallException.class)
                .hasMessage("text 1 of 2 is blank; there is nothing to embed");
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return dot / (norm(a) * norm(b));
    }

    private static double norm(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += x * x;
        }
        return Math.sqrt(sum);
    }
}
