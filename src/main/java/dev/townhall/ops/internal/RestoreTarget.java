package dev.townhall.ops.internal;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Bootstrap;
import dev.townhall.db.Database;
import dev.townhall.db.Endpoint;
import dev.townhall.db.Identifiers;
import dev.townhall.schema.Verifier;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A database a backup is restored into, checked before anything is written: it must hold no TownHall table (unless
 * replacing is asked for), have TownHall's roles (the dump grants to them) and its extensions (created by a
 * superuser, so the restore leaves them out rather than failing on them as the table owner).
 */
public final class RestoreTarget {
    private static final List<String> ROLES =
            List.of(Database.OWNER_ROLE, Database.APP_ROLE, Database.ANALYTICS_ROLE, Database.COMPAT_ROLE);

    /** {@code 5; 3079 16385 EXTENSION - vector …} and {@code 4350; 0 0 COMMENT - EXTENSION vector …}. */
    private static final Pattern EXTENSION_ENTRY = Pattern.compile("^\\d+; \\d+ \\d+ (EXTENSION - |COMMENT - EXTENSION )");

    /** {@code 12; 2615 16390 SCHEMA - crm townhall_owner} and {@code 300; 1259 16400 TABLE public databasechangelog …}. */
    private static final Pattern DROPPABLE_ENTRY =
            Pattern.compile("^\\d+; \\d+ \\d+ (SCHEMA|TABLE|VIEW|SEQUENCE) (?:- |public )(\\S+) ");

    private final Endpoint target;

    private RestoreTarget(Endpoint target) {
        this.target = target;
    }

    /** Refuses, in one line, a target restoring into would fail on or would silently mix with. */
    public static RestoreTarget check(Endpoint target, boolean replace) {
        try (Connection c = target.connect()) {
            List<String> missingRoles = missing(c, "SELECT rolname FROM pg_roles WHERE rolname = ANY (?)", ROLES);
            if (!missingRoles.isEmpty()) {
                throw new TownHallException(ErrorCode.CONFIG, "the server at " + target.host() + ":" + target.port()
                        + " lacks the role(s) " + String.join(", ", missingRoles) + " the backup grants to; create them"
                        + " first (./townhall does for its local cluster); nothing restored");
            }
            if (!missing(c, "SELECT name FROM pg_available_extensions WHERE name = ANY (?)", List.of("vector")).isEmpty()) {
                throw new TownHallException(ErrorCode.BINARIES_MISSING, "the server at " + target.host() + ":"
                        + target.port() + " has no pgvector (extension vector); install it (scripts/install-deps);"
                        + " nothing restored");
            }
            List<String> missingExtensions = missing(c, "SELECT extname FROM pg_extension WHERE extname = ANY (?)",
                    Bootstrap.EXTENSIONS);
            if (!missingExtensions.isEmpty()) {
                throw new TownHallException(ErrorCode.CONFIG, "database " + target.database() + " lacks the"
                        + " extension(s) " + String.join(", ", missingExtensions) + "; a superuser creates them (CREATE"
                        + " EXTENSION); nothing restored");
            }
            long tables = townHallTables(c);
            if (tables > 0 && !replace) {
                throw new TownHallException(ErrorCode.CONFLICT, "database " + target.database() + " at " + target.host()
                        + ":" + target.port() + " is not empty (" + tables + " tables in the TownHall schemas);"
                        + " --force replaces them; nothing restored");
            }
        } catch (SQLException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "cannot inspect " + target.describe() + ": "
                    + e.getMessage(), e);
        }
        return new RestoreTarget(target);
    }

    /**
     * pg_restore in one transaction (a failure leaves the target as it was before it) of every entry but the
     * extensions and their comments, which only their owner (a superuser) may create, drop or comment on. With
     * {@code replace}, the schemas and public tables the archive holds are dropped first, in a transaction of their
     * own: pg_restore's own --clean cannot drop the constraints partitions inherit, and a replaced target whose
     * restore fails is then left empty rather than half old, half new.
     */
    public void restore(PgTool tool, Path file, boolean replace) {
        Path list = null;
        try {
            list = Files.createTempFile("townhall-restore-", ".list");
            List<String> entries = tool.list(file).lines();
            if (replace) {
                dropWhatTheArchiveHolds(entries);
            }
            Files.write(list, entries.stream().filter(line -> !EXTENSION_ENTRY.matcher(line).find()).toList());
            tool.restore(target, file, list);
        } catch (IOException e) {
            throw new TownHallException(ErrorCode.DATA_DIR, "cannot write the restore's list: " + e.getMessage(), e);
        } finally {
            if (list != null) {
                list.toFile().delete();
            }
        }
    }

    private void dropWhatTheArchiveHolds(List<String> entries) {
        List<String> drops = new ArrayList<>();
        for (String line : entries) {
            Matcher m = DROPPABLE_ENTRY.matcher(line);
            // public holds the extensions' objects: only the archive's own tables there are dropped
            if (m.find() && !(m.group(1).equals("SCHEMA") && m.group(2).equals("public"))) {
                String kind = m.group(1);
                drops.add(kind.equals("SCHEMA") ? "DROP SCHEMA IF EXISTS " + Identifiers.quote(m.group(2)) + " CASCADE"
                        : "DROP " + kind + " IF EXISTS public." + Identifiers.quote(m.group(2)) + " CASCADE");
            }
        }
        try (Connection c = target.connect()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                for (String drop : drops) {
                    s.execute(drop);
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw new TownHallException(ErrorCode.CONFLICT, "cannot clear " + target.describe() + " for the restore ("
                    + e.getMessage() + "); nothing restored", e);
        }
    }

    private static long townHallTables(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY (?)""")) {
            ps.setArray(1, c.createArrayOf("text", Verifier.SCHEMAS.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Which of {@code wanted} the query (one text array parameter, one name column) does not return. */
    private static List<String> missing(Connection c, String query, List<String> wanted) throws SQLException {
        List<String> absent = new ArrayList<>(wanted);
        try (PreparedStatement ps = c.prepareStatement(query)) {
            Array names = c.createArrayOf("text", wanted.toArray());
            ps.setArray(1, names);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    absent.remove(rs.getString(1));
                }
            }
        }
        return absent;
    }
}
