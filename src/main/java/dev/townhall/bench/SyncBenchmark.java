package dev.townhall.bench;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Bootstrap;
import dev.townhall.db.Database;
import dev.townhall.db.Endpoint;
import dev.townhall.db.Identifiers;
import dev.townhall.db.LocalCluster;
import dev.townhall.db.ScratchDatabase;
import dev.townhall.schema.Migrator;
import dev.townhall.sync.ContinuousSync;
import dev.townhall.sync.Peer;
import dev.townhall.sync.Peers;
import dev.townhall.sync.SyncAgent;
import dev.townhall.towns.Role;
import dev.townhall.towns.TownContext;
import dev.townhall.towns.Towns;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One-way replication of app writes to {@code crm.contacts} on loopback, by TownHall's sync in continuous mode beside
 * PostgreSQL's own logical replication (a publication and a subscription) as the reference, in the same run on the
 * same cluster (decision 48). Each system gets its own pair of scratch databases copied from one migrated template.
 * Measured per system: with 1 and 4 writers writing flat out for a phase, the changes delivered per second and the
 * lag of each transaction (its commit on the source → first seen by a watcher polling the target); and the catch-up
 * time of a backlog written while the peer was down (the sync loop stopped; the subscription disabled).
 */
public final class SyncBenchmark {
    public static final List<Integer> WRITERS = List.of(1, 4);
    public static final int MIN_BACKLOG = 500;
    public static final int MAX_BACKLOG = 2_000_000;
    public static final Duration MIN_PHASE = Duration.ofSeconds(1);
    public static final Duration MAX_PHASE = Duration.ofMinutes(10);

    private static final String PREFIX = "townhall_bench_sync";
    private static final String TEMPLATE = PREFIX + "_template";
    private static final String TOWNHALL_SOURCE = PREFIX + "_a";
    private static final String TOWNHALL_TARGET = PREFIX + "_b";
    private static final String NATIVE_SOURCE = PREFIX + "_pub";
    private static final String NATIVE_TARGET = PREFIX + "_sub";
    /** The publication, its slot and the subscription share this name. */
    private static final String REPLICATION = PREFIX;
    private static final String TOWN = "fluenti";
    private static final String WRITER = "bench-sync-writer";
    /** The backlog's transactions: each inserts this many contacts and updates the previous transaction's. */
    private static final int BACKLOG_BATCH = 250;
    /** The watcher asks for at most this many of the oldest unseen transactions per poll. */
    private static final int WATCH_WINDOW = 2_000;
    private static final Duration POLL = Duration.ofMillis(10);
    private static final Duration CATCH_UP_POLL = Duration.ofMillis(100);
    private static final Duration WARM_UP = Duration.ofSeconds(2);

    /** What replicates. */
    public enum Replication {
        TOWNHALL("townhall", "TownHall sync (continuous)"),
        NATIVE("native", "PostgreSQL logical replication");

        private final String key;
        private final String label;

        Replication(String key, String label) {
            this.key = key;
            this.label = label;
        }

        public String key() {
            return key;
        }

        public String label() {
            return label;
        }
    }

    /** How long each writer phase lasts and how many changes the catch-up backlog holds. */
    public record Settings(Duration phase, int backlog) {
        public Settings {
            if (phase.compareTo(MIN_PHASE) < 0 || phase.compareTo(MAX_PHASE) > 0) {
                throw TownHallException.forField(ErrorCode.INVALID_INPUT, "seconds", String.format(
                        "--seconds must be between %d and %d, got %d", MIN_PHASE.toSeconds(), MAX_PHASE.toSeconds(),
                        phase.toSeconds()));
            }
            if (backlog < MIN_BACKLOG || backlog > MAX_BACKLOG) {
                throw TownHallException.forField(ErrorCode.INVALID_INPUT, "backlog", String.format(
                        "--backlog must be between %,d and %,d changes, got %,d", MIN_BACKLOG, MAX_BACKLOG, backlog));
            }
        }
    }

    /** A writer phase: {@code changes} written; lags of every transaction, in ms; unseen = never arrived. */
    public record Phase(Replication replication, int writers, long changes, long transactions, double writtenPerSecond,
                        double deliveredPerSecond, double lagP50Ms, double lagP99Ms, double lagMaxMs, long unseen) {
    }

    /** A backlog of {@code changes} written while the peer was down, and how long the peer took to hold it all. */
    public record CatchUp(Replication replication, long changes, double seconds, boolean complete) {
        public double changesPerSecond() {
            return changes / seconds;
        }
    }

