package dev.townhall.search.internal;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.search.Chunker;
import dev.townhall.search.EmbeddingProvider;
import dev.townhall.search.EmbeddingSettings;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A sentence-transformers BERT model run in-process by ONNX Runtime through langchain4j, its files read from the
 * class path (they ship in a jar; nothing downloads).
 *
 * <p>Two things differ from langchain4j's ready-made model classes, on purpose. The tokenizer files they ship
 * truncate at 128 word pieces, silently, so the text after that never reaches the model: we load the tokenizer
 * with the model's real window (256), refuse a longer text and offer a {@link Chunker} instead. And their
 * ONNX session uses every core for each text while texts of a batch run on one thread per core, which
 * oversubscribes the CPU: here {@code threads} texts run at once, each with cores / threads ONNX threads.
 */
public final class LocalOnnxProvider implements EmbeddingProvider {
    public static final String PROVIDER = EmbeddingSettings.LOCAL;
    private static final int SPECIAL_TOKENS = 2; // [CLS] and [SEP], added to every text
    private static final int CHUNK_OVERLAP_TOKENS = 32;

    /** A model's files on the class path and its shape. {@code windowTokens} counts the special tokens. */
    public record ModelFiles(String model, String onnxResource, String tokenizerResource, int dimensions,
                             int windowTokens) {
    }

    /** all-MiniLM-L6-v2, int8-quantized (decision 21); trained on sequences of up to 256 word pieces. */
    public static final ModelFiles ALL_MINILM_L6_V2_Q = new ModelFiles("all-minilm-l6-v2-q", "all-minilm-l6-v2-q.onnx",
            "all-minilm-l6-v2-q-tokenizer.json", 384, 256);

    private final ModelFiles files;
    private final OrtSession session;
    private final ExecutorService executor;
    private final BertModel model;
    private final Chunker chunker;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LocalOnnxProvider(ModelFiles files, OrtSession session, ExecutorService executor, BertModel model,
                              Chunker chunker) {
        this.files = files;
        this.session = session;
        this.executor = executor;
        this.model = model;
        this.chunker = chunker;
    }

    /** Loads {@code files}; {@code threads} texts are embedded at once, sharing the cores between them. */
    public static LocalOnnxProvider load(ModelFiles files, int threads) {
        return load(files, threads, Math.max(1, Runtime.getRuntime().availableProcessors() / threads));
    }

