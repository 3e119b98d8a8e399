package dev.townhall.cli;

import dev.townhall.towns.Role;
import dev.townhall.towns.Towns;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.concurrent.Callable;

@Command(name = "members", description = "Give users roles in towns.", subcommands = MembersCommand.Add.class)
final class MembersCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "add", description = "Make USER a member of TOWN with a role (owner, admin, member, viewer, service).")
    static final class Add implements Callable<Integer> {
        @Mixin
        DatabaseOptions options;

        @Parameters(index = "0", paramLabel = "USER")
        String user;

        @Parameters(index = "1", paramLabel = "TOWN")
        String town;

        @Option(names = "--role", defaultValue = "member", description = "Default: ${DEFAULT-VALUE}.")
        String role;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Role parsed = Role.parse(role);
            try (Towns towns = TownsCommand.open(options)) {
                towns.addMember(user, town, parsed);
                spec.commandLine().getOut().println(user + " is now " + parsed.sqlName() + " of " + town);
            }
            return 0;
        }
    }
}