    /** A step of the run, for a progress line: {@code done} of {@code total} after {@code elapsed}. */
    public record Progress(String what, long done, long total, Duration elapsed) {
    }

    /** Everything one run measured. */
    public record Report(Settings settings, int cores, List<Phase> phases, List<CatchUp> catchUps) {
        public Optional<Phase> phase(Replication r, int writers) {
            return phases.stream().filter(p -> p.replication() == r && p.writers() == writers).findFirst();
        }

        public Optional<CatchUp> catchUp(Replication r) {
            return catchUps.stream().filter(c -> c.replication() == r).findFirst();
        }

        /** Transactions that never arrived and backlogs that were not complete: a run with any is not valid. */
        public long failures() {
            return phases.stream().mapToLong(Phase::unseen).sum() + catchUps.stream().filter(c -> !c.complete()).count();
        }

        public Figures figures() {
            Map<String, Object> parameters = new LinkedHashMap<>();
            parameters.put("phase_seconds", settings.phase().toSeconds());
            parameters.put("backlog", settings.backlog());
            parameters.put("cores", cores);
            Figures f = Figures.of("sync", parameters);
            for (Phase p : phases) {
                Map<String, Object> where = Map.of("replication", p.replication().key(), "writers", p.writers());
                f.add("changes_per_second", "changes/s", p.deliveredPerSecond(), where);
                f.add("written_per_second", "changes/s", p.writtenPerSecond(), where);
                f.add("lag_p50", "ms", p.lagP50Ms(), where);
                f.add("lag_p99", "ms", p.lagP99Ms(), where);
                f.add("lag_max", "ms", p.lagMaxMs(), where);
                f.add("changes", "changes", p.changes(), where);
                f.add("unseen", "transactions", p.unseen(), where);
            }
            for (CatchUp c : catchUps) {
                Map<String, Object> where = Map.of("replication", c.replication().key());
                f.add("catch_up", "s", c.seconds(), where);
                f.add("catch_up_changes_per_second", "changes/s", c.changesPerSecond(), where);
            }
            return f;
        }
    }

    private final LocalCluster cluster;

    private SyncBenchmark(LocalCluster cluster) {
        this.cluster = cluster;
    }

    public static SyncBenchmark on(Database db) {
        return new SyncBenchmark(ScratchDatabase.clusterOf(db, "bench sync"));
    }

    /** Makes the scratch databases, measures TownHall's sync then native replication, and drops everything. */
    public Report run(Settings settings, Consumer<String> log, Consumer<Progress> progress) {
        dropAll();
        try {
            log.accept("migrating the template database " + TEMPLATE);
            Database template = ScratchDatabase.fresh(cluster, TEMPLATE);
            Migrator.as(template.owner()).migrate(null);
            try (Towns towns = Towns.open(template)) {
                towns.addUser(WRITER + "@bench-sync.invalid", WRITER, "Bench", "Writer");
                towns.addMember(WRITER, TOWN, Role.MEMBER);
            }
            List<Phase> phases = new ArrayList<>();
            List<CatchUp> catchUps = new ArrayList<>();

            log.accept("TownHall sync: copying the template twice, giving the copy its own node, adding it as a push peer");
            Database a = copy(TOWNHALL_SOURCE);
            Database b = copy(TOWNHALL_TARGET);
            exec(b.owner(), "SELECT sync.renew_local_node()");
            SyncAgent agent = SyncAgent.of(a);
            Peer peer = Peers.of(a).add("b", b.owner(), Optional.empty(), "push");
            agent.runOnce(peer, b.owner());
            try (Towns towns = Towns.open(a)) {
                Loop loop = new Loop(ContinuousSync.of(a, agent, p -> Optional.of(b.owner())));
                try {
                    measure(Replication.TOWNHALL, towns, b.owner(), settings, phases, log);
                } finally {
                    loop.stop();
                }
                catchUps.add(catchUp(Replication.TOWNHALL, towns, b.owner(), settings.backlog(), log, progress,
                        () -> {
                            Loop up = new Loop(ContinuousSync.of(a, agent, p -> Optional.of(b.owner())));
                            return up::stop;
                        }));
            }
            ScratchDatabase.drop(cluster, TOWNHALL_SOURCE);
            ScratchDatabase.drop(cluster, TOWNHALL_TARGET);

            log.accept("native: copying the template twice; publication, slot and subscription (copy_data = false)");
            Database source = copy(NATIVE_SOURCE);
            Database target = copy(NATIVE_TARGET);
            subscribe(source, target);
            try (Towns towns = Towns.open(source)) {
                measure(Replication.NATIVE, towns, target.owner(), settings, phases, log);
                Endpoint subscriber = cluster.superuserEndpoint().withDatabase(NATIVE_TARGET);
                exec(subscriber, "ALTER SUBSCRIPTION " + Identifiers.quote(REPLICATION) + " DISABLE");
                catchUps.add(catchUp(Replication.NATIVE, towns, target.owner(), settings.backlog(), log, progress,
                        () -> {
                            exec(subscriber, "ALTER SUBSCRIPTION " + Identifiers.quote(REPLICATION) + " ENABLE");
                            return () -> { };
                        }));
            }
            return new Report(settings, Runtime.getRuntime().availableProcessors(), phases, catchUps);
        } finally {
            dropAll();
        }
    }

