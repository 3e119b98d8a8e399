package dev.townhall.cli;

import dev.townhall.towns.Towns;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.UUID;
import java.util.concurrent.Callable;

@Command(name = "users", description = "Add users to the organisation.", subcommands = UsersCommand.Add.class)
final class UsersCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "add", description = "Add a user (then give them a town with: members add).")
    static final class Add implements Callable<Integer> {
        @Mixin
        DatabaseOptions options;

        @Parameters(paramLabel = "EMAIL")
        String email;

        @Option(names = "--handle", required = true, description = "Short id used in USER@TOWN, e.g. allan.")
        String handle;

        @Option(names = "--first-name")
        String firstName;

        @Option(names = "--last-name")
        String lastName;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (Towns towns = TownsCommand.open(options)) {
                UUID id = towns.addUser(email, handle, firstName, lastName);
                spec.commandLine().getOut().println("added user " + handle + " <" + email + "> " + id);
            }
            return 0;
        }
    }
}
