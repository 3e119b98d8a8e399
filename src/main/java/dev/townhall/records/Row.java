package dev.townhall.records;

import java.util.Map;
import java.util.UUID;

/**
 * One row as a caller sees it.
 *
 * @param id      the row's id
 * @param version its version (PostgreSQL's {@code xmin} as text), which an update or delete must name
 * @param values  column → JSON-friendly value, in table order, {@code id} first: strings, numbers ({@code numeric}
 *                as {@code BigDecimal}), booleans, lists, maps or null; timestamps as ISO-8601 strings, dates as
 *                {@code yyyy-mm-dd}, uuids as strings, jsonb as parsed JSON
 */
public record Row(UUID id, String version, Map<String, Object> values) {
}
