package dev.townhall.legacy.generate.internal;

import java.sql.SQLException;
import java.util.List;

/**
 * One legacy table the generator fills: its name, its columns in COPY order, how many rows it gets, and the code
 * that makes them.
 */
public record TableSpec(String name, List<String> columns, int rows, Filler filler) {
    public TableSpec {
        columns = List.copyOf(columns);
    }

    /** Makes the table's rows from its own dice. */
    @FunctionalInterface
    public interface Filler {
        void fill(Dice dice, RowSink out) throws SQLException;
    }
}
