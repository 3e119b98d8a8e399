package dev.townhall.cli;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.towns.Towns;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.UUID;
import java.util.concurrent.Callable;

@Command(name = "unshare", description = "Make a shared row private to its town again.")
final class UnshareCommand implements Callable<Integer> {
    @Mixin
    DatabaseOptions options;

    @Parameters(index = "0", paramLabel = "TABLE")
    String table;

    @Parameters(index = "1", paramLabel = "ID")
    UUID id;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try (Towns towns = TownsCommand.open(options)) {
            if (!towns.unshare(table, id)) {
                throw new TownHallException(ErrorCode.NOT_FOUND, "no row " + id + " in " + table);
            }
        }
        spec.commandLine().getOut().println("unshared " + table + " " + id);
        return 0;
    }
}
