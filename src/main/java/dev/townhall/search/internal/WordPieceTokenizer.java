package dev.townhall.search.internal;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import dev.townhall.search.Chunker;

import java.util.ArrayList;
import java.util.List;

/** A BERT model's own word-piece tokenizer, giving each token's UTF-16 offsets in the text. */
final class WordPieceTokenizer implements Chunker.Tokenizer {
    private static final String CONTINUATION = "##";

    private final HuggingFaceTokenizer tokenizer; // thread-safe: the native tokenizer holds no per-call state

    WordPieceTokenizer(HuggingFaceTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    @Override
    public List<Chunker.Token> tokenize(String text) {
        Encoding encoding = tokenizer.encode(text, false /* no [CLS]/[SEP] */, false /* no overflow */);
        CharSpan[] spans = encoding.getCharTokenSpans();
        String[] pieces = encoding.getTokens();
        int[] utf16 = utf16Offsets(text);
        List<Chunker.Token> tokens = new ArrayList<>(pieces.length);
        for (int i = 0; i < pieces.length; i++) {
            // the native tokenizer counts code points; Java strings count UTF-16 units (an emoji is two)
            tokens.add(new Chunker.Token(utf16[spans[i].getStart()], utf16[spans[i].getEnd()],
                    pieces[i].startsWith(CONTINUATION)));
        }
        return tokens;
    }

    /** {@code offsets[k]} is the UTF-16 index of code point {@code k}; the last entry is the text's length. */
    private static int[] utf16Offsets(String text) {
        int[] offsets = new int[text.codePointCount(0, text.length()) + 1];
        int index = 0;
        for (int k = 0; k < offsets.length - 1; k++) {
            offsets[k] = index;
            index += Character.charCount(text.codePointAt(index));
        }
        offsets[offsets.length - 1] = text.length();
        return offsets;
    }
}
