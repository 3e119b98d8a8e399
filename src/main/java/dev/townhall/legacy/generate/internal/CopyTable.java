package dev.townhall.legacy.generate.internal;

import dev.townhall.db.Identifiers;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/**
 * Streams rows into one {@code COPY … FROM STDIN} (text format) through pgjdbc's {@link CopyIn}, in chunks, so a
 * table never has to fit in memory. On any failure the copy is cancelled and the connection stays usable.
 */
public final class CopyTable implements RowSink {
    private static final int FLUSH_CHARS = 256 * 1024;

    private final CopyIn copy;
    private final int columns;
    private final StringBuilder chunk = new StringBuilder(FLUSH_CHARS + 4096);
    private long rows;

    private CopyTable(CopyIn copy, int columns) {
        this.copy = copy;
        this.columns = columns;
    }

    /**
     * Copies the rows {@code filler} makes into {@code table}, which must have been created in the current
     * transaction (the rows are written frozen, sparing the first reader the hint-bit writes). Returns the row count.
     */
    public static long copy(Connection connection, String table, List<String> columns, Dice dice,
                            TableSpec.Filler filler) throws SQLException {
        StringBuilder sql = new StringBuilder("COPY ").append(Identifiers.quote(table)).append(" (");
        for (int i = 0; i < columns.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(Identifiers.quote(columns.get(i)));
        }
        sql.append(") FROM STDIN WITH (FORMAT text, FREEZE true)");
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql.toString());
        try {
            CopyTable sink = new CopyTable(copy, columns.size());
            filler.fill(dice, sink);
            sink.flush();
            copy.endCopy();
            return sink.rows;
        } catch (Throwable failure) {
            cancel(copy, failure);
            throw failure;
        }
    }

    private static void cancel(CopyIn copy, Throwable cause) {
        if (copy.isActive()) {
            try {
                copy.cancelCopy();
            } catch (SQLException cancelFailed) {
                cause.addSuppressed(cancelFailed);
            }
        }
    }

    @Override
    public void row(Object... values) throws SQLException {
        if (values.length != columns) {
            throw new IllegalArgumentException("a row of " + columns + " columns got " + values.length + " values");
        }
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                chunk.append('\t');
            }
            append(values[i]);
        }
        chunk.append('\n');
        rows++;
        if (chunk.length() >= FLUSH_CHARS) {
            flush();
        }
    }

    private void append(Object value) {
        if (value == null) {
            chunk.append("\\N");
        } else if (value instanceof String text) {
            escape(text);
        } else if (value instanceof java.math.BigDecimal decimal) {
            chunk.append(decimal.toPlainString());
        } else if (value instanceof Number || value instanceof UUID) {
            chunk.append(value);
        } else if (value instanceof Boolean flag) {
            chunk.append(flag ? 't' : 'f');
        } else {
            throw new IllegalArgumentException("cannot copy a " + value.getClass().getName());
        }
    }

    /** COPY text format: backslash, newline, carriage return and tab are escaped; nothing else needs to be. */
    private void escape(String text) {
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            switch (ch) {
                case '\\' -> chunk.append("\\\\");
                case '\n' -> chunk.append("\\n");
                case '\r' -> chunk.append("\\r");
                case '\t' -> chunk.append("\\t");
                default -> chunk.append(ch);
            }
        }
    }

    private void flush() throws SQLException {
        if (chunk.length() > 0) {
            byte[] bytes = chunk.toString().getBytes(StandardCharsets.UTF_8);
            copy.writeToCopy(bytes, 0, bytes.length);
            chunk.setLength(0);
        }
    }

}
