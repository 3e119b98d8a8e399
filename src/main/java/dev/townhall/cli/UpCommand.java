package dev.townhall.cli;

import dev.townhall.db.Database;
import dev.townhall.db.DatabaseService;
import dev.townhall.db.LocalCluster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.OptionalInt;
import java.util.concurrent.Callable;

@Command(name = "up", description = "Start the local PostgreSQL cluster (or reuse it) and print how to connect.")
final class UpCommand implements Callable<Integer> {
    @Mixin
    DatabaseOptions options;

    @Option(names = "--port", paramLabel = "N", description = "Listen on this loopback port (default: a free one).")
    Integer port;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        DatabaseService.StartReport report = options.service()
                .start(port == null ? OptionalInt.empty() : OptionalInt.of(port));
        Database db = report.database();
        if (report.started().isEmpty()) {
            out.println("using the external database " + db.admin().describe() + "; nothing to start");
            return 0;
        }
        LocalCluster.Started started = report.started().get();
        LocalCluster cluster = db.cluster().orElseThrow();
        out.println((started.reused() ? "reusing" : started.initialized() ? "initialised and started" : "started")
                + " PostgreSQL " + cluster.binaries().version() + " in " + cluster.dataDir());
        if (started.portNote() != null) {
            out.println(started.portNote());
        }
        out.println("JDBC URL : " + db.owner().jdbcUrl() + "   (passwords in " + cluster.root().resolve("cluster.properties") + ")");
        out.println("psql     : ./townhall psql   or   psql -h '" + cluster.socketDir() + "' -p " + cluster.port()
                + " -U " + Database.OWNER_ROLE + " " + db.databaseName());
        return 0;
    }
}
