package dev.townhall.legacy.imports.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.legacy.imports.internal.Mapping.ColumnMap;
import dev.townhall.legacy.imports.internal.Mapping.ColumnMerge;
import dev.townhall.legacy.imports.internal.Mapping.ExplodeMap;
import dev.townhall.legacy.imports.internal.Mapping.GroupMap;
import dev.townhall.legacy.imports.internal.Mapping.InventoryGroup;
import dev.townhall.legacy.imports.internal.Mapping.KnownUser;
import dev.townhall.legacy.imports.internal.Mapping.MergeRule;
import dev.townhall.legacy.imports.internal.Mapping.Policy;
import dev.townhall.legacy.imports.internal.Mapping.Ref;
import dev.townhall.legacy.imports.internal.Mapping.SourceMap;
import dev.townhall.legacy.imports.internal.Mapping.TableMap;
import dev.townhall.legacy.imports.internal.Mapping.TimeUnit;
import dev.townhall.legacy.imports.internal.Mapping.Unmapped;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads a mapping file (YAML) into a {@link Mapping}, refusing anything it does not understand with one
 * {@link ErrorCode#CONFIG} error that names the file, the place in it and what is wrong. Unknown keys are errors
 * too: a misspelt "normalize" must not silently import raw values.
 */
public final class MappingLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");
    private static final Pattern QUALIFIED = Pattern.compile("[a-z_][a-z0-9_]*\\.[a-z_][a-z0-9_]*");

    private static final Set<String> ROOT_KEYS = Set.of("version", "organisation", "town", "inventory", "users",
            "dates", "placeholders", "maps", "sources");
    private static final Set<String> TABLE_KEYS = Set.of("table", "target", "key", "key_unique", "changed_at",
            "latest_by", "merge", "columns", "group", "explode", "zone", "identity");
    private static final Set<String> COLUMN_KEYS = Set.of("from", "value", "normalise", "args", "map", "unmapped",
            "unmapped_value", "required", "default", "on_invalid", "ref", "on_missing", "merge", "only_if_null",
            "in_table", "default_from", "fallback_from");

    private final String origin;
    private Map<String, Map<String, Object>> namedMaps = Map.of();

    private MappingLoader(String origin) {
        this.origin = origin;
    }

    /** Parses {@code text}; {@code origin} names it in messages (a path or a classpath resource). */
    public static Mapping parse(String text, String origin) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
            throw new TownHallException(ErrorCode.CONFIG, "mapping file " + origin + " is not valid YAML" + where + ": "
                    + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new TownHallException(ErrorCode.CONFIG, "mapping file " + origin + " is empty or not a YAML mapping");
        }
        return new MappingLoader(origin).mapping(root);
    }

    private TownHallException error(String path, String problem) {
        return new TownHallException(ErrorCode.CONFIG, "mapping file " + origin + ": " + path + ": " + problem);
    }

    private Mapping mapping(JsonNode root) {
        keys(root, ROOT_KEYS, "(top level)");
        int version = root.path("version").asInt(-1);
        if (version != 1) {
            throw error("version", "must be 1, got " + root.path("version"));
        }
        String organisation = requiredText(root, "organisation", "organisation");
        String town = requiredText(root, "town", "town");
        namedMaps = maps(root.path("maps"));
        List<InventoryGroup> inventory = inventory(root.path("inventory"));
        List<KnownUser> users = users(root.path("users"));
        JsonNode dates = root.path("dates");
        LocalDate from = date(dates.path("plausible_from"), "dates.plausible_from", LocalDate.of(1970, 1, 2));
        LocalDate to = date(dates.path("plausible_to"), "dates.plausible_to", LocalDate.of(2099, 12, 31));
        if (!from.isBefore(to)) {
            throw error("dates", "plausible_from must be before plausible_to");
        }
        Set<String> placeholders = new HashSet<>();
        for (JsonNode p : array(root.path("placeholders"), "placeholders")) {
            placeholders.add(p.asText().strip().toLowerCase(Locale.ROOT));
        }
        JsonNode sourcesNode = root.path("sources");
        if (!sourcesNode.isObject() || sourcesNode.isEmpty()) {
            throw error("sources", "must name at least one source database with its tables");
        }
        Map<String, SourceMap> sources = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : sourcesNode.properties()) {
            sources.put(e.getKey(), source(e.getKey(), e.getValue()));
        }
        Mapping mapping = new Mapping(origin, organisation, town, inventory, users,
                from, to, Set.copyOf(placeholders), Mapping.ordered(sources));
        crossCheck(mapping);
        return mapping;
    }

    private Map<String, Map<String, Object>> maps(JsonNode node) {
        Map<String, Map<String, Object>> maps = new HashMap<>();
        if (node.isMissingNode()) {
            return maps;
        }
        if (!node.isObject()) {
            throw error("maps", "must be a mapping of map names to {source value: target value}");
        }
        node.properties().forEach(e -> maps.put(e.getKey(), valueMap(e.getValue(), "maps." + e.getKey())));
        return maps;
    }

    private Map<String, Object> valueMap(JsonNode node, String path) {
        if (!node.isObject() || node.isEmpty()) {
            throw error(path, "must be a non-empty mapping {source value: target value}");
        }
        Map<String, Object> map = new HashMap<>();
        node.properties().forEach(e -> {
            String key = fold(e.getKey());
            if (map.containsKey(key)) {
                throw error(path, "'" + e.getKey() + "' folds to '" + key + "' like another entry");
            }
            map.put(key, plain(e.getValue(), path + "." + e.getKey()));
        });
        return Map.copyOf(map);
    }

    /** Map keys compare folded: lower case, letters and digits only ("Closed Won" = "closed_won" = "closedwon"). */
    public static String fold(String value) {
        return value.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", "");
    }

    private List<InventoryGroup> inventory(JsonNode node) {
        List<InventoryGroup> groups = new ArrayList<>();
        int i = 0;
        for (JsonNode g : array(node, "inventory")) {
            String path = "inventory[" + i++ + "]";
            keys(g, Set.of("group", "stated", "stated_text", "parts"), path);
            String name = requiredText(g, "group", path + ".group");
            if (!g.path("stated").canConvertToLong()) {
                throw error(path + ".stated", "must be a whole number");
            }
            Map<String, Long> parts = new LinkedHashMap<>();
            if (!g.path("parts").isObject()) {
                throw error(path + ".parts", "must map SOURCE.TABLE to the plan's row count");
            }
            g.path("parts").properties().forEach(e -> {
                if (!QUALIFIED.matcher(e.getKey()).matches() || !e.getValue().canConvertToLong()) {
                    throw error(path + ".parts." + e.getKey(), "must be SOURCE.TABLE: row count");
                }
                parts.put(e.getKey(), e.getValue().asLong());
            });
            groups.add(new InventoryGroup(name, g.path("stated").asLong(),
                    g.path("stated_text").isMissingNode() ? null : g.path("stated_text").asText(), parts));
        }
        return List.copyOf(groups);
    }

    private List<KnownUser> users(JsonNode node) {
        List<KnownUser> users = new ArrayList<>();
        int i = 0;
        for (JsonNode u : array(node, "users")) {
            String path = "users[" + i++ + "]";
            keys(u, Set.of("handle", "email", "first_name", "last_name", "aliases"), path);
            String handle = requiredText(u, "handle", path + ".handle");
            if (!handle.matches("[a-z0-9][a-z0-9._-]{0,62}")) {
                throw error(path + ".handle", "must be lower-case letters, digits, '.', '_' or '-', got '" + handle + "'");
            }
            String email = requiredText(u, "email", path + ".email");
            if (!email.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
                throw error(path + ".email", "'" + email + "' is not an e-mail address");
            }
            List<String> aliases = new ArrayList<>();
            for (JsonNode a : array(u.path("aliases"), path + ".aliases")) {
                aliases.add(a.asText());
            }
            users.add(new KnownUser(handle, email.toLowerCase(Locale.ROOT), optionalText(u, "first_name"),
                    optionalText(u, "last_name"), List.copyOf(aliases)));
        }
        return List.copyOf(users);
    }

    private SourceMap source(String name, JsonNode node) {
        String path = "sources." + name;
        if (!IDENTIFIER.matcher(name).matches()) {
            throw error(path, "a source name must be lower-case letters, digits and '_'");
        }
        keys(node, Set.of("zone", "tables"), path);
        ZoneId zone = zone(node.path("zone"), path + ".zone", ZoneId.of("UTC"));
        List<TableMap> tables = new ArrayList<>();
        int i = 0;
        for (JsonNode t : array(node.path("tables"), path + ".tables")) {
            tables.add(table(name, zone, t, path + ".tables[" + i++ + "]"));
        }
        if (tables.isEmpty()) {
            throw error(path + ".tables", "must list at least one table");
        }
        return new SourceMap(name, zone, List.copyOf(tables));
    }

    private TableMap table(String source, ZoneId sourceZone, JsonNode node, String at) {
        String table = requiredText(node, "table", at + ".table");
        String path = at + " (" + table + ")";
        keys(node, TABLE_KEYS, path);
        identifier(table, path + ".table");
        String target = requiredText(node, "target", path + ".target");
        if (!QUALIFIED.matcher(target).matches()) {
            throw error(path + ".target", "must be schema.table, got '" + target + "'");
        }
        String key = identifier(requiredText(node, "key", path + ".key"), path + ".key");
        boolean keyUnique = node.path("key_unique").asBoolean(true);
        String changedAt = null;
        TimeUnit unit = TimeUnit.TIMESTAMP;
        JsonNode changed = node.path("changed_at");
        if (changed.isTextual()) {
            changedAt = identifier(changed.asText(), path + ".changed_at");
        } else if (changed.isObject()) {
            keys(changed, Set.of("column", "unit"), path + ".changed_at");
            changedAt = identifier(requiredText(changed, "column", path + ".changed_at.column"), path + ".changed_at");
            String u = requiredText(changed, "unit", path + ".changed_at.unit");
            unit = switch (u) {
                case "timestamp" -> TimeUnit.TIMESTAMP;
                case "epoch_millis" -> TimeUnit.EPOCH_MILLIS;
                case "epoch_seconds" -> TimeUnit.EPOCH_SECONDS;
                default -> throw error(path + ".changed_at.unit", "must be timestamp, epoch_millis or epoch_seconds");
            };
        } else if (!changed.isMissingNode()) {
            throw error(path + ".changed_at", "must be a column name or {column, unit}");
        }
        String latestBy = node.path("latest_by").isMissingNode() ? null
                : identifier(node.path("latest_by").asText(), path + ".latest_by");
        MergeRule merge = switch (node.path("merge").asText("none")) {
            case "none" -> MergeRule.NONE;
            case "company" -> MergeRule.COMPANY;
            case "contact" -> MergeRule.CONTACT;
            default -> throw error(path + ".merge", "must be company, contact or none, got '"
                    + node.path("merge").asText() + "'");
        };
        ZoneId zone = zone(node.path("zone"), path + ".zone", sourceZone);
        List<ColumnMap> columns = columns(node.path("columns"), path + ".columns", false);
        GroupMap group = null;
        if (!node.path("group").isMissingNode()) {
            JsonNode g = node.path("group");
            String gp = path + ".group";
            keys(g, Set.of("target", "by", "link", "columns"), gp);
            String gt = requiredText(g, "target", gp + ".target");
            if (!QUALIFIED.matcher(gt).matches()) {
                throw error(gp + ".target", "must be schema.table");
            }
            group = new GroupMap(gt, identifier(requiredText(g, "by", gp + ".by"), gp + ".by"),
                    identifier(requiredText(g, "link", gp + ".link"), gp + ".link"),
                    columns(g.path("columns"), gp + ".columns", false));
        }
        ExplodeMap explode = null;
        if (!node.path("explode").isMissingNode()) {
            JsonNode x = node.path("explode");
            String xp = path + ".explode";
            keys(x, Set.of("target", "from", "split", "link", "columns"), xp);
            String xt = requiredText(x, "target", xp + ".target");
            if (!QUALIFIED.matcher(xt).matches()) {
                throw error(xp + ".target", "must be schema.table");
            }
            Pattern split;
            try {
                split = Pattern.compile(requiredText(x, "split", xp + ".split"));
            } catch (PatternSyntaxException e) {
                throw error(xp + ".split", "is not a regular expression: " + e.getDescription());
            }
            explode = new ExplodeMap(xt, identifier(requiredText(x, "from", xp + ".from"), xp + ".from"), split,
                    identifier(requiredText(x, "link", xp + ".link"), xp + ".link"),
                    columns(x.path("columns"), xp + ".columns", true));
            if (group == null) {
                throw error(xp, "exploded rows link to the group row; declare a group too");
            }
        }
        if (merge != MergeRule.NONE && (group != null || explode != null)) {
            throw error(path + ".merge", "tables with a group or explode cannot merge duplicates");
        }
        List<String> identity = new ArrayList<>();
        for (JsonNode i : array(node.path("identity"), path + ".identity")) {
            String column = identifier(i.asText(), path + ".identity");
            if (columns.stream().noneMatch(c -> c.target().equals(column))) {
                throw error(path + ".identity", "names '" + column + "', which this table's columns do not fill");
            }
            identity.add(column);
        }
        return new TableMap(source, table, target, key, keyUnique, changedAt, unit, latestBy, merge, columns, group,
                explode, zone, List.copyOf(identity));
    }

    private List<ColumnMap> columns(JsonNode node, String path, boolean itemColumns) {
        if (!node.isObject() || node.isEmpty()) {
            throw error(path, "must map target columns to their sources");
        }
        List<ColumnMap> columns = new ArrayList<>();
        node.properties().forEach(e -> columns.add(column(e.getKey(), e.getValue(), path + "." + e.getKey(),
                itemColumns)));
        Set<String> targets = new HashSet<>();
        for (ColumnMap c : columns) {
            if (c.onlyIfNull() != null && columns.stream().noneMatch(o -> o.target().equals(c.onlyIfNull()))) {
                throw error(c.path() + ".only_if_null", "names '" + c.onlyIfNull() + "', which this mapping does not fill");
            }
            for (DefaultTemplate template : c.defaultFrom()) {
                for (DefaultTemplate.Placeholder p : template.placeholders()) {
                    if (p.source()) {
                        continue; // the source catalog check finds a missing column
                    }
                    ColumnMap other = columns.stream().filter(o -> o.target().equals(p.name())).findFirst()
                            .orElseThrow(() -> error(c.path() + ".default_from", "'" + template + "' names {"
                                    + p.name() + "}, which this mapping does not fill (a source column is"
                                    + " {source." + p.name() + "})"));
                    if (other == c) {
                        throw error(c.path() + ".default_from", "'" + template + "' names the column itself");
                    }
                    if ("name".equals(p.filter()) && other.ref() == null) {
                        throw error(c.path() + ".default_from", "'" + template + "': |name needs a ref column, and "
                                + p.name() + " is none");
                    }
                }
            }
            targets.add(c.target());
        }
        return List.copyOf(columns);
    }

    private ColumnMap column(String target, JsonNode node, String path, boolean itemColumn) {
        identifier(target, path);
        if (!node.isObject()) {
            throw error(path, "must be a mapping such as {from: column, normalise: name}");
        }
        keys(node, COLUMN_KEYS, path);
        List<String> from = new ArrayList<>();
        JsonNode f = node.path("from");
        if (f.isTextual()) {
            from.add(identifier(f.asText(), path + ".from"));
        } else if (f.isArray()) {
            for (JsonNode x : f) {
                from.add(identifier(x.asText(), path + ".from"));
            }
        } else if (!f.isMissingNode()) {
            throw error(path + ".from", "must be a column name or a list of them");
        }
        Object constant = node.has("value") ? plain(node.get("value"), path + ".value") : null;
        if (constant != null && !from.isEmpty()) {
            throw error(path, "give either from or value, not both");
        }
        if (constant == null && from.isEmpty() && !itemColumn) {
            throw error(path, "needs from (a source column) or value (a constant)");
        }
        if (itemColumn && !from.isEmpty()) {
            throw error(path + ".from", "exploded columns read the item itself; leave from out");
        }
        List<String> normalise = new ArrayList<>();
        JsonNode n = node.path("normalise");
        if (n.isTextual()) {
            normalise.add(n.asText());
        } else if (n.isArray()) {
            n.forEach(x -> normalise.add(x.asText()));
        } else if (!n.isMissingNode()) {
            throw error(path + ".normalise", "must be a normaliser name or a list of them");
        }
        Map<String, Object> args = new HashMap<>();
        if (node.has("args")) {
            if (!node.get("args").isObject()) {
                throw error(path + ".args", "must be a mapping");
            }
            node.get("args").properties().forEach(e -> args.put(e.getKey(), plain(e.getValue(), path + ".args")));
        }
        Set<String> allowedArgs = new HashSet<>();
        int inputs = 1;
        boolean appliesMap = false;
        for (String name : normalise) {
            Normalisers.Def def = Normalisers.get(name);
            if (def == null) {
                throw error(path + ".normalise", "unknown normaliser '" + name + "' (known: "
                        + String.join(", ", Normalisers.names()) + ")");
            }
            allowedArgs.addAll(def.args());
            inputs = Math.max(inputs, def.inputs());
            appliesMap |= def.appliesMap();
        }
        for (String arg : args.keySet()) {
            if (!allowedArgs.contains(arg)) {
                throw error(path + ".args", "'" + arg + "' is not an argument of " + normalise
                        + (allowedArgs.isEmpty() ? " (it takes none)" : " (it takes " + allowedArgs + ")"));
            }
        }
        if (args.containsKey("zone")) {
            zone(node.path("args").path("zone"), path + ".args.zone", null);
        }
        if (from.size() > 1 && from.size() != inputs) {
            throw error(path + ".from", "lists " + from.size() + " columns, but " + normalise + " reads " + inputs);
        }
        if (inputs > 1 && from.size() != inputs) {
            throw error(path + ".from", normalise + " reads " + inputs + " columns; list them");
        }
        if (inputs > 1 && normalise.size() > 1) {
            throw error(path + ".normalise", normalise + " combines columns and cannot be chained");
        }
        Map<String, Object> map = null;
        JsonNode m = node.path("map");
        if (m.isTextual()) {
            map = namedMaps.get(m.asText());
            if (map == null) {
                throw error(path + ".map", "no map called '" + m.asText() + "' under maps (known: "
                        + new java.util.TreeSet<>(namedMaps.keySet()) + ")");
            }
        } else if (m.isObject()) {
            map = valueMap(m, path + ".map");
        } else if (!m.isMissingNode()) {
            throw error(path + ".map", "must be a map name or an inline {source: target} mapping");
        }
        if (appliesMap && map == null) {
            throw error(path, normalise + " needs a map");
        }
        Unmapped unmapped = Unmapped.INVALID;
        Object unmappedValue = null;
        if (node.has("unmapped_value")) {
            unmapped = Unmapped.VALUE;
            unmappedValue = plain(node.get("unmapped_value"), path + ".unmapped_value");
        }
        if (node.has("unmapped")) {
            if (unmapped == Unmapped.VALUE) {
                throw error(path, "give unmapped or unmapped_value, not both");
            }
            unmapped = switch (policyText(node.get("unmapped"))) {
                case "invalid" -> Unmapped.INVALID;
                case "keep" -> Unmapped.KEEP;
                case "null" -> Unmapped.NULL;
                default -> throw error(path + ".unmapped", "must be invalid, keep or null");
            };
        }
        if (map == null && (node.has("unmapped") || node.has("unmapped_value"))) {
            throw error(path, "unmapped only makes sense with a map");
        }
        boolean hasDefault = node.has("default");
        Object defaultValue = hasDefault ? plain(node.get("default"), path + ".default") : null;
        Policy onInvalid = policy(node.path("on_invalid"), path + ".on_invalid", Policy.NULL, false);
        Ref ref = null;
        JsonNode r = node.path("ref");
        if (r.isTextual()) {
            if (!QUALIFIED.matcher(r.asText()).matches()) {
                throw error(path + ".ref", "must be SOURCE.TABLE or {lookup: NAME}, got '" + r.asText() + "'");
            }
            ref = new Ref(r.asText(), null);
        } else if (r.isObject()) {
            keys(r, Set.of("lookup"), path + ".ref");
            String lookup = requiredText(r, "lookup", path + ".ref.lookup");
            if (!Ref.LOOKUPS.contains(lookup)) {
                throw error(path + ".ref.lookup", "unknown lookup '" + lookup + "' (known: " + Ref.LOOKUPS + ")");
            }
            ref = new Ref(null, lookup);
        } else if (!r.isMissingNode()) {
            throw error(path + ".ref", "must be SOURCE.TABLE or {lookup: NAME}");
        }
        Policy onMissing = policy(node.path("on_missing"), path + ".on_missing", Policy.DEFER, true);
        if (node.has("on_missing") && ref == null) {
            throw error(path + ".on_missing", "only applies to a ref");
        }
        if (ref != null && (!normalise.isEmpty() || map != null)) {
            throw error(path, "a ref column takes the key as it is; leave normalise and map out");
        }
        ColumnMerge merge = switch (node.path("merge").asText("first_non_empty")) {
            case "first_non_empty" -> ColumnMerge.FIRST_NON_EMPTY;
            case "union" -> ColumnMerge.UNION;
            case "none" -> ColumnMerge.NONE;
            default -> throw error(path + ".merge", "must be first_non_empty, union or none");
        };
        String onlyIfNull = node.has("only_if_null") ? identifier(node.get("only_if_null").asText(),
                path + ".only_if_null") : null;
        String inTable = null;
        if (node.has("in_table")) {
            inTable = node.get("in_table").asText();
            if (!inTable.matches("[a-z_][a-z0-9_]*\\.[a-z_][a-z0-9_]*\\.[a-z_][a-z0-9_]*")) {
                throw error(path + ".in_table", "must be schema.table.column");
            }
        }
        List<DefaultTemplate> defaultFrom = defaultFrom(node, path,
                itemColumn || constant != null || hasDefault || ref != null);
        List<String> fallbackFrom = new ArrayList<>();
        JsonNode fb = node.path("fallback_from");
        for (JsonNode x : fb.isTextual() ? List.of(fb) : array(fb, path + ".fallback_from")) {
            fallbackFrom.add(identifier(x.asText(), path + ".fallback_from"));
        }
        if (!fallbackFrom.isEmpty()) {
            if (from.size() != 1 || ref != null || inputs > 1) {
                throw error(path + ".fallback_from", "only a column read from one source column through normalisers"
                        + " can fall back to another source column");
            }
            if (onInvalid == Policy.QUARANTINE) {
                throw error(path + ".fallback_from", "a refused value quarantines the row (on_invalid: quarantine),"
                        + " so there is nothing to fall back from; use on_invalid: null");
            }
            if (fallbackFrom.contains(from.get(0))) {
                throw error(path + ".fallback_from", "names " + from.get(0) + ", the column's own source");
            }
        }
        return new ColumnMap(target, List.copyOf(from), constant, List.copyOf(normalise), Map.copyOf(args), map,
                unmapped, unmappedValue, node.path("required").asBoolean(false), defaultValue, hasDefault, onInvalid,
                ref, onMissing, merge, onlyIfNull, inTable, path, defaultFrom, List.copyOf(fallbackFrom));
    }

    /** The column's default_from templates; {@code refused}: the column cannot have them (a constant, a default ...). */
    private List<DefaultTemplate> defaultFrom(JsonNode node, String path, boolean refused) {
        JsonNode d = node.path("default_from");
        if (d.isMissingNode()) {
            return List.of();
        }
        if (refused) {
            throw error(path + ".default_from", "only applies to a column read from the source (not a ref) without"
                    + " a default or a constant value");
        }
        List<DefaultTemplate> templates = new ArrayList<>();
        for (JsonNode t : d.isTextual() ? List.of(d) : array(d, path + ".default_from")) {
            if (!t.isTextual()) {
                throw error(path + ".default_from", "must be a template text or a list of them");
            }
            try {
                templates.add(DefaultTemplate.parse(t.asText()));
            } catch (IllegalArgumentException e) {
                throw error(path + ".default_from", "'" + t.asText() + "': " + e.getMessage());
            }
        }
        if (templates.isEmpty()) {
            throw error(path + ".default_from", "must list at least one template");
        }
        return List.copyOf(templates);
    }

    /** Checks that need the whole file: references name mapped tables, inventory parts name mapped tables. */
    private void crossCheck(Mapping mapping) {
        Set<String> tables = new HashSet<>();
        for (TableMap t : mapping.tables()) {
            if (!tables.add(t.qualified())) {
                throw error("sources." + t.source(), "maps table " + t.table() + " twice");
            }
        }
        for (TableMap t : mapping.tables()) {
            for (ColumnMap c : t.allColumns()) {
                if (c.ref() != null && c.ref().byKey() && !tables.contains(c.ref().table())) {
                    throw error(c.path() + ".ref", "names " + c.ref().table() + ", which this file does not map");
                }
            }
        }
        for (InventoryGroup g : mapping.inventory()) {
            for (String part : g.parts().keySet()) {
                if (!tables.contains(part)) {
                    throw error("inventory (" + g.group() + ")", "names " + part + ", which this file does not map");
                }
            }
        }
    }

    // ---- small readers -------------------------------------------------------------------------------------------

    private void keys(JsonNode node, Set<String> allowed, String path) {
        if (!node.isObject()) {
            throw error(path, "must be a mapping");
        }
        node.fieldNames().forEachRemaining(k -> {
            if (!allowed.contains(k)) {
                throw error(path, "unknown key '" + k + "' (allowed: " + new java.util.TreeSet<>(allowed) + ")");
            }
        });
    }

    private String requiredText(JsonNode node, String field, String path) {
        JsonNode v = node.path(field);
        if (!v.isValueNode() || v.isNull() || v.asText().isBlank()) {
            throw error(path, "is required");
        }
        return v.asText().strip();
    }

    private static String optionalText(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isValueNode() && !v.isNull() ? v.asText() : null;
    }

    private String identifier(String name, String path) {
        if (!IDENTIFIER.matcher(name).matches()) {
            throw error(path, "'" + name + "' is not a lower-case SQL identifier");
        }
        return name;
    }

    private List<JsonNode> array(JsonNode node, String path) {
        List<JsonNode> items = new ArrayList<>();
        if (node.isMissingNode() || node.isNull()) {
            return items;
        }
        if (!node.isArray()) {
            throw error(path, "must be a list");
        }
        node.forEach(items::add);
        return items;
    }

    private LocalDate date(JsonNode node, String path, LocalDate fallback) {
        if (node.isMissingNode()) {
            return fallback;
        }
        try {
            return LocalDate.parse(node.asText());
        } catch (DateTimeException e) {
            throw error(path, "must be a date like 1970-01-02, got '" + node.asText() + "'");
        }
    }

    private ZoneId zone(JsonNode node, String path, ZoneId fallback) {
        if (node.isMissingNode()) {
            return fallback;
        }
        try {
            return ZoneId.of(node.asText());
        } catch (DateTimeException e) {
            throw error(path, "'" + node.asText() + "' is not a time zone (use e.g. UTC or America/New_York)");
        }
    }

    private static String policyText(JsonNode node) {
        return node.isNull() ? "null" : node.asText();
    }

    private Policy policy(JsonNode node, String path, Policy fallback, boolean reference) {
        if (node.isMissingNode()) {
            return fallback;
        }
        return switch (policyText(node)) {
            case "quarantine" -> Policy.QUARANTINE;
            case "null" -> Policy.NULL;
            case "ignore" -> Policy.IGNORE;
            case "defer" -> {
                if (!reference) {
                    throw error(path, "defer only applies to a reference (on_missing); a value has no later arrival");
                }
                yield Policy.DEFER;
            }
            default -> throw error(path, "must be quarantine, null, ignore" + (reference ? " or defer" : "")
                    + ", got '" + node.asText() + "'");
        };
    }

    /** A YAML value as plain Java: text, whole number (Long), decimal, boolean, list, or a JSON object as {@link Json}. */
    private Object plain(JsonNode node, String path) {
        if (node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(x -> list.add(plain(x, path)));
            return List.copyOf(list);
        }
        if (node.isObject()) {
            return Json.of(node);
        }
        throw error(path, "unsupported value " + node);
    }
}
