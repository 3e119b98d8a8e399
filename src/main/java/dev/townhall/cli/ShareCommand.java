package dev.townhall.cli;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.towns.Towns;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;

@Command(name = "share", description = "Share a row with other towns (all towns of the organisation unless --with).")
final class ShareCommand implements Callable<Integer> {
    @Mixin
    DatabaseOptions options;

    @Parameters(index = "0", paramLabel = "TABLE", description = "schema.table, e.g. memory.knowledge_base")
    String table;

    @Parameters(index = "1", paramLabel = "ID")
    UUID id;

    @Option(names = "--with", split = ",", paramLabel = "TOWN", description = "Only these towns.")
    List<String> with = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try (Towns towns = TownsCommand.open(options)) {
            if (!towns.share(table, id, with)) {
                throw new TownHallException(ErrorCode.NOT_FOUND, "no row " + id + " in " + table);
            }
        }
        spec.commandLine().getOut().println("shared " + table + " " + id + " with "
                + (with.isEmpty() ? "every town of the organisation" : String.join(", ", with)));
        return 0;
    }
}
