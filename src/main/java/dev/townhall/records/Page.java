package dev.townhall.records;

import java.util.List;
import java.util.Optional;

/** One page of a list and the cursor of the next page, empty on the last one. */
public record Page(List<Row> items, Optional<String> nextCursor) {
    public Page {
        items = List.copyOf(items);
    }
}
