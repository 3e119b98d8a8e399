package dev.townhall.legacy.imports.internal;

import java.util.List;
import java.util.UUID;

/**
 * The rows an import writes into its own records ({@code legacy.*}): each a record with named fields that writes
 * itself for COPY in the order of the columns it lists, or binds itself to an UPDATE.
 */
public final class LegacyRows {
    private LegacyRows() {
    }

    /** A source row's outcome in {@code legacy.id_map}: imported, merged, or a mapped user text id. */
    public record IdMapRow(String sourceDb, String sourceTable, String sourceId, String targetTable, UUID targetId,
                           String outcome, UUID runId, String sourceRowHash) implements CopyRow {
        static final List<String> COLUMNS = List.of("source_db", "source_table", "source_id", "target_table",
                "target_id", "outcome", "run_id", "source_row_hash");

        @Override
        public void writeTo(Line line) {
            line.add(sourceDb).add(sourceTable).add(sourceId).add(targetTable).add(targetId).add(outcome).add(runId)
                    .add(sourceRowHash);
        }

        @Override
        public String table() {
            return "legacy.id_map";
        }

        @Override
        public List<String> columns() {
            return COLUMNS;
        }
    }

    /** A row of {@code legacy.id_map} whose source row changed: new hash and run, same target. */
    public record IdMapUpdate(String sourceDb, String sourceTable, String sourceId, UUID targetId, String outcome,
                              UUID runId, String sourceRowHash) {
    }

    /** A new {@code legacy.quarantine} entry: why, and the original row as JSON. */
    public record QuarantineRow(UUID id, UUID runId, String sourceDb, String sourceTable, String sourceId,
                                String reasonCode, String reason, Json originalRow, String sourceRowHash)
            implements CopyRow {
        static final List<String> COLUMNS = List.of("id", "run_id", "source_db", "source_table", "source_id",
                "reason_code", "reason", "original_row", "source_row_hash");

        @Override
        public void writeTo(Line line) {
            line.add(id).add(runId).add(sourceDb).add(sourceTable).add(sourceId).add(reasonCode).add(reason)
                    .add(originalRow).add(sourceRowHash);
        }

        @Override
        public String table() {
            return "legacy.quarantine";
        }

        @Override
        public List<String> columns() {
            return COLUMNS;
        }
    }

    /**
     * An open quarantine entry quarantined again: by a changed source row (which replaces the original row and
     * hash), or by a retry (only the reason is refreshed; {@code originalRow} and {@code sourceRowHash} unused).
     */
    public record QuarantineUpdate(UUID id, UUID runId, String reasonCode, String reason, Json originalRow,
                                   String sourceRowHash) {
    }

    /**
     * A value an imported or merged row went without, with the raw value and what was stored instead, if anything
     * ({@code legacy.value_issues}).
     */
    public record ValueIssue(UUID runId, String sourceDb, String sourceTable, String sourceId, String targetTable,
                             UUID targetId, String column, String sourceColumn, String rawValue, String reasonCode,
                             String reason, String storedValue) implements CopyRow {
        static final List<String> COLUMNS = List.of("run_id", "source_db", "source_table", "source_id",
                "target_table", "target_id", "column_name", "source_column", "raw_value", "reason_code", "reason",
                "stored_value");

        @Override
        public void writeTo(Line line) {
            line.add(runId).add(sourceDb).add(sourceTable).add(sourceId).add(targetTable).add(targetId).add(column)
                    .add(sourceColumn).add(rawValue).add(reasonCode).add(reason).add(storedValue);
        }

        @Override
        public String table() {
            return "legacy.value_issues";
        }

        @Override
        public List<String> columns() {
            return COLUMNS;
        }
    }

    /** A merge kept one value and not another ({@code legacy.merge_conflicts}). */
    public record MergeConflict(UUID runId, String targetTable, UUID targetId, String column, Json keptValue,
                                Json otherValue, String keptSource, String otherSourceDb, String otherSourceTable,
                                String otherSourceId, String rule) implements CopyRow {
        static final List<String> COLUMNS = List.of("run_id", "target_table", "target_id", "column_name",
                "kept_value", "other_value", "kept_source", "other_source_db", "other_source_table", "other_source_id",
                "rule");

        @Override
        public void writeTo(Line line) {
            line.add(runId).add(targetTable).add(targetId).add(column).add(keptValue).add(otherValue).add(keptSource)
                    .add(otherSourceDb).add(otherSourceTable).add(otherSourceId).add(rule);
        }

        @Override
        public String table() {
            return "legacy.merge_conflicts";
        }

        @Override
        public List<String> columns() {
            return COLUMNS;
        }
    }

    /** A blank a merge filled, and which source row supplied it ({@code legacy.filled_values}). */
    public record FilledValue(UUID runId, String targetTable, UUID targetId, String column, String sourceDb,
                              String sourceTable, String sourceId) implements CopyRow {
        static final List<String> COLUMNS = List.of("run_id", "target_table", "target_id", "column_name",
                "source_db", "source_table", "source_id");

        @Override
        public void writeTo(Line line) {
            line.add(runId).add(targetTable).add(targetId).add(column).add(sourceDb).add(sourceTable).add(sourceId);
        }

        @Override
        public String table() {
            return "legacy.filled_values";
        }

        @Override
        public List<String> columns() {
            return COLUMNS;
        }
    }

    /** A reference a row was imported without, waiting for its parent ({@code legacy.deferred_links}). */
    public record DeferredLink(UUID runId, String sourceDb, String sourceTable, String sourceId, String targetTable,
                               UUID targetId, String column, String parentSourceDb, String parentSourceTable,
                               String lookup, String parentKey, String reasonCode) implements CopyRow {
        static final List<String> COLUMNS = List.of("run_id", "source_db", "source_table", "source_id",
                "target_table", "target_id", "column_name", "parent_source_db", "parent_source_table", "lookup",
                "parent_key", "reason_code");

        @Override
        public void writeTo(Line line) {
            line.add(runId).add(sourceDb).add(sourceTable).add(sourceId).add(targetTable).add(targetId).add(column)
                    .add(parentSourceDb).add(parentSourceTable).add(lookup).add(parentKey).add(reasonCode);
        }

        @Override
        public String table() {
            return "legacy.deferred_links";
        }

        @Override
        public List<String> columns() {
            return COLUMNS;
        }
    }
}
