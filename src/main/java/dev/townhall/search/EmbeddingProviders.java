package dev.townhall.search;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.search.internal.Backoff;
import dev.townhall.search.internal.LocalOnnxProvider;
import dev.townhall.search.internal.OpenAiCompatibleProvider;

import java.util.Map;
import java.util.TreeSet;

/** Creates the {@link EmbeddingProvider} that the settings name, refusing a model it does not know. */
public final class EmbeddingProviders {
    private EmbeddingProviders() {
    }

    /** The provider configured by the environment and {@code townhall.conf} (default: the local model). */
    public static EmbeddingProvider fromConfig() {
        return create(EmbeddingSettings.resolve(Map.of()));
    }

    /** The provider {@code settings} name. The local model loads here (about a second); close it when done. */
    public static EmbeddingProvider create(EmbeddingSettings settings) {
        return settings.provider().equals(EmbeddingSettings.LOCAL) ? local(settings) : openAi(settings);
    }

    private static EmbeddingProvider local(EmbeddingSettings settings) {
        LocalOnnxProvider.ModelFiles files = LocalOnnxProvider.ALL_MINILM_L6_V2_Q;
        String model = settings.model().orElse(files.model());
        if (!model.equals(files.model())) {
            throw new TownHallException(ErrorCode.CONFIG, "unknown local embedding model '" + model + "' ("
                    + EmbeddingSettings.Key.MODEL.confKey() + "): the local provider has " + files.model());
        }
        requireDimensions(settings, model, files.dimensions());
        return LocalOnnxProvider.load(files, settings.localThreads());
    }

    private static EmbeddingProvider openAi(EmbeddingSettings settings) {
        String model = settings.model().orElse(OpenAiCompatibleProvider.DEFAULT_MODEL);
        Integer known = OpenAiCompatibleProvider.KNOWN_DIMENSIONS.get(model);
        if (known == null && settings.dimensions().isEmpty()) {
            throw new TownHallException(ErrorCode.CONFIG, "unknown embedding model '" + model + "': set "
                    + EmbeddingSettings.Key.DIMENSIONS.confKey() + " (or " + EmbeddingSettings.Key.DIMENSIONS.variable()
                    + ") to its vector size; known models are " + String.join(", ",
                    new TreeSet<>(OpenAiCompatibleProvider.KNOWN_DIMENSIONS.keySet())));
        }
        int dimensions = known != null ? known : settings.dimensions().get();
        requireDimensions(settings, model, dimensions);
        return new OpenAiCompatibleProvider(settings, model, dimensions, Backoff.sleeping(settings.maxRetryDelay()));
    }

    private static void requireDimensions(EmbeddingSettings settings, String model, int dimensions) {
        settings.dimensions().filter(declared -> declared != dimensions).ifPresent(declared -> {
            throw new TownHallException(ErrorCode.CONFIG, model + " makes vectors of " + dimensions + " dimensions, but "
                    + EmbeddingSettings.Key.DIMENSIONS.confKey() + " says " + declared + "; remove the setting");
        });
    }
}
