package dev.townhall.search;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChunkerTest {
    private static final String PHRASE = "zebra quartz invoice from the Reykjavik office";

    private final EmbeddingProvider local = LocalModel.shared();

    @Test
    void aPhraseInTheMiddleOfALongTextIsInSomeChunk() {
        String text = words(2_500, 1) + " " + PHRASE + " " + words(2_500, 2);

        List<Chunker.Chunk> chunks = local.chunker().split(text);

        assertThat(chunks).hasSizeGreaterThan(10);
        assertThat(chunks).anySatisfy(chunk -> assertThat(chunk.text()).contains(PHRASE));
        assertFitAndCover(local.chunker(), text, chunks);
    }

    @Test
    void offsetsCountUtf16UnitsEvenWithEmojiAndAccents() {
        String text = "Réunion à Zürich 😀 avec Chloé, naïve résumé, 東京の顧客 🚀 follow-up. ".repeat(120);

        List<Chunker.Chunk> chunks = local.chunker().split(text);

        assertThat(chunks).hasSizeGreaterThan(1);
        assertFitAndCover(local.chunker(), text, chunks);
    }

    @Test
    void aTextThatFitsIsOneChunkOfTheWholeText() {
        String text = "  Called Anna about the renewal; call back Thursday.  ";

        assertThat(local.chunker().split(text)).containsExactly(new Chunker.Chunk(text, 0, text.length()));
    }

    @Test
    void theHttpProvidersChunksAreBoundedInCodePoints() {
        EmbeddingProvider openAi = EmbeddingProviders.create(EmbeddingSettings.of(Map.of("search.provider", "openai")));
        String text = words(5_000, 3);

        List<Chunker.Chunk> chunks = openAi.chunker().split(text);

        assertThat(chunks).hasSizeGreaterThan(1);
        assertFitAndCover(openAi.chunker(), text, chunks);
        assertThat(chunks).allSatisfy(chunk ->
                assertThat(chunk.text().codePointCount(0, chunk.text().length()) * 4).isLessThanOrEqualTo(8191));
    }

    @Test
    void refusesAWindowTheOverlapCannotFit() {
        Chunker.Tokenizer none = text -> List.of();
        assertThatThrownBy(() -> Chunker.of(none, 100, 60))
                .isInstanceOf(dev.townhall.TownHallException.class)
                .hasMessageContaining("between 1 and half the window (50 tokens), got 60");
    }

    /** Every chunk fits the window, reproduces its text from its offsets, and together they cover the text. */
    private static void assertFitAndCover(Chunker chunker, String text, List<Chunker.Chunk> chunks) {
        assertThat(chunks.get(0).start()).isZero();
        assertThat(chunks.get(chunks.size() - 1).end()).isEqualTo(text.length());
        for (int i = 0; i < chunks.size(); i++) {
            Chunker.Chunk chunk = chunks.get(i);
            assertThat(text.substring(chunk.start(), chunk.end())).isEqualTo(chunk.text());
            assertThat(chunker.countTokens(chunk.text())).as("tokens of chunk %d", i)
                    .isLessThanOrEqualTo(chunker.windowTokens());
            if (i > 0) {
                Chunker.Chunk previous = chunks.get(i - 1);
                assertThat(chunk.start()).as("chunk %d starts after its predecessor", i).isGreaterThan(previous.start());
                assertThat(chunk.start()).as("chunk %d overlaps its predecessor", i).isLessThan(previous.end());
            }
        }
    }

    /** {@code count} CRM-ish words, some of them split into several word pieces. */
    static String words(int count, long seed) {
        String[] vocabulary = {"customer", "renewal", "invoice", "meeting", "onboarding", "unbelievably", "Q3",
                "follow-up", "procurement", "integration", "the", "and", "we", "discussed", "pricing", "ERP,", "budget."};
        Random random = new Random(seed);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            text.append(i == 0 ? "" : " ").append(vocabulary[random.nextInt(vocabulary.length)]);
        }
        return text.toString();
    }
}
