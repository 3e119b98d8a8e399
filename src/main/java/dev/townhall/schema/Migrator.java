package dev.townhall.schema;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Endpoint;
import liquibase.ChecksumVersion;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.ui.LoggerUIService;
import liquibase.change.core.TagDatabaseChange;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.RanChangeSet;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.LiquibaseException;
import liquibase.exception.ValidationFailedException;
import liquibase.resource.ClassLoaderResourceAccessor;

import java.io.StringWriter;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Applies, lists and rolls back TownHall's schema changesets (Liquibase, formatted SQL under
 * {@code db/changelog/}). Runs as the owner role. Liquibase's lock table keeps two concurrent runs from applying
 * a changeset twice, and its checksums refuse a changeset edited after it was applied.
 */
public final class Migrator {
    public static final String CHANGELOG = "db/changelog/changelog-master.yaml";
    private static final int MAX_NAMED_CHANGESETS = 3;
    /** Advisory lock key held while migrating ("TWNHALL1" as a number; any constant unique to TownHall). */
    private static final long MIGRATION_LOCK_KEY = 0x54574E48414C4C31L;

    static {
        // Liquibase 4.30+ phones home unless told not to, and prints a banner and summary to stdout.
        System.setProperty("liquibase.analytics.enabled", "false");
        System.setProperty("liquibase.showBanner", "false");
        System.setProperty("liquibase.command.showSummaryOutput", "LOG");
        System.setProperty("liquibase.command.showSummary", "OFF");
    }

    private final Endpoint owner;

    private Migrator(Endpoint owner) {
        this.owner = owner;
    }

    /** A migrator that connects as {@code owner}, the role that owns the TownHall schema. */
    public static Migrator as(Endpoint owner) {
        return new Migrator(owner);
    }

    /** One changeset, as Liquibase identifies it. */
    public record Change(String id, String author, String file) {
        static Change of(ChangeSet cs) {
            return new Change(cs.getId(), cs.getAuthor(), cs.getFilePath());
        }

        static Change of(RanChangeSet cs) {
            return new Change(cs.getId(), cs.getAuthor(), cs.getChangeLog());
        }
    }

    /** What {@link #migrate} applied and how long it took. */
    public record MigrateReport(List<Change> applied, Duration elapsed) {
    }

    /** Applied and pending changesets, and every way the applied history differs from this build. */
    public record StatusReport(List<Change> applied, List<Change> pending, List<String> historyDifferences) {
    }

    /** Applies every pending changeset; tags the database with {@code tag} afterwards when it is not null. */
    public MigrateReport migrate(String tag) {
        long start = System.nanoTime();
        List<Change> applied = withLiquibase(lb -> {
            refuseDifferentHistory(lb);
            if (tag != null) {
                refuseToReplaceATag(lb, tag);
            }
            List<Change> pending = pending(lb);
            lb.update(new Contexts(), new LabelExpression());
            if (tag != null) {
                lb.tag(tag);
            }
            return pending;
        });
        return new MigrateReport(applied, Duration.ofNanos(System.nanoTime() - start));
    }

    /** The SQL that {@link #migrate} would run, without changing anything. */
    public String dryRun() {
        return withLiquibase(lb -> {
            refuseDifferentHistory(lb);
            StringWriter sql = new StringWriter();
            lb.update(new Contexts(), new LabelExpression(), sql);
            return sql.toString();
        });
    }

    public StatusReport status() {
        return withLiquibase(lb -> {
            List<Change> applied = new ArrayList<>();
            for (RanChangeSet ran : lb.getDatabase().getRanChangeSetList()) {
                applied.add(Change.of(ran));
            }
            return new StatusReport(applied, pending(lb), historyDifferences(lb));
        });
    }

    /** Rolls back the last {@code count} applied changesets. */
    public List<Change> rollbackCount(int count) {
        if (count < 1) {
            throw new TownHallException(ErrorCode.INVALID_INPUT, "--count must be at least 1, got " + count);
        }
        return withLiquibase(lb -> {
            List<Change> undone = lastApplied(lb, count);
            lb.rollback(count, (String) null);
            return undone;
        });
    }

