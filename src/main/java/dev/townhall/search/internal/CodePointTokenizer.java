package dev.townhall.search.internal;

import dev.townhall.search.Chunker;

import java.util.ArrayList;
import java.util.List;

/**
 * A conservative stand-in for a byte-level BPE tokenizer we do not have (OpenAI's): one token per code point. A
 * code point is at most 4 UTF-8 bytes and byte-level BPE never makes more tokens than bytes, so a chunk of
 * {@code maxTokens / 4} code points always fits a window of {@code maxTokens}.
 */
final class CodePointTokenizer implements Chunker.Tokenizer {
    static final int MAX_TOKENS_PER_CODE_POINT = 4;

    @Override
    public List<Chunker.Token> tokenize(String text) {
        List<Chunker.Token> tokens = new ArrayList<>(text.length());
        boolean previousInWord = false;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            int next = i + Character.charCount(codePoint);
            boolean inWord = !Character.isWhitespace(codePoint);
            tokens.add(new Chunker.Token(i, next, inWord && previousInWord));
            previousInWord = inWord;
            i = next;
        }
        return tokens;
    }
}
