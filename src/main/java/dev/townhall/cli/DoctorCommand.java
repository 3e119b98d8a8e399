package dev.townhall.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.townhall.ErrorCode;
import dev.townhall.ops.Doctor;
import dev.townhall.ops.DoctorSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code ./townhall doctor}: one line per {@link dev.townhall.ops.DoctorCheck} with its figure, OK / WARN / FAIL and
 * thresholds. Exit status 0 unless a check FAILs, then {@link ErrorCode#VERIFY_FAILED} (18), as {@code verify}.
 */
@Command(name = "doctor", description = {"Check the database's health: sizes, rows per town, unused indexes, slow"
        + " queries, bloat, connections, long transactions, sync, embedding queue, verified backups, quarantine.",
        "One line per check (OK / WARN / FAIL and its thresholds); exit status 18 when any check FAILs.",
        "Thresholds: doctor.<check>.warn / .fail in townhall.conf or TOWNHALL_DOCTOR_<CHECK>_WARN / _FAIL."})
final class DoctorCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Mixin
    DatabaseOptions options;

    @Option(names = "--json", description = "Print the checks as JSON.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws JsonProcessingException {
        DoctorSettings settings = DoctorSettings.resolve();
        settings.check();
        Doctor.Report report = Doctor.as(options.service().ready().owner(), settings).run();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(JSON.writeValueAsString(report));
        } else {
            TextTable table = TextTable.of("check", "figure", "status", "thresholds", "detail");
            report.checks().forEach(c -> table.row(c.name(), c.figure(), c.status(), c.thresholds(), c.detail()));
            table.print(out);
            out.printf("%d checks: %d OK, %d WARN, %d FAIL%n", report.checks().size(), report.count(Doctor.Status.OK),
                    report.count(Doctor.Status.WARN), report.count(Doctor.Status.FAIL));
        }
        out.flush();
        return report.failed() ? ErrorCode.VERIFY_FAILED.exitStatus() : 0;
    }
}
