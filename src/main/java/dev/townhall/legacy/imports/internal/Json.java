package dev.townhall.legacy.imports.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A JSON document bound for a {@code jsonb} column, as text; plus the one strict mapper the importer uses. */
public record Json(String text) {
    /** Refuses trailing garbage ("{"a": 1}}"), single quotes, unquoted names, NaN and leading zeros. */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    public static final Json EMPTY_OBJECT = new Json("{}");

    public static Json of(JsonNode node) {
        try {
            return new Json(MAPPER.writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** The value as a JSON tree: strings, numbers, booleans, instants and lists as JSON would hold them. */
    public static JsonNode tree(Object value) {
        if (value == null) {
            return MAPPER.nullNode();
        }
        if (value instanceof Json j) {
            try {
                return MAPPER.readTree(j.text());
            } catch (JsonProcessingException e) {
                return MAPPER.getNodeFactory().textNode(j.text());
            }
        }
        if (value instanceof Long l) {
            return MAPPER.getNodeFactory().numberNode(l);
        }
        if (value instanceof Integer i) {
            return MAPPER.getNodeFactory().numberNode(i);
        }
        if (value instanceof java.math.BigDecimal d) {
            return MAPPER.getNodeFactory().numberNode(d);
        }
        if (value instanceof Double d) {
            return MAPPER.getNodeFactory().numberNode(d);
        }
        if (value instanceof Boolean b) {
            return MAPPER.getNodeFactory().booleanNode(b);
        }
        if (value instanceof java.util.List<?> list) {
            var array = MAPPER.createArrayNode();
            list.forEach(v -> array.add(tree(v)));
            return array;
        }
        return MAPPER.getNodeFactory().textNode(value.toString());
    }
}
