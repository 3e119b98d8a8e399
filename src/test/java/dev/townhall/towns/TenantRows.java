package dev.townhall.towns;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Builds valid rows of any tenant table from the catalog alone, so tests cover tables added after they were
 * written. Every NOT NULL column without a default gets a value by its type (enum: first label; text: 'x';
 * numbers: 1; boolean; timestamps: now(); json: '{}'; arrays: '{}'; uuid: a random one), or the first value a
 * single-column {@code IN (...)} CHECK allows. A NOT NULL reference to another tenant table gets a parent row
 * made first in the same town (recursively); a NOT NULL reference to a global table (users, personalities) gets
 * one of its existing rows. What the catalog cannot tell (regex and multi-column CHECKs) is in {@link #OVERRIDES};
 * a table that still cannot be built fails with {@link CannotBuild}, naming the table, the statement and the error,
 * so the map gets extended instead of the table silently dropping out of the tests.
 * <p>
 * Rows are written as the owner role (RLS bypassed), on the connection given, which must be in auto-commit mode.
 */
final class TenantRows {
    /**
     * Values the generic rules get wrong, as SQL expressions keyed by {@code schema.table.column};
     * {@code {n}} is replaced by a number unique in the run.
     */
    static final Map<String, String> OVERRIDES = Map.of(
            // CHECK (content_hash ~ '^[0-9a-f]{16,128}$')
            "memory.embeddings.content_hash", "'0123456789abcdef'",
            // CHECK (entity_type = ANY (memory.searchable_types()))
            "memory.embedding_queue.entity_type", "'contact'",
            // CHECK (slack_ts ~ '^[0-9]+\.[0-9]+$'), part of a unique key
            "comms.slack_messages.slack_ts", "'{n}.000100'",
            // CHECK (table_name ~ '^[a-z_]+\.[a-z_]+$')
            "sync.conflicts.table_name", "'crm.companies'",
            "sync.pending_sync.table_name", "'crm.companies'",
            // CHECK (url ~ '^https?://[^[:space:]]+$')
            "sync.webhooks.url", "'https://hooks.example.test/{n}'",
            // CHECK (status <> 'resolved' OR (winner IS NOT NULL AND resolved_at IS NOT NULL)); the default is 'resolved'
            "sync.conflicts.status", "'needs_review'",
            // CHECK (ends_at > starts_at)
            "work.focus_blocks.ends_at", "now() + interval '1 hour'",
            // CHECK (user_id IS NOT NULL OR contact_id IS NOT NULL OR email IS NOT NULL OR display_name IS NOT NULL)
            "work.meeting_attendees.display_name", "'Guest {n}'");

    /** Columns every tenant table has and callers set explicitly. */
    private static final Set<String> TENANT_COLUMNS = Set.of("id", "org_id", "town_id", "visibility", "shared_with");
    private static final Pattern FIRST_ALLOWED = Pattern.compile("= ANY \\(ARRAY\\['((?:[^']|'')*)'");
    private static final int MAX_DEPTH = 8;
    private static final int ATTEMPTS = 60;

    record Column(String name, String type, String baseType, char typtype, char category, boolean notNull,
                  boolean hasDefault, boolean generated, long baseTypeOid) {
        boolean needsValue() {
            return notNull && !hasDefault && !generated;
        }
    }

    record ForeignKey(String name, List<String> columns, String refTable, List<String> refColumns) {
    }

    record Table(String name, Map<String, Column> columns, List<ForeignKey> foreignKeys, Map<String, String> firstAllowed,
                 Set<String> uniqueColumns) {
    }

    /** A tenant table the catalog rules cannot build a row for; the message says what to extend. */
    static final class CannotBuild extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CannotBuild(String table, String detail, Throwable cause) {
            super("cannot build a row of " + table + " from the catalog: " + detail
                    + "\n  → give the column(s) its constraints need a value in TenantRows.OVERRIDES"
                    + " (key schema.table.column)", cause);
        }
    }

    private final Connection owner;
    private final Set<String> tenantTables;
    private final Map<String, Table> tables = new HashMap<>();
    private final Map<String, List<Object[]>> globalRows = new HashMap<>();
    private final Map<Long, String> enumFirst = new HashMap<>();
    private final Random random = new Random(20261124);
    private final AtomicLong seq = new AtomicLong();

    TenantRows(Connection owner) throws SQLException {
        this.owner = owner;
        this.tenantTables = new HashSet<>(Sql.column(owner, "SELECT table_name::text FROM core.tenant_tables"));
    }

    /** Every tenant table, sorted: the catalog's own list (tables carrying the tenant policies). */
    List<String> tenantTables() {
        return tenantTables.stream().sorted().toList();
    }

    boolean isTenant(String table) {
        return tenantTables.contains(table);
    }

    Table table(String name) throws SQLException {
        Table cached = tables.get(name);
        if (cached == null) {
            cached = load(name);
            tables.put(name, cached);
        }
        return cached;
    }

    /** Inserts a row as the owner and returns its id; parents it needs are made first in the same town. */
    UUID insert(String table, UUID org, UUID town, boolean shared, List<UUID> sharedWith) {
        return insert(table, org, town, shared, sharedWith, 0);
    }

    /**
     * Column values (SQL expressions) for a row of {@code table} in {@code town}, parents already made and
     * committed, checked by inserting them once as the owner and rolling back. The application can then insert
     * {@link #insertSql} with them.
     */
    Map<String, String> template(String table, UUID org, UUID town) {
        CannotBuild last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Map<String, String> values = values(table, org, town, 0);
            String sql = insertSql(table, org, town, false, List.of(), values);
            try {
                owner.setAutoCommit(false);
                try {
                    Sql.exec(owner, sql);
                    return values;
                } finally {
                    owner.rollback();
                    owner.setAutoCommit(true);
                }
            } catch (SQLException e) {
                last = new CannotBuild(table, e.getMessage().split("\n")[0] + "\n  SQL: " + sql, e);
                if (!"23505".equals(e.getSQLState())) {
                    throw last;
                }
            }
        }
        throw last;
    }

    /** INSERT of one row with explicit tenant columns and the given other values. */
    static String insertSql(String table, UUID org, UUID town, boolean shared, List<UUID> sharedWith,
                            Map<String, String> values) {
        List<String> columns = new ArrayList<>(List.of("org_id", "town_id", "visibility", "shared_with"));
        List<String> exprs = new ArrayList<>(List.of(
                Sql.literal(org.toString()) + "::uuid",
                Sql.literal(town.toString()) + "::uuid",
                shared ? "'shared'" : "'private'",
                Sql.literal(sharedWith.stream().map(UUID::toString).collect(Collectors.joining(",", "{", "}"))) + "::uuid[]"));
        values.forEach((column, expr) -> {
            columns.add('"' + column + '"');
            exprs.add(expr);
        });
        return "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES (" + String.join(", ", exprs) + ")";
    }

    private UUID insert(String table, UUID org, UUID town, boolean shared, List<UUID> sharedWith, int depth) {
        CannotBuild last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            String sql = insertSql(table, org, town, shared, sharedWith, values(table, org, town, depth)) + " RETURNING id";
            try {
                return Sql.one(owner, sql);
            } catch (SQLException e) {
                last = new CannotBuild(table, e.getMessage().split("\n")[0] + "\n  SQL: " + sql, e);
                if (!"23505".equals(e.getSQLState())) {
                    throw last;
                }
            }
        }
        throw last;
    }

    private Map<String, String> values(String tableName, UUID org, UUID town, int depth) {
        if (depth > MAX_DEPTH) {
            throw new CannotBuild(tableName, "references nest deeper than " + MAX_DEPTH + " (a cycle of NOT NULL keys?)", null);
        }
        try {
            Table table = table(tableName);
            Map<String, String> out = new LinkedHashMap<>();
            for (ForeignKey fk : table.foreignKeys()) {
                List<Integer> own = new ArrayList<>();
                for (int i = 0; i < fk.columns().size(); i++) {
                    String col = fk.columns().get(i);
                    if (!col.equals("town_id") && !col.equals("org_id")) {
                        own.add(i);
                    }
                }
                boolean needed = own.stream().map(i -> table.columns().get(fk.columns().get(i)))
                        .anyMatch(c -> c.needsValue() && !OVERRIDES.containsKey(tableName + "." + c.name()));
                if (own.isEmpty() || !needed) {
                    continue;
                }
                Object[] parent;
                if (isTenant(fk.refTable())) {
                    UUID parentId = insert(fk.refTable(), org, town, false, List.of(), depth + 1);
                    parent = Sql.rows(owner, "SELECT " + quoted(fk.refColumns()) + " FROM " + fk.refTable() + " WHERE id = ?",
                            parentId).get(0);
                } else {
                    parent = globalRow(fk, org);
                }
                for (int i : own) {
                    Column c = table.columns().get(fk.columns().get(i));
                    out.put(c.name(), Sql.literal(String.valueOf(parent[i])) + "::" + c.type());
                }
            }
            for (Column c : table.columns().values()) {
                if (TENANT_COLUMNS.contains(c.name()) || out.containsKey(c.name()) || c.generated()) {
                    continue;
                }
                String override = OVERRIDES.get(tableName + "." + c.name());
                if (override != null) {
                    out.put(c.name(), override.replace("{n}", Long.toString(seq.incrementAndGet())));
                } else if (c.needsValue() || uniqueText(table, c)) {
                    out.put(c.name(), valueFor(table, c));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new CannotBuild(tableName, e.getMessage(), e);
        }
    }

    /** A NOT NULL text column of a unique key gets a fresh value even when it has a default ('' would collide). */
    private static boolean uniqueText(Table table, Column c) {
        return c.notNull() && !c.generated() && table.uniqueColumns().contains(c.name())
                && !table.firstAllowed().containsKey(c.name())
                && List.of("text", "citext", "character varying").contains(c.baseType());
    }

    private Object[] globalRow(ForeignKey fk, UUID org) throws SQLException {
        String key = fk.refTable() + "/" + fk.refColumns() + "/" + org;
        List<Object[]> candidates = globalRows.get(key);
        if (candidates == null) {
            boolean hasOrg = Sql.count(owner, "SELECT count(*) FROM pg_attribute WHERE attrelid = ?::regclass"
                    + " AND attname = 'org_id' AND NOT attisdropped", fk.refTable()) > 0;
            candidates = Sql.rows(owner, "SELECT " + quoted(fk.refColumns()) + " FROM " + fk.refTable()
                    + (hasOrg ? " WHERE org_id = ?" : "") + " ORDER BY 1", hasOrg ? new Object[] {org} : new Object[0]);
            globalRows.put(key, candidates);
        }
        if (candidates.isEmpty()) {
            throw new CannotBuild(fk.refTable(), "no row to reference through " + fk.name(), null);
        }
        return candidates.get(random.nextInt(candidates.size()));
    }

    private String valueFor(Table table, Column c) throws SQLException {
        String allowed = table.firstAllowed().get(c.name());
        if (allowed != null) {
            return Sql.literal(allowed.replace("''", "'"));
        }
        boolean unique = table.uniqueColumns().contains(c.name());
        long n = seq.incrementAndGet();
        if (c.typtype() == 'e') {
            String label = enumFirst.get(c.baseTypeOid());
            if (label == null) {
                label = Sql.one(owner, "SELECT enumlabel::text FROM pg_enum WHERE enumtypid = ?::oid ORDER BY enumsortorder LIMIT 1",
                        c.baseTypeOid());
                enumFirst.put(c.baseTypeOid(), label);
            }
            return Sql.literal(label);
        }
        if (c.category() == 'A') {
            return "'{}'";
        }
        return switch (c.baseType()) {
            case "text", "citext", "character varying", "character", "name" -> unique ? "'x" + n + "'" : "'x'";
            case "smallint", "integer", "bigint", "numeric", "real", "double precision" -> unique ? Long.toString(n % 30000 + 1) : "1";
            case "boolean" -> "true";
            case "timestamp with time zone", "timestamp without time zone" -> "now()";
            case "date" -> "current_date";
            case "time without time zone", "time with time zone" -> "'12:00'";
            case "interval" -> "interval '1 hour'";
            case "jsonb", "json" -> "'{}'";
            case "uuid" -> "gen_random_uuid()";
            case "vector" -> "'[1]'";
            case "inet", "cidr" -> "'127.0.0.1'";
            case "bytea" -> "'\\x00'::bytea";
            case "tsvector" -> "''::tsvector";
            default -> throw new CannotBuild(table.name(), "no generic value for " + c.name() + " of type " + c.type(), null);
        };
    }

    private Table load(String name) throws SQLException {
        Map<String, Column> columns = new LinkedHashMap<>();
        for (Object[] r : Sql.rows(owner, """
                SELECT a.attname::text, format_type(a.atttypid, a.atttypmod), format_type(b.oid, NULL), b.typtype::text,
                       b.typcategory::text, a.attnotnull, a.atthasdef, (a.attgenerated <> '' OR a.attidentity <> ''), b.oid::bigint
                FROM pg_attribute a
                JOIN pg_type t ON t.oid = a.atttypid
                JOIN pg_type b ON b.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
                WHERE a.attrelid = ?::regclass AND a.attnum > 0 AND NOT a.attisdropped
                ORDER BY a.attnum""", name)) {
            columns.put((String) r[0], new Column((String) r[0], (String) r[1], (String) r[2], ((String) r[3]).charAt(0),
                    ((String) r[4]).charAt(0), (Boolean) r[5], (Boolean) r[6], (Boolean) r[7], (Long) r[8]));
        }
        if (columns.isEmpty()) {
            throw new CannotBuild(name, "no such table", null);
        }
        List<ForeignKey> fks = new ArrayList<>();
        for (Object[] r : Sql.rows(owner, """
                SELECT k.conname::text, k.confrelid::regclass::text,
                       (SELECT array_agg(a.attname::text ORDER BY x.n) FROM unnest(k.conkey) WITH ORDINALITY x(num, n)
                        JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = x.num),
                       (SELECT array_agg(a.attname::text ORDER BY x.n) FROM unnest(k.confkey) WITH ORDINALITY x(num, n)
                        JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = x.num)
                FROM pg_constraint k WHERE k.conrelid = ?::regclass AND k.contype = 'f' ORDER BY k.conname""", name)) {
            fks.add(new ForeignKey((String) r[0], strings(r[2]), (String) r[1], strings(r[3])));
        }
        Map<String, String> firstAllowed = new HashMap<>();
        for (Object[] r : Sql.rows(owner, """
                SELECT a.attname::text, pg_get_constraintdef(k.oid)
                FROM pg_constraint k JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
                WHERE k.conrelid = ?::regclass AND k.contype = 'c' AND cardinality(k.conkey) = 1""", name)) {
            Matcher m = FIRST_ALLOWED.matcher((String) r[1]);
            if (m.find()) {
                firstAllowed.put((String) r[0], m.group(1));
            }
        }
        Set<String> unique = new HashSet<>(Sql.column(owner, """
                SELECT a.attname::text FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
                WHERE i.indrelid = ?::regclass AND i.indisunique""", name));
        return new Table(name, columns, fks, firstAllowed, unique);
    }

    private static List<String> strings(Object array) {
        return Arrays.stream((Object[]) array).map(String::valueOf).toList();
    }

    private static String quoted(List<String> columns) {
        return columns.stream().map(c -> '"' + c + '"').collect(Collectors.joining(", "));
    }
}
