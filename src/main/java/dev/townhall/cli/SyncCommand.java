package dev.townhall.cli;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Database;
import dev.townhall.db.Endpoint;
import dev.townhall.sync.Conflict;
import dev.townhall.sync.Conflicts;
import dev.townhall.sync.FlowReport;
import dev.townhall.sync.Peer;
import dev.townhall.sync.PeerStatus;
import dev.townhall.sync.Peers;
import dev.townhall.sync.RunReport;
import dev.townhall.sync.SyncAgent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;

@Command(name = "sync", description = "Sync with other TownHall databases (peers): add, remove, run once, status.",
        subcommands = {SyncCommand.AddPeer.class, SyncCommand.RemovePeer.class, SyncCommand.Run.class,
                SyncCommand.Status.class, SyncCommand.ConflictsCommand.class})
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

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Database db = options.service().ready();
            Peer peer = Peers.of(db).add(name, Endpoint.parse(url), Optional.ofNullable(town), direction);
            new PeerUrls(options.config().home(), System.getenv()).store(name, url);
            spec.commandLine().getOut().println("added peer " + peer.name() + " (" + peer.endpoint() + ", node "
                    + peer.nodeId() + ", " + peer.direction() + (town == null ? "" : ", town " + town) + ")");
            return 0;
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
            Peer peer = Peers.of(options.service().ready()).remove(name);
            new PeerUrls(options.config().home(), System.getenv()).forget(name);
            spec.commandLine().getOut().println("removed peer " + peer.name());
            return 0;
        }
    }

    @Command(name = "run", description = "Sync with every peer: pull their changes, push ours.")
    static final class Run implements Callable<Integer> {
        @Mixin
        DatabaseOptions options;

        @Option(names = "--once", required = true, description = "One run over all peers, then exit (continuous mode is not built yet).")
        boolean once;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Database db = options.service().ready();
            PeerUrls urls = new PeerUrls(options.config().home(), System.getenv());
            SyncAgent agent = SyncAgent.of(db);
            TextTable table = TextTable.of("peer", "pulled", "pushed", "applied", "conflicts", "parked");
            for (Peer peer : Peers.of(db).list()) {
                RunReport r = agent.runOnce(peer, urls.endpoint(peer.name()));
                FlowReport in = r.pulled();
                FlowReport out = r.pushed();
                table.row(r.peer(), Integer.toString(in.read()), Integer.toString(out.read()),
                        Integer.toString(in.applied() + out.applied()), Integer.toString(in.conflicts() + out.conflicts()),
                        Integer.toString(in.parked() + out.parked()));
            }
            table.print(spec.commandLine().getOut());
            return 0;
        }
    }

    @Command(name = "status", description = "Per peer and direction: queued, last success, lag, last error, parked.")
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
            TextTable table = TextTable.of("peer", "direction", "queued", "last success", "lag", "last error", "parked");
            for (Peer peer : Peers.of(db).list()) {
                PeerStatus s = agent.status(peer, urls.endpoint(peer.name()));
                row(table, s.peer(), "pull", s.pull());
                row(table, s.peer(), "push", s.push());
            }
            PrintWriter out = spec.commandLine().getOut();
            table.print(out);
            return 0;
        }

        private static void row(TextTable table, String peer, String direction, PeerStatus.Flow f) {
            table.row(peer, direction, Long.toString(f.queued()),
                    f.lastSuccess().map(t -> t.truncatedTo(ChronoUnit.SECONDS).toString()).orElse("never"),
                    f.lag().map(Duration::toSeconds).map(s -> s + " s").orElse("-"), f.lastError().orElse("-"),
                    Long.toString(f.parked()));
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
}
