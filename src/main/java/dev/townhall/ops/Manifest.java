package dev.townhall.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What a backup holds, written beside it as {@code FILE.manifest.json}: who wrote it, the migration state, the dump's
 * size and sha256, and per table (every table of the TownHall schemas) and per town: row count and content checksum,
 * all read in the snapshot the dump was taken from.
 *
 * @param kind       {@code full} or {@code town}
 * @param town       the town's slug of a town export, else null
 * @param migration  the last migration tag and changeset applied
 * @param tables     {@code schema.table} to its sums
 */
public record Manifest(int format, String kind, String town, String townhallVersion, String takenAt, String database,
                       Migration migration, Dump dump, SortedMap<String, Table> tables) {
    public static final int FORMAT = 1;

    /** The last {@code tagDatabase} tag (null before the first release) and the last changeset, as author:id. */
    public record Migration(String tag, String lastChangeset, int changesets) {
    }

    /** The dump file's name (beside the manifest), size and sha256 (hex). */
    public record Dump(String file, long bytes, String sha256) {
    }

    /** Row count and checksum, the same per town (by slug) for tables with a {@code town_id}. */
    public record Table(long rows, String checksum, SortedMap<String, Sums> towns) {
    }

    /**
     * {@code checksum}: md5 over the md5 of each row's JSON ({@code to_jsonb}, UTC) in id order (whole-row order for
     * a table without an id); null for no rows.
     */
    public record Sums(long rows, String checksum) {
    }

    public Manifest withDump(Dump file) {
        return new Manifest(format, kind, town, townhallVersion, takenAt, database, migration, file, tables);
    }

    /**
     * Where {@code actual} (read from a restored database) differs from this manifest, one readable line each: the
     * migration state, then table by table (missing, extra, rows, checksum, then per town). Empty when equal.
     */
    public List<String> differencesFrom(Manifest actual) {
        List<String> out = new ArrayList<>();
        if (!Objects.equals(migration, actual.migration)) {
            out.add("migration: backup at " + describe(migration) + ", restored at " + describe(actual.migration));
        }
        for (String name : keys(tables, actual.tables)) {
            Table want = tables.get(name);
            Table got = actual.tables.get(name);
            if (got == null) {
                out.add(name + ": missing after the restore");
            } else if (want == null) {
                out.add(name + ": not in the backup, present after the restore (" + got.rows() + " rows)");
            } else {
                compare(name, new Sums(want.rows(), want.checksum()), new Sums(got.rows(), got.checksum()), out);
                for (String town : keys(want.towns(), got.towns())) {
                    Sums empty = new Sums(0, null);
                    compare(name + " town " + town, want.towns().getOrDefault(town, empty),
                            got.towns().getOrDefault(town, empty), out);
                }
            }
        }
        return out;
    }

    private static void compare(String what, Sums want, Sums got, List<String> out) {
        if (want.rows() != got.rows()) {
            out.add(what + ": " + want.rows() + " rows in the backup, " + got.rows() + " restored");
        } else if (!Objects.equals(want.checksum(), got.checksum())) {
            out.add(what + ": same " + want.rows() + " rows, different content (checksum " + want.checksum()
                    + " in the backup, " + got.checksum() + " restored)");
        }
    }

    private static String describe(Migration m) {
        return m == null ? "?" : (m.tag() == null ? "no tag" : m.tag()) + " / " + m.lastChangeset() + " ("
                + m.changesets() + " changesets)";
    }

    private static SortedSet<String> keys(Map<String, ?> a, Map<String, ?> b) {
        SortedSet<String> all = new TreeSet<>(a.keySet());
        all.addAll(b.keySet());
        return all;
    }
}
