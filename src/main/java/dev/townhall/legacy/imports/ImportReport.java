package dev.townhall.legacy.imports;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What an import run did and where every legacy row stands afterwards: the reconciliation. Per source table,
 * every row read is imported (clean, or with values kept aside), merged into another row, quarantined (by reason)
 * or still pending (a staged run); {@link #reconciled()} holds when nothing is unaccounted for. Beside it: the
 * references waiting for their parent, the plan's stated inventory against what was read, the relationship checks,
 * the most frequent value issues, and what each town can see.
 *
 * @param runId      the run (legacy.import_runs)
 * @param mode       full, delta, staged or retry_quarantine
 * @param dryRun     true when nothing was kept (the report is what a real run would have produced)
 * @param resumedFrom the interrupted run this one continued, or null
 * @param rowsWritten this run: rows inserted per target table
 * @param linksResolvedThisRun deferred references this run linked to their arrived parent
 * @param topValueIssues the most frequent kinds of value kept aside, by source table, column and reason
 * @param dateOrders how each text date column's day/month order was decided (see {@link DateOrder})
 */
public record ImportReport(UUID runId, String mode, boolean dryRun, UUID resumedFrom,
                           @JsonSerialize(using = ToStringSerializer.class) Instant startedAt,
                           @JsonSerialize(using = ToStringSerializer.class) Duration elapsed, List<SourceTable> tables, List<PlanLine> plan,
                           List<Relationship> relationships, List<TownView> visibility, List<UserLine> users,
                           Map<String, Long> rowsWritten, long rowsReadThisRun, long linksResolvedThisRun,
                           List<ValueIssueLine> topValueIssues, List<DateOrder> dateOrders) {

    public ImportReport {
        tables = List.copyOf(tables);
        plan = List.copyOf(plan);
        relationships = List.copyOf(relationships);
        visibility = List.copyOf(visibility);
        users = List.copyOf(users);
        rowsWritten = Map.copyOf(rowsWritten);
        topValueIssues = List.copyOf(topValueIssues);
        dateOrders = List.copyOf(dateOrders);
    }

    /** The same report with what each town sees (measured after the run's commit). */
    public ImportReport withVisibility(List<TownView> views) {
        return new ImportReport(runId, mode, dryRun, resumedFrom, startedAt, elapsed, tables, plan, relationships, views,
                users, rowsWritten, rowsReadThisRun, linksResolvedThisRun, topValueIssues, dateOrders);
    }

    /**
     * How one text date column's slashed or dotted dates were read this run: day-first or month-first, inferred
     * from the column's unambiguous values (a part above 12) or the separator's default, and the evidence.
     */
    public record DateOrder(String table, String column, String separator, String order, long dayFirstValues,
                            long monthFirstValues, String basis) {
    }

    /**
     * One source table after the run.
     *
     * @param planned     the migration plan's figure for it, or null
     * @param read        rows the source holds now
     * @param pending     rows not processed yet (a staged run's rest); 0 after a full run
     * @param gone        rows the id map knows that the source no longer holds
     * @param both        rows both mapped and quarantined (must be 0)
     * @param valueIssues values kept aside in legacy.value_issues (the rows themselves were imported)
     * @param withValueIssues imported rows (of {@code imported}) with at least one value kept aside
     * @param linksPending references imported empty that still wait for their parent
     * @param linksResolved references imported empty and linked since, when their parent arrived
     * @param thisRun     what this run did: read, imported, merged, quarantined, unchanged, updated
     */
    public record SourceTable(String source, String table, String target, Long planned, long read, long imported,
                              long merged, long quarantined, Map<String, Long> quarantinedByReason, long pending,
                              long gone, long both, long valueIssues, long withValueIssues, long linksPending,
                              long linksResolved, Map<String, Long> thisRun) {
        public SourceTable {
            quarantinedByReason = Map.copyOf(quarantinedByReason);
            thisRun = Map.copyOf(thisRun);
        }

        /** Rows read that are neither imported, merged, quarantined nor pending: must be 0. */
        @JsonProperty
        public long unaccounted() {
            return read - imported - merged - quarantined - pending;
        }

        /** Share of the rows read that have an outcome, as a percentage. */
        @JsonProperty
        public double accountedPercent() {
            return read == 0 ? 100.0 : 100.0 * (imported + merged + quarantined) / read;
        }

        public String qualified() {
            return source + "." + table;
        }
    }

    /** One line of the plan's inventory: the figure it states, what its parts add up to, and what was read. */
    public record PlanLine(String group, long stated, String statedText, long partsSum, long read) {
        /** The plan's own arithmetic error (stated minus its parts). */
        @JsonProperty
        public long statedMinusParts() {
            return stated - partsSum;
        }

        @JsonProperty
        public long readMinusStated() {
            return read - stated;
        }
    }

    /**
     * References of one column checked after the run: every imported or merged row whose legacy row pointed at a
     * parent must point at the row that parent became. {@code conflictRecorded}: a merged duplicate pointed
     * elsewhere than the row it merged into, and legacy.merge_conflicts says so; {@code wrong} must be 0.
     */
    public record Relationship(String table, String column, String parent, long checked, long ok,
                               long conflictRecorded, long wrong) {
    }

    /** Rows a town sees per imported table, through row-level security as a member of that town would. */
    public record TownView(String town, boolean capital, Map<String, Long> visible) {
        public TownView {
            visible = Map.copyOf(visible);
        }
    }

    /** How often values of one source table's target column were kept aside for one reason. */
    public record ValueIssueLine(String source, String column, String reason, long values) {
    }

    /** A legacy text user id and the user it maps to ({@code user} null: unknown, rows kept without it). */
    public record UserLine(String source, String textId, String user, long rows) {
    }

    /** True when every row read has exactly one outcome and every checked reference points where it should. */
    @JsonProperty
    public boolean reconciled() {
        return tables.stream().allMatch(t -> t.unaccounted() == 0 && t.both() == 0)
                && relationships.stream().allMatch(r -> r.wrong() == 0);
    }

    /** True when nothing is left pending (every table fully processed). */
    @JsonProperty
    public boolean complete() {
        return tables.stream().allMatch(t -> t.pending() == 0);
    }

    public long read() {
        return tables.stream().mapToLong(SourceTable::read).sum();
    }

    public long imported() {
        return tables.stream().mapToLong(SourceTable::imported).sum();
    }

    public long merged() {
        return tables.stream().mapToLong(SourceTable::merged).sum();
    }

    public long quarantined() {
        return tables.stream().mapToLong(SourceTable::quarantined).sum();
    }

    /** Share of the rows read that are imported or merged (not quarantined, not pending), as a percentage. */
    @JsonProperty
    public double salvagedPercent() {
        long read = read();
        return read == 0 ? 100.0 : 100.0 * (imported() + merged()) / read;
    }

    /** Rows this run inserted into target tables, all together. */
    public long rowsWrittenTotal() {
        return rowsWritten.values().stream().mapToLong(Long::longValue).sum();
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    /** The report as JSON (the file written beside a run, and legacy.import_runs.report). */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the import report as JSON", e);
        }
    }
}
