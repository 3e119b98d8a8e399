package dev.townhall.towns;

import java.util.List;

/** Rows of an ad-hoc query, as text, with their column names. */
public record QueryResult(List<String> columns, List<List<String>> rows, int updateCount) {
}
