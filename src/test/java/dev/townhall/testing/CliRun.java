package dev.townhall.testing;

import dev.townhall.cli.Main;
import dev.townhall.db.Endpoint;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One in-process run of the CLI: its exit status and what it printed to stdout and stderr. */
public record CliRun(int status, String out, String err) {

    public static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new CliRun(status, out.toString(), err.toString());
    }

    /** {@code postgresql://user:password@host:port/database} for {@code --database-url}. */
    public static String databaseUrl(Endpoint e) {
        return "postgresql://" + e.user() + ":" + e.password() + "@" + e.host() + ":" + e.port() + "/" + e.database();
    }
}
