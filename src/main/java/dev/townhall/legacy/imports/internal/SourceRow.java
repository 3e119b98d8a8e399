package dev.townhall.legacy.imports.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.util.List;

/**
 * One legacy row as read: every column as the source printed it (text, or null), its stable source id (the key,
 * or "key#n" where the key repeats), and a hash of its content.
 */
public final class SourceRow {
    /**
     * The longest key kept as it is (UTF-16 units). A longer one is no real key but garbage a source column can hold;
     * kept whole it would not fit the id map's and the quarantine's index entries (a btree entry holds about 2.7 kB),
     * so it is shortened to its head and a SHA-256 of the whole, which is itself short enough to be kept as it is.
     */
    static final int LONGEST_KEY = 256;
    private static final int KEY_HEAD_CODE_POINTS = 64;

    private final String sourceId;
    private final String rawKey;
    private final long ordinal;
    private final String[] values;
    private final String hash;

    public SourceRow(String rawKey, long ordinal, boolean keyUnique, String[] values, String hash) {
        this.rawKey = rawKey;
        this.ordinal = ordinal;
        this.sourceId = sourceId(rawKey, ordinal, keyUnique);
        this.values = values;
        this.hash = hash == null ? Ids.rowHash(values) : hash;
    }

    public String sourceId() {
        return sourceId;
    }

    /** The source id of the row with key {@code rawKey}: the key, or "key#n" where keys repeat. */
    public static String sourceId(String rawKey, long ordinal, boolean keyUnique) {
        return keyUnique ? key(rawKey) : key(rawKey) + "#" + ordinal;
    }

    /** A legacy key (or a reference to one) as TownHall records it: itself, or its head and hash when too long. */
    public static String key(String rawKey) {
        if (rawKey == null || rawKey.length() <= LONGEST_KEY) {
            return rawKey;
        }
        int headEnd = rawKey.offsetByCodePoints(0, Math.min(KEY_HEAD_CODE_POINTS, rawKey.codePointCount(0,
                rawKey.length())));
        return rawKey.substring(0, headEnd) + "…sha256:" + Ids.sha256(rawKey);
    }

    /** This row's key as TownHall records it ({@link #key(String)}). */
    public String key() {
        return key(rawKey);
    }

    /** The key as the table holds it (what references in other tables contain; checkpoints compare it). */
    public String rawKey() {
        return rawKey;
    }

    public long ordinal() {
        return ordinal;
    }

    public String value(int index) {
        return values[index];
    }

    public String[] values() {
        return values;
    }

    public String hash() {
        return hash;
    }

    /** The row as JSON, typed as the source's columns are (numbers, booleans and JSON stay what they were). */
    public ObjectNode toJson(PgCatalog.Table source) {
        ObjectNode row = Json.object();
        List<PgCatalog.Column> columns = source.columns();
        for (int i = 0; i < columns.size(); i++) {
            PgCatalog.Column col = columns.get(i);
            String v = values[i];
            if (v == null) {
                row.putNull(col.name());
            } else if (col.isNumeric()) {
                try {
                    row.put(col.name(), new BigDecimal(v));
                } catch (NumberFormatException e) {
                    row.put(col.name(), v); // NaN, Infinity
                }
            } else if (col.isBoolean()) {
                row.put(col.name(), v.equals("t") || v.equals("true"));
            } else if (col.isJson()) {
                try {
                    row.set(col.name(), Json.MAPPER.readTree(v));
                } catch (JsonProcessingException e) {
                    row.put(col.name(), v);
                }
            } else {
                row.put(col.name(), v);
            }
        }
        return row;
    }

    /** Rebuilds row values from JSON (a quarantined original_row or a reviewer's fixed_row), in source column order. */
    public static String[] valuesFromJson(JsonNode row, PgCatalog.Table source) {
        List<PgCatalog.Column> columns = source.columns();
        String[] values = new String[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            JsonNode v = row.path(columns.get(i).name());
            if (v.isMissingNode() || v.isNull()) {
                values[i] = null;
            } else if (v.isValueNode() && !columns.get(i).isJson()) {
                values[i] = v.isBoolean() ? (v.asBoolean() ? "t" : "f") : v.asText();
            } else {
                values[i] = v.isTextual() ? v.asText() : v.toString();
            }
        }
        return values;
    }
}