    /** Rolls back every changeset applied after {@code tag}. */
    public List<Change> rollbackTo(String tag) {
        return withLiquibase(lb -> {
            if (lb.getDatabase().getRanChangeSetList().stream().noneMatch(ran -> tag.equals(ran.getTag()))) {
                throw new TownHallException(ErrorCode.NOT_FOUND, "no migration tag '" + tag
                        + "' in this database; tag with ./townhall migrate --tag NAME");
            }
            List<Change> before = appliedChanges(lb);
            lb.rollback(tag, (String) null);
            List<Change> after = appliedChanges(lb);
            before.removeAll(after);
            return before;
        });
    }

    /**
     * Stops before anything changes when this build breaks the release lock, or when the database's applied history
     * is not this build's: a changeset applied with other content, or one this build does not know. Each difference
     * is named with what to do; checksums are never reset to make a difference go away.
     */
    private void refuseDifferentHistory(Liquibase lb) throws LiquibaseException {
        List<String> differences = historyDifferences(lb);
        if (differences.isEmpty()) {
            return;
        }
        String shown = String.join("; ", differences.subList(0, Math.min(differences.size(), MAX_NAMED_CHANGESETS)))
                + (differences.size() > MAX_NAMED_CHANGESETS ? "; and " + (differences.size() - MAX_NAMED_CHANGESETS)
                + " more (./townhall migrate status lists them all)" : "");
        throw new TownHallException(ErrorCode.CHECKSUM_MISMATCH, "refusing to migrate " + owner.describe()
                + ", nothing was changed: " + shown);
    }

    /**
     * Liquibase keeps one tag per applied changeset and {@code tag} overwrites the last one's; when that changeset
     * will be a release's tag ({@code vX.Y.Z}), the release tag would be lost, so refuse before anything runs.
     */
    private static void refuseToReplaceATag(Liquibase lb, String tag) throws LiquibaseException {
        List<ChangeSet> unrun = lb.listUnrunChangeSets(new Contexts(), new LabelExpression());
        String existing;
        if (!unrun.isEmpty()) {
            existing = unrun.get(unrun.size() - 1).getChanges().stream()
                    .filter(TagDatabaseChange.class::isInstance).map(c -> ((TagDatabaseChange) c).getTag())
                    .findFirst().orElse(null);
        } else {
            List<RanChangeSet> ran = lb.getDatabase().getRanChangeSetList();
            existing = ran.isEmpty() ? null : ran.get(ran.size() - 1).getTag();
        }
        if (existing != null) {
            throw new TownHallException(ErrorCode.CONFLICT, "cannot tag the schema '" + tag + "': its last changeset"
                    + " carries the tag '" + existing + "' and Liquibase keeps one tag per changeset; use"
                    + " ./townhall migrate rollback --to " + existing + " to return to it");
        }
    }

    private static List<String> historyDifferences(Liquibase lb) throws LiquibaseException {
        List<String> differences = new ArrayList<>();
        // the changelog Liquibase already parsed for this run is the build's; parsing it again would read every file twice
        DatabaseChangeLog changelog = lb.getDatabaseChangeLog();
        List<Changesets.Changeset> built = changelog.getChangeSets().stream().map(Changesets::of).toList();
        for (ReleaseLock.Difference broken : ReleaseLock.shipped().check(built)) {
            differences.add("this build breaks the release lock: " + broken.describe());
        }
        for (RanChangeSet ran : lb.getDatabase().getRanChangeSetList()) {
            String name = Changesets.name(ran.getChangeLog(), ran.getId(), ran.getAuthor());
            ChangeSet code = changelog.getChangeSet(ran);
            if (code == null) {
                differences.add("changeset " + name + " is applied in this database but unknown to this build (it was"
                        + " migrated by a newer or different build): use that build, or roll back with it first");
            } else if (ran.getLastCheckSum() != null && !code.isCheckSumValid(ran.getLastCheckSum())) {
                differences.add("changeset " + name + " was edited after it was applied (this database holds checksum "
                        + ran.getLastCheckSum() + ", this build " + code.generateCheckSum(ChecksumVersion.latest())
                        + "): restore the applied text and put the change in a new changeset");
            }
        }
        return differences;
    }

