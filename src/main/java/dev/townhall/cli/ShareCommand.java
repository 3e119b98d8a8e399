package dev.townhall.cli;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.towns.QueryResult;
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

@Command(name = "as", description = "Run SQL as USER acting in TOWN (row-level security applies): as USER@TOWN sql \"…\"")
final class AsCommand implements Callable<Integer> {
    @Mixin
    DatabaseOptions options;

    @Parameters(index = "0", paramLabel = "USER@TOWN")
    String actor;

    @Parameters(index = "1", paramLabel = "sql", description = "The word 'sql'.")
    String verb;

    @Parameters(index = "2", paramLabel = "STATEMENT")
    String statement;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (!verb.equals("sql")) {
            throw new TownHallException(ErrorCode.INVALID_INPUT, "expected: as USER@TOWN sql \"STATEMENT\", got '" + verb + "'");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (Towns towns = TownsCommand.open(options)) {
            QueryResult result = Towns.sql(towns.as(actor), statement);
            if (result.columns().isEmpty()) {
                out.println(result.updateCount() + " row(s) affected");
                return 0;
            }
            TextTable table = TextTable.of(result.columns());
            result.rows().forEach(table::row);
            table.print(out);
            out.println("(" + result.rows().size() + " row" + (result.rows().size() == 1 ? "" : "s") + ")");
        }
        return 0;
    }
}
