/**
 * Internals of the {@code records} package: the catalog reader ({@code CatalogReader} → {@code TableShape},
 * {@code ColumnShape}), JSON values to and from column types ({@code ColumnValues}), the SQL of each operation
 * ({@code RowStatements}), list cursors ({@code Cursor}) and the mapping of PostgreSQL errors to error codes
 * ({@code DatabaseErrors}). Not API; may change without notice.
 */
package dev.townhall.records.internal;
