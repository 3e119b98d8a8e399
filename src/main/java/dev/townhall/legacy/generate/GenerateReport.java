package dev.townhall.legacy.generate;

import java.time.Duration;
import java.util.List;

/**
 * What one {@link LegacyGenerator#generate()} run wrote: per table the rows and bytes, and how long it took. It says
 * nothing about which rows were spoiled and how: an importer must find that out from the data.
 */
public record GenerateReport(long seed, List<Table> tables, Duration elapsed) {
    public GenerateReport {
        tables = List.copyOf(tables);
    }

    /**
     * One table written.
     *
     * @param source   the legacy database it belongs to, as the docs name it: {@code robbie} or {@code robbie_allan}
     * @param database the actual database it went to
     * @param bytes    its size on disk, TOAST and indexes included
     */
    public record Table(String source, String database, String table, long rows, long bytes, Duration elapsed) {
    }

    /** Rows written, all tables together. */
    public long rows() {
        return tables.stream().mapToLong(Table::rows).sum();
    }

    /** Rows written into one legacy database ({@code robbie} or {@code robbie_allan}). */
    public long rows(String source) {
        return tables.stream().filter(t -> t.source().equals(source)).mapToLong(Table::rows).sum();
    }

    /** Bytes on disk, all tables together. */
    public long bytes() {
        return tables.stream().mapToLong(Table::bytes).sum();
    }

    /** The tables of one legacy database, in load order. */
    public List<Table> tables(String source) {
        return tables.stream().filter(t -> t.source().equals(source)).toList();
    }
}
