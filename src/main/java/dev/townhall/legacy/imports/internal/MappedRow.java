package dev.townhall.legacy.imports.internal;

import dev.townhall.legacy.imports.internal.LegacyRows.ValueIssue;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What the {@link ValueMapper} made of one source row, before the merge rule or a create decides where it goes:
 * the main target row, the group row it belongs to, the exploded child rows, the notes about values it goes
 * without, and the required columns it has no value for.
 */
final class MappedRow {
    /**
     * A note about a value the row is kept without: the raw value, why, and what was stored instead ({@code stored},
     * null when the column was left empty).
     */
    record Note(String table, String column, String sourceColumn, String raw, String code, String reason,
                String stored) {
        Note(String table, String column, String sourceColumn, String raw, String code, String reason) {
            this(table, column, sourceColumn, raw, code, reason, null);
        }

        /** The same note, saying what was stored instead. */
        Note storing(Object value) {
            return new Note(table, column, sourceColumn, raw, code, reason, ValueCodec.text(value));
        }

        ValueIssue issue(UUID runId, String sourceDb, String sourceTable, String sourceId, UUID targetId) {
            return new ValueIssue(runId, sourceDb, sourceTable, sourceId, table, targetId, column, sourceColumn, raw,
                    code, reason, stored);
        }
    }

    /**
     * A reference left empty until its parent arrives: {@code parent} is the legacy table's key or the lookup's
     * value, {@code code} orphan_reference or parent_quarantined.
     */
    record Deferred(String table, String column, Mapping.Ref ref, String parent, String code) {
    }

    /**
     * A default_from value a new row gets, or the fallback a new row stores instead of a refused value ({@code note}
     * the refusal); a row that merges into an existing one keeps that row's values.
     */
    record Default(Prepared.Column column, Object value, Note note) {
    }

    final TargetRow main;
    TargetRow group;
    String groupKey;
    final List<TargetRow> children = new ArrayList<>();
    final List<Note> notes = new ArrayList<>();
    /** Notes about the group row: kept only when this row creates the group. */
    final List<Note> groupNotes = new ArrayList<>();
    final List<String> missingRequired = new ArrayList<>();
    final List<Deferred> deferred = new ArrayList<>();
    /** Values for the main row's empty columns, applied only when it becomes a new row ({@link #applyDefaults}). */
    final List<Default> defaults = new ArrayList<>();
    /** The main row's columns that fell back to the mapping's or the database's default after a refused value. */
    final List<Default> fallbacks = new ArrayList<>();

    MappedRow(Prepared.Shape main) {
        this.main = new TargetRow(main);
    }

    /**
     * Fills the main row's empty columns with their defaults and flags each (legacy.value_issues); the notes of
     * refused values say what the new row stores instead.
     */
    void applyDefaults() {
        for (Default d : defaults) {
            main.set(d.column(), d.value());
            notes.add(d.note());
        }
        defaults.clear();
        for (Default f : fallbacks) {
            notes.set(notes.indexOf(f.note()), f.note().storing(f.value()));
        }
        fallbacks.clear();
    }
}
