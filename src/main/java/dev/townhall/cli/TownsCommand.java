package dev.townhall.cli;

import dev.townhall.towns.Town;
import dev.townhall.towns.TownContext;
import dev.townhall.towns.Towns;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "towns", description = "List and create towns.",
        subcommands = {TownsCommand.ListTowns.class, TownsCommand.Create.class})
final class TownsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Opens {@link Towns} on the migrated database named by the options. */
    static Towns open(DatabaseOptions options) {
        return Towns.open(options.service().ready());
    }

    @Command(name = "list", description = "Towns with the rows each holds, as the owner or as USER@TOWN sees them.")
    static final class ListTowns implements Callable<Integer> {
        @Mixin
        DatabaseOptions options;

        @Option(names = "--as", paramLabel = "USER@TOWN", description = "Count only what this user, acting in this town, may see.")
        String actor;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (Towns towns = open(options)) {
                Optional<TownContext> caller = Optional.ofNullable(actor).map(towns::as);
                printVisibleCounts(out, towns, caller);
            }
            return 0;
        }
    }

    /** One row per town, one column per domain schema: the rows of that town the caller can see. */
    static void printVisibleCounts(PrintWriter out, Towns towns, Optional<TownContext> caller) {
        Map<String, Map<String, Long>> counts = towns.visibleCounts(caller);
        List<String> schemas = counts.keySet().stream().map(t -> t.substring(0, t.indexOf('.'))).distinct().toList();
        List<String> header = new ArrayList<>(List.of("town", "capital"));
        header.addAll(schemas);
        header.add("total");
        TextTable table = TextTable.of(header);
        for (Town town : towns.towns()) {
            List<String> row = new ArrayList<>(List.of(town.slug(), town.capital() ? "yes" : ""));
            long total = 0;
            for (String schema : schemas) {
                long n = counts.entrySet().stream().filter(e -> e.getKey().startsWith(schema + "."))
                        .mapToLong(e -> e.getValue().getOrDefault(town.slug(), 0L)).sum();
                row.add(Long.toString(n));
                total += n;
            }
            row.add(Long.toString(total));
            table.row(row);
        }
        table.print(out);
    }

    @Command(name = "create", description = "Create a town in the organisation.")
    static final class Create implements Callable<Integer> {
        @Mixin
        DatabaseOptions options;

        @Parameters(paramLabel = "NAME", description = "Short name: lower-case letters, digits, '-'.")
        String name;

        @Option(names = "--title", description = "Display name (default: NAME).")
        String title;

        @Option(names = "--capital", description = "Make it the capital (the previous capital stops being one).")
        boolean capital;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (Towns towns = open(options)) {
                Town town = towns.create(name, title, capital);
                spec.commandLine().getOut().println("created town " + town.slug() + (town.capital() ? " (capital)" : "")
                        + " " + town.id());
            }
            return 0;
        }
    }
}
