package dev.townhall.records;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.records.internal.CatalogReader;
import dev.townhall.records.internal.DatabaseErrors;
import dev.townhall.records.internal.RowStatements;
import dev.townhall.towns.TownContext;
import dev.townhall.towns.Towns;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The town's rows as resources: list (keyset pages, equality filters, sort, field selection), get, create, update
 * and delete, for the REST API, the MCP tools and anything else that serves callers. Every call runs in one
 * transaction of the caller's {@link TownContext}, as the application role, so row-level security decides what is
 * seen and changed; a row the caller may not see is reported exactly like a row that does not exist.
 *
 * <p>Every row carries a version (PostgreSQL's {@code xmin}); update and delete take the version the caller based
 * the change on and refuse with {@code PRECONDITION_FAILED} when the row has changed since, so of two concurrent
 * changes from one version exactly one wins.
 *
 * <p>Read-only resources ({@code towns}, {@code users}, {@code audit}, {@code import-runs}, {@code reconciliation},
 * {@code quarantine}, {@code value-issues}, {@code deferred-links}) refuse every write with {@code FORBIDDEN}, before
 * touching the database.
 */
public final class Records {
    /** Every resource: name, table, whether it takes writes. */
    private static final List<Declared> DECLARED = List.of(
            new Declared("companies", "crm.companies", true),
            new Declared("contacts", "crm.contacts", true),
            new Declared("deals", "crm.deals", true),
            new Declared("activities", "crm.activities", true),
            new Declared("tasks", "work.tasks", true),
            new Declared("calendar-events", "work.calendar_events", true),
            new Declared("meetings", "work.meetings", true),
            new Declared("conversations", "comms.conversations", true),
            new Declared("messages", "comms.messages", true),
            new Declared("knowledge", "memory.knowledge_base", true),
            new Declared("sticky-notes", "memory.sticky_notes", true),
            // towns and users change through administrative workflows (Towns), which keep their own invariants
            new Declared("towns", "core.towns", false),
            new Declared("users", "core.users", false),
            new Declared("memberships", "core.memberships", true),
            new Declared("audit", "core.audit_log", false),
            new Declared("import-runs", "legacy.import_runs", false),
            new Declared("reconciliation", "legacy.reconciliation", false),
            new Declared("quarantine", "legacy.quarantine", false),
            // the salvage review: values imported rows went without, references imported empty
            new Declared("value-issues", "legacy.value_issues", false),
            new Declared("deferred-links", "legacy.deferred_links", false));

    private final Map<String, RowStatements> byName;
    private final List<Resource> resources;

    private Records(Map<String, RowStatements> byName) {
        this.byName = byName;
        this.resources = byName.values().stream().map(s -> s.shape().toResource()).toList();
    }

    /** Reads the catalog once (columns, types, indexes, NOT NULL, generated columns, defaults) for every resource. */
    public static Records load(Towns towns) {
        return towns.readCatalog(h -> {
            Map<String, RowStatements> byName = new LinkedHashMap<>();
            for (Declared declared : DECLARED) {
                byName.put(declared.name(), new RowStatements(
                        CatalogReader.read(h, declared.name(), declared.table(), declared.writable())));
            }
            return new Records(Collections.unmodifiableMap(byName));
        });
    }

    public List<Resource> resources() {
        return resources;
    }

    /** The resource called {@code name}; {@code NOT_FOUND} (field {@code resource}) when there is none. */
    public Resource resource(String name) {
        statements(name);
        return resources.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }

    /** One page of the rows the caller may see, filtered and sorted as {@code query} says. */
    public Page list(TownContext ctx, String resource, ListQuery query) {
        RowStatements rows = statements(resource);
        return run(ctx, rows, Set.of(), h -> rows.list(h, query));
    }

    /** The row {@code id}; {@code NOT_FOUND} when it does not exist or the caller may not see it. */
    public Row get(TownContext ctx, String resource, UUID id) {
        RowStatements rows = statements(resource);
        return run(ctx, rows, Set.of(), h -> rows.get(h, id).orElseThrow(() -> notFound(resource, id)));
    }

    /**
     * Creates a row in the caller's town from {@code body} (writable columns only; the rest take their defaults).
     * {@code org_id} and {@code town_id} come from the context, never from the body.
     */
    public Row create(TownContext ctx, String resource, Map<String, Object> body) {
        RowStatements rows = writable(resource);
        Map<String, Object> values = requireBody(body);
        rows.checkBody(values);
        return run(ctx, rows, values.keySet(), h -> rows.insert(h, values));
    }

    /**
     * Changes the row {@code id} if its version is still {@code version}: the columns in {@code changes} (PATCH), or
     * with {@code replace} every writable column, those not given set back to their default (PUT).
     * {@code PRECONDITION_REQUIRED} without a version, {@code PRECONDITION_FAILED} when the row changed since,
     * {@code NOT_FOUND} when the caller cannot see it, {@code FORBIDDEN} when the caller may see but not change it.
     */
    public Row update(TownContext ctx, String resource, UUID id, String version, Map<String, Object> changes,
                      boolean replace) {
        RowStatements rows = writable(resource);
        String expected = requireVersion(version);
        Map<String, Object> values = requireBody(changes);
        rows.checkBody(values);
        return run(ctx, rows, values.keySet(), h -> rows.update(h, id, expected, values, replace)
                .orElseThrow(() -> whyUnchanged(h, rows, id, expected)));
    }

    /** Deletes the row {@code id} if its version is still {@code version}; refusals as for {@link #update}. */
    public void delete(TownContext ctx, String resource, UUID id, String version) {
        RowStatements rows = writable(resource);
        String expected = requireVersion(version);
        run(ctx, rows, Set.of(), h -> {
            if (!rows.delete(h, id, expected)) {
                throw whyUnchanged(h, rows, id, expected);
            }
            return null;
        });
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private RowStatements statements(String resource) {
        RowStatements rows = resource == null ? null : byName.get(resource);
        if (rows == null) {
            throw TownHallException.forField(ErrorCode.NOT_FOUND, "resource", "no resource '" + resource
                    + "'; resources: " + String.join(", ", byName.keySet()));
        }
        return rows;
    }

    private RowStatements writable(String resource) {
        RowStatements rows = statements(resource);
        if (!rows.shape().writable()) {
            throw TownHallException.forField(ErrorCode.FORBIDDEN, "resource", resource + " is read-only here");
        }
        return rows;
    }

    private static Map<String, Object> requireBody(Map<String, Object> body) {
        if (body == null) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, "body", "the body must be a JSON object");
        }
        return body;
    }

    private static String requireVersion(String version) {
        if (version == null || version.isBlank()) {
            throw TownHallException.forField(ErrorCode.PRECONDITION_REQUIRED, "version",
                    "changing a row needs the version it was read at (its _version, sent as If-Match)");
        }
        return version.strip();
    }

    /** Why an update or delete by id and version changed nothing, asked in the same transaction. */
    private static TownHallException whyUnchanged(Handle h, RowStatements rows, UUID id, String version) {
        String resource = rows.shape().resource();
        return rows.currentVersion(h, id)
                .map(current -> current.equals(version)
                        ? TownHallException.forField(ErrorCode.FORBIDDEN, "id", "you may read this " + resource
                                + " row but your role in this town may not change it")
                        : TownHallException.forField(ErrorCode.PRECONDITION_FAILED, "version", resource + " row " + id
                                + " has changed since version " + version + "; read it again and reapply the change"))
                .orElseGet(() -> notFound(resource, id));
    }

    private static TownHallException notFound(String resource, UUID id) {
        return TownHallException.forField(ErrorCode.NOT_FOUND, "id", "no " + resource + " row " + id
                + " (it does not exist or you may not see it)");
    }

    private static <T> T run(TownContext ctx, RowStatements rows, Collection<String> written,
                             HandleCallback<T, RuntimeException> work) {
        try {
            return ctx.inTransaction(work);
        } catch (RuntimeException e) {
            throw DatabaseErrors.translate(e, rows.shape(), written);
        }
    }

    private record Declared(String name, String table, boolean writable) {
    }
}
