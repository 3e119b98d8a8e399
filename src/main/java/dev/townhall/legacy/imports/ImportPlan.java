package dev.townhall.legacy.imports;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.legacy.imports.internal.ImportEngine;
import dev.townhall.legacy.imports.internal.Mapping;
import dev.townhall.legacy.imports.internal.MappingLoader;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What an import does, read from a mapping file: which legacy tables go where, how each value is cleaned, how
 * duplicates merge, who the old team's text user ids are, and the migration plan's stated inventory. Loading
 * checks the file's structure; {@link Importer#run()} checks it against the real databases before writing.
 * <pre>{@code
 * ImportPlan plan = ImportPlan.builtin();            // src/main/resources/legacy/mapping/robbie.yaml
 * ImportPlan mine = ImportPlan.load(Path.of("my-mapping.yaml"));
 * }</pre>
 */
public final class ImportPlan {
    /** The mapping of the Robbie and Robbie_Allan databases, shipped with TownHall. */
    public static final String BUILTIN_RESOURCE = "legacy/mapping/robbie.yaml";

    private final Mapping mapping;

    private ImportPlan(Mapping mapping) {
        this.mapping = mapping;
    }

    /** The shipped mapping of the old Robbie databases. */
    public static ImportPlan builtin() {
        try (InputStream in = ImportPlan.class.getClassLoader().getResourceAsStream(BUILTIN_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(BUILTIN_RESOURCE + " is missing from the class path");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "classpath:" + BUILTIN_RESOURCE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + BUILTIN_RESOURCE, e);
        }
    }

    /** A mapping file; a missing, unreadable or malformed file is one {@link ErrorCode#CONFIG} error. */
    public static ImportPlan load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new TownHallException(ErrorCode.CONFIG, "mapping file " + file + " does not exist");
        }
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new TownHallException(ErrorCode.CONFIG, "cannot read mapping file " + file + ": " + e.getMessage(), e);
        }
    }

    /** A mapping given as YAML text; {@code origin} names it in error messages. */
    public static ImportPlan parse(String yaml, String origin) {
        Mapping mapping = MappingLoader.parse(yaml, origin);
        ImportEngine.order(mapping); // a reference cycle is a mapping error too, found before any connection
        return new ImportPlan(mapping);
    }

    /** Where the file came from. */
    public String origin() {
        return mapping.origin();
    }

    public String organisation() {
        return mapping.organisation();
    }

    public String town() {
        return mapping.town();
    }

    /** The source databases the plan reads, by the names {@code --source NAME=URL} uses. */
    public List<String> sources() {
        return List.copyOf(mapping.sources().keySet());
    }

    /** Every source table as SOURCE.TABLE, in the order they are imported. */
    public List<String> tables() {
        return ImportEngine.order(mapping).stream().map(Mapping.TableMap::qualified).toList();
    }

    /**
     * Every TownHall table the plan writes, in the order an import writes them (a group table before the table that
     * links to it, an exploded child table after it).
     */
    public List<String> targetTables() {
        java.util.Set<String> tables = new java.util.LinkedHashSet<>();
        for (Mapping.TableMap t : ImportEngine.order(mapping)) {
            if (t.group() != null) {
                tables.add(t.group().target());
            }
            tables.add(t.target());
            if (t.explode() != null) {
                tables.add(t.explode().target());
            }
        }
        return List.copyOf(tables);
    }

    /** The plan's stated row count per source table (from its inventory). */
    public Map<String, Long> statedRows() {
        java.util.LinkedHashMap<String, Long> rows = new java.util.LinkedHashMap<>();
        for (String t : tables()) {
            mapping.statedRows(t).ifPresent(n -> rows.put(t, n));
        }
        return rows;
    }

    Mapping mapping() {
        return mapping;
    }

    @Override
    public String toString() {
        return "ImportPlan[" + origin() + ", " + tables().size() + " tables into " + organisation() + "/" + town() + "]";
    }
}
