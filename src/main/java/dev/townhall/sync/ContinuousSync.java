package dev.townhall.sync;

import dev.townhall.TownHallException;
import dev.townhall.db.Database;
import dev.townhall.db.Endpoint;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs the agent back to back over every peer until stopped, so a commit is visible on the peers within about a
 * round (decision 48): a round that read something is followed at once by the next; one that read nothing by an
 * idle pause. The log is pruned at most every {@code pruneEvery}, not every round. A peer that fails is retried
 * after a pause that doubles up to {@link #MAX_RETRY_PAUSE}, so a peer that is down neither floods the output nor
 * delays the others.
 */
public final class ContinuousSync {
    public static final Duration IDLE_PAUSE = Duration.ofMillis(200);
    public static final Duration PRUNE_EVERY = Duration.ofSeconds(30);
    static final Duration FIRST_RETRY_PAUSE = Duration.ofSeconds(1);
    static final Duration MAX_RETRY_PAUSE = Duration.ofSeconds(30);

    /** A peer's run that failed, or a prune that failed ({@code peer} empty). */
    public record Failure(Optional<String> peer, String message) {
    }

    /**
     * One pass over the peers: their runs, the failures, and the prune when one was due. {@link #readSomething()}
     * says whether the next round follows at once.
     */
    public record Round(List<RunReport> runs, List<Failure> failures, Optional<PruneReport> pruned) {
        public boolean readSomething() {
            return runs.stream().anyMatch(r -> r.pulled().read() + r.pushed().read() > 0);
        }
    }

    private final Database db;
    private final SyncAgent agent;
    private final Function<Peer, Optional<Endpoint>> endpoints;
    private final Duration idlePause;
    private final Duration pruneEvery;
    private final Map<String, Retry> retries = new HashMap<>();
    private long lastPruneNanos;
    private boolean prunedOnce;

    private record Retry(long atNanos, Duration pause) {
    }

    private ContinuousSync(Database db, SyncAgent agent, Function<Peer, Optional<Endpoint>> endpoints, Duration idlePause,
                           Duration pruneEvery) {
        this.db = db;
        this.agent = agent;
        this.endpoints = endpoints;
        this.idlePause = idlePause;
        this.pruneEvery = pruneEvery;
    }

    /**
     * Syncs {@code db}'s peers (listed anew each round) reached through {@code endpoints}, with the default pauses; a
     * peer with no endpoint here syncs with us by its own agent and is left to it.
     */
    public static ContinuousSync of(Database db, SyncAgent agent, Function<Peer, Optional<Endpoint>> endpoints) {
        return new ContinuousSync(db, agent, endpoints, IDLE_PAUSE, PRUNE_EVERY);
    }

    /** As {@link #of}, with other pauses (tests, benchmarks). */
    public static ContinuousSync of(Database db, SyncAgent agent, Function<Peer, Optional<Endpoint>> endpoints,
                                    Duration idlePause, Duration pruneEvery) {
        return new ContinuousSync(db, agent, endpoints, idlePause, pruneEvery);
    }

    /**
     * Rounds until {@code stop} is counted down; the round under way finishes first. Each round is handed to
     * {@code rounds} (also the idle ones: the caller decides what to print).
     */
    public void run(CountDownLatch stop, Consumer<Round> rounds) throws InterruptedException {
        while (stop.getCount() > 0) {
            Round round = round();
            rounds.accept(round);
            if (!round.readSomething() && stop.await(idlePause.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
        }
    }

    /** One pass over the peers that are not waiting to be retried, then the prune if one is due. */
    Round round() {
        List<RunReport> runs = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        List<Peer> peers = Peers.of(db).list();
        for (Peer peer : peers) {
            Retry retry = retries.get(peer.name());
            if (retry != null && System.nanoTime() - retry.atNanos() < 0) {
                continue;
            }
            Optional<Endpoint> endpoint = endpoints.apply(peer);
            if (endpoint.isEmpty()) {
                continue;
            }
            try {
                runs.add(agent.runOnce(peer, endpoint.get()));
                retries.remove(peer.name());
            } catch (TownHallException e) {
                Duration pause = retry == null ? FIRST_RETRY_PAUSE : min(retry.pause().multipliedBy(2), MAX_RETRY_PAUSE);
                retries.put(peer.name(), new Retry(System.nanoTime() + pause.toNanos(), pause));
                failures.add(new Failure(Optional.of(peer.name()), firstLine(e)));
            }
        }
        Optional<PruneReport> pruned = Optional.empty();
        if (!prunedOnce || System.nanoTime() - lastPruneNanos >= pruneEvery.toNanos()) {
            prunedOnce = true;
            lastPruneNanos = System.nanoTime();
            try {
                pruned = Optional.of(agent.prune(peers));
            } catch (TownHallException e) {
                failures.add(new Failure(Optional.empty(), firstLine(e)));
            }
        }
        return new Round(runs, failures, pruned);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String firstLine(TownHallException e) {
        return e.getMessage().lines().findFirst().orElse("");
    }
}
