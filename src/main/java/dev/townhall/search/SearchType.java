package dev.townhall.search;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What search can find, by the plural a person types ({@code --types notes,contacts}) and the entity type stored in
 * {@code memory.search_documents} and {@code memory.embeddings}. A test keeps it equal to
 * {@code memory.searchable_types()}.
 */
public enum SearchType {
    CONTACTS("contact"),
    COMPANIES("company"),
    DEALS("deal"),
    ACTIVITIES("activity"),
    MESSAGES("message"),
    KNOWLEDGE("knowledge"),
    NOTES("sticky_note"),
    TRANSCRIPTS("transcript");

    private final String entityType;

    SearchType(String entityType) {
        this.entityType = entityType;
    }

    /** The value in {@code entity_type}. */
    public String entityType() {
        return entityType;
    }

    /** The word a person types: {@code contacts}, {@code notes}, … */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SearchType ofEntityType(String entityType) {
        return Arrays.stream(values()).filter(t -> t.entityType.equals(entityType)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a searchable entity type: " + entityType));
    }

    /** {@code contacts,notes} (blank or null: every type), or a one-line INVALID_INPUT error naming the bad word. */
    public static Set<SearchType> parseList(String list) {
        if (list == null || list.isBlank()) {
            return EnumSet.allOf(SearchType.class);
        }
        Set<SearchType> types = EnumSet.noneOf(SearchType.class);
        for (String word : list.split(",")) {
            String w = word.strip().toLowerCase(Locale.ROOT);
            types.add(Arrays.stream(values()).filter(t -> t.label().equals(w)).findFirst()
                    .orElseThrow(() -> new TownHallException(ErrorCode.INVALID_INPUT, "unknown search type '" + word.strip()
                            + "'; types: " + Arrays.stream(values()).map(SearchType::label).collect(Collectors.joining(",")))));
        }
        return types;
    }
}
