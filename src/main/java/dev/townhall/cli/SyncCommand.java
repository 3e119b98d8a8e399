package dev.townhall.cli;

import dev.townhall.ErrorCode;
import dev.townhall.Intervals;
import dev.townhall.TownHallException;
import dev.townhall.db.Database;
import dev.townhall.db.Endpoint;
import dev.townhall.sync.Conflict;
import dev.townhall.sync.Conflicts;
import dev.townhall.sync.ContinuousSync;
import dev.townhall.sync.Convergence;
import dev.townhall.sync.FlowReport;
import dev.townhall.sync.ParkedChange;
import dev.townhall.sync.ParkedChanges;
import dev.townhall.sync.Peer;
import dev.townhall.sync.PeerStatus;
import dev.townhall.sync.Policies;
import dev.townhall.sync.Peers;
import dev.townhall.sync.PruneReport;
import dev.townhall.sync.RunReport;
import dev.townhall.sync.SyncAgent;
import dev.townhall.sync.VerifyReport;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

@Command(name = "sync", description = "Sync with other TownHall databases (peers): add, remove, run, status, verify, conflicts, parked, policy.",
        subcommands = {SyncCommand.AddPeer.class, SyncCommand.RemovePeer.class, SyncCommand.Run.class,
                SyncCommand.Status.class, SyncCommand.Verify.class, SyncCommand.ConflictsCommand.class,
                SyncCommand.Policy.class, SyncCommand.ParkedCommand.class})
