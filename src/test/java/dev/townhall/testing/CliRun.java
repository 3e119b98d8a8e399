package dev.townhall.testing;

import dev.townhall.cli.Main;
import dev.townhall.db.Database;
import dev.townhall.db.Endpoint;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;

/** One in-process run of the CLI: its exit status and what it printed to stdout and stderr. */
public record CliRun(int status, String out, String err) {

    public static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new CliRun(status, out.toString(), err.toString());
    }

    /**
     * Runs the CLI against {@code db}: its owner URL appended as {@code --database-url}, the app role's password
     * handed over as the system property an external server needs.
     */
    public static CliRun against(Database db, String... args) {
        String[] withUrl = Arrays.copyOf(args, args.length + 2);
        withUrl[args.length] = "--database-url";
        withUrl[args.length + 1] = databaseUrl(db.owner());
        System.setProperty("townhall.app.password", db.app().password());
        try {
            return of(withUrl);
        } finally {
            System.clearProperty("townhall.app.password");
        }
    }

    /** {@code postgresql://user:password@host:port/database} for {@code --database-url}. */
    public static String databaseUrl(Endpoint e) {
        return "postgresql://" + e.user() + ":" + e.password() + "@" + e.host() + ":" + e.port() + "/" + e.database();
    }
}
