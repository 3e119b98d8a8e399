package dev.townhall.towns;

import com.zaxxer.hikari.HikariDataSource;
import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Database;
import dev.townhall.db.Identifiers;
import dev.townhall.db.Pools;
import dev.townhall.search.EmbeddedEntity;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Towns, users, memberships and sharing of one organisation, and the entry point for work done under a town
 * context: {@code towns.as("allan@aurora").inTransaction(h -> …)}. Administrative changes run as the owner role
 * and are written to the audit log; work under a context runs as the application role, where RLS decides.
 */
public final class Towns implements AutoCloseable {
    public static final String DEFAULT_ORG = "testpilot";

    private final HikariDataSource ownerPool;
    private final HikariDataSource appPool;
    private final Jdbi owner;
    private final Jdbi app;
    private final UUID orgId;

    private Towns(HikariDataSource ownerPool, HikariDataSource appPool, UUID orgId) {
        this.ownerPool = ownerPool;
        this.appPool = appPool;
        this.owner = Jdbi.create(ownerPool);
        this.app = Jdbi.create(appPool);
        this.orgId = orgId;
    }

    /** Opens pools for the owner and application roles of {@code db}, working in organisation {@code orgSlug}. */
    public static Towns open(Database db, String orgSlug) {
        HikariDataSource ownerPool = Pools.open(db.owner(), 2);
        HikariDataSource appPool = null;
        try {
            appPool = Pools.open(db.app());
            UUID org = Jdbi.create(ownerPool).withHandle(h -> h.createQuery(
                            "SELECT id FROM core.organizations WHERE slug = :slug")
                    .bind("slug", orgSlug).mapTo(UUID.class).findOne())
                    .orElseThrow(() -> new TownHallException(ErrorCode.NOT_FOUND, "no organisation '" + orgSlug
                            + "' (run ./townhall migrate, which creates " + DEFAULT_ORG + ")"));
            return new Towns(ownerPool, appPool, org);
        } catch (RuntimeException e) {
            ownerPool.close();
            if (appPool != null) {
                appPool.close();
            }
            throw e;
        }
    }

    public static Towns open(Database db) {
        return open(db, DEFAULT_ORG);
    }

    public UUID orgId() {
        return orgId;
    }

    /**
     * The owner role's pool, for a service that administers its own core table the way Towns does (as the
     * operator, writing {@link #audit}): API keys. Work for a person goes through {@link #as} instead.
     */
    public Jdbi ownerJdbi() {
        return owner;
    }

    /**
     * The application role's pool, for the narrow lookups that come before any town context (authenticating an API
     * key through its SECURITY DEFINER function); RLS shows this role nothing without a context.
     */
    public Jdbi appJdbi() {
        return app;
    }

    // ---- contexts ------------------------------------------------------------------------------------------

    /** A context for the user and town named {@code actor} ("user@town"; user = handle, username or email). */
    public TownContext as(String actor) {
        int at = actor.lastIndexOf('@');
        if (at <= 0 || at == actor.length() - 1) {
            throw new TownHallException(ErrorCode.INVALID_INPUT, "actor must look like USER@TOWN, got '" + actor + "'");
        }
        return as(userId(actor.substring(0, at)), town(actor.substring(at + 1)).id());
    }

    /** A context for ids; the database checks the membership when the context is used. */
    public TownContext as(UUID userId, UUID townId) {
        return new TownContext(app, userId, townId);
    }

    // ---- lookups -------------------------------------------------------------------------------------------

    public List<Town> towns() {
        return owner.withHandle(h -> h.createQuery("""
                        SELECT id, org_id, slug, name, is_capital FROM core.towns
                        WHERE org_id = :org ORDER BY is_capital DESC, slug""")
                .bind("org", orgId)
                .map((rs, ctx) -> new Town(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                        rs.getString(4), rs.getBoolean(5)))
                .list());
    }

    public Town town(String slug) {
        return towns().stream().filter(t -> t.slug().equals(slug)).findFirst()
                .orElseThrow(() -> new TownHallException(ErrorCode.NOT_FOUND, "no town '" + slug + "' in this organisation;"
                        + " towns: " + towns().stream().map(Town::slug).toList()));
    }

