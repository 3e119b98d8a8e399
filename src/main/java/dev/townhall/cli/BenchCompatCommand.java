package dev.townhall.cli;

import dev.townhall.bench.CompatBenchmark;
import dev.townhall.bench.CompatBenchmark.Line;
import dev.townhall.bench.CompatBenchmark.Path;
import dev.townhall.bench.CompatBenchmark.Query;
import dev.townhall.bench.LoadGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code ./townhall bench compat}: old apps' statements on the compat views beside the unified tables and direct JDBC. */
@Command(name = "compat", description = {
        "What the compatibility schemas cost an old service: its old statements (aurora messages and deals, the"
                + " extension's code messages, the backend's current mood, a message insert) sent as a bound login to"
                + " the compat views, beside the same question on the unified tables as the app role in a town context"
                + " and direct JDBC as the owner with the town filter by hand, at 1 and 8 clients; calls/s, p50/p99"
                + " and errors.",
        "Uses a scratch database and three bound logins of the local cluster, dropped afterwards; checks that the"
                + " three paths answer the same rows first; exits 1 if any request failed."})
public final class BenchCompatCommand implements Callable<Integer> {
    @Mixin
    DatabaseOptions options;

    @Mixin
    BenchOutput output;

    @Mixin
    LoadPlanOptions load;

    @Option(names = "--rows", paramLabel = "N", defaultValue = "100000",
            description = "Chat messages to load over the three towns (60/30/10 %%), with a tenth as many code"
                    + " messages and a company with four deals per hundred (default: ${DEFAULT-VALUE}).")
    int rows;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        CompatBenchmark.Report r = CompatBenchmark.on(options.service().ready()).run(rows, load.plan(), line -> {
            out.println("  " + line);
            out.flush();
        });
        out.println();
        out.printf(Locale.ROOT, "bench compat: %,d messages in %,d conversations over 3 towns (60/30/10 %%), %,d code"
                        + " messages, %,d deals; acting as allan in aurora; %s%n", r.messages(), r.conversations(),
                r.codeMessages(), r.deals(), r.plan());
        TextTable table = TextTable.of("query", "path", "clients", "calls/s", "p50 ms", "p99 ms", "errors");
        for (Line l : r.lines()) {
            LoadGenerator.Result m = l.result();
            table.row(l.query().label(), l.path().label(), l.clients(), f("%,.0f", m.requestsPerSecond()),
                    f("%.3f", m.p50Ms()), f("%.3f", m.p99Ms()), m.errors());
        }
        table.print(out);
        out.println();
        printBars(out, r);
        out.println();
        out.println("p50 at 1 client: what the view adds over the unified query, and what RLS + the town context add"
                + " over direct JDBC");
        TextTable overheads = TextTable.of("query", "view over unified ms", "RLS+context over direct ms");
        for (Query q : Query.values()) {
            overheads.row(q.label(), f("%+.3f", r.overheadMs(q, Path.COMPAT_VIEW, Path.UNIFIED)),
                    f("%+.3f", r.overheadMs(q, Path.UNIFIED, Path.DIRECT_JDBC)));
        }
        overheads.print(out);
        out.printf(Locale.ROOT, "the old statement is one autocommit statement on the login's own connection (as the"
                + " old apps send it, no context to set: the login's binding names user and town); the unified and"
                + " direct paths are one pooled transaction each, the unified one setting its context first; %d cores"
                + " shared by clients and server%n", r.cores());
        output.write(r.figures());
        if (r.errors() > 0) {
            out.printf(Locale.ROOT, "%n*** %,d REQUESTS FAILED: these figures are not a valid measurement ***%n",
                    r.errors());
            r.lines().stream().filter(l -> l.result().errors() > 0).forEach(l -> out.printf(Locale.ROOT,
                    "*** %s, %s, %d clients: %,d failed; first: %s%n", l.query().label(), l.path().label(),
                    l.clients(), l.result().errors(), l.result().firstError()));
            out.flush();
            return 1;
        }
        out.println("errors: none");
        return 0;
    }

    /** p50 at 1 client, one bar per question and path: where an old statement's time goes. */
    private static void printBars(PrintWriter out, CompatBenchmark.Report r) {
        BarChart chart = BarChart.of("p50 ms at 1 client", "%.3f");
        r.lines().stream().filter(l -> l.clients() == 1).forEach(l -> chart.bar(label(l), l.result().p50Ms()));
        chart.print(out);
    }

    private static String label(Line l) {
        return l.query().key() + ", " + l.path().key();
    }

    private static String f(String format, Object... values) {
        return String.format(Locale.ROOT, format, values);
    }
}
