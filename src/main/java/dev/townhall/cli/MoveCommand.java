package dev.townhall.cli;

import dev.townhall.towns.Towns;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.UUID;
import java.util.concurrent.Callable;

@Command(name = "move", description = "Move a row (and the rows that hang off it) to another town.")
final class MoveCommand implements Callable<Integer> {
    @Mixin
    DatabaseOptions options;

    @Parameters(index = "0", paramLabel = "TABLE")
    String table;

    @Parameters(index = "1", paramLabel = "ID")
    UUID id;

    @Option(names = "--to", required = true, paramLabel = "TOWN")
    String town;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try (Towns towns = TownsCommand.open(options)) {
            towns.move(table, id, town);
        }
        spec.commandLine().getOut().println("moved " + table + " " + id + " to " + town);
        return 0;
    }
}
