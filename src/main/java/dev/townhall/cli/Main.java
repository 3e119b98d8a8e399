package dev.townhall.cli;

import dev.townhall.TownHallException;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** {@code ./townhall}: parses the command line, runs one command, maps failures to one line and an exit status. */
@Command(name = "townhall", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT,
        version = "TownHall 0.1.0",
        description = "One PostgreSQL home for the towns of an organisation: schema, isolation, import, search, sync.",
        subcommands = {
                UpCommand.class,
                DownCommand.class,
                StatusCommand.class,
                PsqlCommand.class,
                MigrateCommand.class,
                VerifyCommand.class,
                TownsCommand.class,
                UsersCommand.class,
                MembersCommand.class,
                ShareCommand.class,
                UnshareCommand.class,
                MoveCommand.class,
                AsCommand.class,
                DemoCommand.class,
                BenchCommand.class,
                LegacyCommand.class,
                ImportCommand.class,
                EmbedCommand.class,
                ReleaseCommand.class,
                SearchCommand.class,
                KeysCommand.class,
                LoginsCommand.class,
                SyncCommand.class,
                CutoverCommand.class,
                QuarantineCommand.class,
                RetentionCommand.class,
                ServeCommand.class,
                McpCommand.class,
                DoctorCommand.class,
                BackupCommand.class,
                RestoreCommand.class,
                CommandLine.HelpCommand.class
        },
        footer = {"", "Launcher commands (./townhall only):",
                "  test      Install what is missing, then run the full test suite (mvn verify)."})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit status (for tests: no System.exit). */
    public static int execute(String... args) {
        return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs the command line with the given output streams and returns the exit status. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler(Main::onFailure);
        cli.setParameterExceptionHandler(Main::onBadArguments);
        return cli.execute(args);
    }

    private static int onFailure(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        if (e instanceof TownHallException t && t.code().userError()) {
            err.println("townhall: " + t.getMessage());
            err.flush();
            return t.code().exitStatus();
        }
        err.println("townhall: internal error (a bug; please report it with the trace below)");
        e.printStackTrace(err);
        err.flush();
        return dev.townhall.ErrorCode.INTERNAL.exitStatus();
    }

    private static int onBadArguments(CommandLine.ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        err.println("townhall: " + e.getMessage() + " (see ./townhall "
                + e.getCommandLine().getCommandSpec().qualifiedName(" ").replaceFirst("^townhall ?", "")
                + (e.getCommandLine().getCommandSpec().parent() == null ? "" : " ") + "--help)");
        err.flush();
        return dev.townhall.ErrorCode.INVALID_INPUT.exitStatus();
    }
}
