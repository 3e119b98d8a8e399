package dev.townhall.cli;

import dev.townhall.bench.Figures;
import dev.townhall.db.Database;
import dev.townhall.bench.ImportBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code ./townhall bench import}: the full import beside raw COPY of the same rows (the physical limit). */
@Command(name = "import", description = {
        "Import the generated legacy inventory into a fresh database and COPY the same rows into the same tables of"
                + " another fresh database straight from files; print both speeds and their ratio.",
        "Uses the local cluster; the demo legacy databases are generated first if they are missing."})
public final class BenchImportCommand implements Callable<Integer> {
    @Mixin
    DatabaseOptions options;

    @Spec
    CommandSpec spec;

    @Mixin
    BenchOutput output;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Database db = options.service().ready();
        ImportBenchmark.Result r = ImportBenchmark.on(db, line -> {
            out.println("  " + line);
            out.flush();
        }).run();
        out.println();
        out.println("bench import: full import of the generated inventory vs raw COPY of the rows it wrote");
        TextTable steps = TextTable.of("step", "rows read", "rows written", "seconds", "rows written/s");
        steps.row("import (validation, normalising, merging, id map, quarantine, checkpoints)", n(r.rowsRead()),
                n(r.rowsWritten()), s(r.importTime()), n(Math.round(r.importRowsPerSecond())));
        steps.row("raw COPY of the same rows from files (same tables, indexes, triggers)", "",
                n(r.rowsCopied()), s(r.copyTime()), n(Math.round(r.copyRowsPerSecond())));
        steps.print(out);
        out.printf(Locale.ROOT, "import speed = %.0f%% of raw COPY speed (aim: >= 50%%)%n%n", 100 * r.ratio());
        TextTable tables = TextTable.of("target table", "rows", "raw COPY seconds");
        for (ImportBenchmark.TableLine t : r.tables()) {
            tables.row(t.table(), n(t.rows()), s(t.copy()));
        }
        tables.print(out);
        output.write(figures(r));
        return 0;
    }

    private static Figures figures(ImportBenchmark.Result r) {
        Figures f = Figures.of("import", Map.of("rows_read", r.rowsRead(), "rows_written", r.rowsWritten()));
        f.add("import_time", "s", seconds(r.importTime()));
        f.add("copy_time", "s", seconds(r.copyTime()));
        f.add("import_rows_per_second", "rows/s", r.importRowsPerSecond());
        f.add("copy_rows_per_second", "rows/s", r.copyRowsPerSecond());
        f.add("import_to_copy_ratio", "ratio", r.ratio());
        for (ImportBenchmark.TableLine t : r.tables()) {
            f.add("table_copy_time", "s", seconds(t.copy()), Map.of("table", t.table(), "rows", t.rows()));
        }
        return f;
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    private static String n(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    private static String s(Duration d) {
        return String.format(Locale.ROOT, "%.2f", seconds(d));
    }
}
