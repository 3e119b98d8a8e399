package dev.townhall.schema;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.schema.Changesets.Changeset;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The released changesets, frozen: file, id, author and Liquibase checksum of every changeset of every release, in
 * the order they run. A released changeset is never edited, reordered or removed; a fix is a new changeset.
 * {@code ./townhall release VERSION} appends the unreleased changesets; nothing else writes the lock.
 */
public final class ReleaseLock {
    /** Where the lock lives, relative to the resource root (class path or {@code src/main/resources}). */
    public static final String RESOURCE = "db/changelog-lock.tsv";
    private static final String HEADER = """
            # TownHall's released changesets. A released changeset is never edited, reordered or removed: a fix is a
            # new changeset. Written by `./townhall release VERSION` (docs/releasing.md); never edit it by hand.
            # release\tfile\tid\tauthor\tchecksum
            """;
    private static final Pattern VERSION = Pattern.compile("\\d+\\.\\d+\\.\\d+");

    /** One released changeset. */
    public record Entry(String release, String file, String id, String author, String checksum) {
        String name() {
            return Changesets.name(file, id, author);
        }
    }

    /** How the code differs from the lock, for one released changeset. */
    public record Difference(Kind kind, Entry released, String detail) {
        public enum Kind { EDITED, MISSING, REORDERED }

        /** One sentence: which changeset, what happened, what to do. */
        public String describe() {
            return switch (kind) {
                case EDITED -> "released changeset " + released.name() + " (" + released.release()
                        + ") was edited: its checksum is " + detail + ", the lock says " + released.checksum()
                        + "; restore it (git checkout v" + released.release() + " -- src/main/resources/"
                        + released.file() + ") and put the change in a new changeset";
                case MISSING -> "released changeset " + released.name() + " (" + released.release()
                        + ") is missing from the changelog; restore it, and undo it with a new changeset if it must go";
                case REORDERED -> "released changeset " + released.name() + " (" + released.release()
                        + ") moved: " + detail + "; released changesets keep their order and new ones go after them";
            };
        }
    }

    private final List<Entry> entries;

    private ReleaseLock(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** The lock this build ships. */
    public static ReleaseLock shipped() {
        try (InputStream in = ReleaseLock.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new TownHallException(ErrorCode.INTERNAL, "the release lock " + RESOURCE + " is not on the class path");
            }
            return parse(new InputStreamReader(in, StandardCharsets.UTF_8), RESOURCE);
        } catch (IOException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "cannot read the release lock " + RESOURCE, e);
        }
    }

    /** The lock under a resource root such as {@code src/main/resources}; empty before the first release. */
    public static ReleaseLock inSourceTree(Path resourceRoot) {
        Path file = resourceRoot.resolve(RESOURCE);
        if (!Files.exists(file)) {
            return new ReleaseLock(List.of());
        }
        try {
            return parse(new StringReader(Files.readString(file)), file.toString());
        } catch (IOException e) {
            throw new TownHallException(ErrorCode.CONFIG, "cannot read the release lock " + file + ": " + e.getMessage(), e);
        }
    }

    static ReleaseLock parse(Reader text, String source) throws IOException {
        List<Entry> entries = new ArrayList<>();
        BufferedReader lines = new BufferedReader(text);
        int number = 0;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            number++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length != 5 || !VERSION.matcher(f[0]).matches() || !f[4].startsWith("9:")) {
                throw new TownHallException(ErrorCode.CONFIG, source + " line " + number
                        + ": expected release, file, id, author and a 9:… checksum separated by tabs");
            }
            entries.add(new Entry(f[0], f[1], f[2], f[3], f[4]));
        }
        return new ReleaseLock(entries);
    }

    public List<Entry> entries() {
        return entries;
    }

    /**
     * How {@code code} (a changelog's changesets in run order) breaks the lock: a released changeset whose checksum
     * changed, one that is gone, or one that no longer runs in its released place (released changesets first, in
     * their released order). Empty when the code keeps every promise.
     */
    public List<Difference> check(List<Changeset> code) {
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < code.size(); i++) {
            position.put(code.get(i).name(), i);
        }
        List<Difference> differences = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Entry released = entries.get(i);
            Integer at = position.get(released.name());
            if (at == null) {
                differences.add(new Difference(Difference.Kind.MISSING, released, ""));
                continue;
            }
            Changeset now = code.get(at);
            if (!now.checksum().equals(released.checksum())) {
                differences.add(new Difference(Difference.Kind.EDITED, released, now.checksum()));
            }
            if (at != i) {
                differences.add(new Difference(Difference.Kind.REORDERED, released,
                        "it runs as number " + (at + 1) + ", released as number " + (i + 1)));
            }
        }
        return differences;
    }

    /** The changesets of {@code code} that no release holds yet, in run order. */
    public List<Changeset> unreleased(List<Changeset> code) {
        Set<String> released = new HashSet<>();
        entries.forEach(e -> released.add(e.name()));
        return code.stream().filter(cs -> !released.contains(cs.name())).toList();
    }

    /** This lock plus {@code changesets} as release {@code version}, as the text of the lock file. */
    String withRelease(String version, List<Changeset> changesets) {
        StringBuilder text = new StringBuilder(HEADER);
        for (Entry e : entries) {
            text.append(String.join("\t", e.release(), e.file(), e.id(), e.author(), e.checksum())).append('\n');
        }
        for (Changeset cs : changesets) {
            text.append(String.join("\t", version, cs.file(), cs.id(), cs.author(), cs.checksum())).append('\n');
        }
        return text.toString();
    }

    static boolean isVersion(String version) {
        return VERSION.matcher(version).matches();
    }
}
