package dev.townhall.cli;

import dev.townhall.db.Database;
import dev.townhall.ops.Backups;
import dev.townhall.ops.Manifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;

@Command(name = "backup", subcommands = BackupCommand.Verify.class, description = {
        "Back up the TownHall database: pg_dump custom format plus FILE.manifest.json (TownHall version, migration,"
                + " the dump's sha256 and size, per table and per town: rows and a content checksum, read in the"
                + " dump's own snapshot); recorded in ops.backups.",
        "--town exports one town: its rows, rows shared with it or with every town, and the organisation's directory;"
                + " no other town's private row (needs the local cluster for a scratch database)."})
final class BackupCommand implements Callable<Integer> {
    @Mixin
    DatabaseOptions options;

    @Option(names = "--to", paramLabel = "DIR", description = "Write into DIR (default: <home>/backups).")
    Path to;

    @Option(names = "--town", paramLabel = "TOWN", description = "A town-only export of this town (by slug).")
    String town;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Database db = options.service().ready();
        Path dir = to != null ? to : options.config().home().resolve("backups");
        Path file = Backups.defaultFile(dir, Optional.ofNullable(town), Instant.now());
        BackupProgress progress = new BackupProgress(out);
        Backups backups = Backups.of(db);
        Backups.Taken taken = town == null ? backups.backup(file, progress) : backups.backupTown(town, file, progress);
        progress.finish();
        Manifest m = taken.manifest();
        out.printf(Locale.ROOT, "backup %s: %s (%,d bytes, sha256 %s) in %.1f s%n", m.kind()
                        + (m.town() == null ? "" : " of " + m.town()), taken.file(), m.dump().bytes(),
                m.dump().sha256(), taken.elapsed().toMillis() / 1000.0);
        out.printf(Locale.ROOT, "manifest: %s (migration %s, last changeset %s)%n", taken.manifestFile(),
                m.migration().tag() == null ? "untagged" : m.migration().tag(), m.migration().lastChangeset());
        TextTable table = TextTable.of("schema", "tables", "rows");
        summary(m).forEach((schema, sums) -> table.row(schema, sums[0], String.format(Locale.ROOT, "%,d", sums[1])));
        table.print(out);
        return 0;
    }

    /** Tables and rows per schema: the manifest has them per table, which is too long to print. */
    static Map<String, long[]> summary(Manifest m) {
        Map<String, long[]> perSchema = new TreeMap<>();
        m.tables().forEach((name, t) -> {
            long[] sums = perSchema.computeIfAbsent(name.substring(0, name.indexOf('.')), k -> new long[2]);
            sums[0]++;
            sums[1] += t.rows();
        });
        return perSchema;
    }

    @Command(name = "verify", description = {
            "Restore FILE into a scratch database of the local cluster and compare it with its manifest, table by"
                    + " table; on a match, ops.backups records when the file was verified.",
            "Exits non-zero on any difference."})
    static final class Verify implements Callable<Integer> {
        @Mixin
        DatabaseOptions options;

        @Parameters(paramLabel = "FILE", description = "The dump (its manifest is FILE.manifest.json).")
        Path file;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            BackupProgress progress = new BackupProgress(out);
            Backups.Restored r = Backups.of(options.service().ready()).verify(file, progress);
            progress.finish();
            return RestoreCommand.report(out, spec.commandLine().getErr(), "verify", file, r);
        }
    }
}
