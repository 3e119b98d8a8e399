package dev.townhall.schema;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import liquibase.ChecksumVersion;
import liquibase.Scope;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.resource.DirectoryResourceAccessor;
import liquibase.resource.ResourceAccessor;

import java.io.FileNotFoundException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The changesets of a changelog in the order they run, each with the checksum Liquibase stores when it applies
 * it. Read without a database, so the release lock can be checked by a test or a release command alone.
 */
public final class Changesets {
    private Changesets() {
    }

    /** One changeset as Liquibase identifies it, with its current checksum ({@code 9:…}). */
    public record Changeset(String file, String id, String author, String checksum) {
        /** {@code file::id::author}, the way Liquibase names a changeset. */
        public String name() {
            return Changesets.name(file, id, author);
        }
    }

    /** {@code file::id::author}, the way Liquibase names a changeset (also one it has applied, or one in the lock). */
    static String name(String file, String id, String author) {
        return file + "::" + id + "::" + author;
    }

    /** The changesets this build ships (the changelog on the class path). */
    public static List<Changeset> shipped() {
        return read(new ClassLoaderResourceAccessor());
    }

    /** The changesets of the changelog under a resource root such as {@code src/main/resources}. */
    public static List<Changeset> inSourceTree(Path resourceRoot) {
        try (DirectoryResourceAccessor accessor = new DirectoryResourceAccessor(resourceRoot)) {
            return read(accessor);
        } catch (FileNotFoundException e) {
            throw new TownHallException(ErrorCode.CONFIG, "no resource directory at " + resourceRoot
                    + "; run from the checkout or give --source src/main/resources", e);
        } catch (TownHallException e) {
            throw e;
        } catch (Exception e) {
            throw new TownHallException(ErrorCode.INTERNAL, "cannot close the resource directory " + resourceRoot, e);
        }
    }

    static List<Changeset> read(ResourceAccessor accessor) {
        try {
            DatabaseChangeLog changelog = Scope.child(Map.of(Scope.Attr.resourceAccessor.name(), accessor),
                    () -> ChangeLogParserFactory.getInstance().getParser(Migrator.CHANGELOG, accessor)
                            .parse(Migrator.CHANGELOG, new ChangeLogParameters(), accessor));
            return changelog.getChangeSets().stream().map(Changesets::of).toList();
        } catch (Exception e) {
            throw new TownHallException(ErrorCode.MIGRATION_FAILED, "cannot read the changelog "
                    + Migrator.CHANGELOG + ": " + Migrator.rootMessage(e), e);
        }
    }

    static Changeset of(ChangeSet cs) {
        return new Changeset(cs.getFilePath(), cs.getId(), cs.getAuthor(),
                cs.generateCheckSum(ChecksumVersion.latest()).toString());
    }
}