    /** The user whose handle, username or email is {@code ref}. */
    public UUID userId(String ref) {
        return owner.withHandle(h -> h.createQuery("""
                        SELECT id FROM core.users
                        WHERE org_id = :org AND (handle = :ref OR username = :ref::citext OR email = :ref::citext)""")
                .bind("org", orgId).bind("ref", ref).mapTo(UUID.class).findOne())
                .orElseThrow(() -> new TownHallException(ErrorCode.NOT_FOUND, "no user '" + ref + "' in this organisation"
                        + " (add one with ./townhall users add)"));
    }

    /**
     * Runs {@code work} in a read-only transaction as the application role with no town context: for reading the
     * system catalogs (tables, columns, indexes), which every role may read. Row-level security shows such a
     * transaction no tenant row.
     */
    public <T, X extends Exception> T readCatalog(HandleCallback<T, X> work) throws X {
        return app.inTransaction(h -> {
            h.execute("SET TRANSACTION READ ONLY");
            return work.withHandle(h);
        });
    }

    /** Every tenant table, from the catalog (tables carrying the tenant policies). */
    public List<String> tenantTables() {
        return owner.withHandle(h -> h.createQuery("SELECT schema_name || '.' || relation_name FROM core.tenant_tables ORDER BY 1")
                .mapTo(String.class).list());
    }

    // ---- administration ------------------------------------------------------------------------------------

    /** Creates a town; {@code capital} moves the capital flag to it (an organisation has at most one capital). */
    public Town create(String slug, String name, boolean capital) {
        requireSlug(slug);
        return owner.inTransaction(h -> {
            if (h.createQuery("SELECT 1 FROM core.towns WHERE org_id = :org AND slug = :slug")
                    .bind("org", orgId).bind("slug", slug).mapTo(Integer.class).findOne().isPresent()) {
                throw new TownHallException(ErrorCode.CONFLICT, "town '" + slug + "' already exists");
            }
            if (capital) {
                h.createUpdate("UPDATE core.towns SET is_capital = false WHERE org_id = :org AND is_capital")
                        .bind("org", orgId).execute();
            }
            UUID id = h.createQuery("""
                            INSERT INTO core.towns (org_id, slug, name, is_capital) VALUES (:org, :slug, :name, :capital)
                            RETURNING id""")
                    .bind("org", orgId).bind("slug", slug).bind("name", name == null ? slug : name)
                    .bind("capital", capital).mapTo(UUID.class).one();
            audit(h, null, "town.create", "core.towns", id);
            return new Town(id, orgId, slug, name == null ? slug : name, capital);
        });
    }

    /** Adds a user to the organisation; {@code handle} is the short id used in USER@TOWN. */
    public UUID addUser(String email, String handle, String firstName, String lastName) {
        requireEmail(email);
        if (handle != null) {
            requireHandle(handle);
        }
        return owner.inTransaction(h -> {
            Optional<UUID> existing = h.createQuery("""
                            SELECT id FROM core.users WHERE org_id = :org AND (email = :email::citext OR handle = :handle)""")
                    .bind("org", orgId).bind("email", email).bind("handle", handle).mapTo(UUID.class).findOne();
            if (existing.isPresent()) {
                throw new TownHallException(ErrorCode.CONFLICT, "a user with email '" + email + "' or handle '" + handle
                        + "' already exists");
            }
            UUID id = h.createQuery("""
                            INSERT INTO core.users (org_id, email, handle, first_name, last_name)
                            VALUES (:org, :email, :handle, :first, :last) RETURNING id""")
                    .bind("org", orgId).bind("email", email).bind("handle", handle)
                    .bind("first", firstName).bind("last", lastName).mapTo(UUID.class).one();
            audit(h, null, "user.add", "core.users", id);
            return id;
        });
    }

