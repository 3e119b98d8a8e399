package dev.townhall.legacy.imports.internal;

import java.util.UUID;

/**
 * A new row of one target table on its way to COPY: its values by column name, stored at the positions of its
 * {@link Prepared.Shape} (which lists the columns, {@code id}, {@code org_id} and {@code town_id} first).
 */
public final class TargetRow implements CopyRow {
    final Prepared.Shape shape;
    private final Object[] values;

    TargetRow(Prepared.Shape shape) {
        this.shape = shape;
        this.values = new Object[shape.columns.size()];
    }

    /** The value of a mapped column ({@link Prepared.Column#position}). */
    Object get(Prepared.Column column) {
        return values[column.position];
    }

    void set(Prepared.Column column, Object value) {
        values[column.position] = value;
    }

    /** The value of {@code column}, or null when this shape does not write it. */
    Object value(String column) {
        return shape.has(column) ? values[shape.position(column)] : null;
    }

    /** Sets {@code column}, which this shape must write. */
    void set(String column, Object value) {
        values[shape.position(column)] = value;
    }

    /** Sets the three columns every tenant row gets from the importer itself. */
    void identify(UUID id, UUID orgId, UUID townId) {
        values[Prepared.Shape.ID] = id;
        values[Prepared.Shape.ORG_ID] = orgId;
        values[Prepared.Shape.TOWN_ID] = townId;
    }

    UUID id() {
        return (UUID) values[Prepared.Shape.ID];
    }

    /** A rough size in bytes, for the batch's memory bound. */
    long estimate() {
        long size = 16L * values.length;
        for (Object v : values) {
            if (v instanceof String s) {
                size += s.length();
            }
        }
        return size;
    }

    @Override
    public void writeTo(Line line) {
        for (Object v : values) {
            line.add(v);
        }
    }

    @Override
    public String table() {
        return shape.table;
    }

    @Override
    public java.util.List<String> columns() {
        return shape.columns;
    }
}
