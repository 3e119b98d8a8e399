package dev.townhall.cli;

import dev.townhall.schema.Changesets;
import dev.townhall.schema.Release;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code ./townhall release VERSION}: the one way released changesets enter the lock (docs/releasing.md). */
@Command(name = "release", description = {
        "Freeze every unreleased changeset as release VERSION: add the changeset that tags the schema vVERSION and"
                + " append them all to the release lock (src/main/resources/db/changelog-lock.tsv).",
        "Works on the source tree, not a database; then commit and `git tag vVERSION`."})
final class ReleaseCommand implements Callable<Integer> {
    @Parameters(paramLabel = "VERSION", description = "MAJOR.MINOR.PATCH, e.g. 0.2.0")
    String version;

    @Option(names = "--source", paramLabel = "DIR", defaultValue = "src/main/resources",
            description = "The resource root of the checkout (default: ${DEFAULT-VALUE}).")
    Path source;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Release.Report report = Release.inSourceTree(source).freeze(version);
        for (Changesets.Changeset cs : report.released()) {
            out.println("  released " + cs.id() + "  (" + cs.file() + ")");
        }
        out.printf("release %s: %d changesets frozen in %s; commit them, then git tag v%s%n", report.version(),
                report.released().size(), report.lock(), report.version());
        return 0;
    }
}
