package dev.townhall.records.internal;

import dev.townhall.records.Resource;
import dev.townhall.records.Sort;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A resource's table as read from the catalog once at start: its visible columns and what may be filtered, sorted
 * and written. Every identifier that reaches SQL text comes from here, a closed set checked against the catalog.
 *
 * @param resource        the resource name
 * @param table           {@code schema.table}
 * @param writable        whether the resource takes writes at all
 * @param columns         visible columns by name, in table order
 * @param filterable      visible columns that lead a btree or hash index, in table order
 * @param sortable        visible NOT NULL columns that lead a btree index, and {@code id}, in table order
 * @param writableColumns columns a body may set, in table order (empty when not writable)
 * @param orgColumn       whether the table has {@code org_id} (set from the context on insert)
 * @param townColumn      whether the table has {@code town_id} (set from the context on insert)
 * @param keyColumns      constraint and unique index name → its visible columns other than {@code town_id}, to name
 *                        the field when PostgreSQL names only the constraint
 * @param defaultSort     {@code -created_at} when it is sortable, else {@code id}
 */
public record TableShape(String resource, String table, boolean writable, Map<String, ColumnShape> columns,
                         Set<String> filterable, Set<String> sortable, Set<String> writableColumns, boolean orgColumn,
                         boolean townColumn, Map<String, List<String>> keyColumns, Sort defaultSort) {
    public static final String ID = "id";

    public Resource toResource() {
        return new Resource(resource, table, writable, List.copyOf(columns.keySet()), filterable, sortable,
                writableColumns);
    }

    public ColumnShape column(String name) {
        ColumnShape column = columns.get(name);
        if (column == null) {
            throw new IllegalArgumentException(table + " has no visible column " + name);
        }
        return column;
    }

    /** The column to name for a constraint PostgreSQL reported, when it has one that a caller can see. */
    public Optional<String> columnOfConstraint(String constraint) {
        return Optional.ofNullable(constraint).map(keyColumns::get).filter(c -> !c.isEmpty()).map(c -> c.get(0));
    }
}
