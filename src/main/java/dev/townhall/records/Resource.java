package dev.townhall.records;

import java.util.List;
import java.util.Set;

/**
 * One row resource as the catalog describes it: the table behind it and what a caller may do with its columns.
 *
 * @param name            the resource name in URLs and tools ({@code companies}, {@code calendar-events})
 * @param table           the table, {@code schema.table}
 * @param writable        whether create, update and delete are offered at all (row-level security still decides
 *                        per row and per caller)
 * @param columns         the visible columns in table order; hidden ones ({@code org_id}, full-text and vector
 *                        columns, password/secret/hash columns) never appear anywhere
 * @param filterable      columns that take an equality filter: the first column of some btree or hash index
 * @param sortable        columns a list may be sorted by: the first column of some btree index, never null, and
 *                        {@code id}
 * @param writableColumns columns a body may set; empty for read-only resources
 */
public record Resource(String name, String table, boolean writable, List<String> columns, Set<String> filterable,
                       Set<String> sortable, Set<String> writableColumns) {
    public Resource {
        columns = List.copyOf(columns);
        filterable = Set.copyOf(filterable);
        sortable = Set.copyOf(sortable);
        writableColumns = Set.copyOf(writableColumns);
    }
}
