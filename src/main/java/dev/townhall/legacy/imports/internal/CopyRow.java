package dev.townhall.legacy.imports.internal;

import java.util.List;

/**
 * A row {@link BatchWriter#copy} can stream: it names its table and columns and writes its values in that order.
 * Each implementation keeps both side by side, so the order a value is written in is stated once, next to it.
 */
public interface CopyRow {
    /** Writes this row's values, one {@link Line#add} per column, in the order of {@link #columns()}. */
    void writeTo(Line line);

    /** The table the row goes to (schema-qualified). */
    String table();

    /** The columns {@link #writeTo} fills, in order. */
    List<String> columns();

    /** One line of COPY text being written: values are escaped and separated by tabs. */
    final class Line {
        private final StringBuilder out;
        private boolean first = true;

        Line(StringBuilder out) {
            this.out = out;
        }

        public Line add(Object value) {
            if (!first) {
                out.append('\t');
            }
            first = false;
            ValueCodec.appendCopy(out, value);
            return this;
        }

        /** Ends the line; the next {@link #add} starts a new one. */
        void end() {
            out.append('\n');
            first = true;
        }
    }
}
