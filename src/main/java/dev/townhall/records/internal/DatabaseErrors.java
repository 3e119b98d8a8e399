package dev.townhall.records.internal;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * PostgreSQL's refusals as the one error model: a taken unique value is a {@code CONFLICT}; a reference, check,
 * required column or value the column cannot hold is {@code UNPROCESSABLE}, naming the column where PostgreSQL or
 * the catalog tells which; row-level security and read-only transactions are {@code FORBIDDEN}; a cancelled
 * statement is a {@code TIMEOUT}. Messages are written here, never copied from details that could show other rows.
 */
public final class DatabaseErrors {
    private DatabaseErrors() {
    }

    /**
     * The error to throw for {@code failure}, raised while working on {@code table}; {@code written} are the columns
     * the statement set (to name the column of a type error PostgreSQL reports without one). A failure that is not
     * PostgreSQL's refusal comes back unchanged.
     */
    public static RuntimeException translate(RuntimeException failure, TableShape table, Collection<String> written) {
        if (failure instanceof TownHallException) {
            return failure;
        }
        SQLException sql = sqlCause(failure);
        if (sql == null || sql.getSQLState() == null) {
            return failure;
        }
        ServerErrorMessage server = sql instanceof PSQLException p ? p.getServerErrorMessage() : null;
        String state = sql.getSQLState();
        String firstLine = firstLine(server != null && server.getMessage() != null ? server.getMessage() : sql.getMessage());
        Optional<String> constraintColumn = table.columnOfConstraint(server == null ? null : server.getConstraint());
        return switch (state) {
            case "23505" -> error(ErrorCode.CONFLICT, constraintColumn, table.resource() + " already has a row with this "
                    + constraintColumn.map(c -> "'" + c + "'").orElse("unique value"), failure);
            case "23503" -> foreignKey(table, server, constraintColumn, failure);
            case "23514" -> error(ErrorCode.UNPROCESSABLE, constraintColumn, "the value"
                    + constraintColumn.map(c -> " of '" + c + "'").orElse("s") + " break check "
                    + (server == null ? "" : server.getConstraint()) + " of " + table.table(), failure);
            case "23502" -> {
                Optional<String> column = Optional.ofNullable(server == null ? null : server.getColumn());
                yield error(ErrorCode.UNPROCESSABLE, column, column.map(c -> "'" + c + "' is required").orElse(firstLine),
                        failure);
            }
            case "22P02", "22007", "22008", "22001", "22003", "22023", "22021", "22004" ->
                    error(ErrorCode.UNPROCESSABLE, dataErrorColumn(table, server, firstLine, written), firstLine, failure);
            case "42501" -> new TownHallException(ErrorCode.FORBIDDEN, "row-level security refused this change to "
                    + table.resource() + ": your role in this town may not make it", failure);
            case "25006" -> new TownHallException(ErrorCode.FORBIDDEN, "this request may only read, not change "
                    + table.resource(), failure);
            case "57014" -> new TownHallException(ErrorCode.TIMEOUT, "the statement on " + table.resource()
                    + " ran over its time limit and was cancelled", failure);
            case "40001", "40P01" -> new TownHallException(ErrorCode.CONFLICT, "a concurrent change to " + table.resource()
                    + " got in the way; try again", failure);
            default -> state.startsWith("08") || state.equals("57P01")
                    ? new TownHallException(ErrorCode.DB_UNREACHABLE, "the database connection was lost: " + firstLine, failure)
                    : failure;
        };
    }

    private static RuntimeException foreignKey(TableShape table, ServerErrorMessage server, Optional<String> column,
                                               RuntimeException failure) {
        String otherTable = server == null ? null : server.getTable();
        if (otherTable != null && !table.table().endsWith("." + otherTable)) {
            // a delete or key change of this row, refused because rows of another table still point at it
            return new TownHallException(ErrorCode.UNPROCESSABLE, "rows of " + server.getSchema() + "." + otherTable
                    + " still refer to this " + table.resource() + " row; change or delete them first", failure);
        }
        return error(ErrorCode.UNPROCESSABLE, column, column.map(c -> "'" + c + "'").orElse("a reference")
                + " names a row that does not exist in this town", failure);
    }

    /** PostgreSQL names no column for a bad value; when exactly one written column has the type it names, that one. */
    private static Optional<String> dataErrorColumn(TableShape table, ServerErrorMessage server, String message,
                                                    Collection<String> written) {
        if (server != null && server.getColumn() != null) {
            return Optional.of(server.getColumn());
        }
        List<String> candidates = written.stream()
                .filter(c -> table.columns().containsKey(c))
                .filter(c -> message.contains("type " + table.column(c).declaredType())
                        || message.contains("type " + table.column(c).castType()))
                .toList();
        return candidates.size() == 1 ? Optional.of(candidates.get(0)) : Optional.empty();
    }

    private static TownHallException error(ErrorCode code, Optional<String> field, String message, Throwable cause) {
        return field.map(f -> TownHallException.forField(code, f, message, cause))
                .orElseGet(() -> new TownHallException(code, message, cause));
    }

    private static SQLException sqlCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql;
            }
        }
        return null;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "the database refused the statement";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
