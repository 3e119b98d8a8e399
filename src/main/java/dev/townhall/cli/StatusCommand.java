package dev.townhall.cli;

import dev.townhall.db.Database;
import dev.townhall.db.LocalCluster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Callable;

@Command(name = "status", description = "Show whether the database is running and where it lives.")
final class StatusCommand implements Callable<Integer> {
    @Mixin
    DatabaseOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws SQLException {
        PrintWriter out = spec.commandLine().getOut();
        Database db = options.database();
        if (!db.isLocal()) {
            try (Connection c = db.admin().connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SHOW server_version")) {
                rs.next();
                out.println("external database " + db.admin().describe() + ": reachable, PostgreSQL " + rs.getString(1));
            }
            return 0;
        }
        LocalCluster.Status status = db.cluster().orElseThrow().status();
        if (!status.initialized()) {
            out.println("local cluster: not initialised (./townhall up creates it in " + status.dataDir() + ")");
            return 3;
        }
        out.println("local cluster: " + (status.running() ? "running" : "stopped") + ", port " + status.port()
                + ", data " + status.dataDir() + ", socket " + status.socketDir());
        return status.running() ? 0 : 3;
    }
}