    private static List<Change> pending(Liquibase lb) throws LiquibaseException {
        List<Change> pending = new ArrayList<>();
        for (ChangeSet cs : lb.listUnrunChangeSets(new Contexts(), new LabelExpression())) {
            pending.add(Change.of(cs));
        }
        return pending;
    }

    private static List<Change> appliedChanges(Liquibase lb) throws LiquibaseException {
        List<Change> applied = new ArrayList<>();
        for (RanChangeSet ran : lb.getDatabase().getRanChangeSetList()) {
            applied.add(Change.of(ran));
        }
        return applied;
    }

    private static List<Change> lastApplied(Liquibase lb, int count) throws LiquibaseException {
        List<Change> applied = appliedChanges(lb);
        List<Change> last = new ArrayList<>(applied.subList(Math.max(0, applied.size() - count), applied.size()));
        java.util.Collections.reverse(last);
        return last;
    }

    @FunctionalInterface
    private interface LiquibaseWork<T> {
        T run(Liquibase liquibase) throws LiquibaseException;
    }

    private <T> T withLiquibase(LiquibaseWork<T> work) {
        try (Connection connection = owner.connect()) {
            // Liquibase's own lock table is created without a lock, so two first runs race on it; a session
            // advisory lock, released when the connection closes, serialises whole runs instead.
            try (Statement lock = connection.createStatement()) {
                lock.execute("SELECT pg_advisory_lock(" + MIGRATION_LOCK_KEY + ")");
            }
            liquibase.database.Database database = DatabaseFactory.getInstance()
                    .findCorrectDatabaseImplementation(new JdbcConnection(connection));
            try (Liquibase lb = new Liquibase(CHANGELOG, new ClassLoaderResourceAccessor(), database)) {
                // Liquibase talks to the console through its UI service; send that to the log so the CLI prints only
                // TownHall's own report
                return Scope.child(Map.of(Scope.Attr.ui.name(), new LoggerUIService()), () -> work.run(lb));
            }
        } catch (Exception e) {
            // Liquibase wraps what it throws in its own exceptions, sometimes several deep
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof TownHallException ours) {
                    throw ours;
                }
                if (t instanceof ValidationFailedException invalid) {
                    throw validationFailure(invalid);
                }
            }
            throw new TownHallException(ErrorCode.MIGRATION_FAILED, "migration failed on " + owner.describe() + ": "
                    + rootMessage(e), e);
        }
    }

    private static TownHallException validationFailure(ValidationFailedException e) {
        if (!e.getInvalidMD5Sums().isEmpty()) {
            List<String> names = new ArrayList<>();
            for (String entry : e.getInvalidMD5Sums()) {
                names.add(entry.replaceAll(" was: .*", "").strip()); // "file::id::author was: x but is now: y"
            }
            String shown = String.join(", ", names.subList(0, Math.min(names.size(), MAX_NAMED_CHANGESETS)))
                    + (names.size() > MAX_NAMED_CHANGESETS ? " and " + (names.size() - MAX_NAMED_CHANGESETS) + " more" : "");
            return new TownHallException(ErrorCode.CHECKSUM_MISMATCH, "refusing to migrate: already-applied changeset "
                    + shown + " was edited after it was applied; restore it and put the change in a new changeset", e);
        }
        String message = e.getMessage() == null ? "no detail" : e.getMessage();
        return new TownHallException(ErrorCode.MIGRATION_FAILED, "the changelog is invalid: "
                + message.replaceAll("\\s+", " ").strip(), e);
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.replaceAll("\\s+", " ").strip();
    }
}
