package dev.townhall.cli;

import dev.townhall.bench.LoadGenerator;
import dev.townhall.bench.McpBenchmark;
import dev.townhall.bench.McpBenchmark.Line;
import dev.townhall.bench.McpBenchmark.Path;
import dev.townhall.bench.McpBenchmark.Tool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code ./townhall bench mcp}: MCP tool-call latency over stdio and HTTP beside the service and direct JDBC. */
@Command(name = "mcp", description = {
        "MCP tool-call latency: search_memory (hybrid) and get_record (a contact) called by the SDK's own client over"
                + " stdio and over streamable HTTP, at 1 and 8 clients; calls/s, p50/p99 and errors, beside the same"
                + " work as a service call in the key's context and, for get_record, direct JDBC as the owner.",
        "Uses a scratch database of the local cluster and starts the server in this process; exits 1 if any call"
                + " failed."})
public final class BenchMcpCommand implements Callable<Integer> {
    @Mixin
    DatabaseOptions options;

    @Mixin
    BenchOutput output;

    @Mixin
    LoadPlanOptions load;

    @Option(names = "--contacts", paramLabel = "N", defaultValue = "30000",
            description = "Contacts to load over the three towns, with their companies, deals and activities"
                    + " (default: ${DEFAULT-VALUE}).")
    int contacts;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        McpBenchmark.Report r = McpBenchmark.on(options.service().ready()).run(contacts, load.plan(), line -> {
            out.println("  " + line);
            out.flush();
        });
        out.println();
        out.printf(Locale.ROOT, "bench mcp: %,d contacts over 3 towns, %,d embedded notes, acting as a member of"
                + " fluenti; %s%n", r.contacts(), r.notes(), r.plan());
        TextTable table = TextTable.of("tool", "path", "clients", "calls/s", "p50 ms", "p99 ms", "errors");
        for (Line l : r.lines()) {
            LoadGenerator.Result m = l.result();
            table.row(l.tool().label(), l.path().label(), l.clients(), f("%,.0f", m.requestsPerSecond()),
                    f("%.2f", m.p50Ms()), f("%.2f", m.p99Ms()), m.errors());
        }
        table.print(out);
        out.println();
        printBars(out, r);
        out.println();
        for (Tool tool : Tool.values()) {
            out.printf(Locale.ROOT, "%s at 1 client, p50 over the service call: stdio %+.2f ms, HTTP %+.2f ms%n",
                    tool.label(), r.overheadMs(tool, Path.MCP_STDIO), r.overheadMs(tool, Path.MCP_HTTP));
        }
        out.printf(Locale.ROOT, "every MCP call also writes its audit row (a transaction of its own); the stdio"
                + " server runs in this process on OS pipes, so the process boundary is not measured; %d cores shared"
                + " by clients and server%n", r.cores());
        output.write(r.figures());
        if (r.errors() > 0) {
            out.printf(Locale.ROOT, "%n*** %,d CALLS FAILED: these figures are not a valid measurement ***%n", r.errors());
            r.lines().stream().filter(l -> l.result().errors() > 0).forEach(l -> out.printf(Locale.ROOT,
                    "*** %s, %s, %d clients: %,d failed; first: %s%n", l.tool().label(), l.path().label(),
                    l.clients(), l.result().errors(), l.result().firstError()));
            out.flush();
            return 1;
        }
        out.println("errors: none");
        return 0;
    }

    /** p50 at 1 client, one bar per tool and path: where a call's time goes. */
    private static void printBars(PrintWriter out, McpBenchmark.Report r) {
        BarChart chart = BarChart.of("p50 ms at 1 client", "%.2f");
        r.lines().stream().filter(l -> l.clients() == 1).forEach(l -> chart.bar(label(l), l.result().p50Ms()));
        chart.print(out);
    }

    private static String label(Line l) {
        return l.tool().key() + ", " + l.path().key();
    }

    private static String f(String format, Object... values) {
        return String.format(Locale.ROOT, format, values);
    }
}
