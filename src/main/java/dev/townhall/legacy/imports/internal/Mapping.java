package dev.townhall.legacy.imports.internal;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A parsed, structurally valid mapping file: where every legacy table goes and how its values are cleaned. Built by
 * {@link MappingLoader}; checked against the real source and target catalogs by {@link CatalogCheck} before a run.
 */
public record Mapping(String origin, String organisation, String town, List<InventoryGroup> inventory,
                      List<KnownUser> users, LocalDate plausibleFrom, LocalDate plausibleTo, Set<String> placeholders,
                      Map<String, SourceMap> sources) {
    /** True when {@code text}, trimmed and in lower case, is one of the placeholders that mean "no value". */
    public boolean isPlaceholder(String text) {
        return placeholders.contains(text.strip().toLowerCase(java.util.Locale.ROOT));
    }


    /** One line of the migration plan's inventory: its stated figure and the table counts it claims to add up. */
    public record InventoryGroup(String group, long stated, String statedText, Map<String, Long> parts) {
        public long partsSum() {
            return parts.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** A person of the old team whose text ids map to a TownHall user. */
    public record KnownUser(String handle, String email, String firstName, String lastName, List<String> aliases) {
    }

    /** One legacy database: its tables in the order the file lists them, and the zone its zone-less times are in. */
    public record SourceMap(String name, ZoneId zone, List<TableMap> tables) {
    }

    /** What a table's changed_at column holds, so a delta run can filter on it in the source. */
    public enum TimeUnit { TIMESTAMP, EPOCH_MILLIS, EPOCH_SECONDS }

    /** How duplicates of a table's target rows are recognised. */
    public enum MergeRule { NONE, COMPANY, CONTACT }

    /**
     * One source table and the target table it fills. {@code identity}: the target columns that identify a row
     * (a name, an e-mail, a phone ...); a row with none of them is quarantined (no_identity). Empty: not checked.
     */
    public record TableMap(String source, String table, String target, String key, boolean keyUnique,
                           String changedAt, TimeUnit changedAtUnit, String latestBy, MergeRule merge,
                           List<ColumnMap> columns, GroupMap group, ExplodeMap explode, ZoneId zone,
                           List<String> identity) {
        /** "robbie.hubspot_companies". */
        public String qualified() {
            return source + "." + table;
        }

        public Optional<GroupMap> groupMap() {
            return Optional.ofNullable(group);
        }

        public Optional<ExplodeMap> explodeMap() {
            return Optional.ofNullable(explode);
        }

        /** Every source column any part of this mapping reads. */
        public List<String> sourceColumns() {
            List<String> cols = new ArrayList<>();
            cols.add(key);
            for (ColumnMap c : allColumns()) {
                cols.addAll(c.from());
                cols.addAll(c.fallbackFrom());
                for (DefaultTemplate template : c.defaultFrom()) {
                    template.placeholders().stream().filter(DefaultTemplate.Placeholder::source)
                            .forEach(p -> cols.add(p.name()));
                }
            }
            if (group != null) {
                cols.add(group.by());
            }
            if (explode != null) {
                cols.add(explode.from());
            }
            if (changedAt != null) {
                cols.add(changedAt);
            }
            if (latestBy != null) {
                cols.add(latestBy);
            }
            return cols.stream().distinct().toList();
        }

        /** The main, group and explode columns together. */
        public List<ColumnMap> allColumns() {
            List<ColumnMap> all = new ArrayList<>(columns);
            if (group != null) {
                all.addAll(group.columns());
            }
            if (explode != null) {
                all.addAll(explode.columns());
            }
            return all;
        }
    }

    /** A parent row several source rows share (a chat session's conversation, a transcript's meeting). */
    public record GroupMap(String target, String by, String link, List<ColumnMap> columns) {
    }

    /** Child rows cut out of one delimited source column (a transcript's attendee list). */
    public record ExplodeMap(String target, String from, Pattern split, String link, List<ColumnMap> columns) {
    }

    /**
     * What to do with a value that cannot be kept, or a reference that finds nothing. {@code DEFER} (references
     * only, their default): import the row with the reference empty and link it when the parent arrives.
     */
    public enum Policy { QUARANTINE, NULL, IGNORE, DEFER }

    /** What a map does with a value it has no entry for. */
    public enum Unmapped { INVALID, KEEP, NULL, VALUE }

    /** How a merge treats this column when the existing row already has a value. */
    public enum ColumnMerge { FIRST_NON_EMPTY, UNION, NONE }

    /** A reference: a legacy table's key ({@code table}) or a lookup among imported rows ({@code lookup}). */
    public record Ref(String table, String lookup) {
        public static final List<String> LOOKUPS = List.of("contact_by_email", "company_by_name");

        public boolean byKey() {
            return table != null;
        }
    }

    /**
     * One target column: where its value comes from and how it is cleaned, checked and merged.
     * {@code defaultFrom}: templates tried in order when a new row has no value (flagged as default_name);
     * {@code fallbackFrom}: source columns read the same way when this column's own value is missing or refused
     * (flagged as fallback_value).
     */
    public record ColumnMap(String target, List<String> from, Object constant, List<String> normalise,
                            Map<String, Object> args, Map<String, Object> map, Unmapped unmapped,
                            Object unmappedValue, boolean required, Object defaultValue, boolean hasDefault,
                            Policy onInvalid, Ref ref, Policy onMissing, ColumnMerge merge, String onlyIfNull,
                            String inTable, String path, List<DefaultTemplate> defaultFrom,
                            List<String> fallbackFrom) {
        public boolean isConstant() {
            return constant != null;
        }
    }

    /** Every table of every source, in file order. */
    public List<TableMap> tables() {
        List<TableMap> all = new ArrayList<>();
        sources.values().forEach(s -> all.addAll(s.tables()));
        return all;
    }

    public Optional<TableMap> table(String qualified) {
        return tables().stream().filter(t -> t.qualified().equals(qualified)).findFirst();
    }

    /** The inventory's stated figure for one table, from the first group that lists it. */
    public Optional<Long> statedRows(String qualified) {
        for (InventoryGroup g : inventory) {
            Long n = g.parts().get(qualified);
            if (n != null) {
                return Optional.of(n);
            }
        }
        return Optional.empty();
    }

    static Map<String, SourceMap> ordered(Map<String, SourceMap> sources) {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sources));
    }
}
