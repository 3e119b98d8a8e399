package dev.townhall.cli;

import dev.townhall.db.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

@Command(name = "down", description = "Stop the local PostgreSQL cluster (data is kept).")
final class DownCommand implements Callable<Integer> {
    @Mixin
    DatabaseOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Database db = options.database();
        if (!db.isLocal()) {
            out.println("using the external database " + db.admin().describe() + "; TownHall does not stop it");
            return 0;
        }
        boolean stopped = db.cluster().orElseThrow().stop();
        out.println(stopped ? "stopped the local cluster" : "the local cluster is not running");
        return 0;
    }
}
