package dev.townhall.records.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.records.Sort;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Where the next page starts: the last row's sort value (as PostgreSQL's text of it) and id, with the resource and
 * sort the cursor belongs to, as base64url of a small JSON object. It is opaque, not secret: every part is bound as a
 * parameter and row-level security still decides what the next page shows.
 *
 * @param resource  the resource listed
 * @param sort      the sort, as {@code column} or {@code -column}
 * @param sortValue the last row's sort value as text; null when the sort is by id
 * @param id        the last row's id
 */
public record Cursor(String resource, String sort, String sortValue, UUID id) {
    private static final String FIELD = "cursor";

    public String encode() {
        Map<String, Object> parts = new LinkedHashMap<>();
        parts.put("r", resource);
        parts.put("s", sort);
        if (sortValue != null) {
            parts.put("v", sortValue);
        }
        parts.put("i", id.toString());
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(ColumnValues.JSON.writeValueAsBytes(parts));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a cursor always serialises", e);
        }
    }

    /** Reads a cursor given back by a caller, refusing one that is garbled or belongs to another list. */
    public static Cursor decode(String text, String resource, Sort sort) {
        JsonNode parts;
        try {
            parts = ColumnValues.JSON.readTree(new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | JsonProcessingException e) {
            throw garbled();
        }
        if (parts == null || !parts.isObject() || !parts.path("r").isTextual() || !parts.path("s").isTextual()
                || !parts.path("i").isTextual() || !(parts.path("v").isMissingNode() || parts.path("v").isTextual())) {
            throw garbled();
        }
        UUID id;
        try {
            id = UUID.fromString(parts.get("i").asText());
        } catch (IllegalArgumentException e) {
            throw garbled();
        }
        if (!parts.get("r").asText().equals(resource) || !parts.get("s").asText().equals(sort.toString())) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, FIELD, "this cursor belongs to "
                    + parts.get("r").asText() + " sorted by '" + parts.get("s").asText() + "', not to " + resource
                    + " sorted by '" + sort + "'; start again without a cursor");
        }
        String sortValue = parts.path("v").isTextual() ? parts.get("v").asText() : null;
        if ((sortValue == null) != sort.column().equals(TableShape.ID)) {
            throw garbled();
        }
        return new Cursor(resource, sort.toString(), sortValue, id);
    }

    private static TownHallException garbled() {
        return TownHallException.forField(ErrorCode.INVALID_INPUT, FIELD,
                "the cursor is not one this service made; pass next_cursor from the previous page unchanged");
    }
}
