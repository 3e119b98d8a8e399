package dev.townhall.cli;

import dev.townhall.db.Database;
import dev.townhall.schema.Migrator;
import dev.townhall.schema.Verifier;
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

@Command(name = "demo", description = "Show the product: start the database, migrate, verify, and print a summary.")
final class DemoCommand implements Callable<Integer> {
    @Mixin
    DatabaseOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws SQLException {
        PrintWriter out = spec.commandLine().getOut();
        Database db = MigrateCommand.ready(options);
        out.println("== database");
        out.println("  " + db.describe());
        try (Connection c = db.owner().connect(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT version()")) {
                rs.next();
                out.println("  " + rs.getString(1));
            }
            out.println("== extensions");
            try (ResultSet rs = s.executeQuery("SELECT extname, extversion FROM pg_extension ORDER BY extname")) {
                while (rs.next()) {
                    out.printf("  %-20s %s%n", rs.getString(1), rs.getString(2));
                }
            }
        }
        out.println("== migrations");
        MigrateCommand.printApplied(out, Migrator.as(db.owner()).migrate(null));
        out.println("== verify");
        int verified = VerifyCommand.print(out, Verifier.as(db.owner()).run());
        out.println("== connect");
        out.println("  JDBC URL: " + db.owner().jdbcUrl() + "   psql: ./townhall psql");
        db.cluster().ifPresent(c -> out.println("  data dir: " + c.dataDir()));
        return verified;
    }
}
