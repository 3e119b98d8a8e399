package dev.townhall.cli;

import dev.townhall.db.Endpoint;
import dev.townhall.ops.Backups;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "restore", description = {
        "Restore a backup into the database at URL (its user must be able to own the objects: the owner role or a"
                + " superuser). The file is checked against its manifest (sha256) and read as an archive first; a"
                + " target holding TownHall tables is refused unless --force; after the restore the content is"
                + " compared with the manifest, table by table.",
        "Exits non-zero on any difference."})
final class RestoreCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The dump (its manifest is FILE.manifest.json).")
    Path file;

    @Option(names = "--into", paramLabel = "URL", required = true,
            description = "The target: postgresql://user:password@host:port/db (or PGPASSWORD for the password).")
    String into;

    @Option(names = "--force", description = "Replace what the target holds (its schemas of the backup are dropped).")
    boolean force;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        BackupProgress progress = new BackupProgress(out);
        Backups.Restored r = Backups.restore(file, Endpoint.parse(into), force, progress);
        progress.finish();
        return report(out, spec.commandLine().getErr(), "restore", file, r);
    }

    /** The comparison with the manifest: a per-schema table when equal, each difference otherwise (exit 1). */
    static int report(PrintWriter out, PrintWriter err, String what, Path file, Backups.Restored r) {
        if (!r.matches()) {
            err.printf(Locale.ROOT, "townhall: %s of %s: %d difference(s) from its manifest:%n", what, file,
                    r.differences().size());
            r.differences().forEach(d -> err.println("  " + d));
            err.flush();
            return 1;
        }
        out.printf(Locale.ROOT, "%s of %s: matches its manifest (%d tables) in %.1f s%n", what, file,
                r.expected().tables().size(), r.elapsed().toMillis() / 1000.0);
        TextTable table = TextTable.of("schema", "tables", "rows");
        BackupCommand.summary(r.expected()).forEach((schema, sums) ->
                table.row(schema, sums[0], String.format(Locale.ROOT, "%,d", sums[1])));
        table.print(out);
        return 0;
    }
}