    /**
     * A machine identity of the organisation ({@code is_service}, no password) with a {@code service} membership
     * in every active town, so work it does runs under a town context like any person's. Creates what is missing
     * (the user on first call; memberships of towns created since) and returns the user's id. Safe to call
     * concurrently and any number of times. Refuses a handle or email that belongs to a person.
     */
    public UUID ensureServiceUser(String handle, String email, String displayName) {
        requireHandle(handle);
        requireEmail(email);
        return owner.inTransaction(h -> {
            Optional<UUID> inserted = h.createQuery("""
                            INSERT INTO core.users (org_id, email, handle, first_name, is_service)
                            VALUES (:org, :email, :handle, :name, true)
                            ON CONFLICT DO NOTHING
                            RETURNING id""")
                    .bind("org", orgId).bind("email", email).bind("handle", handle).bind("name", displayName)
                    .mapTo(UUID.class).findOne();
            inserted.ifPresent(id -> audit(h, null, "user.add", "core.users", id));
            UUID user = h.createQuery("""
                            SELECT id FROM core.users
                            WHERE org_id = :org AND handle = :handle AND email = :email::citext AND is_service""")
                    .bind("org", orgId).bind("handle", handle).bind("email", email).mapTo(UUID.class).findOne()
                    .orElseThrow(() -> new TownHallException(ErrorCode.CONFLICT, "handle '" + handle + "' or email '"
                            + email + "' belongs to another user, not to the service identity; rename that user"));
            List<Map.Entry<UUID, UUID>> granted = h.createQuery("""
                            INSERT INTO core.memberships (org_id, user_id, town_id, role)
                            SELECT t.org_id, :user, t.id, 'service' FROM core.towns t
                            WHERE t.org_id = :org AND t.status = 'active'
                            ON CONFLICT (user_id, town_id) DO UPDATE SET role = 'service', is_active = true
                                WHERE core.memberships.role <> 'service' OR NOT core.memberships.is_active
                            RETURNING id, town_id""")
                    .bind("org", orgId).bind("user", user)
                    .map((rs, ctx) -> Map.entry(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class))).list();
            granted.forEach(m -> audit(h, m.getValue(), "membership.set", "core.memberships", m.getKey()));
            return user;
        });
    }

    /** Gives {@code userRef} the role {@code role} in {@code townSlug} (updating an existing membership). */
    public void addMember(String userRef, String townSlug, Role role) {
        UUID user = userId(userRef);
        Town town = town(townSlug);
        owner.useTransaction(h -> {
            UUID id = h.createQuery("""
                            INSERT INTO core.memberships (org_id, user_id, town_id, role)
                            VALUES (:org, :user, :town, CAST(:role AS core.member_role))
                            ON CONFLICT (user_id, town_id) DO UPDATE SET role = EXCLUDED.role, is_active = true
                            RETURNING id""")
                    .bind("org", orgId).bind("user", user).bind("town", town.id()).bind("role", role.sqlName())
                    .mapTo(UUID.class).one();
            audit(h, town.id(), "membership.set", "core.memberships", id);
        });
    }

    /**
     * Shares a row of a tenant table: with the named towns, or with every town of the organisation when
     * {@code withTowns} is empty. Returns false when no such row exists.
     */
    public boolean share(String table, UUID rowId, List<String> withTowns) {
        String qualified = requireTenantTable(table);
        List<UUID> ids = withTowns.stream().map(slug -> town(slug).id()).toList();
        return owner.inTransaction(h -> {
            int changed = h.createUpdate("UPDATE " + Identifiers.quoteQualified(qualified)
                            + " SET visibility = 'shared', shared_with = CAST(:with AS uuid[]) WHERE id = :id")
                    .bind("with", ids.toArray(new UUID[0])).bind("id", rowId).execute();
            if (changed > 0) {
                audit(h, townOf(h, qualified, rowId), "row.share", qualified, rowId);
            }
            return changed > 0;
        });
    }

    /** Makes a shared row private again. Returns false when no such row exists. */
    public boolean unshare(String table, UUID rowId) {
        String qualified = requireTenantTable(table);
        return owner.inTransaction(h -> {
            int changed = h.createUpdate("UPDATE " + Identifiers.quoteQualified(qualified)
                            + " SET visibility = 'private', shared_with = '{}' WHERE id = :id")
                    .bind("id", rowId).execute();
            if (changed > 0) {
                audit(h, townOf(h, qualified, rowId), "row.unshare", qualified, rowId);
            }
            return changed > 0;
        });
    }

    /**
     * Moves a row to another town. Rows that reference it through town-composite keys move with it
     * (ON UPDATE CASCADE); if one of them also references a row that stays behind, the database refuses the move.
     * The embeddings of every moved row move too, so no town keeps vectors of rows it no longer owns.
     */
    public void move(String table, UUID rowId, String townSlug) {
        String qualified = requireTenantTable(table);
        Town target = town(townSlug);
        try {
            owner.useTransaction(h -> {
                Optional<UUID> from = h.createQuery("SELECT town_id FROM " + Identifiers.quoteQualified(qualified)
                                + " WHERE id = :id")
                        .bind("id", rowId).mapTo(UUID.class).findOne();
                if (from.isEmpty()) {
                    throw new TownHallException(ErrorCode.NOT_FOUND, "no row " + rowId + " in " + qualified);
                }
                h.createUpdate("UPDATE " + Identifiers.quoteQualified(qualified) + " SET town_id = :town WHERE id = :id")
                        .bind("town", target.id()).bind("id", rowId).execute();
                moveEmbeddings(h, from.get(), target.id());
                audit(h, target.id(), "row.move", qualified, rowId);
            });
        } catch (UnableToExecuteStatementException e) {
            if (e.getCause() instanceof SQLException sql && "23503".equals(sql.getSQLState())) {
                throw new TownHallException(ErrorCode.CONFLICT, "cannot move " + qualified + " " + rowId + " to "
                        + townSlug + ": a dependent row also references a row that stays in the old town ("
                        + sql.getMessage().split("\n")[0] + ")", e);
            }
            throw e;
        }
    }

    /**
     * Embeddings left in {@code from} whose entity now lives in {@code to}: ids are UUIDs, so an entity of the
     * old town found in the new one is one that just moved (directly or as a dependant).
     */
    private static void moveEmbeddings(Handle h, UUID from, UUID to) {
        for (EmbeddedEntity entity : EmbeddedEntity.values()) {
            h.createUpdate("""
                            UPDATE memory.embeddings e SET town_id = :to
                            WHERE e.town_id = :from AND e.entity_type = :type
                              AND EXISTS (SELECT 1 FROM %s x WHERE x.id = e.entity_id AND x.town_id = :to)"""
                            .formatted(Identifiers.quoteQualified(entity.table())))
                    .bind("from", from).bind("to", to).bind("type", entity.type()).execute();
        }
    }

    /**
     * Row counts per tenant table and town, as {@code caller} sees them (the owner sees everything); derived tables
     * (comment "derived:") are left out.
     */
    public Map<String, Map<String, Long>> visibleCounts(Optional<TownContext> caller) {
        // derived tables (vectors, the embedding queue) repeat rows counted already
        List<String> tables = owner.withHandle(h -> h.createQuery("""
                        SELECT schema_name || '.' || relation_name FROM core.tenant_tables
                        WHERE coalesce(obj_description(table_name, 'pg_class'), '') NOT LIKE 'derived:%'
                        ORDER BY 1""")
                .mapTo(String.class).list());
        Map<UUID, String> slugs = new LinkedHashMap<>();
        towns().forEach(t -> slugs.put(t.id(), t.slug()));
        // one transaction for every table: one context to enter, and counts from one snapshot
        return caller.isPresent()
                ? caller.get().inTransaction(h -> countAll(h, tables, slugs))
                : owner.inTransaction(h -> countAll(h, tables, slugs));
    }

    private static Map<String, Map<String, Long>> countAll(Handle h, List<String> tables, Map<UUID, String> slugs) {
        Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
        for (String table : tables) {
            String sql = "SELECT town_id, count(*) FROM " + Identifiers.quoteQualified(table) + " GROUP BY town_id";
            Map<String, Long> perTown = new LinkedHashMap<>();
            for (Map.Entry<UUID, Long> row : countRows(h, sql)) {
                perTown.put(slugs.getOrDefault(row.getKey(), row.getKey().toString()), row.getValue());
            }
            counts.put(table, perTown);
        }
        return counts;
    }

    private static List<Map.Entry<UUID, Long>> countRows(Handle h, String sql) {
        return h.createQuery(sql)
                .map((rs, ctx) -> Map.entry(rs.getObject(1, UUID.class), rs.getLong(2)))
                .list();
    }

    /** Runs one SQL statement under {@code context} and returns what it produced, as text. */
    public static QueryResult sql(TownContext context, String sql) {
        try {
            return context.inTransaction(h -> {
                Statement statement = h.getConnection().createStatement();
                try (statement) {
                    if (!statement.execute(sql)) {
                        return new QueryResult(List.of(), List.of(), statement.getUpdateCount());
                    }
                    try (ResultSet rs = statement.getResultSet()) {
                        ResultSetMetaData md = rs.getMetaData();
                        List<String> columns = new ArrayList<>();
                        for (int i = 1; i <= md.getColumnCount(); i++) {
                            columns.add(md.getColumnLabel(i));
                        }
                        List<List<String>> rows = new ArrayList<>();
                        while (rs.next()) {
                            List<String> row = new ArrayList<>();
                            for (int i = 1; i <= columns.size(); i++) {
                                row.add(rs.getString(i));
                            }
                            rows.add(row);
                        }
                        return new QueryResult(columns, rows, -1);
                    }
                }
            });
        } catch (SQLException e) {
            throw new TownHallException(ErrorCode.INVALID_INPUT, "the query failed: " + e.getMessage().split("\n")[0], e);
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private String requireTenantTable(String table) {
        String wanted = table.toLowerCase(Locale.ROOT);
        return tenantTables().stream().filter(t -> t.equals(wanted)).findFirst()
                .orElseThrow(() -> new TownHallException(ErrorCode.INVALID_INPUT, "'" + table
                        + "' is not a tenant table; use schema.table, e.g. crm.companies"));
    }

    private static UUID townOf(Handle h, String qualified, UUID rowId) {
        return h.createQuery("SELECT town_id FROM " + Identifiers.quoteQualified(qualified) + " WHERE id = :id")
                .bind("id", rowId).mapTo(UUID.class).one();
    }

    /** Records an operator's action ({@code actor} 'cli') in core.audit_log, inside the owner transaction {@code h}. */
    public void audit(Handle h, UUID townId, String action, String table, UUID rowId) {
        h.createUpdate("""
                        INSERT INTO core.audit_log (org_id, town_id, actor, action, table_name, row_id)
                        VALUES (:org, CAST(:town AS uuid), 'cli', :action, :table, CAST(:row AS uuid))""")
                .bind("org", orgId).bind("town", townId).bind("action", action).bind("table", table)
                .bind("row", rowId).execute();
    }

    private static void requireEmail(String email) {
        if (email == null || !email.matches("[^@\\s]+@[^@\\s]+")) {
            throw new TownHallException(ErrorCode.INVALID_INPUT, "email must look like name@domain, got '" + email + "'");
        }
    }

    private static void requireHandle(String handle) {
        if (handle == null || !handle.matches("[a-z0-9][a-z0-9._-]{0,62}")) {
            throw new TownHallException(ErrorCode.INVALID_INPUT,
                    "handle must be lower-case letters, digits, '.', '_' or '-', got '" + handle + "'");
        }
    }

    private static void requireSlug(String slug) {
        if (slug == null || !slug.matches("[a-z][a-z0-9-]{1,40}")) {
            throw new TownHallException(ErrorCode.INVALID_INPUT,
                    "town name must be lower-case letters, digits or '-', starting with a letter, got '" + slug + "'");
        }
    }

    @Override
    public void close() {
        appPool.close();
        ownerPool.close();
    }
}