    // ------------------------------------------------------------------ phases

    /** A warm-up (not reported), then one phase per writer count. */
    private void measure(Replication r, Towns towns, Endpoint target, Settings settings, List<Phase> phases,
                         Consumer<String> log) {
        log.accept(r.label() + ": warming up, 1 writer for " + WARM_UP.toSeconds() + " s, not reported");
        phase(r, towns, target, 1, WARM_UP);
        for (int writers : WRITERS) {
            log.accept(String.format("%s: %d writer%s for %d s", r.label(), writers, writers == 1 ? "" : "s",
                    settings.phase().toSeconds()));
            phases.add(phase(r, towns, target, writers, settings.phase()));
        }
    }

    /** A transaction committed on the source: the contact it inserted and when the commit returned. */
    private record Committed(UUID id, long nanos) {
    }

    /**
     * {@code writers} app sessions in the town write flat out for {@code length}: each transaction inserts a contact
     * and updates the one its writer inserted before. A watcher on the target sees each insert arrive.
     */
    private Phase phase(Replication r, Towns towns, Endpoint target, int writers, Duration length) {
        TownContext context = towns.as(WRITER + "@" + TOWN);
        ConcurrentLinkedQueue<Committed> committed = new ConcurrentLinkedQueue<>();
        CountDownLatch writing = new CountDownLatch(writers);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        long start = System.nanoTime();
        long end = start + length.toNanos();
        List<Future<long[]>> counts = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            counts.add(pool.submit(() -> {
                try {
                    return write(context, writer, end, committed);
                } finally {
                    writing.countDown();
                }
            }));
        }
        pool.shutdown();
        Watch watch = watch(target, committed, writing, Duration.ofSeconds(60).plus(length.multipliedBy(5)));
        long changes = 0;
        long transactions = 0;
        long writtenNanos = 0;
        for (Future<long[]> f : counts) {
            long[] c = join(f);
            changes += c[0];
            transactions += c[1];
            writtenNanos = Math.max(writtenNanos, c[2] - start);
        }
        long[] lags = watch.lagsNanos();
        Arrays.sort(lags);
        return new Phase(r, writers, changes, transactions, changes / (writtenNanos / 1e9),
                changes / ((watch.lastSeenNanos() - start) / 1e9), percentileMs(lags, 0.50), percentileMs(lags, 0.99),
                lags.length == 0 ? Double.NaN : lags[lags.length - 1] / 1e6, watch.unseen());
    }

    /** One writer until {@code end}; returns {changes, transactions, nanoTime of its last commit}. */
    private static long[] write(TownContext context, int writer, long end, ConcurrentLinkedQueue<Committed> committed)
            throws SQLException {
        UUID previous = null;
        long changes = 0;
        long transactions = 0;
        long last = System.nanoTime();
        for (long n = 0; System.nanoTime() < end; n++) {
            UUID id = UUID.randomUUID();
            UUID update = previous;
            long nth = n;
            context.inTransaction(h -> {
                Connection c = h.getConnection();
                try (PreparedStatement ins = c.prepareStatement("""
                        INSERT INTO crm.contacts (id, first_name, last_name, email, phone, company_name, job_title,
                                                  city, country, lifecycle_stage, tags, notes)
                        VALUES (?, ?, ?, ?, ?, ?, 'Account manager', 'Lisbon', 'PT', 'lead', '{bench}', ?)""")) {
                    String first = FIRST_NAMES[(int) (nth % FIRST_NAMES.length)];
                    String surname = LAST_NAMES[(int) ((nth / FIRST_NAMES.length + writer) % LAST_NAMES.length)];
                    ins.setObject(1, id);
                    ins.setString(2, first);
                    ins.setString(3, surname);
                    ins.setString(4, (first + "." + surname + "." + id.toString().substring(0, 8)).toLowerCase() + "@example.com");
                    ins.setString(5, "+351 21 " + (1_000_000 + nth % 9_000_000));
                    ins.setString(6, COMPANIES[(int) (nth % COMPANIES.length)]);
                    ins.setString(7, "Met at the Lisbon fair; wants a call about the renewal contract next week.");
                    ins.executeUpdate();
                }
                if (update != null) {
                    try (PreparedStatement upd = c.prepareStatement("""
                            UPDATE crm.contacts SET lifecycle_stage = 'mql', job_title = 'Head of sales',
                                   notes = notes || ' Called back, interested.'
                            WHERE id = ?""")) {
                        upd.setObject(1, update);
                        upd.executeUpdate();
                    }
                }
                return null;
            });
            last = System.nanoTime();
            committed.add(new Committed(id, last));
            changes += update == null ? 1 : 2;
            transactions++;
            previous = id;
        }
        return new long[] {changes, transactions, last};
    }

    private static final String[] FIRST_NAMES = {"Anna", "Tom", "Priya", "Luis", "Mei", "Olga", "Kwame", "Sofia",
            "Jonas", "Aiko", "Rafael", "Ines"};
    private static final String[] LAST_NAMES = {"Keller", "Brady", "Shah", "Garcia", "Chen", "Ivanova", "Mensah",
            "Rossi", "Berg", "Tanaka", "Costa"};
    private static final String[] COMPANIES = {"Northwind Traders", "Acme Logistics", "Blue Harbor Health",
            "Lisbon Tiles", "Quayside Capital", "Orbit Foods"};

    /** What the watcher saw: each transaction's lag, the last arrival, and transactions that never arrived. */
    private record Watch(long[] lagsNanos, long lastSeenNanos, long unseen) {
    }

    /**
     * Polls the target as its owner until every committed transaction's contact is there (or {@code patience} after
     * the writers stopped). A transaction's lag runs from its commit to the start of the first poll that sees it, so
     * it overstates the true lag by at most one poll.
     */
    private static Watch watch(Endpoint target, ConcurrentLinkedQueue<Committed> committed, CountDownLatch writing,
                               Duration patience) {
        LinkedHashMap<UUID, Long> unseen = new LinkedHashMap<>();
        List<Long> lags = new ArrayList<>();
        long lastSeen = System.nanoTime();
        long giveUpAt = Long.MAX_VALUE;
        try (Connection c = target.connect();
             PreparedStatement ps = c.prepareStatement("SELECT id FROM crm.contacts WHERE id = ANY (?)")) {
            while (true) {
                boolean writersDone = writing.getCount() == 0;
                for (Committed x; (x = committed.poll()) != null; ) {
                    unseen.put(x.id(), x.nanos());
                }
                if (writersDone && unseen.isEmpty()) {
                    break;
                }
                if (writersDone && giveUpAt == Long.MAX_VALUE) {
                    giveUpAt = System.nanoTime() + patience.toNanos();
                }
                if (System.nanoTime() > giveUpAt) {
                    break;
                }
                int seen = 0;
                if (!unseen.isEmpty()) {
                    UUID[] window = unseen.keySet().stream().limit(WATCH_WINDOW).toArray(UUID[]::new);
                    long polled = System.nanoTime();
                    ps.setArray(1, c.createArrayOf("uuid", window));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            lags.add(polled - unseen.remove(rs.getObject(1, UUID.class)));
                            lastSeen = polled;
                            seen++;
                        }
                    }
                }
                if (seen == 0) {
                    Thread.sleep(POLL.toMillis());
                }
            }
        } catch (SQLException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "bench sync: the watcher failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TownHallException(ErrorCode.INTERNAL, "bench sync: interrupted");
        }
        return new Watch(lags.stream().mapToLong(Long::longValue).toArray(), lastSeen, unseen.size());
    }

    private static double percentileMs(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }

    // ------------------------------------------------------------------ catch-up

    /** Brings the peer back; returns how to take it down again once caught up. */
    @FunctionalInterface
    private interface PeerUp {
        Runnable up();
    }

    /**
     * With the peer down, writes {@code backlog} changes (transactions of {@value #BACKLOG_BATCH} inserts plus the
     * update of the previous transaction's contacts), brings the peer up and times until the target holds every
     * contact in its updated form.
     */
    private CatchUp catchUp(Replication r, Towns towns, Endpoint target, int backlog, Consumer<String> log,
                            Consumer<Progress> progress, PeerUp peer) {
        int rows = backlog / 2;
        long changes = 2L * rows;
        log.accept(String.format("%s: peer down, writing a backlog of %,d changes", r.label(), changes));
        try {
            writeBacklog(towns.as(WRITER + "@" + TOWN), rows);
        } catch (SQLException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "bench sync: writing the backlog failed: " + e.getMessage(), e);
        }
        log.accept(r.label() + ": peer up, catching up");
        long start = System.nanoTime();
        long deadline = start + Duration.ofMinutes(30).toNanos();
        Runnable down = peer.up();
        long lastReport = 0;
        try (Connection c = target.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM crm.contacts WHERE job_title = 'Backlog, called back'")) {
            while (true) {
                long held;
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    held = rs.getLong(1);
                }
                long now = System.nanoTime();
                if (held >= rows) {
                    return new CatchUp(r, changes, (now - start) / 1e9, true);
                }
                if (now > deadline) {
                    return new CatchUp(r, changes, (now - start) / 1e9, false);
                }
                if (now - lastReport > Duration.ofSeconds(2).toNanos()) {
                    progress.accept(new Progress(r.label() + " catch-up", 2 * held, changes, Duration.ofNanos(now - start)));
                    lastReport = now;
                }
                Thread.sleep(CATCH_UP_POLL.toMillis());
            }
        } catch (SQLException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "bench sync: catch-up watch failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TownHallException(ErrorCode.INTERNAL, "bench sync: interrupted");
        } finally {
            down.run();
        }
    }

    private static void writeBacklog(TownContext context, int rows) throws SQLException {
        List<UUID> previous = List.of();
        for (int done = 0; done < rows || !previous.isEmpty(); ) {
            int batch = Math.min(BACKLOG_BATCH, rows - done);
            List<UUID> update = previous;
            List<UUID> inserted = context.inTransaction(h -> {
                Connection c = h.getConnection();
                List<UUID> ids = new ArrayList<>();
                if (batch > 0) {
                    try (PreparedStatement ps = c.prepareStatement("""
                            INSERT INTO crm.contacts (first_name, last_name, email, company_name, job_title, country,
                                                      lifecycle_stage, tags, notes)
                            SELECT 'Backlog', 'Contact ' || i, 'backlog.' || i || '.' || gen_random_uuid() || '@example.com',
                                   'Orbit Foods', 'Backlog', 'PT', 'lead', '{bench,backlog}',
                                   'Written while the peer was down.'
                            FROM generate_series(1, ?) i
                            RETURNING id""")) {
                        ps.setInt(1, batch);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                ids.add(rs.getObject(1, UUID.class));
                            }
                        }
                    }
                }
                if (!update.isEmpty()) {
                    try (PreparedStatement ps = c.prepareStatement("""
                            UPDATE crm.contacts SET job_title = 'Backlog, called back', lifecycle_stage = 'mql'
                            WHERE id = ANY (?)""")) {
                        ps.setArray(1, c.createArrayOf("uuid", update.toArray(UUID[]::new)));
                        ps.executeUpdate();
                    }
                }
                return ids;
            });
            done += batch;
            previous = inserted;
        }
    }

    // ------------------------------------------------------------------ setup

    /** TownHall's continuous loop in a thread of its own, until stopped. */
    private static final class Loop {
        private final CountDownLatch stop = new CountDownLatch(1);
        private final AtomicReference<RuntimeException> failed = new AtomicReference<>();
        private final Thread thread;

        Loop(ContinuousSync sync) {
            thread = new Thread(() -> {
                try {
                    sync.run(stop, round -> round.failures().stream().findFirst().ifPresent(f -> failed.compareAndSet(
                            null, new TownHallException(ErrorCode.INTERNAL, "bench sync: the sync loop failed: "
                                    + f.message()))));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    failed.compareAndSet(null, e);
                }
            }, "bench-sync-loop");
            thread.setDaemon(true);
            thread.start();
        }

        /** Stops the loop after its round; a failure it met is thrown here: the figures would be meaningless. */
        void stop() {
            stop.countDown();
            try {
                thread.join(TimeUnit.MINUTES.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (failed.get() != null) {
                throw failed.get();
            }
        }
    }

    /** A copy of the template, made by the superuser (nobody may be connected to the template meanwhile). */
    private Database copy(String name) {
        exec(cluster.superuserEndpoint(), "CREATE DATABASE " + Identifiers.quote(name) + " TEMPLATE "
                + Identifiers.quote(TEMPLATE) + " OWNER " + Identifiers.quote(Database.OWNER_ROLE));
        Database db = Database.local(cluster, name);
        Bootstrap.ensure(db);
        return db;
    }

    /**
     * Publishes {@code crm.contacts} of {@code source} to {@code target}. Both databases are on this cluster, where
     * CREATE SUBSCRIPTION would hang creating its slot (PostgreSQL 15 docs, CREATE SUBSCRIPTION notes): the slot is
     * made first and the subscription uses it ({@code create_slot = false}). Both sides start from the same copy, so
     * nothing is copied. The source's sync capture trigger is removed: the reference is a plain PostgreSQL app.
     */
    private void subscribe(Database source, Database target) {
        Endpoint publisher = cluster.superuserEndpoint().withDatabase(source.databaseName());
        exec(publisher, "SELECT sync.disable_capture('crm.contacts'::regclass)");
        exec(publisher, "CREATE PUBLICATION " + Identifiers.quote(REPLICATION) + " FOR TABLE crm.contacts");
        exec(publisher, "SELECT pg_create_logical_replication_slot('" + REPLICATION + "', 'pgoutput')");
        String conninfo = "host=" + publisher.host() + " port=" + publisher.port() + " dbname=" + publisher.database()
                + " user=" + publisher.user() + " password=" + conninfoValue(publisher.password());
        exec(cluster.superuserEndpoint().withDatabase(target.databaseName()), "CREATE SUBSCRIPTION "
                + Identifiers.quote(REPLICATION) + " CONNECTION " + literal(conninfo) + " PUBLICATION "
                + Identifiers.quote(REPLICATION) + " WITH (create_slot = false, slot_name = '" + REPLICATION
                + "', copy_data = false)");
    }

    /** A libpq conninfo value: single-quoted, backslash and quote escaped. */
    private static String conninfoValue(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** An SQL string literal (standard_conforming_strings is on). DDL takes no parameters. */
    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    /**
     * Drops the subscription (detached from its slot first, so dropping does not reach for the publisher), the slot
     * (which would pin WAL) and every scratch database; safe to run when none exist (a run stopped half-way).
     */
    private void dropAll() {
        Endpoint superuser = cluster.superuserEndpoint();
        if (exists(NATIVE_TARGET)) {
            Endpoint subscriber = superuser.withDatabase(NATIVE_TARGET);
            String sub = Identifiers.quote(REPLICATION);
            if (count(subscriber, "SELECT count(*) FROM pg_subscription WHERE subname = '" + REPLICATION + "'") > 0) {
                exec(subscriber, "ALTER SUBSCRIPTION " + sub + " DISABLE");
                exec(subscriber, "ALTER SUBSCRIPTION " + sub + " SET (slot_name = NONE)");
                exec(subscriber, "DROP SUBSCRIPTION " + sub);
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (count(superuser, "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + REPLICATION + "'") > 0) {
            // the walsender of a just-disabled subscription may still hold the slot for a moment
            exec(superuser, "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = '"
                    + REPLICATION + "' AND active_pid IS NOT NULL");
            try {
                exec(superuser, "SELECT pg_drop_replication_slot('" + REPLICATION + "')");
            } catch (TownHallException stillActive) {
                if (System.nanoTime() > deadline) {
                    throw stillActive;
                }
                sleep(Duration.ofMillis(200));
            }
        }
        for (String name : List.of(NATIVE_TARGET, NATIVE_SOURCE, TOWNHALL_TARGET, TOWNHALL_SOURCE, TEMPLATE)) {
            ScratchDatabase.drop(cluster, name);
        }
    }

    private boolean exists(String database) {
        return count(cluster.superuserEndpoint(), "SELECT count(*) FROM pg_database WHERE datname = '" + database + "'") > 0;
    }

    private static void exec(Endpoint endpoint, String sql) {
        try (Connection c = endpoint.connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "bench sync: " + e.getMessage(), e);
        }
    }

    private static long count(Endpoint endpoint, String sql) {
        try (Connection c = endpoint.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "bench sync: " + e.getMessage(), e);
        }
    }

    private static <T> T join(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TownHallException(ErrorCode.INTERNAL, "bench sync: interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "bench sync: a writer failed: " + e.getCause().getMessage(),
                    e.getCause());
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
