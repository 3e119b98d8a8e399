package dev.townhall.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A text bar chart: one line per label, the bar's length in proportion to the largest value, then the value. */
final class BarChart {
    private static final int WIDTH = 40;

    private final String title;
    private final String valueFormat;
    private final Map<String, Double> bars = new LinkedHashMap<>();

    private BarChart(String title, String valueFormat) {
        this.title = title;
        this.valueFormat = valueFormat;
    }

    /** A chart headed {@code title} whose values print with {@code valueFormat} (e.g. {@code %.2f}). */
    static BarChart of(String title, String valueFormat) {
        return new BarChart(title, valueFormat);
    }

    BarChart bar(String label, double value) {
        bars.put(label, value);
        return this;
    }

    void print(PrintWriter out) {
        double most = bars.values().stream().mapToDouble(Double::doubleValue).max().orElse(1);
        int labelWidth = bars.keySet().stream().mapToInt(String::length).max().orElse(0);
        out.println(title);
        bars.forEach((label, value) -> {
            int filled = most > 0 ? (int) Math.round(WIDTH * value / most) : 0;
            out.printf(Locale.ROOT, "%-" + labelWidth + "s |%s " + valueFormat + "%n", label, "#".repeat(filled), value);
        });
    }
}
