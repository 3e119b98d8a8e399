package dev.townhall.cli;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.bench.LoadGenerator;
import picocli.CommandLine.Option;

import java.time.Duration;

/** How long each line of a load benchmark runs ({@code bench api}, {@code bench mcp}): a time, or a request count. */
public final class LoadPlanOptions {
    private static final double DEFAULT_SECONDS = 2;

    @Option(names = "--seconds", paramLabel = "S", description = "Measure each line for S seconds after S/4 to warm up"
            + " (default: " + DEFAULT_SECONDS + ").")
    Double seconds;

    @Option(names = "--requests", paramLabel = "N", description = "Measure each line for N requests in all after N/5 to"
            + " warm up, instead of a fixed time.")
    Integer requests;

    LoadGenerator.Plan plan() {
        if (seconds != null && requests != null) {
            throw new TownHallException(ErrorCode.INVALID_INPUT, "give --seconds or --requests, not both");
        }
        if (requests != null) {
            if (requests < 1) {
                throw new TownHallException(ErrorCode.INVALID_INPUT, "--requests must be at least 1, got " + requests);
            }
            return LoadGenerator.Plan.requests(Math.max(1, requests / 5), requests);
        }
        double s = seconds == null ? DEFAULT_SECONDS : seconds;
        if (!(s > 0)) {
            throw new TownHallException(ErrorCode.INVALID_INPUT, "--seconds must be more than 0, got " + s);
        }
        Duration measured = Duration.ofMillis(Math.max(1, Math.round(s * 1000)));
        return LoadGenerator.Plan.duration(measured.dividedBy(4), measured);
    }
}
