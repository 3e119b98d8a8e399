package dev.townhall.cli;

import dev.townhall.compat.CreatedLogin;
import dev.townhall.compat.LoginInfo;
import dev.townhall.compat.Logins;
import dev.townhall.db.Database;
import dev.townhall.towns.Towns;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;

@Command(name = "logins", description = "Make, list and revoke database logins for old services, each bound to one user and town.",
        subcommands = {LoginsCommand.Create.class, LoginsCommand.ListLogins.class, LoginsCommand.Revoke.class})
final class LoginsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "create", description = "Make login NAME acting as USER in TOWN; its URL is printed once.")
    static final class Create implements Callable<Integer> {
        @Mixin
        DatabaseOptions options;

        @Parameters(paramLabel = "NAME", description = "The database login's name: lower-case letters, digits, '_'.")
        String name;

        @Option(names = "--user", required = true, paramLabel = "USER", description = "Handle, username or email.")
        String user;

        @Option(names = "--town", required = true, paramLabel = "TOWN")
        String town;

        @Option(names = "--schema", paramLabel = "SCHEMA",
                description = "The compatibility schema it sees: aurora_compat (default), backend_compat or extension_compat.")
        String schema;

        @Option(names = "--read-only", description = "Act as a viewer: read, never write.")
        boolean readOnly;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            CreatedLogin created = withLogins(options, logins ->
                    logins.create(name, user, town, Optional.ofNullable(schema), readOnly));
            LoginInfo login = created.login();
            PrintWriter out = spec.commandLine().getOut();
            out.println(created.url());
            out.println("This URL is shown only once: store it in the service's secrets now; it cannot be shown again.");
            out.println("created login " + login.name() + ": " + login.user() + " in " + login.town() + ", schema "
                    + login.schema() + (login.readOnly() ? ", read-only" : ""));
            return 0;
        }
    }

    @Command(name = "list", description = "The bound logins (never their passwords).")
    static final class ListLogins implements Callable<Integer> {
        @Mixin
        DatabaseOptions options;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            TextTable table = TextTable.of("name", "user", "town", "schema", "access", "created");
            for (LoginInfo login : withLogins(options, Logins::list)) {
                table.row(login.name(), login.user(), login.town(), login.schema(),
                        login.readOnly() ? "read-only" : "read-write",
                        login.createdAt().truncatedTo(ChronoUnit.SECONDS).toString());
            }
            table.print(spec.commandLine().getOut());
            return 0;
        }
    }

    @Command(name = "revoke", description = "Drop a bound login; its URL stops working and its open sessions end.")
    static final class Revoke implements Callable<Integer> {
        @Mixin
        DatabaseOptions options;

        @Parameters(paramLabel = "NAME")
        String name;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            LoginInfo revoked = withLogins(options, logins -> logins.revoke(name));
            spec.commandLine().getOut().println("revoked login " + revoked.name() + " (" + revoked.user() + " in "
                    + revoked.town() + ")");
            return 0;
        }
    }

    private static <T> T withLogins(DatabaseOptions options, Function<Logins, T> work) {
        Database db = options.service().ready();
        try (Towns towns = Towns.open(db)) {
            return work.apply(Logins.on(db, towns));
        }
    }
}
