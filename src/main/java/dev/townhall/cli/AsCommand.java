package dev.townhall.cli;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.towns.QueryResult;
import dev.townhall.towns.Towns;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

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
