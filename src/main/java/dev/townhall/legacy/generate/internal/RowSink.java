package dev.townhall.legacy.generate.internal;

import java.sql.SQLException;

/**
 * Where a table's rows go, one call per row, values in the table's column order. A value is a {@link String} (as
 * PostgreSQL's input syntax for the column), a {@link Number}, a {@link Boolean}, a {@link java.util.UUID}, or null.
 */
public interface RowSink {
    void row(Object... values) throws SQLException;
}
