package dev.townhall.search;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a text into overlapping chunks that each fit a model's window, so a phrase anywhere in a long text can be
 * found: nothing is truncated. Each chunk carries its character offsets in the original text (the database stores
 * offsets, not chunk text). Get one from {@link EmbeddingProvider#chunker()}; it counts with the model's own tokens.
 */
public final class Chunker {

    /** A piece of the original text: {@code text.equals(original.substring(start, end))}. */
    public record Chunk(String text, int start, int end) {
    }

    /**
     * One token of a text: its UTF-16 offsets, and whether it continues the previous token's word (a chunk does
     * not start inside a word when it can help it).
     */
    public record Token(int start, int end, boolean continuesWord) {
    }

    /** The tokens of a text, in order, as the model counts them (without special tokens such as [CLS]). */
    @FunctionalInterface
    public interface Tokenizer {
        List<Token> tokenize(String text);
    }

    private final Tokenizer tokenizer;
    private final int windowTokens;
    private final int overlapTokens;

    private Chunker(Tokenizer tokenizer, int windowTokens, int overlapTokens) {
        this.tokenizer = tokenizer;
        this.windowTokens = windowTokens;
        this.overlapTokens = overlapTokens;
    }

    /**
     * A chunker whose chunks have at most {@code windowTokens} tokens, consecutive chunks sharing about
     * {@code overlapTokens} (so a phrase cut by one boundary is whole in the neighbouring chunk).
     */
    public static Chunker of(Tokenizer tokenizer, int windowTokens, int overlapTokens) {
        if (windowTokens < 2) {
            throw new TownHallException(ErrorCode.INVALID_INPUT, "a chunk window must be at least 2 tokens, got "
                    + windowTokens);
        }
        if (overlapTokens < 1 || overlapTokens > windowTokens / 2) {
            throw new TownHallException(ErrorCode.INVALID_INPUT, "a chunk overlap must be between 1 and half the window ("
                    + windowTokens / 2 + " tokens), got " + overlapTokens);
        }
        return new Chunker(tokenizer, windowTokens, overlapTokens);
    }

    /** The most tokens one chunk has. */
    public int windowTokens() {
        return windowTokens;
    }

    public int overlapTokens() {
        return overlapTokens;
    }

    /** How many tokens {@code text} has, as this chunker counts them. */
    public int countTokens(String text) {
        return tokenizer.tokenize(text).size();
    }

    /**
     * The chunks of {@code text}, in order: the first starts at 0, the last ends at {@code text.length()}, each
     * starts before its predecessor ends, and each has at most {@link #windowTokens()} tokens. A text that fits
     * is one chunk, the whole text.
     */
    public List<Chunk> split(String text) {
        List<Token> tokens = tokenizer.tokenize(text);
        int count = tokens.size();
        if (count <= windowTokens) {
            return List.of(new Chunk(text, 0, text.length()));
        }
        List<Chunk> chunks = new ArrayList<>();
        int from = 0;
        while (true) {
            int to = Math.min(from + windowTokens, count);
            while (to < count && to > from + 1 && tokens.get(to).continuesWord()) {
                to--; // end at a word boundary, so the next chunk does not start mid-word
            }
            int start = from == 0 ? 0 : tokens.get(from).start();
            int end = to == count ? text.length() : tokens.get(to - 1).end();
            chunks.add(new Chunk(text.substring(start, end), start, end));
            if (to == count) {
                return chunks;
            }
            from = nextStart(tokens, from, to);
        }
    }

    /** Where the chunk after {@code [from, to)} starts: {@link #overlapTokens} back from {@code to}, at a word. */
    private int nextStart(List<Token> tokens, int from, int to) {
        int next = Math.max(from + 1, to - overlapTokens);
        while (next > from + 1 && tokens.get(next).continuesWord()) {
            next--;
        }
        return next;
    }
}
