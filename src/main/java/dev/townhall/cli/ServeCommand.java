package dev.townhall.cli;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.api.ApiKeys;
import dev.townhall.api.ApiServer;
import dev.townhall.api.ServerSettings;
import dev.townhall.db.Database;
import dev.townhall.ops.BackupSchedule;
import dev.townhall.ops.Doctor;
import dev.townhall.ops.DoctorGauges;
import dev.townhall.ops.DoctorSettings;
import dev.townhall.records.Records;
import dev.townhall.schema.Migrator;
import dev.townhall.search.EmbeddingProvider;
import dev.townhall.search.EmbeddingProviders;
import dev.townhall.search.Search;
import dev.townhall.towns.Towns;
import io.micrometer.core.instrument.Metrics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./townhall serve}: the REST API, the console, {@code /health} and {@code /metrics} over HTTP until Ctrl-C,
 * which stops the server, then closes the model and the pools.
 */
@Command(name = "serve", description = {"Serve the REST API (/api/v1), the console (/), the contract (/api-docs),"
        + " /health and /metrics (with the doctor's figures) over HTTP until Ctrl-C.",
        "Settings: api.* in townhall.conf or TOWNHALL_API_* (statement timeout, rate limit, threads)."})
final class ServeCommand implements Callable<Integer> {
    @Mixin
    DatabaseOptions options;

    @Option(names = "--port", paramLabel = "N", description = "Port to listen on (default: " + ServerSettings.DEFAULT_PORT
            + "; 0: any free port).")
    Integer port;

    @Option(names = "--bind", paramLabel = "ADDR", description = "Address to listen on (default: "
            + ServerSettings.DEFAULT_BIND + "; 0.0.0.0: every interface).")
    String bind;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        Map<String, String> flags = new HashMap<>();
        if (port != null) {
            flags.put(ServerSettings.Key.PORT.confKey(), port.toString());
        }
        if (bind != null) {
            flags.put(ServerSettings.Key.BIND.confKey(), bind);
        }
        ServerSettings settings = ServerSettings.resolve(flags);
        DoctorSettings doctorSettings = DoctorSettings.resolve();
        // read now, so a bad threshold stops serve before it listens rather than at the first scrape
        doctorSettings.check();
        BackupSchedule.Settings backupSettings = BackupSchedule.Settings.resolve();
        Database db = options.service().ready();
        requireCurrentSchema(db);
        PrintWriter out = spec.commandLine().getOut();
        CountDownLatch stopped = new CountDownLatch(1);
        Towns towns = Towns.open(db);
        EmbeddingProvider provider = null;
        ApiServer server;
        try {
            provider = EmbeddingProviders.fromConfig();
            server = ApiServer.start(db, towns, ApiKeys.on(towns), Records.load(towns), Search.with(provider), settings);
        } catch (RuntimeException e) {
            if (provider != null) {
                provider.close();
            }
            towns.close();
            throw e;
        }
        EmbeddingProvider model = provider;
        // the doctor reads as the owner (statistics of every role, owner-only tables); /metrics joins the global registry
        DoctorGauges doctor = DoctorGauges.register(Doctor.as(db.owner(), doctorSettings),
                doctorSettings.metricsEvery(), Metrics.globalRegistry);
        Path backupDir = options.config().home().resolve("backups");
        Optional<BackupSchedule> backups = BackupSchedule.start(db, backupDir, backupSettings, line -> {
            out.println(line);
            out.flush();
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            backups.ifPresent(BackupSchedule::close);
            doctor.close();
            model.close();
            towns.close();
            stopped.countDown();
        }, "townhall-serve-stop"));
        out.println("TownHall serves " + server.url() + " (console)");
        out.println("  API " + server.url() + "api/v1 (Authorization: Bearer <key from ./townhall keys create>)");
        out.println("  MCP " + server.url() + "mcp (streamable HTTP, same Bearer key)");
        out.println("  contract " + server.url() + "api-docs, health " + server.url() + "health, metrics "
                + server.url() + "metrics");
        out.println("  " + settings);
        out.println("  " + backupSettings.every().map(every -> "backups every " + every.toMinutes() + " min into "
                + backupDir + ", the newest " + backupSettings.keep() + " kept (backup.every, backup.keep)")
                .orElse("no scheduled backups (set backup.every, e.g. 6h)"));
        out.println("Ctrl-C stops.");
        out.flush();
        stopped.await();
        return 0;
    }

    /** Serving a schema this build does not match answers every request with errors; say so and stop first. */
    private static void requireCurrentSchema(Database db) {
        Migrator.StatusReport status = Migrator.as(db.owner()).status();
        if (!status.historyDifferences().isEmpty()) {
            throw new TownHallException(ErrorCode.CHECKSUM_MISMATCH, "the database's schema history differs from this"
                    + " build (" + status.historyDifferences().get(0) + "); see ./townhall migrate status");
        }
        if (!status.pending().isEmpty()) {
            throw new TownHallException(ErrorCode.CONFIG, "the database lacks " + status.pending().size()
                    + " changesets of this build; run ./townhall migrate first");
        }
    }
}
