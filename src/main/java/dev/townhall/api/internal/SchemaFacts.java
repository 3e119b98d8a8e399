package dev.townhall.api.internal;

import dev.townhall.db.Database;
import dev.townhall.schema.Changesets;
import dev.townhall.schema.ReleaseLock;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Read-only system facts for {@code /health} and {@code /migrations}: which changesets the database has applied
 * (Liquibase's {@code databasechangelog}, read as the owner: it is no tenant's data and the application role cannot
 * read it), which this build ships and which release each side is at. The build's changelog is parsed once, when
 * the server starts; each call reads the database's history on its own short connection, without the migrator's
 * lock, so a health probe never waits behind a running migration.
 */
public final class SchemaFacts {
    private static final String HISTORY = """
            SELECT filename, id, author, dateexecuted, tag FROM databasechangelog ORDER BY orderexecuted""";

    private final Database db;
    private final List<Changesets.Changeset> built;
    private final String buildRelease;
    private final int unreleased;

    private SchemaFacts(Database db, List<Changesets.Changeset> built, ReleaseLock lock) {
        this.db = db;
        this.built = built;
        List<ReleaseLock.Entry> entries = lock.entries();
        this.buildRelease = entries.isEmpty() ? null : entries.get(entries.size() - 1).release();
        this.unreleased = lock.unreleased(built).size();
    }

    /** Facts about {@code db} against the changelog this build ships. */
    public static SchemaFacts of(Database db) {
        return new SchemaFacts(db, Changesets.shipped(), ReleaseLock.shipped());
    }

    /** One applied changeset. */
    public record Applied(String id, String author, String file, String executedAt) {
    }

    /** One changeset of this build that the database has not applied. */
    public record Pending(String id, String author, String file) {
    }

    /**
     * The database's history against this build: applied changesets in order, the build's changesets it lacks,
     * and those it has applied that this build does not know (a newer or different build migrated it).
     */
    public record Status(List<Applied> applied, List<Pending> pending, List<Applied> unknown, String databaseRelease,
                         String buildRelease, int unreleased) {
        /** True when the database holds exactly this build's changesets. */
        public boolean current() {
            return pending.isEmpty() && unknown.isEmpty();
        }

        /** The short form {@code /health} shows. */
        public Map<String, Object> summary() {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("applied", applied.size());
            summary.put("pending", pending.size());
            summary.put("unknown", unknown.size());
            summary.put("release", databaseRelease);
            return summary;
        }
    }

    /** Reads the database's history; fails with the connection's one-line error when the database is down. */
    public Status status() {
        List<Applied> applied = new ArrayList<>();
        String databaseRelease = null;
        try (Connection c = db.owner().connect(); Statement s = c.createStatement()) {
            c.setReadOnly(true);
            try (ResultSet rs = s.executeQuery(HISTORY)) {
                while (rs.next()) {
                    Timestamp executed = rs.getTimestamp(4);
                    applied.add(new Applied(rs.getString(2), rs.getString(3), rs.getString(1),
                            executed == null ? null : executed.toInstant().toString()));
                    String tag = rs.getString(5);
                    if (tag != null && tag.matches("v\\d+\\.\\d+\\.\\d+")) {
                        databaseRelease = tag.substring(1);
                    }
                }
            }
        } catch (SQLException e) {
            throw db.owner().connectFailure(e);
        }
        Set<String> appliedNames = new HashSet<>();
        applied.forEach(a -> appliedNames.add(key(a.file(), a.id(), a.author())));
        Set<String> builtNames = new HashSet<>();
        List<Pending> pending = new ArrayList<>();
        for (Changesets.Changeset cs : built) {
            builtNames.add(key(cs.file(), cs.id(), cs.author()));
            if (!appliedNames.contains(key(cs.file(), cs.id(), cs.author()))) {
                pending.add(new Pending(cs.id(), cs.author(), cs.file()));
            }
        }
        List<Applied> unknown = applied.stream().filter(a -> !builtNames.contains(key(a.file(), a.id(), a.author())))
                .toList();
        return new Status(applied, pending, unknown, databaseRelease, buildRelease, unreleased);
    }

    private static String key(String file, String id, String author) {
        return file + "::" + id + "::" + author;
    }
}
