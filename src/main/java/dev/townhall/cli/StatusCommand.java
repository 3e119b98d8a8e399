package dev.townhall.cli;

import dev.townhall.ErrorCode;
import dev.townhall.db.DatabaseService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code ./townhall status}: prints the {@link DatabaseService.StatusReport}. Exit status: 0 when the database runs;
 * the status of the report's {@link DatabaseService.StatusReport#problem() problem} otherwise
 * ({@link ErrorCode#DB_UNREACHABLE}, 10, for a local cluster that is stopped or not initialised); an external server
 * that cannot be reached fails with the usual one-line error and its code.
 */
@Command(name = "status", description = "Show whether the database is running and where it lives"
        + " (exit status 0 when running, 10 when not).")
final class StatusCommand implements Callable<Integer> {
    @Mixin
    DatabaseOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        DatabaseService.StatusReport status = options.service().status();
        out.println(switch (status.state()) {
            case REACHABLE -> "external database " + status.where() + ": reachable, PostgreSQL "
                    + status.serverVersion().orElse("?");
            case NOT_INITIALISED -> "local cluster: not initialised (./townhall up creates it in "
                    + status.dataDir().orElseThrow() + ")";
            case RUNNING, STOPPED -> "local cluster: " + (status.running() ? "running" : "stopped") + ", port "
                    + status.port() + ", data " + status.dataDir().orElseThrow() + ", socket "
                    + status.socketDir().orElseThrow();
        });
        return status.problem().map(ErrorCode::exitStatus).orElse(0);
    }
}