    /** Loads {@code files}: {@code threads} texts at once, each using {@code onnxThreads} ONNX threads. */
    public static LocalOnnxProvider load(ModelFiles files, int threads, int onnxThreads) {
        byte[] onnx = resource(files.onnxResource());
        byte[] tokenizerJson = truncatingAtWindow(resource(files.tokenizerResource()), files.windowTokens());
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(onnxThreads);
            options.setInterOpNumThreads(1); // a BERT graph is a chain: nothing for a second pool to run beside it
            OrtSession session = OrtEnvironment.getEnvironment().createSession(onnx, options);
            OnnxBertBiEncoder encoder = new OnnxBertBiEncoder(OrtEnvironment.getEnvironment(), session,
                    new ByteArrayInputStream(tokenizerJson), PoolingMode.MEAN);
            ExecutorService executor = Executors.newFixedThreadPool(threads, new EmbedThreads(files.model()));
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(tokenizerJson),
                    Map.of("padding", "false", "truncation", "false"));
            Chunker chunker = Chunker.of(new WordPieceTokenizer(tokenizer), files.windowTokens() - SPECIAL_TOKENS,
                    CHUNK_OVERLAP_TOKENS);
            return new LocalOnnxProvider(files, session, executor,
                    new BertModel(encoder, executor, files.dimensions()), chunker);
        } catch (OrtException | IOException e) {
            throw new TownHallException(ErrorCode.EMBEDDING_FAILED, "cannot load the local embedding model "
                    + files.model() + ": " + e.getMessage(), e);
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = LocalOnnxProvider.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new TownHallException(ErrorCode.CONFIG, "the local embedding model file " + name
                        + " is not on the class path; rebuild TownHall with its model jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new TownHallException(ErrorCode.EMBEDDING_FAILED, "cannot read " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * The tokenizer definition truncating at the model's window instead of 128, without padding (see the class
     * comment). Texts are refused before they reach that limit; it only keeps the model inside its window.
     */
    private static byte[] truncatingAtWindow(byte[] tokenizerJson, int windowTokens) {
        try {
            ObjectMapper json = new ObjectMapper();
            ObjectNode definition = (ObjectNode) json.readTree(tokenizerJson);
            definition.putObject("truncation").put("direction", "Right").put("max_length", windowTokens)
                    .put("strategy", "LongestFirst").put("stride", 0);
            definition.putNull("padding");
            return json.writeValueAsBytes(definition);
        } catch (IOException | ClassCastException e) {
            throw new TownHallException(ErrorCode.EMBEDDING_FAILED, "the tokenizer definition in the model jar is "
                    + "not a JSON object: " + e.getMessage(), e);
        }
    }

    @Override
    public String provider() {
        return PROVIDER;
    }

    @Override
    public String model() {
        return files.model();
    }

    @Override
    public int dimensions() {
        return files.dimensions();
    }

    /** Word pieces, not counting [CLS] and [SEP]. */
    @Override
    public int maxInputTokens() {
        return chunker.windowTokens();
    }

    @Override
    public Chunker chunker() {
        return chunker;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        Inputs.requireNonBlank(texts);
        if (texts.isEmpty()) {
            return List.of();
        }
        List<TextSegment> segments = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            int tokens = chunker.countTokens(texts.get(i));
            if (tokens > maxInputTokens()) {
                throw new TownHallException(ErrorCode.INVALID_INPUT, "text " + i + " has " + tokens + " word pieces; "
                        + model() + " takes at most " + maxInputTokens() + ": split it with chunker() first");
            }
            segments.add(TextSegment.from(texts.get(i)));
        }
        List<Embedding> embeddings;
        try {
            embeddings = model.embedAll(segments).content();
        } catch (RuntimeException e) {
            throw new TownHallException(ErrorCode.EMBEDDING_FAILED, "the local model " + model() + " failed on a batch of "
                    + texts.size() + " texts: " + e.getMessage(), e);
        }
        if (embeddings.size() != texts.size()) {
            throw new TownHallException(ErrorCode.EMBEDDING_FAILED, "the local model " + model() + " returned "
                    + embeddings.size() + " vectors for " + texts.size() + " texts");
        }
        List<float[]> vectors = new ArrayList<>(texts.size());
        for (int i = 0; i < embeddings.size(); i++) {
            vectors.add(Vectors.checked(embeddings.get(i).vector(), dimensions(), PROVIDER + " " + model(), i));
        }
        return vectors;
    }

    /** Stops the threads and frees the native session; safe to call twice. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        executor.shutdownNow();
        try {
            session.close();
        } catch (OrtException e) {
            throw new TownHallException(ErrorCode.EMBEDDING_FAILED, "cannot close the model " + model(), e);
        }
    }

    /** langchain4j's in-process model around our own session, so batches run on our sized executor. */
    private static final class BertModel extends AbstractInProcessEmbeddingModel {
        private final OnnxBertBiEncoder encoder;
        private final int dimensions;

        BertModel(OnnxBertBiEncoder encoder, ExecutorService executor, int dimensions) {
            super(executor);
            this.encoder = encoder;
            this.dimensions = dimensions;
        }

        @Override
        protected OnnxBertBiEncoder model() {
            return encoder;
        }

        @Override
        protected Integer knownDimension() {
            return dimensions;
        }
    }

    /** Daemon threads named after the model, so a forgotten provider never keeps the JVM alive. */
    private static final class EmbedThreads implements ThreadFactory {
        private final String model;
        private final AtomicInteger count = new AtomicInteger();

        EmbedThreads(String model) {
            this.model = model;
        }

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "embed-" + model + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}
