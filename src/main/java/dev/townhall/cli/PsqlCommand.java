package dev.townhall.cli;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Database;
import dev.townhall.db.Endpoint;
import dev.townhall.db.LocalCluster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Unmatched;

import sun.misc.Signal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "psql", description = "Open psql on the TownHall database as the owner role; extra arguments go to psql.")
final class PsqlCommand implements Callable<Integer> {
    @Mixin
    DatabaseOptions options;

    /** Everything after the command, in order: picocli hands over what it does not recognise as ours. */
    @Unmatched
    List<String> psqlArgs = new ArrayList<>();

    @Override
    public Integer call() throws InterruptedException {
        Database db = options.database();
        Endpoint owner = db.owner();
        List<String> command = new ArrayList<>();
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        if (db.isLocal()) {
            LocalCluster cluster = db.cluster().orElseThrow();
            if (!cluster.status().running()) {
                throw new TownHallException(ErrorCode.DB_UNREACHABLE, "the local cluster is not running; start it with ./townhall up");
            }
            command.add(cluster.binaries().program("psql").toString());
            command.addAll(List.of("-h", cluster.socketDir().toString()));
        } else {
            command.add("psql");
            command.addAll(List.of("-h", owner.host()));
        }
        command.addAll(List.of("-p", Integer.toString(owner.port()), "-U", owner.user(), "-d", owner.database()));
        if (owner.password() != null) {
            builder.environment().put("PGPASSWORD", owner.password()); // never on the command line, where ps shows it
        }
        command.addAll(psqlArgs);
        try {
            Process psql = builder.start();
            // Ctrl-C reaches psql and this JVM alike (one process group); psql cancels its query, and the JVM must
            // not die and leave psql orphaned on the terminal
            Signal.handle(new Signal("INT"), signal -> { });
            return psql.waitFor();
        } catch (IOException e) {
            throw new TownHallException(ErrorCode.BINARIES_MISSING, "cannot run psql: " + e.getMessage()
                    + " (install the PostgreSQL client, e.g. scripts/install-deps)", e);
        }
    }
}
