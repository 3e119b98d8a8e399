package dev.townhall.testing;

import dev.townhall.cli.Main;
import dev.townhall.db.Database;
import dev.townhall.db.Endpoint;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;

/** One in-process run of the CLI: its exit status and what it printed to stdout and stderr. */
public record CliRun(int status, String out, String err) {
    private static final String APP_PASSWORD_PROPERTY = "townhall.app.password";

    public static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new CliRun(status, out.toString(), err.toString());
    }

    /**
     * One run against {@code db} given as an external server: {@code --database-url} with its owner login, and the
     * application role's password where the CLI reads it (restored afterwards).
     */
    public static CliRun against(Database db, String... args) {
        return against(db, db.owner(), args);
    }

    /**
     * As {@link #against(Database, String...)}, with {@code login} in {@code --database-url} instead of the owner: the
     * superuser for commands that create roles ({@code logins}).
     */
    public static CliRun against(Database db, Endpoint login, String... args) {
        String[] withUrl = Arrays.copyOf(args, args.length + 2);
        withUrl[args.length] = "--database-url";
        withUrl[args.length + 1] = databaseUrl(login);
        String previous = System.getProperty(APP_PASSWORD_PROPERTY);
        System.setProperty(APP_PASSWORD_PROPERTY, db.app().password());
        try {
            return of(withUrl);
        } finally {
            if (previous == null) {
                System.clearProperty(APP_PASSWORD_PROPERTY);
            } else {
                System.setProperty(APP_PASSWORD_PROPERTY, previous);
            }
        }
    }

    /** {@code postgresql://user:password@host:port/database} for {@code --database-url}. */
    public static String databaseUrl(Endpoint e) {
        return "postgresql://" + e.user() + ":" + e.password() + "@" + e.host() + ":" + e.port() + "/" + e.database();
    }
}
