package dev.townhall.search;

import java.util.Map;

/**
 * The local model, loaded once per test JVM and shared by the test classes that need it (loading takes about a
 * second). Never closed: its threads are daemons and its native memory goes with the JVM.
 */
final class LocalModel {
    private static final EmbeddingProvider SHARED = EmbeddingProviders.create(EmbeddingSettings.of(Map.of()));

    private LocalModel() {
    }

    static EmbeddingProvider shared() {
        return SHARED;
    }
}
