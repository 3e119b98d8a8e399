package dev.townhall.records;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;

/** The order of a list: one column, ascending or descending, ties broken by {@code id} in the same direction. */
public record Sort(String column, boolean descending) {
    public Sort {
        if (column == null || column.isBlank()) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, "sort", "sort names no column; use sort=COLUMN or sort=-COLUMN");
        }
    }

    /** {@code name} ascending, {@code -name} descending. */
    public static Sort parse(String text) {
        boolean descending = text != null && text.startsWith("-");
        return new Sort(descending ? text.substring(1) : text, descending);
    }

    /** The form {@link #parse} reads: {@code column} or {@code -column}. */
    @Override
    public String toString() {
        return (descending ? "-" : "") + column;
    }
}
