package dev.townhall.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures one benchmark run measured, in a shape that can be compared over time: each figure names its
 * benchmark, metric, unit, value and the parameters it was measured with. {@code ./townhall bench … --json FILE}
 * writes them.
 */
public final class Figures {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One measured value. */
    public record Figure(String benchmark, String metric, String unit, double value, Map<String, Object> parameters) {
    }

    private final String benchmark;
    private final Map<String, Object> parameters;
    private final List<Figure> figures = new ArrayList<>();

    private Figures(String benchmark, Map<String, Object> parameters) {
        this.benchmark = benchmark;
        this.parameters = Map.copyOf(parameters);
    }

    /** Figures of {@code benchmark}, each carrying the run's {@code parameters} (rows, iterations, …). */
    public static Figures of(String benchmark, Map<String, Object> parameters) {
        return new Figures(benchmark, parameters);
    }

    /** Adds a figure measured with the run's parameters. */
    public Figures add(String metric, String unit, double value) {
        return add(metric, unit, value, Map.of());
    }

    /** Adds a figure measured with the run's parameters plus {@code extra} (a query name, a table, …). */
    public Figures add(String metric, String unit, double value, Map<String, Object> extra) {
        Map<String, Object> all = new LinkedHashMap<>(parameters);
        all.putAll(extra);
        figures.add(new Figure(benchmark, metric, unit, value, all));
        return this;
    }

    /** Writes {@code {"benchmark", "measured_at", "figures": […]}} to {@code file}, replacing it. */
    public void writeJson(Path file) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("benchmark", benchmark);
        document.put("measured_at", Instant.now().toString());
        document.put("figures", figures);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            JSON.writeValue(file.toFile(), document);
        } catch (IOException e) {
            throw new TownHallException(ErrorCode.CONFIG, "cannot write the benchmark figures to " + file + ": "
                    + e.getMessage(), e);
        }
    }
}
