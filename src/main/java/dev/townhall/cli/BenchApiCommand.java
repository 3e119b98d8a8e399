package dev.townhall.cli;

import dev.townhall.bench.ApiBenchmark;
import dev.townhall.bench.ApiBenchmark.Line;
import dev.townhall.bench.ApiBenchmark.Path;
import dev.townhall.bench.ApiBenchmark.Query;
import dev.townhall.bench.LoadGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code ./townhall bench api}: the REST API under load beside the same queries over JDBC, in one run. */
@Command(name = "api", description = {
        "The REST API under load on loopback: a point read, a page of 50 contacts (first and by cursor) and a hybrid"
                + " search at 1, 16 and 64 connections; requests/s, p50/p99 and errors, beside the same queries as the"
                + " app role in a town context and as the owner over direct JDBC.",
        "Uses a scratch database of the local cluster and starts the server in this process; exits 1 if any request"
                + " failed."})
public final class BenchApiCommand implements Callable<Integer> {

    @Mixin
    DatabaseOptions options;

    @Mixin
    BenchOutput output;

    @Option(names = "--contacts", paramLabel = "N", defaultValue = "30000",
            description = "Contacts to load over the three towns, with their companies, deals and activities"
                    + " (default: ${DEFAULT-VALUE}).")
    int contacts;

    @Mixin
    LoadPlanOptions load;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ApiBenchmark.Report r = ApiBenchmark.on(options.service().ready()).run(contacts, load.plan(), line -> {
            out.println("  " + line);
            out.flush();
        });
        out.println();
        out.printf(Locale.ROOT, "bench api: %,d contacts over 3 towns (60/30/10 %%), %,d embedded notes, acting as a"
                + " member of fluenti (30 %%); %s%n", r.contacts(), r.notes(), r.plan());
        TextTable table = TextTable.of("query", "path", "connections", "req/s", "p50 ms", "p99 ms", "errors");
        for (Line l : r.lines()) {
            LoadGenerator.Result m = l.result();
            table.row(l.query().label(), l.path().label(), l.connections(), f("%,.0f", m.requestsPerSecond()),
                    f("%.2f", m.p50Ms()), f("%.2f", m.p99Ms()), m.errors());
        }
        table.print(out);
        out.println();
        printBars(out, r);
        out.println();
        printSteps(out, r);
        out.println();
        out.printf(Locale.ROOT, "routes: %s%n", String.join("; ", List.of(Query.values()).stream()
                .map(q -> q.label() + " = " + q.route()).toList()));
        out.printf(Locale.ROOT, "machine: %d cores shared by the load generator (one thread and one keep-alive"
                + " connection per client) and the server, so the 64-connection lines measure contention as much as"
                + " the server; each JDBC path uses a pool of 8 connections, as the server does%n", r.cores());
        out.printf(Locale.ROOT, "aim: HTTP + key + town context add <= %.1f ms p50 to a point read (1 connection):"
                        + " %+.2f ms over direct JDBC (%+.2f ms over the app role in town context): %s%n",
                ApiBenchmark.AIM_OVERHEAD_MS, r.pointReadOverheadMs(), r.pointReadHttpOverheadMs(),
                r.overheadAimMet() ? "met" : "NOT met");
        out.printf(Locale.ROOT, "aim: >= %,.0f point reads/s over HTTP at %d connections: %,.0f/s: %s%n",
                ApiBenchmark.AIM_POINT_READS_PER_SECOND, ApiBenchmark.AIM_CONNECTIONS, r.pointReadsPerSecond(),
                r.throughputAimMet() ? "met" : "NOT met");
        output.write(r.figures());
        if (r.errors() > 0) {
            out.printf(Locale.ROOT, "%n*** %,d REQUESTS FAILED: these figures are not a valid measurement ***%n",
                    r.errors());
            r.lines().stream().filter(l -> l.result().errors() > 0).forEach(l -> out.printf(Locale.ROOT,
                    "*** %s, %s, %d connections: %,d failed; first: %s%n", l.query().label(), l.path().label(),
                    l.connections(), l.result().errors(), l.result().firstError()));
            out.flush();
            return 1;
        }
        out.println("errors: none");
        return 0;
    }

    /** Requests per second at {@value ApiBenchmark#AIM_CONNECTIONS} connections, one bar per query and path. */
    private static void printBars(PrintWriter out, ApiBenchmark.Report r) {
        BarChart chart = BarChart.of("requests/s at " + ApiBenchmark.AIM_CONNECTIONS + " connections", "%,.0f");
        r.lines().stream().filter(l -> l.connections() == ApiBenchmark.AIM_CONNECTIONS)
                .forEach(l -> chart.bar(label(l), l.result().requestsPerSecond()));
        chart.print(out);
    }

    /** The point read at 1 connection taken apart: each way of asking, and the server's parts timed alone. */
    private static void printSteps(PrintWriter out, ApiBenchmark.Report r) {
        out.println("point read at 1 connection, where the time goes");
        TextTable parts = TextTable.of("part", "p50 ms", "p99 ms");
        for (Path path : List.of(Path.DIRECT_JDBC, Path.APP_JDBC)) {
            r.line(Query.POINT_READ, path, 1).ifPresent(l -> parts.row(path.label(), f("%.3f", l.result().p50Ms()),
                    f("%.3f", l.result().p99Ms())));
        }
        r.steps().forEach((step, m) -> parts.row(step.label(), f("%.3f", m.p50Ms()), f("%.3f", m.p99Ms())));
        r.line(Query.POINT_READ, Path.HTTP, 1).ifPresent(l -> parts.row(Path.HTTP.label(),
                f("%.3f", l.result().p50Ms()), f("%.3f", l.result().p99Ms())));
        parts.print(out);
        out.printf(Locale.ROOT, "HTTP minus the key lookup and the service read (p50): %.3f ms for Jetty and Javalin,"
                + " routing, JSON in and out, metrics, the access log and the loopback round trip%n", r.restOfHttpMs());
    }

    private static String label(Line l) {
        return l.query().label() + ", " + shortName(l.path());
    }

    private static String shortName(Path path) {
        return switch (path) {
            case HTTP -> "HTTP";
            case APP_JDBC -> "app JDBC";
            case DIRECT_JDBC -> "direct JDBC";
        };
    }

    private static String f(String format, Object... values) {
        return String.format(Locale.ROOT, format, values);
    }
}