final class SyncCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "add-peer", description = "Add peer NAME: a TownHall database at this migration version, reached as its owner.")
    static final class AddPeer implements Callable<Integer> {
        @Mixin
        DatabaseOptions options;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--url", required = true, paramLabel = "URL",
                description = "postgresql://owner:password@host:port/db; kept in <home>/peers/NAME.url (0600), never printed.")
        String url;

        @Option(names = "--town", paramLabel = "TOWN", description = "A town replica: only this town plus what is shared with it.")
        String town;

        @Option(names = "--direction", paramLabel = "both|push|pull", defaultValue = "both")
        String direction;

        @Option(names = "--replica-of", paramLabel = "TOWN",
                description = "This database is a town replica of the peer: it receives only TOWN plus what is shared"
                        + " with it, and may write only TOWN's rows there.")
        String replicaOf;

        @Option(names = "--as", paramLabel = "NAME",
                description = "The name the peer lists this database by (default: this machine's name).")
        String as;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Database db = options.service().ready();
            Endpoint peerOwner = Endpoint.parse(url);
            Peers peers = Peers.of(db);
            Peer peer = peers.add(name, peerOwner, Optional.ofNullable(town), direction);
            String listedAs;
            try {
                listedAs = peers.registerAt(peerOwner, as == null ? machineName() : as, Optional.ofNullable(replicaOf));
            } catch (TownHallException e) {
                peers.remove(name);
                throw e;
            }
            new PeerUrls(options.config().home(), System.getenv()).store(name, url);
            spec.commandLine().getOut().println("added peer " + peer.name() + " (" + peer.endpoint() + ", node "
                    + peer.nodeId() + ", " + peer.direction() + (town == null ? "" : ", town " + town)
                    + "); it lists this database as " + listedAs + (replicaOf == null ? "" : ", a replica of " + replicaOf));
            return 0;
        }

        /** This machine's name as a peer name (lower case, '-' for anything else), or "replica". */
        static String machineName() {
            String host = Optional.ofNullable(System.getenv("HOSTNAME")).filter(h -> !h.isBlank()).orElseGet(() -> {
                try {
                    return InetAddress.getLocalHost().getHostName();
                } catch (UnknownHostException e) {
                    return "replica";
                }
            });
            String name = host.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-")
                    .replaceAll("^[^a-z0-9]+", "");
            return name.isEmpty() ? "replica" : name.substring(0, Math.min(name.length(), 63));
        }
    }

    @Command(name = "remove-peer", description = "Stop syncing with peer NAME and forget its URL.")
    static final class RemovePeer implements Callable<Integer> {
        @Mixin
        DatabaseOptions options;

        @Parameters(paramLabel = "NAME")
        String name;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Peers peers = Peers.of(options.service().ready());
            PeerUrls urls = new PeerUrls(options.config().home(), System.getenv());
            PrintWriter out = spec.commandLine().getOut();
            Peer peer = peers.get(name);
            urls.find(name).ifPresent(peerOwner -> {
                try {
                    if (peers.deregisterAt(peerOwner)) {
                        out.println("the peer no longer lists this database");
                    }
                } catch (TownHallException e) {
                    out.println("the peer could not be reached to remove this database's listing there ("
                            + e.getMessage().lines().findFirst().orElse("") + "); remove it there with ./townhall sync"
                            + " remove-peer, or it holds back pruning of its change log");
                }
            });
            peers.remove(peer.name());
            urls.forget(name);
            out.println("removed peer " + peer.name());
            return 0;
        }
    }

    @Command(name = "run", description = "Sync with every peer: pull their changes, push ours; once, every interval, or"
            + " continuously until Ctrl-C.")
    static final class Run implements Callable<Integer> {
        private static final List<String> COUNTS = List.of("pulled", "pushed", "applied", "conflicts", "parked");
        /** A peer with no URL on this machine: it registered itself here with sync add-peer and runs the flows. */
        private static final String PASSIVE = "syncs with us by its own agent (no URL here)";

        @Mixin
        DatabaseOptions options;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Mode mode;

        static final class Mode {
            @Option(names = "--once", required = true, description = "One run over all peers, then exit.")
            boolean once;

            @Option(names = "--every", required = true, paramLabel = "INTERVAL",
                    description = "Run over all peers every INTERVAL (30s, 5m, 1h) until Ctrl-C; one line per run.")
            String every;

            @Option(names = "--continuous", required = true,
                    description = "Run over all peers back to back until Ctrl-C, pausing 0.2 s only when nothing was"
                            + " read, pruning every 30 s; one line per run that synced something or failed.")
            boolean continuous;
        }

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Optional<Duration> every = Optional.ofNullable(mode.every).map(Run::interval);
            Database db = options.service().ready();
            PeerUrls urls = new PeerUrls(options.config().home(), System.getenv());
            SyncAgent agent = SyncAgent.of(db);
            PrintWriter out = spec.commandLine().getOut();
            if (every.isPresent()) {
                untilStopped("syncing every " + every.get().toSeconds() + " s", stop -> {
                    do {
                        out.println(runLine(db, urls, agent));
                        out.flush();
                    } while (!stop.await(every.get().toMillis(), TimeUnit.MILLISECONDS));
                }, out);
                return 0;
            }
            if (mode.continuous) {
                ContinuousSync loop = ContinuousSync.of(db, agent, peer -> urls.find(peer.name()));
                untilStopped("syncing continuously", stop -> loop.run(stop, round -> {
                    roundLines(round).forEach(out::println);
                    out.flush();
                }), out);
                return 0;
            }
            List<String> header = new ArrayList<>(List.of("peer"));
            header.addAll(COUNTS);
            TextTable table = TextTable.of(header);
            List<Peer> peers = Peers.of(db).list();
            List<String> passive = new ArrayList<>();
            for (Peer peer : peers) {
                Optional<Endpoint> url = urls.find(peer.name());
                if (url.isEmpty()) {
                    passive.add(peer.name());
                    continue;
                }
                RunReport r = agent.runOnce(peer, url.get());
                List<String> row = new ArrayList<>(List.of(r.peer()));
                counts(r).forEach(n -> row.add(Integer.toString(n)));
                table.row(row);
            }
            table.print(out);
            passive.forEach(name -> out.println(name + ": " + PASSIVE));
            out.println(pruned(agent.prune(peers)));
            return 0;
        }

        /** What pruning after the runs did, or why our change log was kept whole. */
        private static String pruned(PruneReport p) {
            String keys = p.appliedKeys() + " applied-change keys";
            return p.blockedBy()
                    .map(why -> "pruned " + keys + "; change log kept: " + why)
                    .orElse("pruned " + p.changes() + " acknowledged changes, " + keys);
        }

        /** The numbers named by {@link #COUNTS}. */
        private static List<Integer> counts(RunReport r) {
            FlowReport in = r.pulled();
            FlowReport out = r.pushed();
            return List.of(in.read(), out.read(), in.applied() + out.applied(), in.conflicts() + out.conflicts(),
                    in.parked() + out.parked());
        }

        /** A whole number of seconds, minutes, hours or days ({@link Intervals}). */
        static Duration interval(String text) {
            return Intervals.parse(text, "every");
        }

        /**
         * One line per run: every peer's counts, or its error (a peer that is down does not stop the others or the
         * next run).
         */
        private static String runLine(Database db, PeerUrls urls, SyncAgent agent) {
            StringBuilder line = new StringBuilder(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
            List<Peer> peers = Peers.of(db).list();
            if (peers.isEmpty()) {
                return line.append(" no peers (see ./townhall sync add-peer)").toString();
            }
            for (Peer peer : peers) {
                line.append(' ').append(peer.name()).append(": ");
                Optional<Endpoint> url = urls.find(peer.name());
                if (url.isEmpty()) {
                    line.append(PASSIVE).append(';');
                    continue;
                }
                try {
                    List<Integer> counts = counts(agent.runOnce(peer, url.get()));
                    for (int i = 0; i < COUNTS.size(); i++) {
                        line.append(i == 0 ? "" : ", ").append(COUNTS.get(i)).append(' ').append(counts.get(i));
                    }
                    line.append(';');
                } catch (TownHallException e) {
                    line.append("failed: ").append(e.getMessage().lines().findFirst().orElse("")).append(';');
                }
            }
            try {
                line.append(' ').append(pruned(agent.prune(peers)));
            } catch (TownHallException e) {
                line.append(" prune failed: ").append(e.getMessage().lines().findFirst().orElse(""));
            }
            return line.toString();
        }

        /**
         * A continuous round's lines: one per peer run that read something, one per failure, one for a prune that
         * deleted something or was blocked; nothing for an idle round.
         */
        private static List<String> roundLines(ContinuousSync.Round round) {
            String now = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
            List<String> lines = new ArrayList<>();
            for (RunReport r : round.runs()) {
                List<Integer> counts = counts(r);
                if (counts.get(0) + counts.get(1) > 0) {
                    StringBuilder line = new StringBuilder(now).append(' ').append(r.peer()).append(": ");
                    for (int i = 0; i < COUNTS.size(); i++) {
                        line.append(i == 0 ? "" : ", ").append(COUNTS.get(i)).append(' ').append(counts.get(i));
                    }
                    lines.add(line.toString());
                }
            }
            for (ContinuousSync.Failure f : round.failures()) {
                lines.add(now + " " + f.peer().map(name -> name + " failed: ").orElse("prune failed: ") + f.message());
            }
            round.pruned().filter(p -> p.changes() > 0 || p.blockedBy().isPresent())
                    .ifPresent(p -> lines.add(now + " " + pruned(p)));
            return lines;
        }

        /** A loop that returns when {@code stop} is counted down. */
        @FunctionalInterface
        interface StoppableLoop {
            void run(CountDownLatch stop) throws InterruptedException;
        }

        /** Runs {@code loop} until Ctrl-C; the hook lets the run under way finish, then waits for it to end. */
        private static void untilStopped(String banner, StoppableLoop loop, PrintWriter out) {
            CountDownLatch stop = new CountDownLatch(1);
            CountDownLatch finished = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                stop.countDown();
                try {
                    finished.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "townhall-sync-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            out.println(banner + " (Ctrl-C to stop)");
            out.flush();
            try {
                loop.run(stop);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                out.println("stopped");
                out.flush();
                finished.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the JVM is already stopping (Ctrl-C): the hook has run and waits for nothing now
                }
            }
        }
    }

    @Command(name = "status", description = "Per peer and direction: queued, in flight, last success, lag, last error, parked.")
    static final class Status implements Callable<Integer> {
        @Mixin
        DatabaseOptions options;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Database db = options.service().ready();
            PeerUrls urls = new PeerUrls(options.config().home(), System.getenv());
            SyncAgent agent = SyncAgent.of(db);
            TextTable table = TextTable.of("peer", "direction", "queued", "in flight", "last success", "lag",
                    "last error", "parked");
            List<String> unreachable = new ArrayList<>();
            for (Peer peer : Peers.of(db).list()) {
                PeerStatus s = agent.status(peer, urls.find(peer.name()));
                row(table, s.peer(), "pull", s.pull());
                if (s.unreachable().isPresent()) {
                    table.row(s.peer(), "push", "?", "?", "?", "?", "?", "?");
                } else {
                    row(table, s.peer(), "push", s.push());
                }
                s.unreachable().ifPresent(why -> unreachable.add("peer " + s.peer() + " cannot be asked: " + why));
            }
            PrintWriter out = spec.commandLine().getOut();
            table.print(out);
            unreachable.forEach(out::println);
            return 0;
        }

        private static void row(TextTable table, String peer, String direction, PeerStatus.Flow f) {
            table.row(peer, direction, known(f.queued()), known(f.inFlight()),
                    f.lastSuccess().map(t -> t.truncatedTo(ChronoUnit.SECONDS).toString()).orElse("never"),
                    f.lag().map(Duration::toSeconds).map(s -> s + " s").orElse("-"), f.lastError().orElse("-"),
                    known(f.parked()));
        }

        private static String known(OptionalLong n) {
            return n.isPresent() ? Long.toString(n.getAsLong()) : "?";
        }
    }

    @Command(name = "verify", description = "Compare this database with peer NAME (or every peer) table by table by row"
            + " hashes, over what the peer is meant to hold; exit 6 on divergence. Run it when both sides are quiet.")
    static final class Verify implements Callable<Integer> {
        @Mixin
        DatabaseOptions options;

        @Parameters(paramLabel = "NAME", arity = "0..1", description = "One peer; default: every peer.")
        String name;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Database db = options.service().ready();
            PeerUrls urls = new PeerUrls(options.config().home(), System.getenv());
            PrintWriter out = spec.commandLine().getOut();
            List<Peer> peers = name == null
                    // every peer this machine can reach; one that syncs by its own agent verifies from its side
                    ? Peers.of(db).list().stream().filter(peer -> urls.find(peer.name()).isPresent()).toList()
                    : List.of(Peers.of(db).get(name));
            if (peers.isEmpty()) {
                out.println("no peers to verify from here (see ./townhall sync add-peer)");
                return 0;
            }
            List<VerifyReport> reports = peers.stream()
                    .map(peer -> Convergence.of(db).verify(peer, urls.endpoint(peer.name()))).toList();
            // tables empty on both sides are left out: a town replica holds few of them
            TextTable table = TextTable.of("peer", "table", "here", "there", "missing there", "missing here", "different");
            for (VerifyReport report : reports) {
                for (VerifyReport.Table t : report.tables()) {
                    if (t.rowsHere() > 0 || t.rowsThere() > 0) {
                        table.row(report.peer(), t.name(), t.rowsHere(), t.rowsThere(), t.missingThere(),
                                t.missingHere(), t.different());
                    }
                }
            }
            table.print(out);
            for (VerifyReport report : reports) {
                for (VerifyReport.Table t : report.diverged()) {
                    ids(out, report.peer(), t.name(), "missing there", t.missingThere(), t.missingThereIds());
                    ids(out, report.peer(), t.name(), "missing here", t.missingHere(), t.missingHereIds());
                    ids(out, report.peer(), t.name(), "different", t.different(), t.differentIds());
                }
            }
            for (VerifyReport report : reports) {
                out.println(report.converged()
                        ? "OK " + report.peer() + ": " + report.tables().size() + " tables converged"
                        : "DIVERGED " + report.peer() + ": " + String.join(", ",
                                report.diverged().stream().map(VerifyReport.Table::name).toList()));
            }
            return reports.stream().allMatch(VerifyReport::converged) ? 0 : ErrorCode.CONFLICT.exitStatus();
        }

        private static void ids(PrintWriter out, String peer, String table, String kind, long count, List<UUID> sample) {
            if (count > 0) {
                out.println(peer + " " + table + " " + kind + " (" + count + "): "
                        + String.join(", ", sample.stream().map(UUID::toString).toList())
                        + (count > sample.size() ? ", …" : ""));
            }
        }
    }

    @Command(name = "conflicts", description = "List kept sync conflicts, or resolve one by hand (--resolve ID --keep local|remote).")
    static final class ConflictsCommand implements Callable<Integer> {
        @Mixin
        DatabaseOptions options;

        @Option(names = "--peer", paramLabel = "NAME", description = "Only conflicts with this peer's changes.")
        String peer;

        @Option(names = "--status", paramLabel = "decided|needs_review|resolved|dismissed|all", defaultValue = "all")
        String status;

        @Option(names = "--resolve", paramLabel = "ID", description = "Write the kept version of this conflict's row here, mark it resolved, audit it.")
        UUID resolve;

        @Option(names = "--keep", paramLabel = "local|remote", description = "With --resolve: the version to keep.")
        String keep;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Conflicts conflicts = Conflicts.of(options.service().ready());
            PrintWriter out = spec.commandLine().getOut();
            if (resolve != null) {
                if (keep == null) {
                    throw TownHallException.forField(ErrorCode.INVALID_INPUT, "keep", "--resolve needs --keep local or --keep remote");
                }
                Conflict c = conflicts.resolve(resolve, keep);
                out.println("resolved conflict " + c.id() + " (" + c.table() + " " + c.rowId() + "): kept " + c.winner());
                return 0;
            }
            if (keep != null) {
                throw TownHallException.forField(ErrorCode.INVALID_INPUT, "keep", "--keep goes with --resolve ID");
            }
            TextTable table = TextTable.of("id", "table", "row", "detected", "policy", "winner", "status", "local hlc",
                    "remote hlc", "peer");
            for (Conflict c : conflicts.list(Optional.ofNullable(peer), status)) {
                table.row(c.id().toString(), c.table(), c.rowId().toString(),
                        c.detectedAt().truncatedTo(ChronoUnit.SECONDS).toString(), c.policy(), c.winner(), c.status(),
                        c.localHlc(), c.remoteHlc(), c.peer().orElse("-"));
            }
            table.print(out);
            return 0;
        }
    }

    @Command(name = "policy", description = "Show how conflicts are decided, or set a table's policy (--set TABLE=POLICY)"
            + " or the town order for shared rows (--town-order A,B,C). Set the same on every peer.")
    static final class Policy implements Callable<Integer> {
        @Mixin
        DatabaseOptions options;

        @Option(names = "--set", paramLabel = "TABLE=POLICY",
                description = "town_precedence (default), capital_wins or last_write_wins; repeatable.")
        List<String> set = List.of();

        @Option(names = "--town-order", paramLabel = "A,B,C", split = ",",
                description = "Towns first to last: under town_precedence a shared row's conflict goes to the earlier writer town.")
        List<String> townOrder;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Policies policies = Policies.of(options.service().ready());
            for (String assignment : set) {
                int eq = assignment.indexOf('=');
                if (eq <= 0) {
                    throw TownHallException.forField(ErrorCode.INVALID_INPUT, "set",
                            "--set takes TABLE=POLICY, like crm.contacts=last_write_wins; got '" + assignment + "'");
                }
                policies.setPolicy(assignment.substring(0, eq).strip(), assignment.substring(eq + 1).strip());
            }
            if (townOrder != null) {
                policies.setTownOrder(townOrder.stream().map(String::strip).toList());
            }
            Policies.Settings settings = policies.current();
            PrintWriter out = spec.commandLine().getOut();
            TextTable table = TextTable.of("table", "policy");
            settings.tables().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> table.row(e.getKey(), e.getValue()));
            table.print(out);
            out.println("town order for shared rows: " + (settings.townOrder().isEmpty()
                    ? "none (a shared row's conflict goes to the later clock)" : String.join(" > ", settings.townOrder())));
            if (!set.isEmpty() || townOrder != null) {
                out.println("changed here (audited); set the same on every peer: sync refuses to run between nodes that"
                        + " decide conflicts differently");
            }
            return 0;
        }
    }

    @Command(name = "parked", description = "List the changes from peers set aside here: a clock too far ahead, a town"
            + " replica's write it may not make (neither is ever applied), or an apply that kept failing (retried every run).")
    static final class ParkedCommand implements Callable<Integer> {
        @Mixin
        DatabaseOptions options;

        @Option(names = "--peer", paramLabel = "NAME", description = "Only changes from this peer.")
        String peer;

        @Option(names = "--reason", paramLabel = "clock_skew|not_permitted|apply_error")
        String reason;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            List<ParkedChange> parked = ParkedChanges.of(options.service().ready())
                    .list(Optional.ofNullable(peer), Optional.ofNullable(reason));
            TextTable table = TextTable.of("from", "change", "table", "row", "operation", "reason", "retries", "parked",
                    "last error");
            for (ParkedChange p : parked) {
                table.row(p.source(), Long.toString(p.changeId()), p.table(), p.rowId().toString(), p.operation(),
                        p.reason(), Integer.toString(p.retries()), p.parkedAt().truncatedTo(ChronoUnit.SECONDS).toString(),
                        p.lastError());
            }
            table.print(spec.commandLine().getOut());
            return 0;
        }
    }
}
