package dev.townhall.bench;

import dev.townhall.search.internal.LocalOnnxProvider;
import dev.townhall.search.internal.LocalOnnxProvider.ModelFiles;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Compares the quantized and the full all-MiniLM-L6-v2 on a fixed set of CRM texts (decision 20): texts per second
 * at several thread layouts, mean cosine between their vectors, and recall@10 of the quantized model's nearest
 * neighbours against the full model's. It lives in test scope because the full model is a test dependency only.
 *
 * <pre>
 * mvn -B -ntp -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test.cp
 * java -cp target/classes:target/test-classes:$(cat target/test.cp) dev.townhall.bench.EmbeddingModelBenchmark [--json FILE]
 * </pre>
 */
public final class EmbeddingModelBenchmark {
    static final ModelFiles ALL_MINILM_L6_V2 = new ModelFiles("all-minilm-l6-v2", "all-minilm-l6-v2.onnx",
            "all-minilm-l6-v2-tokenizer.json", 384, 256);
    private static final int BATCH = 32;
    private static final int NEIGHBOURS = 10;
    private static final long SEED = 9;

    /** One thread layout: texts embedded at once, ONNX threads each. */
    record Layout(int threads, int onnxThreads) {
        String label() {
            return threads + "x" + onnxThreads;
        }
    }

    public static void main(String[] args) {
        List<String> texts = CrmTexts.generate(new Random(SEED), 500);
        int cores = Runtime.getRuntime().availableProcessors();
        Figures figures = Figures.of("embedding-models", Map.of("texts", texts.size(), "cores", cores, "batch", BATCH));
        System.out.printf("%d texts (%d notes, %d emails, %d transcript chunks), %d cores%n", texts.size(),
                CrmTexts.NOTES, CrmTexts.EMAILS, texts.size() - CrmTexts.NOTES - CrmTexts.EMAILS, cores);
        List<Layout> layouts = List.of(new Layout(1, cores), new Layout(cores, 1), new Layout(cores, cores));
        Map<ModelFiles, List<float[]>> vectorsByModel = new HashMap<>();
        for (ModelFiles files : List.of(LocalOnnxProvider.ALL_MINILM_L6_V2_Q, ALL_MINILM_L6_V2)) {
            for (Layout layout : layouts) {
                try (LocalOnnxProvider provider = LocalOnnxProvider.load(files, layout.threads(), layout.onnxThreads())) {
                    provider.embed(texts.subList(0, BATCH)); // warm-up: first calls allocate ONNX's arenas
                    long started = System.nanoTime();
                    List<float[]> vectors = embedAll(provider, texts);
                    double perSecond = texts.size() / ((System.nanoTime() - started) / 1e9);
                    System.out.printf("%-20s threads %s (texts at once x ONNX threads): %6.1f texts/s%n",
                            files.model(), layout.label(), perSecond);
                    figures.add("throughput", "texts/s", perSecond, Map.of("model", files.model(), "layout", layout.label()));
                    vectorsByModel.put(files, vectors);
                }
            }
        }
        List<float[]> quantized = vectorsByModel.get(LocalOnnxProvider.ALL_MINILM_L6_V2_Q);
        List<float[]> full = vectorsByModel.get(ALL_MINILM_L6_V2);
        double meanCosine = IntStream.range(0, texts.size()).mapToDouble(i -> cosine(quantized.get(i), full.get(i)))
                .average().orElseThrow();
        double minCosine = IntStream.range(0, texts.size()).mapToDouble(i -> cosine(quantized.get(i), full.get(i)))
                .min().orElseThrow();
        double recall = recallAtK(quantized, full, NEIGHBOURS);
        System.out.printf("quantized vs full: mean cosine %.4f (min %.4f), recall@%d %.3f%n", meanCosine, minCosine,
                NEIGHBOURS, recall);
        figures.add("mean_cosine_q_vs_full", "cosine", meanCosine).add("min_cosine_q_vs_full", "cosine", minCosine)
                .add("recall_at_10_q_vs_full", "fraction", recall);
        if (args.length == 2 && args[0].equals("--json")) {
            figures.writeJson(Path.of(args[1]));
        }
    }

    private static List<float[]> embedAll(LocalOnnxProvider provider, List<String> texts) {
        List<float[]> vectors = new ArrayList<>(texts.size());
        for (int from = 0; from < texts.size(); from += BATCH) {
            vectors.addAll(provider.embed(texts.subList(from, Math.min(from + BATCH, texts.size()))));
        }
        return vectors;
    }

    /** Mean share of each text's k nearest neighbours under {@code reference} that {@code candidate} also finds. */
    static double recallAtK(List<float[]> candidate, List<float[]> reference, int k) {
        return IntStream.range(0, reference.size())
                .mapToDouble(i -> {
                    Set<Integer> expected = new HashSet<>(nearest(reference, i, k));
                    return nearest(candidate, i, k).stream().filter(expected::contains).count() / (double) k;
                })
                .average().orElseThrow();
    }

    private static List<Integer> nearest(List<float[]> vectors, int query, int k) {
        return IntStream.range(0, vectors.size()).filter(j -> j != query).boxed()
                .sorted(Comparator.comparingDouble((Integer j) -> -cosine(vectors.get(query), vectors.get(j))))
                .limit(k).toList();
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double normA = 0;
        double normB = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            normA += a[i] * a[i];
            normB += b[i] * b[i];
        }
        return dot / Math.sqrt(normA * normB);
    }
}
