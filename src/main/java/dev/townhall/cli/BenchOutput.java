package dev.townhall.cli;

import dev.townhall.bench.Figures;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The output options every benchmark shares: {@code --json FILE} writes the run's {@link Figures} for comparison
 * over time, beside the table the benchmark prints.
 */
public final class BenchOutput {
    @Option(names = "--json", paramLabel = "FILE",
            description = "Also write the measured figures as JSON to FILE (benchmark, metric, unit, value, parameters).")
    Path json;

    /** Writes {@code figures} to the {@code --json} file when one was given; does nothing otherwise. */
    void write(Figures figures) {
        if (json != null) {
            figures.writeJson(json);
        }
    }
}
