package dev.townhall.cli;

import dev.townhall.ErrorCode;
import dev.townhall.Intervals;
import dev.townhall.TownHallException;
import dev.townhall.db.Database;
import dev.townhall.ops.Cutover;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code ./townhall cutover freeze | check}: the runbook's freeze and its go/no-go (docs/cutover.md). */
@Command(name = "cutover", description = "The cutover from the old systems (docs/cutover.md): record the freeze, check go/no-go.",
        subcommands = {CutoverCommand.Freeze.class, CutoverCommand.Check.class})
final class CutoverCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "freeze", description = "Record that the old systems take no more writes from now; the final delta"
            + " import must start after it.")
    static final class Freeze implements Callable<Integer> {
        @Mixin
        DatabaseOptions options;

        @Option(names = "--note", paramLabel = "TEXT", description = "What was frozen, by whom.")
        String note;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getOut().println("frozen at " + Cutover.of(options.service().ready())
                    .freeze(Optional.ofNullable(note)) + "; next: ./townhall import --delta --since <the last import's"
                    + " start>, then ./townhall cutover check");
            return 0;
        }
    }

    @Command(name = "check", description = "Measure every go/no-go criterion; exit 0 only when all pass (GO).")
    static final class Check implements Callable<Integer> {
        private static final Pattern PERCENT = Pattern.compile("([0-9]{1,3}(?:\\.[0-9]+)?)%?");

        @Mixin
        DatabaseOptions options;

        @Option(names = "--max-quarantine", paramLabel = "PERCENT", defaultValue = "1%",
                description = "Open quarantine rows allowed, as a share of the legacy rows read (default ${DEFAULT-VALUE}).")
        String maxQuarantine;

        @Option(names = "--backup-within", paramLabel = "AGE", defaultValue = "60m",
                description = "How young the newest verified backup must be: 30m, 2h (default ${DEFAULT-VALUE}).")
        String backupWithin;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Cutover.Thresholds thresholds = new Cutover.Thresholds(percent(maxQuarantine), age(backupWithin));
            Database db = options.service().ready();
            PeerUrls urls = new PeerUrls(options.config().home(), System.getenv());
            Cutover.Report report = Cutover.of(db).check(thresholds, peer -> urls.find(peer.name()));
            PrintWriter out = spec.commandLine().getOut();
            TextTable table = TextTable.of("criterion", "measured", "needs", "result");
            report.criteria().forEach(c -> table.row(c.name(), c.figure(), c.threshold(), c.passed() ? "PASS" : "FAIL"));
            table.print(out);
            long failed = report.criteria().stream().filter(c -> !c.passed()).count();
            out.println(report.go() ? "GO: every criterion passes" : "NO-GO: " + failed + " of "
                    + report.criteria().size() + " criteria fail (docs/cutover.md says what to do)");
            return report.go() ? 0 : ErrorCode.VERIFY_FAILED.exitStatus();
        }

        private static double percent(String text) {
            Matcher m = PERCENT.matcher(text.strip());
            if (!m.matches()) {
                throw TownHallException.forField(ErrorCode.INVALID_INPUT, "max_quarantine",
                        "--max-quarantine is a percentage like 1% or 0.5; got '" + text + "'");
            }
            return Double.parseDouble(m.group(1));
        }

        private static Duration age(String text) {
            return Intervals.parse(text, "backup_within");
        }
    }
}
