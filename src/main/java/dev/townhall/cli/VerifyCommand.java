package dev.townhall.cli;

import dev.townhall.ErrorCode;
import dev.townhall.schema.Verifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

@Command(name = "verify", description = "Check the migrated schema: one PASS/FAIL line per check; non-zero exit on any FAIL.")
final class VerifyCommand implements Callable<Integer> {
    @Mixin
    DatabaseOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Verifier.Report report = Verifier.as(options.service().ready().owner()).run();
        return print(spec.commandLine().getOut(), report);
    }

    static int print(PrintWriter out, Verifier.Report report) {
        report.checks().forEach(check -> out.println("  " + check.line()));
        out.printf("%d checks, %d failed%n", report.checks().size(), report.failures().size());
        return report.passed() ? 0 : ErrorCode.VERIFY_FAILED.exitStatus();
    }
}
