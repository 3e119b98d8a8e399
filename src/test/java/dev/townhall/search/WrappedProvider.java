package dev.townhall.search;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** The real local model under another model name, or failing on purpose: for model switches and failure paths. */
final class WrappedProvider implements EmbeddingProvider {
    private final EmbeddingProvider delegate;
    private final String model;
    private final String failure; // null: embed normally
    private final AtomicInteger calls = new AtomicInteger();

    private WrappedProvider(EmbeddingProvider delegate, String model, String failure) {
        this.delegate = delegate;
        this.model = model;
        this.failure = failure;
    }

    /** The same vectors, stored under model name {@code model}. */
    static WrappedProvider renamed(EmbeddingProvider delegate, String model) {
        return new WrappedProvider(delegate, model, null);
    }

    /** Every embed call fails with {@code message}, as a provider outage would. */
    static WrappedProvider failing(EmbeddingProvider delegate, String message) {
        return new WrappedProvider(delegate, delegate.model(), message);
    }

    int calls() {
        return calls.get();
    }

    @Override
    public String provider() {
        return delegate.provider();
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public int dimensions() {
        return delegate.dimensions();
    }

    @Override
    public int maxInputTokens() {
        return delegate.maxInputTokens();
    }

    @Override
    public Chunker chunker() {
        return delegate.chunker();
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        calls.incrementAndGet();
        if (failure != null) {
            throw new TownHallException(ErrorCode.EMBEDDING_FAILED, failure);
        }
        return delegate.embed(texts);
    }
}
