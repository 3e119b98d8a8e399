package dev.townhall.cli;

import dev.townhall.api.ApiKeyInfo;
import dev.townhall.api.ApiKeys;
import dev.townhall.api.CreatedKey;
import dev.townhall.towns.Role;
import dev.townhall.towns.Towns;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "keys", description = "Make, list and revoke API keys for the service.",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
final class KeysCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "create", description = "Make a key that acts as USER in TOWN; it is printed once and stored only as a hash.")
    static final class Create implements Callable<Integer> {
        @Mixin
        DatabaseOptions options;

        @Option(names = "--user", required = true, paramLabel = "USER", description = "Handle, username or email.")
        String user;

        @Option(names = "--town", required = true, paramLabel = "TOWN")
        String town;

        @Option(names = "--role", paramLabel = "ROLE",
                description = "Lower the key below the user's role in TOWN (e.g. viewer: read only). Default: the user's role.")
        String role;

        @Option(names = "--expires", paramLabel = "AGE", description = "Expire after 90d, 12h, 30m… Default: never.")
        String expires;

        @Option(names = "--name", description = "What the key is for (default: USER@TOWN).")
        String name;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Optional<Role> cap = Optional.ofNullable(role).map(Role::parse);
            var expiresIn = Optional.ofNullable(expires).map(ApiKeys::parseExpiresIn);
            try (Towns towns = TownsCommand.open(options)) {
                CreatedKey created = ApiKeys.on(towns).create(user, town, cap, expiresIn, name);
                ApiKeyInfo info = created.info();
                PrintWriter out = spec.commandLine().getOut();
                out.println(created.secret());
                out.println("This key is shown only once: TownHall stores only its hash. Send it as"
                        + " 'Authorization: Bearer <key>'.");
                out.println("created API key " + info.prefix() + " '" + info.name() + "' (id " + info.id() + "): "
                        + info.user() + " in " + info.town() + " as " + info.role().sqlName() + ", expires "
                        + info.expiresAt().map(KeysCommand::time).orElse("never"));
            }
            return 0;
        }
    }

    @Command(name = "list", description = "The API keys (never their secrets), optionally of one town.")
    static final class ListKeys implements Callable<Integer> {
        @Mixin
        DatabaseOptions options;

        @Option(names = "--town", paramLabel = "TOWN")
        String town;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (Towns towns = TownsCommand.open(options)) {
                Instant now = Instant.now();
                TextTable table = TextTable.of("id", "prefix", "name", "user", "town", "role", "created", "expires",
                        "last used", "status");
                for (ApiKeyInfo key : ApiKeys.on(towns).list(Optional.ofNullable(town))) {
                    table.row(key.id(), key.prefix(), key.name(), key.user(), key.town(), key.role().sqlName(),
                            time(key.createdAt()), key.expiresAt().map(KeysCommand::time).orElse("never"),
                            key.lastUsedAt().map(KeysCommand::time).orElse(""), status(key, now));
                }
                table.print(spec.commandLine().getOut());
            }
            return 0;
        }
    }

    @Command(name = "revoke", description = "Revoke a key by id or prefix; it stops working at once.")
    static final class Revoke implements Callable<Integer> {
        @Mixin
        DatabaseOptions options;

        @Parameters(paramLabel = "KEY_ID_OR_PREFIX")
        String key;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (Towns towns = TownsCommand.open(options)) {
                ApiKeyInfo revoked = ApiKeys.on(towns).revoke(key);
                spec.commandLine().getOut().println("revoked API key " + revoked.prefix() + " '" + revoked.name() + "' ("
                        + revoked.user() + " in " + revoked.town() + ") at " + time(revoked.revokedAt().orElseThrow()));
            }
            return 0;
        }
    }

    private static String status(ApiKeyInfo key, Instant now) {
        if (key.revokedAt().isPresent()) {
            return "revoked";
        }
        return key.expiresAt().filter(at -> !at.isAfter(now)).isPresent() ? "expired" : "active";
    }

    private static String time(Instant at) {
        return at.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
